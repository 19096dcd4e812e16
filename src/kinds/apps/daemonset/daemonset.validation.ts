/** ValidateDaemonSet / ValidateDaemonSetUpdate of pkg/apis/apps/validation. */
import { FieldError } from '../../../machinery/errors/status-error';
import { LabelSelector, labelSelectorFieldErrors } from '../../../machinery/selectors/label-selector';
import type { IntOrString } from '../deployment/deployment.types';
import { goLabelSelector, immutableSelectorErrors, nonNegativeErrors, validateReplicatedTemplate } from '../pod-template';
import type { DaemonSet, DaemonSetUpdateStrategy } from './daemonset.types';

const PERCENT = /^[0-9]+%$/;

function intOrPercentErrors(value: IntOrString | undefined, path: string): FieldError[] {
  if (typeof value === 'string') {
    if (!PERCENT.test(value)) {
      return [FieldError.invalid(path, value, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")];
    }
    if (Number(value.slice(0, -1)) > 100) return [FieldError.invalid(path, value, 'must not be greater than 100%')];
    return [];
  }
  return nonNegativeErrors({ [path]: value });
}

const isZero = (value: IntOrString | undefined) => value === undefined || value === 0 || value === '0%';

function strategyErrors(strategy: DaemonSetUpdateStrategy | undefined): FieldError[] {
  const path = 'spec.updateStrategy';
  switch (strategy?.type) {
    case 'OnDelete':
      return [];
    case 'RollingUpdate': {
      const rolling = strategy.rollingUpdate;
      if (!rolling) return [FieldError.required(`${path}.rollingUpdate`)];
      const errors = [...intOrPercentErrors(rolling.maxUnavailable, `${path}.rollingUpdate.maxUnavailable`), ...intOrPercentErrors(rolling.maxSurge, `${path}.rollingUpdate.maxSurge`)];
      if (isZero(rolling.maxUnavailable) && isZero(rolling.maxSurge)) {
        errors.push(FieldError.invalid(`${path}.rollingUpdate.maxUnavailable`, rolling.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
      }
      if (!isZero(rolling.maxUnavailable) && !isZero(rolling.maxSurge)) {
        errors.push(FieldError.invalid(`${path}.rollingUpdate.maxUnavailable`, rolling.maxUnavailable, 'may not be set when `maxSurge` is non-zero'));
      }
      return errors;
    }
    default:
      return [FieldError.notSupported(`${path}.type`, strategy?.type ?? '', ['OnDelete', 'RollingUpdate'])];
  }
}

export function validateDaemonSet(ds: DaemonSet): FieldError[] {
  const spec = ds.spec ?? {};
  const errors: FieldError[] = [];
  const selector = spec.selector;
  let parsed: LabelSelector | undefined;
  if (!selector || typeof selector !== 'object') {
    errors.push(FieldError.required('spec.selector'));
  } else {
    errors.push(...labelSelectorFieldErrors(selector, 'spec.selector'));
    try {
      parsed = LabelSelector.fromObject(selector);
    } catch {
      errors.push(FieldError.invalid('spec.selector', goLabelSelector(selector), 'invalid label selector'));
    }
    if (Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions?.length ?? 0) === 0) {
      errors.push(FieldError.invalid('spec.selector', goLabelSelector(selector), 'empty selector is invalid for daemonset'));
    }
  }
  if (parsed) errors.push(...validateReplicatedTemplate(spec.template, parsed, 'spec.template', 'DaemonSet'));
  errors.push(...nonNegativeErrors({ 'spec.minReadySeconds': spec.minReadySeconds, 'spec.revisionHistoryLimit': spec.revisionHistoryLimit }));
  errors.push(...strategyErrors(spec.updateStrategy));
  return errors;
}

export function validateDaemonSetUpdate(ds: DaemonSet, old: DaemonSet): FieldError[] {
  return [...validateDaemonSet(ds), ...immutableSelectorErrors(ds.spec?.selector, old.spec?.selector, 'spec.selector')];
}
