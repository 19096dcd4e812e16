import type { KubeObject } from '../../../machinery/meta/types';
import { AGE_COLUMN, ageCell, NAME_COLUMN } from '../../../machinery/table/table';
import { defineResource } from '../../../registry/resource-type';
import { tokenAction } from './serviceaccount.token';
import { cleanSecretReferences } from './serviceaccount.validation';

export interface ServiceAccount extends KubeObject {
  secrets?: { name?: string; [field: string]: unknown }[];
  imagePullSecrets?: { name?: string }[];
  automountServiceAccountToken?: boolean;
}

export const serviceAccountResource = defineResource<ServiceAccount>({
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  plural: 'serviceaccounts',
  singular: 'serviceaccount',
  namespaced: true,
  shortNames: ['sa'],
  definition: 'io.k8s.api.core.v1.ServiceAccount',

  actions: { token: tokenAction },

  prepareForCreate: cleanSecretReferences,
  prepareForUpdate: (sa) => cleanSecretReferences(sa),

  table: {
    columns: [NAME_COLUMN, { name: 'Secrets', type: 'string', description: 'Number of secrets referenced by the service account.' }, AGE_COLUMN],
    cells: (sa, now) => [sa.metadata.name, (sa.secrets ?? []).length, ageCell(sa.metadata.creationTimestamp, now)],
  },
});
