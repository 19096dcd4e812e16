/**
 * The Priority admission plugin (plugin/pkg/admission/priority): a new pod's priority comes from
 * its PriorityClass (or the global default class), and only one class may be the global default.
 */
import { StatusError } from '../../../machinery/errors/status-error';
import type { AdmissionContext } from '../../../registry/resource-type';
import type { Pod } from '../../core/pod/pod.types';
import { defaultPriorityClassOf, SCHEDULING_GROUP, type PriorityClass } from './priorityclass.types';

const PODS = { group: '', resource: 'pods' };
const PRIORITY_CLASSES = { group: SCHEDULING_GROUP, resource: 'priorityclasses' };

/** Resolves spec.priority and spec.preemptionPolicy of a pod being created from its class. */
export function admitPodPriority(pod: Pod, context: AdmissionContext): void {
  const spec = pod.spec;
  if (!spec) return;
  const classes = [...context.objectsOf(SCHEDULING_GROUP, 'priorityclasses')] as PriorityClass[];
  let priority: number;
  let preemptionPolicy: string | undefined;
  if (!spec.priorityClassName) {
    const fallback = defaultPriorityClassOf(classes);
    if (fallback) {
      spec.priorityClassName = fallback.metadata.name;
      priority = fallback.value ?? 0;
      preemptionPolicy = fallback.preemptionPolicy;
    } else {
      // No default class: priority 0, preempting lower priorities.
      priority = 0;
      preemptionPolicy = 'PreemptLowerPriority';
    }
  } else {
    const found = classes.find((pc) => pc.metadata.name === spec.priorityClassName);
    if (!found) throw StatusError.forbidden(PODS, pod.metadata.name ?? '', `no PriorityClass with name ${spec.priorityClassName} was found`);
    priority = found.value ?? 0;
    preemptionPolicy = found.preemptionPolicy;
  }
  if (spec.priority !== undefined && spec.priority !== null && spec.priority !== priority) {
    throw StatusError.forbidden(
      PODS,
      pod.metadata.name ?? '',
      `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`,
    );
  }
  spec.priority = priority;
  if (preemptionPolicy) {
    if (spec.preemptionPolicy && spec.preemptionPolicy !== preemptionPolicy) {
      throw StatusError.forbidden(
        PODS,
        pod.metadata.name ?? '',
        `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${preemptionPolicy} from the given PriorityClass name`,
      );
    }
    spec.preemptionPolicy = preemptionPolicy;
  }
}

/** Only one class may be the global default: a second one, created or marked, is refused. */
export function admitPriorityClass(pc: PriorityClass, context: AdmissionContext, old?: PriorityClass): void {
  if (!pc.globalDefault) return;
  const others = ([...context.objectsOf(SCHEDULING_GROUP, 'priorityclasses')] as PriorityClass[]).filter((c) => !old || c.metadata.name !== pc.metadata.name);
  const existing = defaultPriorityClassOf(others);
  if (existing) {
    throw StatusError.forbidden(PRIORITY_CLASSES, pc.metadata.name ?? '', `PriorityClass ${existing.metadata.name} is already marked as default. Only one default can exist`);
  }
}
