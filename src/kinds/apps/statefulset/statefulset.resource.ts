import { AGE_COLUMN, ageCell, NAME_COLUMN } from '../../../machinery/table/table';
import { isObject } from '../../../machinery/validation/common';
import { defineResource } from '../../../registry/resource-type';
import { defaultPodTemplate, WIDE_WORKLOAD_COLUMNS } from '../pod-template';
import type { StatefulSet } from './statefulset.types';
import { validateStatefulSet, validateStatefulSetUpdate } from './statefulset.validation';

export type { StatefulSet } from './statefulset.types';

/**
 * apps/v1 StatefulSet (pkg/registry/apps/statefulset): pods with stable names, hostnames and
 * storage, started and stopped in order by the statefulset reconciler.
 */
export const statefulSetResource = defineResource<StatefulSet>({
  group: 'apps',
  version: 'v1',
  kind: 'StatefulSet',
  plural: 'statefulsets',
  singular: 'statefulset',
  namespaced: true,
  shortNames: ['sts'],
  categories: ['all'],
  definition: 'io.k8s.api.apps.v1.StatefulSet',
  statusSubresource: true,
  generationFields: ['spec'],
  scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', selectorPath: 'spec.selector' },

  applyDefaults(set) {
    const spec = set.spec;
    if (!spec || typeof spec !== 'object') return;
    // SetDefaults_StatefulSet: a rolling update starts at partition 0.
    const strategy = spec.updateStrategy;
    if (strategy?.type === 'RollingUpdate') {
      strategy.rollingUpdate ??= {};
      strategy.rollingUpdate.partition ??= 0;
    }
    defaultPodTemplate(spec.template);
    for (const claim of spec.volumeClaimTemplates ?? []) {
      if (!isObject(claim)) continue;
      claim.apiVersion ??= 'v1';
      claim.kind ??= 'PersistentVolumeClaim';
      claim.status ??= { phase: 'Pending' };
    }
  },
  prepareForCreate(set) {
    set.status = { replicas: 0, availableReplicas: 0 };
  },
  validate: validateStatefulSet,
  validateUpdate: validateStatefulSetUpdate,

  // printStatefulSet: READY is ready over desired.
  table: {
    columns: [NAME_COLUMN, { name: 'Ready', type: 'string', description: 'Number of ready pods over the desired number.' }, AGE_COLUMN, ...WIDE_WORKLOAD_COLUMNS.slice(0, 2)],
    cells: (set, now) => {
      const containers = set.spec?.template?.spec?.containers ?? [];
      return [
        set.metadata.name,
        `${set.status?.readyReplicas ?? 0}/${set.spec?.replicas ?? 0}`,
        ageCell(set.metadata.creationTimestamp, now),
        containers.map((c) => c.name ?? '').join(','),
        containers.map((c) => c.image ?? '').join(','),
      ];
    },
  },
});
