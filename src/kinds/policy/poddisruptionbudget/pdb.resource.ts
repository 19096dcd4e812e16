import { AGE_COLUMN, ageCell, NAME_COLUMN } from '../../../machinery/table/table';
import { defineResource } from '../../../registry/resource-type';
import type { PodDisruptionBudget } from './pdb.types';
import { validatePodDisruptionBudget, validatePodDisruptionBudgetStatus } from './pdb.validation';

export type { PodDisruptionBudget } from './pdb.types';

const intOrStringText = (value: number | string | null | undefined): string => (value === undefined || value === null ? 'N/A' : String(value));

/**
 * policy/v1 PodDisruptionBudget (pkg/registry/policy/poddisruptionbudget): how many of a set of
 * pods may be down at once through voluntary disruptions. The disruption reconciler keeps its
 * status; pods/eviction consults it.
 */
export const podDisruptionBudgetResource = defineResource<PodDisruptionBudget>({
  group: 'policy',
  version: 'v1',
  kind: 'PodDisruptionBudget',
  plural: 'poddisruptionbudgets',
  singular: 'poddisruptionbudget',
  namespaced: true,
  shortNames: ['pdb'],
  definition: 'io.k8s.api.policy.v1.PodDisruptionBudget',
  statusSubresource: true,
  generationFields: ['spec'],

  prepareForCreate(pdb) {
    delete pdb.status;
  },
  validate: validatePodDisruptionBudget,
  validateUpdate: (pdb) => [...validatePodDisruptionBudget(pdb), ...validatePodDisruptionBudgetStatus(pdb)],

  // printPodDisruptionBudget.
  table: {
    columns: [
      NAME_COLUMN,
      { name: 'Min Available', type: 'string', description: 'The pods that must stay available, as a count or a percentage.' },
      { name: 'Max Unavailable', type: 'string', description: 'The pods that may be unavailable, as a count or a percentage.' },
      { name: 'Allowed Disruptions', type: 'integer', description: 'How many pods may be disrupted now.' },
      AGE_COLUMN,
    ],
    cells: (pdb, now) => [
      pdb.metadata.name,
      intOrStringText(pdb.spec?.minAvailable),
      intOrStringText(pdb.spec?.maxUnavailable),
      pdb.status?.disruptionsAllowed ?? 0,
      ageCell(pdb.metadata.creationTimestamp, now),
    ],
  },
});
