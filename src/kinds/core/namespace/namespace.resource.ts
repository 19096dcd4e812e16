import { defineResource } from '../../../registry/resource-type';

export const namespaceResource = defineResource({
  group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', singular: 'namespace', namespaced: false,
  shortNames: ['ns'], definition: 'io.k8s.api.core.v1.Namespace', statusSubresource: true,
});
