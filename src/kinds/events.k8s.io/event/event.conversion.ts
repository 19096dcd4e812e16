import type { KubeObject } from '../../../machinery/meta/types';
import type { Event as CoreEvent, ObjectReference } from '../../core/event/event.resource';

/** An events.k8s.io/v1 Event: the same object as a core/v1 Event under newer field names. */
export interface EventV1 extends KubeObject {
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string };
  reportingController?: string;
  reportingInstance?: string;
  action?: string;
  reason?: string;
  regarding?: ObjectReference;
  related?: ObjectReference;
  note?: string;
  type?: string;
  deprecatedSource?: { component?: string; host?: string };
  deprecatedFirstTimestamp?: string | null;
  deprecatedLastTimestamp?: string | null;
  deprecatedCount?: number;
}

/** [events.k8s.io/v1 name, core/v1 name] for every field whose name differs. */
const RENAMED: [keyof EventV1, keyof CoreEvent][] = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];

function rename(source: Record<string, unknown>, pairs: [string, string][]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...source };
  for (const [from, to] of pairs) {
    delete out[from];
    if (source[from] !== undefined) out[to] = source[from];
  }
  return out;
}

export function eventToCore(event: EventV1): CoreEvent {
  return rename(event, RENAMED as [string, string][]) as CoreEvent;
}

export function eventFromCore(event: KubeObject): EventV1 {
  return rename(event, RENAMED.map(([v1, core]) => [core, v1]) as [string, string][]) as EventV1;
}
