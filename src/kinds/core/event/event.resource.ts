import { defineResource } from '../../../registry/resource-type';

export const eventResource = defineResource({
  group: '', version: 'v1', kind: 'Event', plural: 'events', singular: 'event', namespaced: true,
  shortNames: ['ev'], definition: 'io.k8s.api.core.v1.Event',
});
