import type { KubeObject } from '../../../machinery/meta/types';
import { NAME_COLUMN, timestampSince } from '../../../machinery/table/table';
import { validateRules } from '../../../machinery/validation/class-validation';
import { pathSegmentNameErrors } from '../../../machinery/validation/object-meta';
import { defineResource, type TableDeclaration } from '../../../registry/resource-type';
import { EventNamespaceRules, EventRules } from './event.validation';

export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface Event extends KubeObject {
  involvedObject?: ObjectReference;
  reason?: string;
  message?: string;
  source?: { component?: string; host?: string };
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  count?: number;
  type?: string;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string };
  action?: string;
  related?: ObjectReference;
  reportingComponent?: string;
  reportingInstance?: string;
}

const validateEvent = (event: Event) => [
  ...validateRules(EventRules, event),
  ...validateRules(EventNamespaceRules, { namespace: event.metadata.namespace }),
];

/** printEvent's SOURCE: component (or reporting controller), then ", host" (or reporting instance). */
function eventSource(event: Event): string {
  const component = event.source?.component || event.reportingComponent || '';
  const instance = event.source?.host || event.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

export const eventTable: TableDeclaration<Event> = {
  columns: [
    { name: 'Last Seen', type: 'string', description: 'Time since the event was last observed.' },
    { name: 'Type', type: 'string', description: 'Normal or Warning.' },
    { name: 'Reason', type: 'string', description: 'Why the event was emitted.' },
    { name: 'Object', type: 'string', description: 'The object the event is about.' },
    { name: 'Subobject', type: 'string', priority: 1, description: 'The part of the object the event is about.' },
    { name: 'Source', type: 'string', priority: 1, description: 'The component that reported the event.' },
    { name: 'Message', type: 'string', description: 'A human-readable description.' },
    { name: 'First Seen', type: 'string', priority: 1, description: 'Time since the event was first observed.' },
    { name: 'Count', type: 'string', priority: 1, description: 'How many times the event occurred.' },
    { ...NAME_COLUMN, priority: 1 },
  ],
  cells(event, now) {
    const firstSeen = event.firstTimestamp ? timestampSince(event.firstTimestamp, now) : timestampSince(event.eventTime, now);
    let lastSeen = event.lastTimestamp ? timestampSince(event.lastTimestamp, now) : firstSeen;
    let count = event.count ?? 0;
    if (event.series) {
      lastSeen = timestampSince(event.series.lastObservedTime, now);
      count = event.series.count ?? 0;
    } else if (count === 0) {
      // Events from the events.k8s.io API leave count unset for a single occurrence.
      count = 1;
    }
    const ref = event.involvedObject ?? {};
    const kind = (ref.kind ?? '').toLowerCase();
    const object = ref.name ? `${kind}/${ref.name}` : kind;
    return [lastSeen, event.type ?? '', event.reason ?? '', object, ref.fieldPath ?? '', eventSource(event), (event.message ?? '').trim(), firstSeen, count, event.metadata.name];
  },
};

export const eventResource = defineResource<Event>({
  group: '',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  definition: 'io.k8s.api.core.v1.Event',

  validate: validateEvent,
  validateUpdate: validateEvent,

  selectableFields: (event) => {
    const ref = event.involvedObject ?? {};
    return {
      'involvedObject.kind': ref.kind ?? '',
      'involvedObject.namespace': ref.namespace ?? '',
      'involvedObject.name': ref.name ?? '',
      'involvedObject.uid': ref.uid ?? '',
      'involvedObject.apiVersion': ref.apiVersion ?? '',
      'involvedObject.resourceVersion': ref.resourceVersion ?? '',
      'involvedObject.fieldPath': ref.fieldPath ?? '',
      reason: event.reason ?? '',
      reportingComponent: event.reportingComponent ?? '',
      source: event.source?.component || event.reportingComponent || '',
      type: event.type ?? '',
    };
  },

  table: eventTable,
  // core/v1 Events get only the apiserver's generic path-segment name check.
  metaRules: { nameErrors: pathSegmentNameErrors, kubeFinalizerNames: false },
});
