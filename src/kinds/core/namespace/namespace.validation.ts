/** Namespace rules of pkg/apis/core/validation (ValidateNamespace). */
import { Check, invalid, type Finding } from '../../../machinery/validation/class-validation';
import { qualifiedNameErrors } from '../../../machinery/validation/names';

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
