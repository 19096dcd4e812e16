import { StatusError } from '../machinery/errors/status-error';
import type { KubeObject } from '../machinery/meta/types';
import type { ResourceRegistry } from '../registry/registry';
import { formatTime, type Clock } from '../simulation/clock';

export type EventType = 'Normal' | 'Warning';

/** Who reports: `component` is what `kubectl describe` shows under From; `host` is the node of a kubelet. */
export interface EventSource {
  component: string;
  host?: string;
}

/** The identity of an event for aggregation: the same report about the same object counts up. */
interface Recorded {
  name: string;
  namespace: string;
}

/** How long a repeat is folded into the earlier event (the client-side correlator's window). */
const AGGREGATION_WINDOW_MS = 10 * 60 * 1000;

/**
 * Writes core/v1 Events about objects as client-go's event recorder does: one Event per new report,
 * named `<object>.<hex time>`, and a repeat of the same report within ten minutes bumps its count
 * and lastTimestamp instead. Events go through the registry like any other write; failing to record
 * one (namespace terminating, the event deleted meanwhile) never fails the caller.
 */
export class EventRecorder {
  private readonly recent = new Map<string, Recorded & { at: number }>();
  /** Shared by every recorder: two recorders reporting on one object in the same millisecond must not pick the same name. */
  private static sequence = 0;

  constructor(
    private readonly registry: ResourceRegistry,
    private readonly clock: Clock,
    private readonly source: EventSource,
  ) {}

  async record(obj: KubeObject, type: EventType, reason: string, message: string, fieldPath?: string): Promise<void> {
    const meta = obj.metadata;
    const namespace = meta.namespace || 'default';
    const now = this.clock.now();
    const identity = [meta.uid, fieldPath ?? '', type, reason, message].join('\u0000');
    const events = this.registry.forKind('', 'Event');
    const earlier = this.recent.get(identity);
    try {
      if (earlier && now.getTime() - earlier.at < AGGREGATION_WINDOW_MS && events.find(earlier.namespace, earlier.name)) {
        await events.guaranteedUpdate(earlier.namespace, earlier.name, (event) => ({
          ...event,
          count: ((event.count as number | undefined) ?? 1) + 1,
          lastTimestamp: formatTime(now),
        }));
        earlier.at = now.getTime();
        return;
      }
      const name = `${meta.name}.${this.uniqueSuffix(now)}`;
      const time = formatTime(now);
      await events.create(namespace, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: {
          kind: obj.kind,
          namespace: meta.namespace,
          name: meta.name,
          uid: meta.uid,
          apiVersion: obj.apiVersion,
          resourceVersion: meta.resourceVersion,
          ...(fieldPath ? { fieldPath } : {}),
        },
        reason,
        message,
        source: { component: this.source.component, ...(this.source.host ? { host: this.source.host } : {}) },
        firstTimestamp: time,
        lastTimestamp: time,
        count: 1,
        type,
        eventTime: null,
        reportingComponent: this.source.component,
        reportingInstance: this.source.host ?? '',
      });
      this.recent.set(identity, { name, namespace, at: now.getTime() });
      if (this.recent.size > 4096) this.forgetOld(now.getTime());
    } catch (err) {
      if (!(err instanceof StatusError)) throw err;
    }
  }

  /** The real recorder uses the report's time in nanoseconds, in hex; a counter keeps names unique within a millisecond. */
  private uniqueSuffix(now: Date): string {
    EventRecorder.sequence = (EventRecorder.sequence + 1) % 1_000_000;
    return (BigInt(now.getTime()) * 1_000_000n + BigInt(EventRecorder.sequence)).toString(16);
  }

  private forgetOld(now: number): void {
    for (const [identity, recorded] of this.recent) if (now - recorded.at >= AGGREGATION_WINDOW_MS) this.recent.delete(identity);
  }
}
