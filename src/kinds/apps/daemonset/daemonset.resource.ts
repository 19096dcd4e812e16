import { AGE_COLUMN, ageCell, NAME_COLUMN, NONE } from '../../../machinery/table/table';
import { deepEqual } from '../../../registry/generic-store';
import { defineResource } from '../../../registry/resource-type';
import { defaultPodTemplate, WIDE_WORKLOAD_COLUMNS, wideWorkloadCells } from '../pod-template';
import { TEMPLATE_GENERATION_ANNOTATION, type DaemonSet } from './daemonset.types';
import { validateDaemonSet, validateDaemonSetUpdate } from './daemonset.validation';

export type { DaemonSet } from './daemonset.types';

/** labels.FormatLabels: k=v pairs in key order, `<none>` when empty. */
function formatLabels(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : NONE;
}

/**
 * apps/v1 DaemonSet (pkg/registry/apps/daemonset): one pod per eligible node, kept by the daemonset
 * reconciler. The strategy counts template changes in the deprecated template-generation annotation.
 */
export const daemonSetResource = defineResource<DaemonSet>({
  group: 'apps',
  version: 'v1',
  kind: 'DaemonSet',
  plural: 'daemonsets',
  singular: 'daemonset',
  namespaced: true,
  shortNames: ['ds'],
  categories: ['all'],
  definition: 'io.k8s.api.apps.v1.DaemonSet',
  statusSubresource: true,
  generationFields: ['spec'],

  applyDefaults(ds) {
    const spec = ds.spec;
    if (!spec || typeof spec !== 'object') return;
    // SetDefaults_DaemonSet: one pod at a time, no surge.
    if (spec.updateStrategy?.type === 'RollingUpdate') {
      const rolling = (spec.updateStrategy.rollingUpdate ??= {});
      rolling.maxUnavailable ??= 1;
      rolling.maxSurge ??= 0;
    }
    defaultPodTemplate(spec.template);
  },
  prepareForCreate(ds) {
    ds.status = { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 };
    ds.metadata.annotations = { ...ds.metadata.annotations, [TEMPLATE_GENERATION_ANNOTATION]: '1' };
  },
  prepareForUpdate(ds, old) {
    const previous = Number(old.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION] ?? 0) || 0;
    const generation = deepEqual(ds.spec?.template, old.spec?.template) ? previous : previous + 1;
    if (generation > 0) ds.metadata.annotations = { ...ds.metadata.annotations, [TEMPLATE_GENERATION_ANNOTATION]: String(generation) };
  },
  validate: validateDaemonSet,
  validateUpdate: validateDaemonSetUpdate,

  table: {
    columns: [
      NAME_COLUMN,
      { name: 'Desired', type: 'integer', description: 'Number of nodes that should run the daemon pod.' },
      { name: 'Current', type: 'integer', description: 'Number of nodes running at least one daemon pod that should.' },
      { name: 'Ready', type: 'integer', description: 'Number of nodes whose daemon pod is ready.' },
      { name: 'Up-to-date', type: 'integer', description: 'Number of nodes running the newest template.' },
      { name: 'Available', type: 'integer', description: 'Number of nodes whose daemon pod is available.' },
      { name: 'Node Selector', type: 'string', description: 'The nodes the pods may run on (spec.template.spec.nodeSelector).' },
      AGE_COLUMN,
      ...WIDE_WORKLOAD_COLUMNS,
    ],
    cells: (ds, now) => [
      ds.metadata.name,
      ds.status?.desiredNumberScheduled ?? 0,
      ds.status?.currentNumberScheduled ?? 0,
      ds.status?.numberReady ?? 0,
      ds.status?.updatedNumberScheduled ?? 0,
      ds.status?.numberAvailable ?? 0,
      formatLabels(ds.spec?.template?.spec?.nodeSelector),
      ageCell(ds.metadata.creationTimestamp, now),
      ...wideWorkloadCells(ds.spec?.template, ds.spec?.selector),
    ],
  },
});
