import type { KubeObject } from '../../../machinery/meta/types';
import { validateRules } from '../../../machinery/validation/class-validation';
import { AGE_COLUMN, ageCell, NAME_COLUMN } from '../../../machinery/table/table';
import { defineResource } from '../../../registry/resource-type';
import { SecretRules, SecretUpdateRules, validateSecretType } from './secret.validation';

export interface Secret extends KubeObject {
  type?: string;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  immutable?: boolean;
}

/**
 * stringData is write-only: its entries are encoded into data (winning over the same key there) and
 * the field is dropped, as the v1 → internal conversion does before anything else sees the Secret.
 */
export function foldStringData(secret: Secret): void {
  if (secret.stringData && typeof secret.stringData === 'object') {
    const data = (secret.data ??= {});
    for (const [key, value] of Object.entries(secret.stringData)) data[key] = Buffer.from(String(value ?? ''), 'utf8').toString('base64');
  }
  delete secret.stringData;
}

function validateSecret(secret: Secret) {
  return [...validateRules(SecretRules, secret), ...validateSecretType(secret)];
}

export const secretResource = defineResource<Secret>({
  group: '',
  version: 'v1',
  kind: 'Secret',
  plural: 'secrets',
  singular: 'secret',
  namespaced: true,
  definition: 'io.k8s.api.core.v1.Secret',

  applyDefaults(secret) {
    foldStringData(secret);
    if (!secret.type) secret.type = 'Opaque';
  },

  validate: validateSecret,
  validateUpdate: (secret, old) => [...validateRules(SecretUpdateRules, { ...secret, old }), ...validateSecret(secret)],

  selectableFields: (secret) => ({ type: secret.type ?? '' }),

  table: {
    columns: [
      NAME_COLUMN,
      { name: 'Type', type: 'string', description: 'The type of the secret.' },
      { name: 'Data', type: 'string', description: 'Number of keys in data.' },
      AGE_COLUMN,
    ],
    cells: (s, now) => [s.metadata.name, s.type ?? '', Object.keys(s.data ?? {}).length, ageCell(s.metadata.creationTimestamp, now)],
  },
});
