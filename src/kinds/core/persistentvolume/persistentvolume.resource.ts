import { AGE_COLUMN, ageCell, NAME_COLUMN } from '../../../machinery/table/table';
import { defineResource } from '../../../registry/resource-type';
import { accessModesText, PV_PROTECTION_FINALIZER, volumeClass, type PersistentVolume } from './persistentvolume.types';
import { validatePersistentVolume, validatePersistentVolumeUpdate } from './persistentvolume.validation';

export type { PersistentVolume } from './persistentvolume.types';

/**
 * core/v1 PersistentVolume (pkg/registry/core/persistentvolume): a piece of cluster storage, bound
 * to claims by the persistent volume reconciler. Cluster-scoped; new volumes start Pending.
 */
export const persistentVolumeResource = defineResource<PersistentVolume>({
  group: '',
  version: 'v1',
  kind: 'PersistentVolume',
  plural: 'persistentvolumes',
  singular: 'persistentvolume',
  namespaced: false,
  shortNames: ['pv'],
  definition: 'io.k8s.api.core.v1.PersistentVolume',
  statusSubresource: true,

  // StorageObjectInUseProtection: a volume bound to a claim is not removed until it is released.
  admit(pv) {
    const finalizers = (pv.metadata.finalizers ??= []);
    if (!finalizers.includes(PV_PROTECTION_FINALIZER)) finalizers.push(PV_PROTECTION_FINALIZER);
  },
  prepareForCreate(pv) {
    pv.status = { phase: 'Pending', lastPhaseTransitionTime: pv.metadata.creationTimestamp };
  },
  validate: validatePersistentVolume,
  validateUpdate: validatePersistentVolumeUpdate,

  table: {
    columns: [
      NAME_COLUMN,
      { name: 'Capacity', type: 'string', description: 'The storage the volume offers (spec.capacity.storage).' },
      { name: 'Access Modes', type: 'string', description: 'The ways the volume can be mounted.' },
      { name: 'Reclaim Policy', type: 'string', description: 'What happens to the volume once its claim is gone.' },
      { name: 'Status', type: 'string', description: 'The phase of the volume.' },
      { name: 'Claim', type: 'string', description: 'The claim the volume is bound to, as namespace/name.' },
      { name: 'StorageClass', type: 'string', description: 'The class of the volume.' },
      { name: 'VolumeAttributesClass', type: 'string', description: 'The volume attributes class of the volume.' },
      { name: 'Reason', type: 'string', description: 'Why the volume is in its phase.' },
      AGE_COLUMN,
      { name: 'VolumeMode', type: 'string', priority: 1, description: 'Filesystem or Block.' },
    ],
    cells: (pv, now) => {
      const claim = pv.spec?.claimRef;
      return [
        pv.metadata.name,
        pv.spec?.capacity?.storage ?? '0',
        accessModesText(pv.spec?.accessModes),
        pv.spec?.persistentVolumeReclaimPolicy ?? '',
        pv.metadata.deletionTimestamp ? 'Terminating' : (pv.status?.phase ?? ''),
        claim ? `${claim.namespace ?? ''}/${claim.name ?? ''}` : '',
        volumeClass(pv),
        pv.spec?.volumeAttributesClassName || '<unset>',
        pv.status?.reason ?? '',
        ageCell(pv.metadata.creationTimestamp, now),
        pv.spec?.volumeMode || '<unset>',
      ];
    },
  },
});
