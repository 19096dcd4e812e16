import { defineReconciler } from '../../../controller-runtime/reconciler';
import { LabelSelector } from '../../../machinery/selectors/label-selector';
import { replicaManager } from './replica-manager';
import type { ReplicaSet } from './replicaset.types';

/** The replicaset controller: pods for every ReplicaSet, as many as spec.replicas asks. */
export const replicaSetReconciler = defineReconciler((registry, clock) =>
  replicaManager<ReplicaSet>(registry, clock, {
    group: 'apps',
    kind: 'ReplicaSet',
    component: 'replicaset-controller',
    selectorOf: (rs) => LabelSelector.fromObject(rs.spec?.selector),
    replicasOf: (rs) => rs.spec?.replicas ?? 1,
    minReadySecondsOf: (rs) => rs.spec?.minReadySeconds ?? 0,
    templateOf: (rs) => rs.spec?.template,
  }),
);
