/** printDeployment: the columns `kubectl get deployments` shows. */
import { AGE_COLUMN, ageCell, NAME_COLUMN } from '../../../machinery/table/table';
import type { TableDeclaration } from '../../../registry/resource-type';
import { WIDE_WORKLOAD_COLUMNS, wideWorkloadCells } from '../pod-template';
import type { Deployment } from './deployment.types';

export const deploymentTable: TableDeclaration<Deployment> = {
  columns: [
    NAME_COLUMN,
    { name: 'Ready', type: 'string', description: 'Number of ready pods over the desired number.' },
    { name: 'Up-to-date', type: 'string', description: 'Number of pods running the newest template (status.updatedReplicas).' },
    { name: 'Available', type: 'string', description: 'Number of pods available for at least minReadySeconds (status.availableReplicas).' },
    AGE_COLUMN,
    ...WIDE_WORKLOAD_COLUMNS,
  ],
  cells: (d, now) => [
    d.metadata.name,
    `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`,
    d.status?.updatedReplicas ?? 0,
    d.status?.availableReplicas ?? 0,
    ageCell(d.metadata.creationTimestamp, now),
    ...wideWorkloadCells(d.spec?.template, d.spec?.selector),
  ],
};
