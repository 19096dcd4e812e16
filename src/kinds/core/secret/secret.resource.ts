import { defineResource } from '../../../registry/resource-type';

export const secretResource = defineResource({
  group: '', version: 'v1', kind: 'Secret', plural: 'secrets', singular: 'secret', namespaced: true,
  definition: 'io.k8s.api.core.v1.Secret',
});
