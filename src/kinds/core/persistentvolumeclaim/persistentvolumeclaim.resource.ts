import { AGE_COLUMN, ageCell, NAME_COLUMN } from '../../../machinery/table/table';
import { defineResource } from '../../../registry/resource-type';
import { StatusError } from '../../../machinery/errors/status-error';
import { compareQuantities, parseQuantity } from '../../../machinery/quantity/quantity';
import { defaultClassOf, type StorageClass } from '../../storage.k8s.io/storageclass/storageclass.types';
import { accessModesText, claimClass, PVC_PROTECTION_FINALIZER, type PersistentVolumeClaim } from '../persistentvolume/persistentvolume.types';
import { validatePersistentVolumeClaim, validatePersistentVolumeClaimUpdate } from '../persistentvolume/persistentvolume.validation';

export type { PersistentVolumeClaim } from '../persistentvolume/persistentvolume.types';

/**
 * core/v1 PersistentVolumeClaim (pkg/registry/core/persistentvolumeclaim): a request for storage,
 * bound to a volume (or a freshly provisioned one) by the persistent volume reconciler.
 */
export const persistentVolumeClaimResource = defineResource<PersistentVolumeClaim>({
  group: '',
  version: 'v1',
  kind: 'PersistentVolumeClaim',
  plural: 'persistentvolumeclaims',
  singular: 'persistentvolumeclaim',
  namespaced: true,
  shortNames: ['pvc'],
  definition: 'io.k8s.api.core.v1.PersistentVolumeClaim',
  statusSubresource: true,

  admit(pvc, context) {
    // DefaultStorageClass: a claim that names no class (nil, not "") gets the default one, if any.
    const spec = (pvc.spec ??= {});
    if ((spec.storageClassName === undefined || spec.storageClassName === null) && !pvc.metadata.annotations?.['volume.beta.kubernetes.io/storage-class']) {
      const byDefault = defaultClassOf(context.objectsOf('storage.k8s.io', 'storageclasses'));
      if (byDefault) spec.storageClassName = byDefault.metadata.name;
    }
    // StorageObjectInUseProtection: a claim a pod uses is not removed until no pod does.
    const finalizers = (pvc.metadata.finalizers ??= []);
    if (!finalizers.includes(PVC_PROTECTION_FINALIZER)) finalizers.push(PVC_PROTECTION_FINALIZER);
  },
  // PersistentVolumeClaimResize: only bound claims of a class that allows expansion may grow.
  admitUpdate(pvc, old, context) {
    const newSize = parseQuantity(pvc.spec?.resources?.requests?.storage);
    const oldSize = parseQuantity(old.spec?.resources?.requests?.storage);
    if (!newSize || !oldSize || compareQuantities(newSize, oldSize) <= 0) return;
    const forbidden = (why: string) => StatusError.forbidden({ group: '', resource: 'persistentvolumeclaims' }, pvc.metadata.name ?? '', why);
    if (old.status?.phase !== 'Bound') throw forbidden('Only bound persistent volume claims can be expanded');
    const className = claimClass(pvc);
    let sc: StorageClass | undefined;
    for (const candidate of context.objectsOf('storage.k8s.io', 'storageclasses')) if (candidate.metadata.name === className) sc = candidate as StorageClass;
    if (!className || !sc?.allowVolumeExpansion) {
      throw forbidden('only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize');
    }
  },
  prepareForCreate(pvc) {
    pvc.status = { phase: 'Pending' };
  },
  validate: validatePersistentVolumeClaim,
  validateUpdate: validatePersistentVolumeClaimUpdate,

  table: {
    columns: [
      NAME_COLUMN,
      { name: 'Status', type: 'string', description: 'The phase of the claim.' },
      { name: 'Volume', type: 'string', description: 'The volume the claim is bound to.' },
      { name: 'Capacity', type: 'string', description: 'The storage of the bound volume.' },
      { name: 'Access Modes', type: 'string', description: 'The ways the bound volume can be mounted.' },
      { name: 'StorageClass', type: 'string', description: 'The class of the claim.' },
      { name: 'VolumeAttributesClass', type: 'string', description: 'The volume attributes class of the claim.' },
      AGE_COLUMN,
      { name: 'VolumeMode', type: 'string', priority: 1, description: 'Filesystem or Block.' },
    ],
    cells: (pvc, now) => {
      const bound = !!pvc.spec?.volumeName;
      return [
        pvc.metadata.name,
        pvc.metadata.deletionTimestamp ? 'Terminating' : (pvc.status?.phase ?? ''),
        pvc.spec?.volumeName ?? '',
        bound ? (pvc.status?.capacity?.storage ?? '0') : '',
        bound ? accessModesText(pvc.status?.accessModes) : '',
        claimClass(pvc),
        pvc.spec?.volumeAttributesClassName || '<unset>',
        ageCell(pvc.metadata.creationTimestamp, now),
        pvc.spec?.volumeMode || '<unset>',
      ];
    },
  },
});
