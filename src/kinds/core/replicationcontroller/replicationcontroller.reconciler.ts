import { defineReconciler } from '../../../controller-runtime/reconciler';
import { LabelSelector } from '../../../machinery/selectors/label-selector';
import { replicaManager } from '../../apps/replicaset/replica-manager';
import type { ReplicationController } from './replicationcontroller.types';

/** The replication controller: the replicaset reconciler run for ReplicationControllers. */
export const replicationControllerReconciler = defineReconciler((registry, clock) =>
  replicaManager<ReplicationController>(registry, clock, {
    group: '',
    kind: 'ReplicationController',
    component: 'replication-controller',
    // An empty selector selects nothing here: validation refuses one anyway.
    selectorOf: (rc) => (rc.spec?.selector && Object.keys(rc.spec.selector).length ? LabelSelector.fromObject({ matchLabels: rc.spec.selector }) : LabelSelector.nothing()),
    replicasOf: (rc) => rc.spec?.replicas ?? 1,
    minReadySecondsOf: (rc) => rc.spec?.minReadySeconds ?? 0,
    templateOf: (rc) => rc.spec?.template,
  }),
);
