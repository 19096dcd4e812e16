import { defineResource } from '../../../registry/resource-type';

export const serviceAccountResource = defineResource({
  group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', singular: 'serviceaccount', namespaced: true,
  shortNames: ['sa'], definition: 'io.k8s.api.core.v1.ServiceAccount',
});
