import { AGE_COLUMN, ageCell, NAME_COLUMN } from '../../../machinery/table/table';
import { defineResource } from '../../../registry/resource-type';
import { isDefaultClass, type StorageClass } from './storageclass.types';
import { validateStorageClass, validateStorageClassUpdate } from './storageclass.validation';

export type { StorageClass } from './storageclass.types';

/**
 * storage.k8s.io/v1 StorageClass (pkg/registry/storage/storageclass): how claims of a class get
 * their volumes. Cluster-scoped, no status; the schema defaults reclaimPolicy and volumeBindingMode.
 */
export const storageClassResource = defineResource<StorageClass>({
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'StorageClass',
  plural: 'storageclasses',
  singular: 'storageclass',
  namespaced: false,
  shortNames: ['sc'],
  definition: 'io.k8s.api.storage.v1.StorageClass',

  validate: validateStorageClass,
  validateUpdate: validateStorageClassUpdate,

  // printStorageClass: the default class is marked after its name.
  table: {
    columns: [
      NAME_COLUMN,
      { name: 'Provisioner', type: 'string', description: 'The volume plugin or external provisioner that makes volumes of this class.' },
      { name: 'ReclaimPolicy', type: 'string', description: 'What happens to a dynamically provisioned volume once its claim is gone.' },
      { name: 'VolumeBindingMode', type: 'string', description: 'When claims are bound and volumes provisioned.' },
      { name: 'AllowVolumeExpansion', type: 'string', description: 'Whether claims of this class may grow.' },
      AGE_COLUMN,
    ],
    cells: (sc, now) => [
      isDefaultClass(sc) ? `${sc.metadata.name} (default)` : sc.metadata.name,
      sc.provisioner ?? '',
      sc.reclaimPolicy ?? 'Delete',
      sc.volumeBindingMode ?? 'Immediate',
      String(sc.allowVolumeExpansion ?? false),
      ageCell(sc.metadata.creationTimestamp, now),
    ],
  },
});
