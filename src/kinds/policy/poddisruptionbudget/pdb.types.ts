/** The wire shape of policy/v1 PodDisruptionBudget, as far as the strategy, reconciler and eviction read it. */
import type { KubeObject } from '../../../machinery/meta/types';
import type { LabelSelectorObject } from '../../../machinery/selectors/label-selector';

export const POLICY_GROUP = 'policy';

export interface Condition {
  type: string;
  status: string;
  observedGeneration?: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export interface PodDisruptionBudgetStatus {
  observedGeneration?: number;
  disruptedPods?: Record<string, string>;
  disruptionsAllowed?: number;
  currentHealthy?: number;
  desiredHealthy?: number;
  expectedPods?: number;
  conditions?: Condition[];
}

export interface PodDisruptionBudget extends KubeObject {
  spec?: {
    minAvailable?: number | string | null;
    maxUnavailable?: number | string | null;
    selector?: LabelSelectorObject | null;
    unhealthyPodEvictionPolicy?: string | null;
  };
  status?: PodDisruptionBudgetStatus;
}

export const DISRUPTION_ALLOWED_CONDITION = 'DisruptionAllowed';
export const UNHEALTHY_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

/**
 * pdbhelper.UpdateDisruptionAllowedCondition with meta.SetStatusCondition: DisruptionAllowed is True
 * (SufficientPods) while disruptions are allowed, else False (InsufficientPods, or the given
 * reason); the transition time moves only when the status does.
 */
export function setDisruptionAllowedCondition(status: PodDisruptionBudgetStatus, now: string, failure?: { reason: string; message: string }): void {
  const allowed = !failure && (status.disruptionsAllowed ?? 0) > 0;
  const conditions = (status.conditions ??= []);
  const next: Condition = {
    type: DISRUPTION_ALLOWED_CONDITION,
    status: allowed ? 'True' : 'False',
    observedGeneration: status.observedGeneration,
    lastTransitionTime: now,
    reason: failure?.reason ?? (allowed ? 'SufficientPods' : 'InsufficientPods'),
    message: failure?.message ?? '',
  };
  const index = conditions.findIndex((c) => c.type === DISRUPTION_ALLOWED_CONDITION);
  if (index < 0) {
    conditions.push(next);
    return;
  }
  const existing = conditions[index];
  if (existing.status === next.status) next.lastTransitionTime = existing.lastTransitionTime;
  if (next.observedGeneration === undefined) delete next.observedGeneration;
  conditions[index] = next;
}

/** intstr.GetScaledValueFromIntOrPercent: a count, or a percentage of `total`, rounded as asked. */
export function scaledValue(value: number | string, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const percent = Number(value.slice(0, -1));
  const scaled = (percent * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}
