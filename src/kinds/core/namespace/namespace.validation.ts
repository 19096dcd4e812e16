/** Namespace rules of pkg/apis/core/validation (ValidateNamespace and the update variants). */
import { FieldError } from '../../../machinery/errors/status-error';
import { Check, invalid, type Finding } from '../../../machinery/validation/class-validation';
import { qualifiedNameErrors } from '../../../machinery/validation/names';
import type { Namespace } from './namespace.resource';

const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** validateFinalizerName; the real path is `spec.finalizers` with no index. */
function finalizerFindings(finalizer: string): Finding[] {
  const found: Finding[] = qualifiedNameErrors(finalizer).map((m) => invalid(finalizer, m));
  if (!finalizer.includes('/') && !STANDARD_FINALIZERS.has(finalizer)) {
    found.push(invalid(finalizer, 'name is neither a standard finalizer name nor is it fully qualified'));
  }
  return found;
}

export class NamespaceSpecRules {
  @Check<unknown>((finalizers) => (Array.isArray(finalizers) ? finalizers.flatMap((f) => finalizerFindings(String(f))) : undefined))
  finalizers?: string[];
}

/**
 * What an update may not do. A plain update keeps the stored spec.finalizers (prepareForUpdate) and
 * status, so these only bite for /finalize (ValidateNamespaceFinalizeUpdate, indexed paths) and
 * /status (ValidateNamespaceStatusUpdate, whose path really is "status.Phase").
 */
export function namespaceUpdateErrors(ns: Namespace): FieldError[] {
  const errors: FieldError[] = [];
  (ns.spec?.finalizers ?? []).forEach((finalizer, i) => {
    for (const f of finalizerFindings(String(finalizer))) errors.push(FieldError.invalid(`spec.finalizers[${i}]`, f.value, f.detail));
  });
  const phase = ns.status?.phase ?? '';
  if (!ns.metadata.deletionTimestamp && phase !== 'Active') {
    errors.push(FieldError.invalid('status.Phase', phase, "may only be 'Active' if `deletionTimestamp` is empty"));
  } else if (ns.metadata.deletionTimestamp && phase !== 'Terminating') {
    errors.push(FieldError.invalid('status.Phase', phase, "may only be 'Terminating' if `deletionTimestamp` is not empty"));
  }
  return errors;
}
