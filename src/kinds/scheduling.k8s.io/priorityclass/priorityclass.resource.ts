import { AGE_COLUMN, ageCell, NAME_COLUMN } from '../../../machinery/table/table';
import { defineResource } from '../../../registry/resource-type';
import { admitPriorityClass } from './priority.admission';
import type { PriorityClass } from './priorityclass.types';
import { validatePriorityClass, validatePriorityClassUpdate } from './priorityclass.validation';

export type { PriorityClass } from './priorityclass.types';

/**
 * scheduling.k8s.io/v1 PriorityClass (pkg/registry/scheduling/priorityclass): named pod priorities.
 * The two system classes are created at start; the Priority admission plugin resolves pods' classes.
 */
export const priorityClassResource = defineResource<PriorityClass>({
  group: 'scheduling.k8s.io',
  version: 'v1',
  kind: 'PriorityClass',
  plural: 'priorityclasses',
  singular: 'priorityclass',
  namespaced: false,
  shortNames: ['pc'],
  definition: 'io.k8s.api.scheduling.v1.PriorityClass',
  // Generation 1 from creation on; nothing that may change moves it.
  generationFields: [],

  admit: (pc, context) => admitPriorityClass(pc, context),
  admitUpdate: (pc, old, context) => admitPriorityClass(pc, context, old),
  validate: validatePriorityClass,
  validateUpdate: validatePriorityClassUpdate,

  // printPriorityClass: the preemption policy column came last, after AGE.
  table: {
    columns: [
      NAME_COLUMN,
      { name: 'Value', type: 'integer', description: 'The priority pods of this class get.' },
      { name: 'Global-Default', type: 'boolean', description: 'Whether pods without a class get this one.' },
      AGE_COLUMN,
      { name: 'PreemptionPolicy', type: 'string', description: 'Whether pods of this class preempt lower-priority pods.' },
    ],
    cells: (pc, now) => [pc.metadata.name, pc.value ?? 0, pc.globalDefault ?? false, ageCell(pc.metadata.creationTimestamp, now), pc.preemptionPolicy ?? ''],
  },
});
