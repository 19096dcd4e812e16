/** The wire shape of scheduling.k8s.io/v1 PriorityClass and the classes every cluster has. */
import type { KubeObject } from '../../../machinery/meta/types';

export const SCHEDULING_GROUP = 'scheduling.k8s.io';

export interface PriorityClass extends KubeObject {
  value?: number;
  globalDefault?: boolean;
  description?: string;
  preemptionPolicy?: string;
}

/** Names with this prefix belong to the system classes only. */
export const SYSTEM_PRIORITY_CLASS_PREFIX = 'system-';
/** The highest value a class that is not a system class may have. */
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
export const SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_DEFINABLE_PRIORITY;

/** The system classes the API server creates at start (scheduling.SystemPriorityClasses). */
export function systemPriorityClasses(): PriorityClass[] {
  const systemClass = (name: string, value: number, description: string): PriorityClass => ({
    apiVersion: `${SCHEDULING_GROUP}/v1`,
    kind: 'PriorityClass',
    metadata: { name },
    value,
    description,
  });
  return [
    systemClass('system-node-critical', SYSTEM_CRITICAL_PRIORITY + 1000, 'Used for system critical pods that must not be moved from their current node.'),
    systemClass('system-cluster-critical', SYSTEM_CRITICAL_PRIORITY, 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.'),
  ];
}

/** The class marked globalDefault, if any (the Priority admission plugin's getDefaultPriorityClass). */
export function defaultPriorityClassOf(classes: Iterable<KubeObject>): PriorityClass | undefined {
  let found: PriorityClass | undefined;
  for (const pc of classes as Iterable<PriorityClass>) {
    // Of several defaults (possible only by racing writes), the lowest value wins, as upstream picks.
    if (pc.globalDefault && (!found || (pc.value ?? 0) < (found.value ?? 0))) found = pc;
  }
  return found;
}
