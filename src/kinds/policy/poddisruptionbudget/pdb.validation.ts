/** ValidatePodDisruptionBudget(Spec) and the status checks of pkg/apis/policy/validation. */
import { FieldError, GoSyntax } from '../../../machinery/errors/status-error';
import { labelSelectorFieldErrors } from '../../../machinery/selectors/label-selector';
import { IS_NEGATIVE } from '../../../machinery/validation/common';
import { UNHEALTHY_POLICIES, type PodDisruptionBudget } from './pdb.types';

const PERCENT_RE = /^[0-9]+%$/;

/** The Go value an IntOrString prints as (%#v). */
function intOrStringSyntax(value: number | string): GoSyntax {
  return typeof value === 'number'
    ? new GoSyntax(`intstr.IntOrString{Type:0, IntVal:${value}, StrVal:""}`)
    : new GoSyntax(`intstr.IntOrString{Type:1, IntVal:0, StrVal:${JSON.stringify(value)}}`);
}

/** ValidatePositiveIntOrPercent and IsNotMoreThan100Percent of the apps validation. */
function intOrPercentErrors(value: number | string, path: string): FieldError[] {
  if (typeof value === 'number') return value < 0 ? [FieldError.invalid(path, value, IS_NEGATIVE)] : [];
  if (!PERCENT_RE.test(value)) return [FieldError.invalid(path, intOrStringSyntax(value), "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")];
  if (Number(value.slice(0, -1)) > 100) return [FieldError.invalid(path, intOrStringSyntax(value), 'must not be greater than 100%')];
  return [];
}

const set = (v: unknown) => v !== undefined && v !== null;

export function validatePodDisruptionBudget(pdb: PodDisruptionBudget): FieldError[] {
  const spec = pdb.spec ?? {};
  const errors: FieldError[] = [];
  if (set(spec.minAvailable) && set(spec.maxUnavailable)) {
    // Go prints the whole spec struct, pointers as addresses; kubemu shows which fields are set.
    const pointer = (v: unknown, type: string) => (set(v) ? `(*${type})(0xc000000000)` : `(*${type})(nil)`);
    const text = `policy.PodDisruptionBudgetSpec{MinAvailable:${pointer(spec.minAvailable, 'intstr.IntOrString')}, Selector:${pointer(spec.selector, 'v1.LabelSelector')}, MaxUnavailable:${pointer(spec.maxUnavailable, 'intstr.IntOrString')}, UnhealthyPodEvictionPolicy:${pointer(spec.unhealthyPodEvictionPolicy, 'policy.UnhealthyPodEvictionPolicyType')}}`;
    errors.push(FieldError.invalid('spec', new GoSyntax(text), 'minAvailable and maxUnavailable cannot be both set'));
  }
  if (set(spec.minAvailable)) errors.push(...intOrPercentErrors(spec.minAvailable!, 'spec.minAvailable'));
  if (set(spec.maxUnavailable)) errors.push(...intOrPercentErrors(spec.maxUnavailable!, 'spec.maxUnavailable'));
  errors.push(...labelSelectorFieldErrors(spec.selector, 'spec.selector'));
  if (set(spec.unhealthyPodEvictionPolicy) && !UNHEALTHY_POLICIES.includes(spec.unhealthyPodEvictionPolicy!)) {
    errors.push(FieldError.notSupported('spec.unhealthyPodEvictionPolicy', spec.unhealthyPodEvictionPolicy, UNHEALTHY_POLICIES));
  }
  return errors;
}

/** ValidatePodDisruptionBudgetStatusUpdate: counts are never negative. */
export function validatePodDisruptionBudgetStatus(pdb: PodDisruptionBudget): FieldError[] {
  const status = pdb.status ?? {};
  const errors: FieldError[] = [];
  for (const field of ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'] as const) {
    const value = status[field];
    if (value !== undefined && value < 0) errors.push(FieldError.invalid(`status.${field}`, value, IS_NEGATIVE));
  }
  return errors;
}
