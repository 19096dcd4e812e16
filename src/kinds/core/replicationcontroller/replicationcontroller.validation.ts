/** ValidateReplicationController / ValidateReplicationControllerUpdate of pkg/apis/core/validation. */
import { FieldError } from '../../../machinery/errors/status-error';
import { LabelSelector } from '../../../machinery/selectors/label-selector';
import { validateLabels } from '../../../machinery/validation/object-meta';
import { nonNegativeErrors, validateReplicatedTemplate } from '../../apps/pod-template';
import { validateReplicaSetStatus } from '../../apps/replicaset/replicaset.validation';
import type { ReplicationController } from './replicationcontroller.types';

export function validateReplicationController(rc: ReplicationController): FieldError[] {
  const spec = rc.spec ?? {};
  const selector = spec.selector ?? {};
  const errors = nonNegativeErrors({ 'spec.minReadySeconds': spec.minReadySeconds });
  // ValidateNonEmptySelector: a controller of every pod in the namespace is refused.
  if (Object.keys(selector).length === 0) errors.push(FieldError.required('spec.selector'));
  errors.push(...validateLabels(selector, 'spec.selector'));
  errors.push(...nonNegativeErrors({ 'spec.replicas': spec.replicas }));
  errors.push(...validateReplicatedTemplate(spec.template, LabelSelector.fromObject({ matchLabels: selector }), 'spec.template', 'ReplicationController'));
  return [...errors, ...validateReplicaSetStatus(rc.status)];
}
