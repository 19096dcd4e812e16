/** ValidateReplicaSet / ValidateReplicaSetUpdate / ValidateReplicaSetStatusUpdate of pkg/apis/apps/validation. */
import { FieldError } from '../../../machinery/errors/status-error';
import { immutableSelectorErrors, nonNegativeErrors, validateSelectorAndTemplate } from '../pod-template';
import type { ReplicaSet, ReplicaSetStatus } from './replicaset.types';

export function validateReplicaSet(rs: ReplicaSet): FieldError[] {
  const spec = rs.spec ?? {};
  return [
    ...nonNegativeErrors({ 'spec.replicas': spec.replicas, 'spec.minReadySeconds': spec.minReadySeconds }),
    ...validateSelectorAndTemplate(spec.selector, spec.template, 'spec'),
    ...validateReplicaSetStatus(rs.status),
  ];
}

export function validateReplicaSetUpdate(rs: ReplicaSet, old: ReplicaSet): FieldError[] {
  return [...validateReplicaSet(rs), ...immutableSelectorErrors(rs.spec?.selector, old.spec?.selector, 'spec.selector')];
}

/** The counters never go negative and never exceed status.replicas. */
export function validateReplicaSetStatus(status: ReplicaSetStatus | undefined): FieldError[] {
  if (!status) return [];
  const errors = nonNegativeErrors({
    'status.replicas': status.replicas,
    'status.fullyLabeledReplicas': status.fullyLabeledReplicas,
    'status.readyReplicas': status.readyReplicas,
    'status.availableReplicas': status.availableReplicas,
    'status.observedGeneration': status.observedGeneration,
  });
  const msg = 'cannot be greater than status.replicas';
  const replicas = status.replicas ?? 0;
  if ((status.fullyLabeledReplicas ?? 0) > replicas) errors.push(FieldError.invalid('status.fullyLabeledReplicas', status.fullyLabeledReplicas, msg));
  if ((status.readyReplicas ?? 0) > replicas) errors.push(FieldError.invalid('status.readyReplicas', status.readyReplicas, msg));
  if ((status.availableReplicas ?? 0) > replicas) errors.push(FieldError.invalid('status.availableReplicas', status.availableReplicas, msg));
  if ((status.availableReplicas ?? 0) > (status.readyReplicas ?? 0)) {
    errors.push(FieldError.invalid('status.availableReplicas', status.availableReplicas, 'cannot be greater than readyReplicas'));
  }
  return errors;
}
