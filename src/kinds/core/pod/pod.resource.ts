import { dns1123LabelErrors } from '../../../machinery/validation/names';
import { defineResource } from '../../../registry/resource-type';
import { admitPod } from './pod.admission';
import { evictionAction } from '../../policy/eviction/pod.eviction';
import { bindingAction } from './pod.binding';
import { applyPodDefaults, computeQosClass } from './pod.defaults';
import { podTable, primaryPodIP } from './pod.table';
import type { Pod, PodCondition } from './pod.types';
import { validatePodUpdateRules } from './pod.update';
import { validatePodCreate, validatePodSpec } from './pod.validation';

export type { Pod } from './pod.types';

/** A gated pod shows why it is not being scheduled (applySchedulingGatedCondition). */
function schedulingGatedCondition(pod: Pod): PodCondition[] | undefined {
  if (!pod.spec?.schedulingGates?.length) return undefined;
  return [{ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: null, reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' }];
}

export const podResource = defineResource<Pod>({
  group: '',
  version: 'v1',
  kind: 'Pod',
  plural: 'pods',
  singular: 'pod',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  definition: 'io.k8s.api.core.v1.Pod',
  statusSubresource: true,
  actions: { binding: bindingAction, eviction: evictionAction },
  connect: {
    log: { kind: 'Pod', verbs: ['get'] },
    exec: { kind: 'PodExecOptions', verbs: ['create', 'get'] },
    attach: { kind: 'PodAttachOptions', verbs: ['create', 'get'] },
  },
  returnDeletedObject: true,
  // Pods carry metadata.generation (bumped on spec changes) since Kubernetes 1.33.
  generationFields: ['spec'],

  applyDefaults: applyPodDefaults,
  admit: admitPod,

  prepareForCreate(pod) {
    // The status is the server's: a new pod is Pending, with the QoS class its resources imply.
    const conditions = schedulingGatedCondition(pod);
    pod.status = { phase: 'Pending', ...(conditions ? { conditions } : {}), qosClass: computeQosClass(pod.spec) };
  },

  prepareForUpdate(pod, old) {
    pod.status = old.status;
  },

  validate: validatePodCreate,
  validateUpdate: (pod, old) => [...validatePodSpec(pod), ...validatePodUpdateRules(pod, old)],

  // A pod on a node is stopped by its kubelet within the grace period, which then removes it; an
  // unscheduled or finished pod has nothing to stop.
  gracePeriodOnDelete(pod, requested) {
    if (!pod.spec?.nodeName || pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') return 0;
    return requested ?? pod.spec.terminationGracePeriodSeconds ?? 0;
  },

  warnings(pod) {
    const problems = dns1123LabelErrors(pod.metadata.name ?? '');
    if (!pod.metadata.name || problems.length === 0) return [];
    return [`metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [${problems.join(' ')}]`];
  },

  selectableFields: (pod) => ({
    'spec.nodeName': pod.spec?.nodeName ?? '',
    'spec.restartPolicy': pod.spec?.restartPolicy ?? '',
    'spec.schedulerName': pod.spec?.schedulerName ?? '',
    'spec.serviceAccountName': pod.spec?.serviceAccountName ?? '',
    'spec.hostNetwork': String(pod.spec?.hostNetwork === true),
    'status.phase': pod.status?.phase ?? '',
    'status.podIP': primaryPodIP(pod),
    'status.nominatedNodeName': pod.status?.nominatedNodeName ?? '',
  }),

  table: podTable,
});
