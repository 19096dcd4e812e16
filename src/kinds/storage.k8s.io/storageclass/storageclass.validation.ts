/** ValidateStorageClass / ValidateStorageClassUpdate of pkg/apis/storage/validation. */
import { FieldError } from '../../../machinery/errors/status-error';
import { semanticEqual } from '../../../machinery/validation/common';
import { qualifiedNameErrors } from '../../../machinery/validation/names';
import { BINDING_IMMEDIATE, BINDING_WAIT_FOR_FIRST_CONSUMER, type StorageClass } from './storageclass.types';

const MAX_PARAMETERS = 512;
const MAX_PARAMETERS_BYTES = 256 * 1024;

export function validateStorageClass(sc: StorageClass): FieldError[] {
  const errors: FieldError[] = [];
  const provisioner = sc.provisioner ?? '';
  if (!provisioner) errors.push(FieldError.required('provisioner'));
  else for (const message of qualifiedNameErrors(provisioner.toLowerCase())) errors.push(FieldError.invalid('provisioner', provisioner, message));
  const parameters = Object.entries(sc.parameters ?? {});
  if (parameters.length > MAX_PARAMETERS) errors.push(FieldError.tooLong('parameters', MAX_PARAMETERS));
  let size = 0;
  for (const [key, value] of parameters) {
    if (!key) errors.push(FieldError.invalid('parameters', key, 'field can not be empty.'));
    size += key.length + (value ?? '').length;
  }
  if (size > MAX_PARAMETERS_BYTES) errors.push(FieldError.tooLong('parameters', MAX_PARAMETERS_BYTES));
  if (sc.reclaimPolicy !== undefined && sc.reclaimPolicy !== 'Delete' && sc.reclaimPolicy !== 'Retain') {
    errors.push(FieldError.notSupported('reclaimPolicy', sc.reclaimPolicy, ['Delete', 'Retain']));
  }
  if (sc.volumeBindingMode === undefined || sc.volumeBindingMode === null) {
    errors.push(FieldError.required('volumeBindingMode'));
  } else if (sc.volumeBindingMode !== BINDING_IMMEDIATE && sc.volumeBindingMode !== BINDING_WAIT_FOR_FIRST_CONSUMER) {
    errors.push(FieldError.notSupported('volumeBindingMode', sc.volumeBindingMode, [BINDING_IMMEDIATE, BINDING_WAIT_FOR_FIRST_CONSUMER]));
  }
  return errors;
}

/** Only metadata, mount options, expansion and topologies may change after creation. */
export function validateStorageClassUpdate(sc: StorageClass, old: StorageClass): FieldError[] {
  const errors = validateStorageClass(sc);
  if (!semanticEqual(sc.parameters ?? {}, old.parameters ?? {})) errors.push(FieldError.forbidden('parameters', 'updates to parameters are forbidden.'));
  if (sc.provisioner !== old.provisioner) errors.push(FieldError.forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if (sc.reclaimPolicy !== old.reclaimPolicy) errors.push(FieldError.forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  if (sc.volumeBindingMode !== old.volumeBindingMode) errors.push(FieldError.invalid('volumeBindingMode', sc.volumeBindingMode, 'field is immutable'));
  return errors;
}
