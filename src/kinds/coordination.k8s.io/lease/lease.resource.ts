import type { KubeObject } from '../../../machinery/meta/types';
import { AGE_COLUMN, ageCell, NAME_COLUMN } from '../../../machinery/table/table';
import { validateRules } from '../../../machinery/validation/class-validation';
import { defineResource } from '../../../registry/resource-type';
import { LeaseSpecRules } from './lease.validation';

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
  strategy?: string;
  preferredHolder?: string;
}

export interface Lease extends KubeObject {
  spec?: LeaseSpec;
}

const validateLease = (lease: Lease) => validateRules(LeaseSpecRules, lease.spec ?? {}, 'spec');

export const leaseResource = defineResource<Lease>({
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  plural: 'leases',
  singular: 'lease',
  namespaced: true,
  definition: 'io.k8s.api.coordination.v1.Lease',

  validate: validateLease,
  validateUpdate: validateLease,

  table: {
    columns: [NAME_COLUMN, { name: 'Holder', type: 'string', description: 'The identity of the current holder of the lease.' }, AGE_COLUMN],
    cells: (lease, now) => [lease.metadata.name, lease.spec?.holderIdentity ?? '', ageCell(lease.metadata.creationTimestamp, now)],
  },
  // Leases are validated with apimachinery's ValidateObjectMeta, without core's finalizer-name rule.
  metaRules: { kubeFinalizerNames: false },
});
