/**
 * ValidatePersistentVolume(Update) and ValidatePersistentVolumeClaim(Update) of
 * pkg/apis/core/validation: access modes, capacity and requests, exactly one volume source, and
 * what may change once the objects exist.
 */
import { FieldError } from '../../../machinery/errors/status-error';
import { compareQuantities, isZero, parseQuantity } from '../../../machinery/quantity/quantity';
import { labelSelectorFieldErrors } from '../../../machinery/selectors/label-selector';
import { isObject, semanticEqual } from '../../../machinery/validation/common';
import { dns1123SubdomainErrors } from '../../../machinery/validation/names';
import { ACCESS_MODES, PERSISTENT_VOLUME_SOURCES, type PersistentVolume, type PersistentVolumeClaim, type PersistentVolumeClaimSpec } from './persistentvolume.types';

const SUPPORTED_ACCESS_MODES: string[] = [...ACCESS_MODES].sort();
const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];
const VOLUME_MODES = ['Block', 'Filesystem'];

function accessModeErrors(modes: readonly string[] | undefined, path: string, requiredDetail: string): FieldError[] {
  if (!modes?.length) return [FieldError.required(path, requiredDetail)];
  const errors: FieldError[] = [];
  for (const mode of modes) if (!SUPPORTED_ACCESS_MODES.includes(mode)) errors.push(FieldError.notSupported(path, mode, SUPPORTED_ACCESS_MODES));
  if (modes.includes('ReadWriteOncePod') && modes.length > 1) errors.push(FieldError.forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  return errors;
}

/** ValidatePositiveQuantityValue on a storage amount. */
function positiveQuantityErrors(value: unknown, path: string): FieldError[] {
  const q = parseQuantity(value);
  if (!q) return [];
  if (q.negative || isZero(q)) return [FieldError.invalid(path, value, 'must be greater than zero')];
  return [];
}

function storageClassNameErrors(name: string | null | undefined, path: string): FieldError[] {
  if (!name) return [];
  return dns1123SubdomainErrors(name).map((message) => FieldError.invalid(path, name, message));
}

export function validatePersistentVolume(pv: PersistentVolume): FieldError[] {
  const spec = pv.spec ?? {};
  const errors = accessModeErrors(spec.accessModes, 'spec.accessModes', 'must specify at least 1 access mode');
  const capacity = spec.capacity ?? {};
  const resources = Object.keys(capacity);
  if (resources.length === 0) errors.push(FieldError.required('spec.capacity'));
  else if (!('storage' in capacity) || resources.length > 1) errors.push(FieldError.notSupported('spec.capacity', capacity, ['storage']));
  for (const [name, value] of Object.entries(capacity)) errors.push(...positiveQuantityErrors(value, `spec.capacity[${name}]`));
  if (spec.persistentVolumeReclaimPolicy && !RECLAIM_POLICIES.includes(spec.persistentVolumeReclaimPolicy)) {
    errors.push(FieldError.notSupported('spec.persistentVolumeReclaimPolicy', spec.persistentVolumeReclaimPolicy, RECLAIM_POLICIES));
  }
  errors.push(...storageClassNameErrors(spec.storageClassName, 'spec.storageClassName'));
  if (spec.volumeMode && !VOLUME_MODES.includes(spec.volumeMode)) errors.push(FieldError.notSupported('spec.volumeMode', spec.volumeMode, VOLUME_MODES));
  let sources = 0;
  for (const source of PERSISTENT_VOLUME_SOURCES) {
    const value = spec[source];
    if (value === undefined || value === null) continue;
    if (sources > 0) {
      errors.push(FieldError.forbidden(`spec.${source}`, 'may not specify more than 1 volume type'));
      continue;
    }
    sources++;
    errors.push(...volumeSourceErrors(source, value, pv));
  }
  if (sources === 0) errors.push(FieldError.required('spec', 'must specify a volume type'));
  if (spec.local && !spec.nodeAffinity) errors.push(FieldError.required('spec.nodeAffinity', 'Local volume requires node affinity'));
  return errors;
}

function volumeSourceErrors(source: string, value: unknown, pv: PersistentVolume): FieldError[] {
  const fields = isObject(value) ? value : {};
  const path = `spec.${source}`;
  const errors: FieldError[] = [];
  const sourcePath = typeof fields.path === 'string' ? fields.path : '';
  switch (source) {
    case 'hostPath':
      if (!sourcePath) errors.push(FieldError.required(`${path}.path`));
      if (sourcePath === '/' && pv.spec?.persistentVolumeReclaimPolicy === 'Recycle') {
        errors.push(FieldError.forbidden('spec.persistentVolumeReclaimPolicy', "may not be 'recycle' for a hostPath mount of '/'"));
      }
      break;
    case 'nfs':
      if (!fields.server) errors.push(FieldError.required(`${path}.server`));
      if (!sourcePath) errors.push(FieldError.required(`${path}.path`));
      else if (!sourcePath.startsWith('/')) errors.push(FieldError.invalid(`${path}.path`, sourcePath, 'must be an absolute path'));
      break;
    case 'local':
      if (!sourcePath) errors.push(FieldError.required(`${path}.path`));
      break;
    case 'csi':
      if (!fields.driver) errors.push(FieldError.required(`${path}.driver`));
      if (!fields.volumeHandle) errors.push(FieldError.required(`${path}.volumeHandle`));
      break;
  }
  return errors;
}

export function validatePersistentVolumeUpdate(pv: PersistentVolume, old: PersistentVolume): FieldError[] {
  const errors = validatePersistentVolume(pv);
  const sourceOf = (v: PersistentVolume) => Object.fromEntries(PERSISTENT_VOLUME_SOURCES.map((s) => [s, v.spec?.[s] ?? null]));
  if (!semanticEqual(sourceOf(pv), sourceOf(old))) {
    errors.push(FieldError.forbidden('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation'));
  }
  if ((pv.spec?.volumeMode ?? '') !== (old.spec?.volumeMode ?? '')) errors.push(FieldError.invalid('spec.volumeMode', pv.spec?.volumeMode, 'field is immutable'));
  if (old.spec?.nodeAffinity && !semanticEqual(pv.spec?.nodeAffinity, old.spec.nodeAffinity)) {
    errors.push(FieldError.invalid('spec.nodeAffinity', pv.spec?.nodeAffinity ?? null, 'field is immutable'));
  }
  return errors;
}

export function validatePersistentVolumeClaimSpec(spec: PersistentVolumeClaimSpec, path: string): FieldError[] {
  const errors = accessModeErrors(spec.accessModes, `${path}.accessModes`, 'at least 1 access mode is required');
  if (spec.selector) errors.push(...labelSelectorFieldErrors(spec.selector, `${path}.selector`));
  const requests = spec.resources?.requests ?? {};
  const storagePath = `${path}.resources[storage]`;
  if (!('storage' in requests)) errors.push(FieldError.required(storagePath));
  else errors.push(...positiveQuantityErrors(requests.storage, storagePath));
  errors.push(...storageClassNameErrors(spec.storageClassName, `${path}.storageClassName`));
  if (spec.volumeMode && !VOLUME_MODES.includes(spec.volumeMode)) errors.push(FieldError.notSupported(`${path}.volumeMode`, spec.volumeMode, VOLUME_MODES));
  return errors;
}

export function validatePersistentVolumeClaim(pvc: PersistentVolumeClaim): FieldError[] {
  return validatePersistentVolumeClaimSpec(pvc.spec ?? {}, 'spec');
}

/**
 * The spec is fixed at creation, except that the binder fills volumeName, a nil class may get the
 * default one, and a bound claim's storage request may grow (never below what it already has).
 */
export function validatePersistentVolumeClaimUpdate(pvc: PersistentVolumeClaim, old: PersistentVolumeClaim): FieldError[] {
  const errors = validatePersistentVolumeClaim(pvc);
  const newSpec = structuredClone(pvc.spec ?? {});
  const oldSpec = structuredClone(old.spec ?? {});
  if (!oldSpec.volumeName) oldSpec.volumeName = newSpec.volumeName;
  if (oldSpec.storageClassName === undefined || oldSpec.storageClassName === null) oldSpec.storageClassName = newSpec.storageClassName;
  oldSpec.volumeAttributesClassName = newSpec.volumeAttributesClassName;
  const bound = pvc.status?.phase === 'Bound';
  if (bound && newSpec.resources?.requests) newSpec.resources.requests.storage = old.spec?.resources?.requests?.storage as string;
  if (!semanticEqual(newSpec, oldSpec)) {
    errors.push(FieldError.forbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
  }
  const newSize = parseQuantity(pvc.spec?.resources?.requests?.storage);
  const capacity = parseQuantity(old.status?.capacity?.storage);
  const oldSize = parseQuantity(old.spec?.resources?.requests?.storage);
  if (newSize && oldSize && compareQuantities(newSize, oldSize) < 0) {
    if (!capacity || compareQuantities(newSize, capacity) < 0) {
      errors.push(FieldError.forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'));
    }
  }
  return errors;
}
