/**
 * The HPA's replica calculator (pkg/controller/podautoscaler/replica_calculator.go and metrics/):
 * from per-pod usage and requests to a proposed replica count, with the tolerance, the handling of
 * pods that are not ready yet or report no metrics, and the same integer arithmetic as upstream.
 */
import { parseQuantity, type Quantity } from '../../../machinery/quantity/quantity';
import type { Pod } from '../../core/pod/pod.types';
import type { PodMetrics } from '../../metrics.k8s.io/metrics.types';
import { readyCondition } from '../../apps/replicaset/replica-manager';

/** --horizontal-pod-autoscaler-tolerance. */
export const TOLERANCE = 0.1;
/** --horizontal-pod-autoscaler-cpu-initialization-period. */
export const CPU_INITIALIZATION_PERIOD_MS = 5 * 60_000;
/** --horizontal-pod-autoscaler-initial-readiness-delay. */
export const INITIAL_READINESS_DELAY_MS = 30_000;

export interface PodMetric {
  /** Milli-units (millicores for CPU). */
  value: number;
  timestamp: number;
  windowMs: number;
}

/** By pod name, as PodMetricsInfo. */
export type PodMetricsInfo = Map<string, PodMetric>;

/** Quantity.MilliValue(): rounded up to a whole milli-unit. */
export function milliValue(q: Quantity): number {
  const scaled = q.numerator * 1000n;
  const unit = q.scale >= 0 ? 10n ** BigInt(q.scale) : 1n;
  const whole = q.scale >= 0 ? scaled / unit + (scaled % unit === 0n ? 0n : 1n) : scaled * 10n ** BigInt(-q.scale);
  return (q.negative ? -1 : 1) * Number(whole);
}

/** A Go duration as metrics-server writes the window ("15s", "1m0s", "500ms"). */
export function parseGoDuration(text: string | undefined): number {
  if (!text) return 0;
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, 'µs': 0.001, ns: 0.000001 };
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/([0-9.]+)(h|ms|m|s|us|µs|ns)/g)) total += Number(amount) * units[unit];
  return total;
}

/**
 * getPodMetrics / getContainerMetrics: each pod's usage summed over its containers (a pod missing the
 * resource in any container is left out), or the usage of one named container, which every pod's
 * metrics must list.
 */
export function podMetricsInfo(items: readonly PodMetrics[], resource: string, container?: string): PodMetricsInfo {
  const info: PodMetricsInfo = new Map();
  for (const m of items) {
    const sample = (value: number): PodMetric => ({ value, timestamp: Date.parse(m.timestamp), windowMs: parseGoDuration(m.window) });
    if (container !== undefined) {
      const found = m.containers.find((c) => c.name === container);
      if (!found) throw new Error(`failed to get container metrics: container ${container} not present in metrics for pod ${m.metadata.namespace}/${m.metadata.name}`);
      const q = parseQuantity(found.usage[resource]);
      if (q) info.set(m.metadata.name!, sample(milliValue(q)));
      continue;
    }
    let sum = 0;
    let missing = m.containers.length === 0;
    for (const c of m.containers) {
      const q = parseQuantity(c.usage[resource]);
      if (!q) {
        missing = true;
        break;
      }
      sum += milliValue(q);
    }
    if (!missing) info.set(m.metadata.name!, sample(sum));
  }
  return info;
}

interface PodGroups {
  readyPodCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

/** groupPods: which pods count, which are not ready yet (CPU only), which report nothing, which are going away. */
export function groupPods(pods: readonly Pod[], metrics: PodMetricsInfo, resource: string, now: number): PodGroups {
  const groups: PodGroups = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    const name = pod.metadata.name!;
    if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Failed') {
      groups.ignored.add(name);
      continue;
    }
    if (pod.status?.phase === 'Pending') {
      groups.unready.add(name);
      continue;
    }
    const metric = metrics.get(name);
    if (!metric) {
      groups.missing.add(name);
      continue;
    }
    if (resource === 'cpu') {
      const condition = readyCondition(pod);
      const startTime = pod.status?.startTime ? Date.parse(pod.status.startTime) : undefined;
      let unready: boolean;
      if (!condition || startTime === undefined) {
        unready = true;
      } else {
        const transition = Date.parse(condition.lastTransitionTime ?? '') || 0;
        if (startTime + CPU_INITIALIZATION_PERIOD_MS > now) {
          // Still starting: a sample counts only once a whole window was measured since it became ready.
          unready = condition.status === 'False' || metric.timestamp < transition + metric.windowMs;
        } else {
          unready = condition.status === 'False' && startTime + INITIAL_READINESS_DELAY_MS > transition;
        }
      }
      if (unready) {
        groups.unready.add(name);
        continue;
      }
    }
    groups.readyPodCount++;
  }
  return groups;
}

