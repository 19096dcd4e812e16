import { defineResource } from '../../../registry/resource-type';

export const leaseResource = defineResource({
  group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', singular: 'lease', namespaced: true,
  definition: 'io.k8s.api.coordination.v1.Lease',
});
