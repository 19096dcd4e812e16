import { validateRules } from '../../../machinery/validation/class-validation';
import { pathSegmentNameErrors } from '../../../machinery/validation/object-meta';
import { defineResource } from '../../../registry/resource-type';
import { eventTable } from '../../core/event/event.resource';
import { eventFromCore, eventToCore, type EventV1 } from './event.conversion';
import { EventV1CreateRules } from './event.validation';

/**
 * events.k8s.io/v1 Event: a second version of the core Event, stored as one, so `kubectl get
 * events` and `kubectl get events.events.k8s.io` list the same objects.
 */
export const eventV1Resource = defineResource<EventV1>({
  group: 'events.k8s.io',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  definition: 'io.k8s.api.events.v1.Event',
  storedAs: { group: '', kind: 'Event', toStorage: eventToCore, fromStorage: eventFromCore },

  validate: (event) => validateRules(EventV1CreateRules, event),

  selectableFields: (event) => ({
    'regarding.kind': event.regarding?.kind ?? '',
    'regarding.namespace': event.regarding?.namespace ?? '',
    'regarding.name': event.regarding?.name ?? '',
    'regarding.uid': event.regarding?.uid ?? '',
    'regarding.apiVersion': event.regarding?.apiVersion ?? '',
    'regarding.resourceVersion': event.regarding?.resourceVersion ?? '',
    'regarding.fieldPath': event.regarding?.fieldPath ?? '',
    reason: event.reason ?? '',
    reportingController: event.reportingController ?? '',
    type: event.type ?? '',
  }),

  table: { columns: eventTable.columns, cells: (event, now) => eventTable.cells(eventToCore(event), now) },
  metaRules: { nameErrors: pathSegmentNameErrors, kubeFinalizerNames: false },
});
