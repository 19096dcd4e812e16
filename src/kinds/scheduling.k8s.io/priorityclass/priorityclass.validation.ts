/** ValidatePriorityClass / ValidatePriorityClassUpdate of pkg/apis/scheduling/validation. */
import { FieldError } from '../../../machinery/errors/status-error';
import { immutableField } from '../../../machinery/validation/common';
import { HIGHEST_USER_DEFINABLE_PRIORITY, SYSTEM_PRIORITY_CLASS_PREFIX, systemPriorityClasses, type PriorityClass } from './priorityclass.types';

export const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'];

/** IsKnownSystemPriorityClass: undefined when it is one, else why not. */
function systemClassProblem(pc: PriorityClass): string | undefined {
  const known = systemPriorityClasses().find((s) => s.metadata.name === pc.metadata.name);
  if (!known) return `${pc.metadata.name} is not a known system priority class`;
  if (known.value !== pc.value) return `value of ${known.metadata.name} PriorityClass must be ${known.value}`;
  if (!!known.globalDefault !== !!pc.globalDefault) return `globalDefault of ${known.metadata.name} PriorityClass must be ${!!known.globalDefault}`;
  return undefined;
}

export function validatePriorityClass(pc: PriorityClass): FieldError[] {
  const errors: FieldError[] = [];
  const name = pc.metadata.name ?? '';
  if (name.startsWith(SYSTEM_PRIORITY_CLASS_PREFIX)) {
    const problem = systemClassProblem(pc);
    if (problem) errors.push(FieldError.forbidden('metadata.name', `priority class names with '${SYSTEM_PRIORITY_CLASS_PREFIX}' prefix are reserved for system use only. error: ${problem}`));
  } else if ((pc.value ?? 0) > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errors.push(FieldError.forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  if (pc.preemptionPolicy !== undefined && !PREEMPTION_POLICIES.includes(pc.preemptionPolicy)) {
    errors.push(FieldError.notSupported('preemptionPolicy', pc.preemptionPolicy, PREEMPTION_POLICIES));
  }
  return errors;
}

/** The value and the preemption policy are fixed at creation. */
export function validatePriorityClassUpdate(pc: PriorityClass, old: PriorityClass): FieldError[] {
  const errors: FieldError[] = [];
  if (pc.value !== old.value) errors.push(FieldError.forbidden('value', 'may not be changed in an update.'));
  errors.push(...immutableField(pc.preemptionPolicy, old.preemptionPolicy, 'preemptionPolicy'));
  return errors;
}
