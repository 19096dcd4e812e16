/** ValidateDeployment / ValidateDeploymentUpdate / ValidateDeploymentStatus of pkg/apis/apps/validation. */
import { FieldError, GoSyntax } from '../../../machinery/errors/status-error';
import { immutableSelectorErrors, nonNegativeErrors, validateSelectorAndTemplate } from '../pod-template';
import type { Deployment, DeploymentStatus, DeploymentStrategy, IntOrString } from './deployment.types';

const PERCENT = /^[0-9]+%$/;

/** ValidatePositiveIntOrPercent: a non-negative integer, or a percentage string. */
function intOrPercentErrors(value: IntOrString | undefined, path: string): FieldError[] {
  if (typeof value === 'string') {
    if (!PERCENT.test(value)) {
      return [FieldError.invalid(path, value, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")];
    }
    return [];
  }
  return nonNegativeErrors({ [path]: value });
}

function intOrPercentValue(value: IntOrString | undefined): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && PERCENT.test(value)) return Number(value.slice(0, -1));
  return 0;
}

function strategyErrors(strategy: DeploymentStrategy | undefined): FieldError[] {
  const path = 'spec.strategy';
  switch (strategy?.type) {
    case 'Recreate':
      return strategy.rollingUpdate ? [FieldError.forbidden(`${path}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'")] : [];
    case 'RollingUpdate': {
      const rolling = strategy.rollingUpdate;
      if (!rolling) return [FieldError.required(`${path}.rollingUpdate`, 'this should be defaulted and never be nil')];
      const errors = [...intOrPercentErrors(rolling.maxUnavailable, `${path}.rollingUpdate.maxUnavailable`), ...intOrPercentErrors(rolling.maxSurge, `${path}.rollingUpdate.maxSurge`)];
      if (intOrPercentValue(rolling.maxUnavailable) === 0 && intOrPercentValue(rolling.maxSurge) === 0) {
        errors.push(FieldError.invalid(`${path}.rollingUpdate.maxUnavailable`, rolling.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
      }
      if (typeof rolling.maxUnavailable === 'string' && intOrPercentValue(rolling.maxUnavailable) > 100) {
        errors.push(FieldError.invalid(`${path}.rollingUpdate.maxUnavailable`, rolling.maxUnavailable, 'must not be greater than 100%'));
      }
      return errors;
    }
    default: {
      const shown = new GoSyntax(`apps.DeploymentStrategy{Type:${JSON.stringify(strategy?.type ?? '')}, RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}`);
      return [FieldError.notSupported(path, shown, ['Recreate', 'RollingUpdate'])];
    }
  }
}

export function validateDeployment(deployment: Deployment): FieldError[] {
  const spec = deployment.spec ?? {};
  const errors = [
    ...nonNegativeErrors({ 'spec.replicas': spec.replicas }),
    ...validateSelectorAndTemplate(spec.selector, spec.template, 'spec'),
    ...strategyErrors(spec.strategy),
    ...nonNegativeErrors({ 'spec.minReadySeconds': spec.minReadySeconds, 'spec.revisionHistoryLimit': spec.revisionHistoryLimit }),
  ];
  if (typeof spec.progressDeadlineSeconds === 'number') {
    errors.push(...nonNegativeErrors({ 'spec.progressDeadlineSeconds': spec.progressDeadlineSeconds }));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      errors.push(FieldError.invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  return [...errors, ...validateDeploymentStatus(deployment.status)];
}

export function validateDeploymentUpdate(deployment: Deployment, old: Deployment): FieldError[] {
  return [...validateDeployment(deployment), ...immutableSelectorErrors(deployment.spec?.selector, old.spec?.selector, 'spec.selector')];
}

export function validateDeploymentStatus(status: DeploymentStatus | undefined): FieldError[] {
  if (!status) return [];
  const errors = nonNegativeErrors({
    'status.observedGeneration': status.observedGeneration,
    'status.replicas': status.replicas,
    'status.updatedReplicas': status.updatedReplicas,
    'status.readyReplicas': status.readyReplicas,
    'status.availableReplicas': status.availableReplicas,
    'status.unavailableReplicas': status.unavailableReplicas,
    'status.collisionCount': status.collisionCount,
  });
  const msg = 'cannot be greater than status.replicas';
  const replicas = status.replicas ?? 0;
  if ((status.updatedReplicas ?? 0) > replicas) errors.push(FieldError.invalid('status.updatedReplicas', status.updatedReplicas, msg));
  if ((status.readyReplicas ?? 0) > replicas) errors.push(FieldError.invalid('status.readyReplicas', status.readyReplicas, msg));
  if ((status.availableReplicas ?? 0) > replicas) errors.push(FieldError.invalid('status.availableReplicas', status.availableReplicas, msg));
  if ((status.availableReplicas ?? 0) > (status.readyReplicas ?? 0)) {
    errors.push(FieldError.invalid('status.availableReplicas', status.availableReplicas, 'cannot be greater than readyReplicas'));
  }
  return errors;
}
