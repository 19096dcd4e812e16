import { defineResource } from '../../../registry/resource-type';
import { defaultPodTemplate } from '../pod-template';
import { replicaSetTable } from './replicaset.table';
import type { ReplicaSet } from './replicaset.types';
import { validateReplicaSet, validateReplicaSetUpdate } from './replicaset.validation';

export type { ReplicaSet } from './replicaset.types';

/**
 * apps/v1 ReplicaSet (pkg/registry/apps/replicaset): a pod template kept at a replica count by the
 * replicaset reconciler. Create clears the status; spec changes bump the generation.
 */
export const replicaSetResource = defineResource<ReplicaSet>({
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  plural: 'replicasets',
  singular: 'replicaset',
  namespaced: true,
  shortNames: ['rs'],
  categories: ['all'],
  definition: 'io.k8s.api.apps.v1.ReplicaSet',
  statusSubresource: true,
  generationFields: ['spec'],
  scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', selectorPath: 'spec.selector' },

  applyDefaults(rs) {
    defaultPodTemplate(rs.spec?.template);
  },
  prepareForCreate(rs) {
    rs.status = { replicas: 0 };
  },
  validate: validateReplicaSet,
  validateUpdate: validateReplicaSetUpdate,

  table: replicaSetTable,
});
