import { defineResource } from '../../../registry/resource-type';

export const nodeResource = defineResource({
  group: '', version: 'v1', kind: 'Node', plural: 'nodes', singular: 'node', namespaced: false,
  shortNames: ['no'], definition: 'io.k8s.api.core.v1.Node', statusSubresource: true,
});
