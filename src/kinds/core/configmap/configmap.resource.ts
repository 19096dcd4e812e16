import type { KubeObject } from '../../../machinery/meta/types';
import { validateRules } from '../../../machinery/validation/class-validation';
import { AGE_COLUMN, ageCell, NAME_COLUMN } from '../../../machinery/table/table';
import { defineResource } from '../../../registry/resource-type';
import { ConfigMapRules, ConfigMapUpdateRules, configMapSizeErrors } from './configmap.validation';

export interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  immutable?: boolean;
}

function validateConfigMap(cm: ConfigMap) {
  return [...validateRules(ConfigMapRules, cm), ...configMapSizeErrors(cm)];
}

export const configMapResource = defineResource<ConfigMap>({
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  singular: 'configmap',
  namespaced: true,
  shortNames: ['cm'],
  definition: 'io.k8s.api.core.v1.ConfigMap',

  validate: validateConfigMap,
  validateUpdate: (cm, old) => [...validateRules(ConfigMapUpdateRules, { ...cm, old }), ...validateConfigMap(cm)],

  table: {
    columns: [NAME_COLUMN, { name: 'Data', type: 'string', description: 'Number of keys in data and binaryData.' }, AGE_COLUMN],
    cells: (cm, now) => [cm.metadata.name, Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length, ageCell(cm.metadata.creationTimestamp, now)],
  },
});
