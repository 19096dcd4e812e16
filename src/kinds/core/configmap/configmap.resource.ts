import { defineResource } from '../../../registry/resource-type';

export const configMapResource = defineResource({
  group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', singular: 'configmap', namespaced: true,
  shortNames: ['cm'], definition: 'io.k8s.api.core.v1.ConfigMap',
});
