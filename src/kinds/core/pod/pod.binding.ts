import { FieldError, StatusError } from '../../../machinery/errors/status-error';
import type { KubeObject } from '../../../machinery/meta/types';
import type { SubresourceAction } from '../../../registry/resource-type';
import { formatTime } from '../../../simulation/clock';
import type { Pod, PodCondition } from './pod.types';

interface Binding extends KubeObject {
  target?: { kind?: string; name?: string };
}

const BINDING = { group: '', resource: 'pods/binding' };

/** Sets a condition as podutil.UpdatePodCondition does: the transition time moves only when the status changes. */
export function setPodCondition(pod: Pod, condition: PodCondition, now: Date): void {
  const status = (pod.status ??= {});
  const conditions = (status.conditions ??= []);
  const index = conditions.findIndex((c) => c.type === condition.type);
  const existing = index >= 0 ? conditions[index] : undefined;
  const transition = existing && existing.status === condition.status ? existing.lastTransitionTime : formatTime(now);
  const next: PodCondition = { type: condition.type, status: condition.status, lastProbeTime: condition.lastProbeTime ?? null, lastTransitionTime: transition };
  if (condition.reason) next.reason = condition.reason;
  if (condition.message) next.message = condition.message;
  if (index >= 0) conditions[index] = next;
  else conditions.push(next);
}

/**
 * pods/binding, what the scheduler posts: assigns an unassigned pod to a node, copies the
 * binding's annotations onto the pod and marks it PodScheduled.
 */
export const bindingAction: SubresourceAction<Pod> = {
  apiVersion: 'v1',
  kind: 'Binding',
  definition: 'io.k8s.api.core.v1.Binding',
  change(pod, request: Binding, now) {
    const name = pod.metadata.name ?? '';
    if (request.metadata?.name && request.metadata.name !== name) throw StatusError.badRequest('name in URL does not match name in Binding object');
    const errors: FieldError[] = [];
    const kind = request.target?.kind ?? '';
    if (kind !== '' && kind !== 'Node') errors.push(FieldError.notSupported('target.kind', kind, ['Node', '<empty>']));
    if (!request.target?.name) errors.push(FieldError.required('target.name'));
    if (errors.length) throw StatusError.invalid('', 'Binding', name, errors);
    if (request.metadata?.uid && request.metadata.uid !== pod.metadata.uid) {
      throw StatusError.conflict(BINDING, name, `Precondition failed: UID in precondition: ${request.metadata.uid}, UID in object meta: ${pod.metadata.uid}`);
    }
    if (pod.metadata.deletionTimestamp) throw StatusError.conflict(BINDING, name, `pod ${name} is being deleted, cannot be assigned to a host`);
    if (pod.spec?.nodeName) throw StatusError.conflict(BINDING, name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
    if (pod.spec?.schedulingGates?.length) throw StatusError.conflict(BINDING, name, `pod ${name} has non-empty .spec.schedulingGates`);
    (pod.spec ??= {}).nodeName = request.target!.name;
    const annotations = request.metadata?.annotations;
    if (annotations && Object.keys(annotations).length) pod.metadata.annotations = { ...pod.metadata.annotations, ...annotations };
    setPodCondition(pod, { type: 'PodScheduled', status: 'True' }, now);
  },
};
