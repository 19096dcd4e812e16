import { defineResource } from '../../../registry/resource-type';
import { defaultPodTemplate } from '../../apps/pod-template';
import { replicationControllerTable } from './replicationcontroller.table';
import type { ReplicationController } from './replicationcontroller.types';
import { validateReplicationController } from './replicationcontroller.validation';

export type { ReplicationController } from './replicationcontroller.types';

/**
 * core/v1 ReplicationController: the ReplicaSet's predecessor, with an equality-only selector that
 * defaults to the template's labels. The replicaset reconciler runs it too.
 */
export const replicationControllerResource = defineResource<ReplicationController>({
  group: '',
  version: 'v1',
  kind: 'ReplicationController',
  plural: 'replicationcontrollers',
  singular: 'replicationcontroller',
  namespaced: true,
  shortNames: ['rc'],
  categories: ['all'],
  definition: 'io.k8s.api.core.v1.ReplicationController',
  statusSubresource: true,
  generationFields: ['spec'],
  scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', selectorPath: 'spec.selector' },

  applyDefaults(rc) {
    // SetDefaults_ReplicationController: selector and labels come from the template when unset.
    const labels = rc.spec?.template?.metadata?.labels;
    if (rc.spec && labels) {
      if (!rc.spec.selector || Object.keys(rc.spec.selector).length === 0) rc.spec.selector = { ...labels };
      if (!rc.metadata.labels || Object.keys(rc.metadata.labels).length === 0) rc.metadata.labels = { ...labels };
    }
    defaultPodTemplate(rc.spec?.template);
  },
  prepareForCreate(rc) {
    rc.status = { replicas: 0 };
  },
  validate: validateReplicationController,
  validateUpdate: validateReplicationController,

  table: replicationControllerTable,
});
