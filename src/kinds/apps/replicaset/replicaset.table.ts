/** printReplicaSet: the columns `kubectl get replicasets` shows. */
import { AGE_COLUMN, ageCell, NAME_COLUMN } from '../../../machinery/table/table';
import type { TableDeclaration } from '../../../registry/resource-type';
import { WIDE_WORKLOAD_COLUMNS, wideWorkloadCells } from '../pod-template';
import type { ReplicaSet } from './replicaset.types';

export const replicaSetTable: TableDeclaration<ReplicaSet> = {
  columns: [
    NAME_COLUMN,
    { name: 'Desired', type: 'integer', description: 'Number of desired pods (spec.replicas).' },
    { name: 'Current', type: 'integer', description: 'Number of pods currently running (status.replicas).' },
    { name: 'Ready', type: 'integer', description: 'Number of pods that are ready (status.readyReplicas).' },
    AGE_COLUMN,
    ...WIDE_WORKLOAD_COLUMNS,
  ],
  cells: (rs, now) => [
    rs.metadata.name,
    rs.spec?.replicas ?? 0,
    rs.status?.replicas ?? 0,
    rs.status?.readyReplicas ?? 0,
    ageCell(rs.metadata.creationTimestamp, now),
    ...wideWorkloadCells(rs.spec?.template, rs.spec?.selector),
  ],
};
