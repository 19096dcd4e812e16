import type { AdmissionContext } from '../../../registry/resource-type';
import { admitPodPriority } from '../../scheduling.k8s.io/priorityclass/priority.admission';
import type { Pod } from './pod.types';

/** Admission with nothing stored to consult (no PriorityClasses: priority 0). */
const NO_OBJECTS: AdmissionContext = { objectsOf: () => [] };

/** How long pods stay bound to a node that is not ready or unreachable before eviction. */
const DEFAULT_TOLERATION_SECONDS = 300;

const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';

/**
 * The mutating admission plugins a real API server runs on every new Pod: ServiceAccount
 * (serviceAccountName defaults to "default"), Priority (the priority and preemption policy of
 * the pod's PriorityClass, or of the default class; 0 and PreemptLowerPriority without one) and
 * DefaultTolerationSeconds (tolerate not-ready and unreachable nodes for 300 s).
 */
export function admitPod(pod: Pod, context: AdmissionContext = NO_OBJECTS): void {
  const spec = pod.spec;
  if (!spec) return;
  if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount || 'default';
  // The deprecated alias mirrors the real field, as the ServiceAccount plugin leaves it.
  spec.serviceAccount = spec.serviceAccountName;
  admitPodPriority(pod, context);
  const tolerations = (spec.tolerations ??= []);
  for (const key of [NOT_READY_TAINT, UNREACHABLE_TAINT]) {
    const covered = tolerations.some(
      (t) => (t.effect === 'NoExecute' || !t.effect) && (t.key === key || (!t.key && t.operator === 'Exists')),
    );
    if (!covered) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
  }
}
