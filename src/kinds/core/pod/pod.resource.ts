import { defineResource } from '../../../registry/resource-type';

export const podResource = defineResource({
  group: '', version: 'v1', kind: 'Pod', plural: 'pods', singular: 'pod', namespaced: true,
  shortNames: ['po'], categories: ['all'], definition: 'io.k8s.api.core.v1.Pod', statusSubresource: true,
});