/** calculateRequests: each pod's request of the resource, summed over its containers (and sidecars), or of the named container. */
export function podRequests(pods: readonly Pod[], resource: string, container?: string): Map<string, number> {
  const requests = new Map<string, number>();
  for (const pod of pods) {
    const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
    let sum = 0;
    for (const c of containers) {
      if (container !== undefined && c.name !== container) continue;
      const q = parseQuantity(c.resources?.requests?.[resource]);
      if (!q || q.numerator === 0n) throw new Error(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name}`);
      sum += milliValue(q);
    }
    requests.set(pod.metadata.name!, sum);
  }
  return requests;
}

/** GetResourceUtilizationRatio: usage over requests of the pods that have both, in whole percent. */
export function resourceUtilizationRatio(metrics: PodMetricsInfo, requests: Map<string, number>, targetUtilization: number): { ratio: number; utilization: number; rawAverage: number } {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let entries = 0;
  for (const [name, metric] of metrics) {
    const request = requests.get(name);
    if (request === undefined) continue;
    metricsTotal += metric.value;
    requestsTotal += request;
    entries++;
  }
  if (requestsTotal === 0) throw new Error('no metrics returned matched known pods');
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return { ratio: utilization / targetUtilization, utilization, rawAverage: Math.trunc(metricsTotal / entries) };
}

/** GetMetricUsageRatio: the average per pod against the target. */
function metricUsageRatio(metrics: PodMetricsInfo, target: number): { ratio: number; usage: number } {
  let total = 0;
  for (const metric of metrics.values()) total += metric.value;
  const usage = Math.trunc(total / metrics.size);
  return { ratio: usage / target, usage };
}

const withinTolerance = (ratio: number) => Math.abs(1 - ratio) <= TOLERANCE;

function removeAll(metrics: PodMetricsInfo, names: Set<string>): void {
  for (const name of names) metrics.delete(name);
}

export interface UtilizationProposal {
  replicas: number;
  /** Whole percent of the request. */
  utilization: number;
  /** Average usage per pod, milli-units. */
  rawUtilization: number;
}

/** GetResourceReplicas: the replica count that brings average utilization to the target. */
export function resourceReplicas(
  currentReplicas: number,
  targetUtilization: number,
  resource: string,
  pods: readonly Pod[],
  metricsIn: PodMetricsInfo,
  now: number,
  container?: string,
): UtilizationProposal {
  if (pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
  const metrics: PodMetricsInfo = new Map(metricsIn);
  const { readyPodCount, unready, missing, ignored } = groupPods(pods, metrics, resource, now);
  removeAll(metrics, ignored);
  removeAll(metrics, unready);
  if (metrics.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const requests = podRequests(pods, resource, container);
  const { ratio, utilization, rawAverage } = resourceUtilizationRatio(metrics, requests, targetUtilization);
  const result = (replicas: number): UtilizationProposal => ({ replicas, utilization, rawUtilization: rawAverage });
  const scaleUpWithUnready = unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && missing.size === 0) {
    if (withinTolerance(ratio)) return result(currentReplicas);
    return result(Math.ceil(ratio * readyPodCount));
  }
  // Pods without metrics count as fully busy on the way down and idle on the way up; pods still
  // starting count as idle on the way up.
  if (missing.size > 0) {
    if (ratio < 1) for (const name of missing) metrics.set(name, { value: requests.get(name) ?? 0, timestamp: now, windowMs: 0 });
    else if (ratio > 1) for (const name of missing) metrics.set(name, { value: 0, timestamp: now, windowMs: 0 });
  }
  if (scaleUpWithUnready) for (const name of unready) metrics.set(name, { value: 0, timestamp: now, windowMs: 0 });
  const rebalanced = resourceUtilizationRatio(metrics, requests, targetUtilization).ratio;
  if (withinTolerance(rebalanced) || (ratio < 1 && rebalanced > 1) || (ratio > 1 && rebalanced < 1)) return result(currentReplicas);
  const replicas = Math.ceil(rebalanced * metrics.size);
  if ((rebalanced < 1 && replicas > currentReplicas) || (rebalanced > 1 && replicas < currentReplicas)) return result(currentReplicas);
  return result(replicas);
}

/** calcPlainMetricReplicas (GetRawResourceReplicas): a target average value per pod instead of a percentage. */
export function rawResourceReplicas(currentReplicas: number, targetMilli: number, resource: string, pods: readonly Pod[], metricsIn: PodMetricsInfo, now: number): { replicas: number; usage: number } {
  if (pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
  const metrics: PodMetricsInfo = new Map(metricsIn);
  const { readyPodCount, unready, missing, ignored } = groupPods(pods, metrics, resource, now);
  removeAll(metrics, ignored);
  removeAll(metrics, unready);
  if (metrics.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const { ratio, usage } = metricUsageRatio(metrics, targetMilli);
  const scaleUpWithUnready = unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && missing.size === 0) {
    if (withinTolerance(ratio)) return { replicas: currentReplicas, usage };
    return { replicas: Math.ceil(ratio * readyPodCount), usage };
  }
  if (missing.size > 0) {
    for (const name of missing) metrics.set(name, { value: ratio < 1 ? targetMilli : 0, timestamp: now, windowMs: 0 });
  }
  if (scaleUpWithUnready) for (const name of unready) metrics.set(name, { value: 0, timestamp: now, windowMs: 0 });
  const rebalanced = metricUsageRatio(metrics, targetMilli).ratio;
  if (withinTolerance(rebalanced) || (ratio < 1 && rebalanced > 1) || (ratio > 1 && rebalanced < 1)) return { replicas: currentReplicas, usage };
  const replicas = Math.ceil(rebalanced * metrics.size);
  if ((rebalanced < 1 && replicas > currentReplicas) || (rebalanced > 1 && replicas < currentReplicas)) return { replicas: currentReplicas, usage };
  return { replicas, usage };
}
