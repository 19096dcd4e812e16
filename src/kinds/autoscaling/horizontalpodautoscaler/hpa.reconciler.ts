/**
 * The horizontal-pod-autoscaler controller (pkg/controller/podautoscaler/horizontal.go): every sync
 * period it reads the target's scale, computes the replicas each metric asks for from the resource
 * metrics API, stabilizes and limits the proposal (the downscale window, the scale-up limit or the
 * HPA's behavior), writes the new scale, and records what it saw in the HPA's status, conditions and
 * events. Recommendations and recent scale events live in memory, as they do upstream.
 */
import { CONTROLLER_WRITE } from '../../../controller-runtime/controller-ref';
import { EventRecorder } from '../../../controller-runtime/event-recorder';
import { defineReconciler, splitKey, type ReconcileResult } from '../../../controller-runtime/reconciler';
import { StatusError } from '../../../machinery/errors/status-error';
import { LabelSelector } from '../../../machinery/selectors/label-selector';
import { deepEqual, type GenericStore } from '../../../registry/generic-store';
import { defaultListOptions } from '../../../registry/list-options';
import type { ResourceRegistry } from '../../../registry/registry';
import { applyScale, SCALE_SUBRESOURCE, toScale, type Scale } from '../../../registry/scale';
import { formatTime, type Clock } from '../../../simulation/clock';
import type { Pod } from '../../core/pod/pod.types';
import type { PodMetrics } from '../../metrics.k8s.io/metrics.types';
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerStatus, HPAScalingRules, MetricSpec, MetricStatus } from './hpa.types';
import { milliValue, podMetricsInfo, rawResourceReplicas, resourceReplicas } from './replica-calculator';
import { parseQuantity } from '../../../machinery/quantity/quantity';

const COMPONENT = 'horizontal-pod-autoscaler';
/** --horizontal-pod-autoscaler-sync-period. */
export const HPA_SYNC_PERIOD_MS = 15_000;
/** --horizontal-pod-autoscaler-downscale-stabilization. */
export const DOWNSCALE_STABILIZATION_MS = 5 * 60_000;
const SCALE_UP_LIMIT_FACTOR = 2;
const SCALE_UP_LIMIT_MINIMUM = 4;

interface Recommendation {
  replicas: number;
  at: number;
}

interface ScaleEvent {
  change: number;
  at: number;
  outdated: boolean;
}

/**
 * A metric that could not be computed (getUnableComputeReplicaCountCondition): `reason` and `detail`
 * are the event it reports and the ScalingActive condition it leaves; the message is the error the
 * metric loop passes on.
 */
class MetricError extends Error {
  constructor(
    message: string,
    readonly reason: string,
    readonly detail: string,
  ) {
    super(message);
  }

  get conditionMessage(): string {
    return `the HPA was unable to compute the replica count: ${this.detail}`;
  }
}

const milliText = (milli: number): string => {
  if (milli % 1000 === 0) return String(milli / 1000);
  return `${milli}m`;
};

/** setConditionInList: the transition time moves only when the status does. */
function setCondition(status: HorizontalPodAutoscalerStatus, type: string, value: 'True' | 'False', reason: string, message: string, now: string): void {
  const conditions = (status.conditions ??= []);
  let condition = conditions.find((c) => c.type === type);
  if (!condition) {
    condition = { type, status: '' };
    conditions.push(condition);
  }
  if (condition.status !== value) condition.lastTransitionTime = now;
  condition.status = value;
  condition.reason = reason;
  condition.message = message;
}

export class HorizontalPodAutoscalerReconciler {
  readonly name = 'horizontal-pod-autoscaler';
  readonly watches = [{ group: 'autoscaling', kind: 'HorizontalPodAutoscaler' }];
  private readonly recorder: EventRecorder;
  private readonly recommendations = new Map<string, Recommendation[]>();
  private readonly scaleUpEvents = new Map<string, ScaleEvent[]>();
  private readonly scaleDownEvents = new Map<string, ScaleEvent[]>();
  /** The pod selector of each HPA's target as last seen, to find pods that two HPAs would scale. */
  private readonly selectors = new Map<string, { namespace: string | undefined; selector: LabelSelector }>();
  /** When each HPA is next due: changes to it wait for the sync period, as the upstream queue makes them. */
  private readonly nextSync = new Map<string, number>();

  constructor(
    private readonly registry: ResourceRegistry,
    private readonly clock: Clock,
  ) {
    this.recorder = new EventRecorder(registry, clock, { component: COMPONENT });
  }

  private get hpas(): GenericStore<HorizontalPodAutoscaler> {
    return this.registry.forKind<HorizontalPodAutoscaler>('autoscaling', 'HorizontalPodAutoscaler');
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const { namespace, name } = splitKey(key);
    const hpa = this.hpas.find(namespace, name)?.object as HorizontalPodAutoscaler | undefined;
    if (!hpa) {
      for (const map of [this.recommendations, this.scaleUpEvents, this.scaleDownEvents, this.nextSync, this.selectors]) map.delete(key);
      return;
    }
    const now = this.clock.now().getTime();
    const due = this.nextSync.get(key);
    if (due === undefined || now < due) {
      // A new HPA is first looked at one sync period after it appears, like every later change.
      if (due === undefined) this.nextSync.set(key, now + HPA_SYNC_PERIOD_MS);
      return { requeueAfterMs: (due ?? now + HPA_SYNC_PERIOD_MS) - now };
    }
    this.nextSync.set(key, now + HPA_SYNC_PERIOD_MS);
    await this.reconcileAutoscaler(structuredClone(hpa), key, now);
    return { requeueAfterMs: HPA_SYNC_PERIOD_MS };
  }

  private async reconcileAutoscaler(hpa: HorizontalPodAutoscaler, key: string, now: number): Promise<void> {
    const spec = hpa.spec ?? {};
    const status: HorizontalPodAutoscalerStatus = structuredClone(hpa.status ?? {});
    const original = structuredClone(hpa.status ?? {});
    const nowText = formatTime(new Date(now));
    const ref = spec.scaleTargetRef ?? {};

    let target: { store: GenericStore; scale: Scale };
    try {
      target = this.scaleOf(ref.apiVersion ?? '', ref.kind ?? '', hpa.metadata.namespace, ref.name ?? '');
    } catch (err) {
      const message = (err as Error).message;
      await this.recorder.record(hpa, 'Warning', 'FailedGetScale', message);
      setCondition(status, 'AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${message}`, nowText);
      await this.updateStatusIfNeeded(hpa, original, status);
      return;
    }
    setCondition(status, 'AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale", nowText);
    const currentReplicas = target.scale.spec?.replicas ?? 0;
    if (!this.recommendations.has(key)) this.recommendations.set(key, [{ replicas: currentReplicas, at: now }]);

    const minReplicas = spec.minReplicas ?? 1;
    const maxReplicas = spec.maxReplicas ?? 0;
    let desiredReplicas = 0;
    let rescaleReason = '';
    let rescale = true;
    let metricStatuses: MetricStatus[] | null = null;

    if (currentReplicas === 0 && minReplicas !== 0) {
      rescale = false;
      setCondition(status, 'ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero', nowText);
    } else if (currentReplicas > maxReplicas) {
      rescaleReason = 'Current number of replicas above Spec.MaxReplicas';
      desiredReplicas = maxReplicas;
    } else if (currentReplicas < minReplicas) {
      rescaleReason = 'Current number of replicas below Spec.MinReplicas';
      desiredReplicas = minReplicas;
    } else {
      const computed = await this.computeReplicasForMetrics(hpa, key, target.scale, spec.metrics ?? [], status, nowText, now);
      metricStatuses = computed.statuses;
      if (computed.error) {
        this.setStatus(status, currentReplicas, status.desiredReplicas ?? 0, metricStatuses, false, nowText);
        await this.updateStatusIfNeeded(hpa, original, status);
        await this.recorder.record(hpa, 'Warning', 'FailedComputeMetricsReplicas', computed.error);
        return;
      }
      desiredReplicas = Math.max(0, computed.replicas);
      if (desiredReplicas > currentReplicas) rescaleReason = `${computed.metric} above target`;
      if (desiredReplicas < currentReplicas) rescaleReason = 'All metrics below target';
      desiredReplicas = spec.behavior
        ? this.normalizeWithBehaviors(hpa, key, status, currentReplicas, desiredReplicas, minReplicas, now, nowText)
        : this.normalize(key, status, currentReplicas, desiredReplicas, minReplicas, maxReplicas, now, nowText);
      rescale = desiredReplicas !== currentReplicas;
    }

    if (rescale) {
      try {
        const declaration = target.store.type.scale!;
        await target.store.guaranteedUpdate(
          hpa.metadata.namespace,
          ref.name ?? '',
          (current) => applyScale(declaration, current, { metadata: {}, spec: { replicas: desiredReplicas } }),
          CONTROLLER_WRITE,
          SCALE_SUBRESOURCE,
        );
      } catch (err) {
        const message = (err as Error).message;
        await this.recorder.record(hpa, 'Warning', 'FailedRescale', `New size: ${desiredReplicas}; reason: ${rescaleReason}; error: ${message}`);
        setCondition(status, 'AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${message}`, nowText);
        this.setStatus(status, currentReplicas, status.desiredReplicas ?? 0, status.currentMetrics ?? null, false, nowText);
        await this.updateStatusIfNeeded(hpa, original, status);
        return;
      }
      setCondition(status, 'AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desiredReplicas}`, nowText);
      await this.recorder.record(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desiredReplicas}; reason: ${rescaleReason}`);
      this.storeScaleEvent(spec.behavior !== undefined, hpa, key, currentReplicas, desiredReplicas, now);
    } else {
      desiredReplicas = currentReplicas;
    }
    this.setStatus(status, currentReplicas, desiredReplicas, metricStatuses, rescale, nowText);
    await this.updateStatusIfNeeded(hpa, original, status);
  }

  /** The target's Scale through the registry's generic scale support, or the error the scale client would give. */
  private scaleOf(apiVersion: string, kind: string, namespace: string | undefined, name: string): { store: GenericStore; scale: Scale } {
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    if (apiVersion.split('/').length > 2) throw new Error(`unexpected GroupVersion string: ${apiVersion}`);
    let store: GenericStore;
    try {
      store = this.registry.forKind(group, kind);
    } catch {
      throw new Error(`no matches for kind "${kind}" in group "${group}"`);
    }
    if (!store.type.scale) throw new Error('the server could not find the requested resource');
    const obj = store.get(namespace, name);
    return { store, scale: toScale(store.type.scale, obj) };
  }

  /** computeReplicasForMetrics: the largest proposal of the metrics that could be computed. */
  private async computeReplicasForMetrics(
    hpa: HorizontalPodAutoscaler,
    key: string,
    scale: Scale,
    metrics: MetricSpec[],
    status: HorizontalPodAutoscalerStatus,
    nowText: string,
    now: number,
  ): Promise<{ replicas: number; metric: string; statuses: MetricStatus[] | null; error?: string }> {
    const selectorText = scale.status?.selector ?? '';
    if (!selectorText) {
      await this.recorder.record(hpa, 'Warning', 'SelectorRequired', 'selector is required');
      setCondition(status, 'ScalingActive', 'False', 'InvalidSelector', "the HPA target's scale is missing a selector", nowText);
      return { replicas: -1, metric: '', statuses: null, error: 'selector is required' };
    }
    let selector: LabelSelector;
    try {
      selector = LabelSelector.parse(selectorText);
    } catch (err) {
      const message = `couldn't convert selector into a corresponding internal selector object: ${(err as Error).message}`;
      await this.recorder.record(hpa, 'Warning', 'InvalidSelector', message);
      setCondition(status, 'ScalingActive', 'False', 'InvalidSelector', message, nowText);
      return { replicas: -1, metric: '', statuses: null, error: message };
    }
    const namespace = hpa.metadata.namespace;
    this.selectors.set(key, { namespace, selector });
    const pods = [...this.registry.forKind<Pod>('', 'Pod').cachedObjects(namespace)].filter((p) => selector.matches(p.metadata.labels));
    const selecting = this.hpasSelecting(namespace, pods);
    if (selecting.length > 1) {
      const message = `pods by selector ${selectorText} are controlled by multiple HPAs: [${selecting.join(' ')}]`;
      await this.recorder.record(hpa, 'Warning', 'AmbiguousSelector', message);
      setCondition(status, 'ScalingActive', 'False', 'AmbiguousSelector', message, nowText);
      return { replicas: -1, metric: '', statuses: null, error: message };
    }
    const specReplicas = scale.spec?.replicas ?? 0;
    const statuses: MetricStatus[] = metrics.map(() => ({ type: '' }));
    let replicas = -1;
    let metricName = '';
    let invalid = 0;
    let firstError: MetricError | undefined;
    for (const [i, metric] of metrics.entries()) {
      try {
        const proposal = await this.computeReplicasForMetric(metric, specReplicas, namespace, selector, pods, now);
        statuses[i] = proposal.status;
        if (replicas === -1 || proposal.replicas > replicas) {
          replicas = proposal.replicas;
          metricName = proposal.metric;
        }
      } catch (err) {
        if (!(err instanceof MetricError)) throw err;
        await this.recorder.record(hpa, 'Warning', err.reason, err.detail);
        firstError ??= err;
        invalid++;
      }
    }
    if (firstError && invalid >= metrics.length) {
      setCondition(status, 'ScalingActive', 'False', firstError.reason, firstError.conditionMessage, nowText);
      return { replicas: -1, metric: '', statuses, error: `invalid metrics (${invalid} invalid out of ${metrics.length}), first error is: ${firstError.message}` };
    }
    setCondition(status, 'ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${metricName}`, nowText);
    return { replicas, metric: metricName, statuses };
  }

  /** hpasControllingPodsUnderSelector: every HPA (namespace/name) whose target's selector takes one of these pods. */
  private hpasSelecting(namespace: string | undefined, pods: readonly Pod[]): string[] {
    const found: string[] = [];
    for (const [key, entry] of this.selectors) {
      if (entry.namespace === namespace && pods.some((p) => entry.selector.matches(p.metadata.labels))) found.push(key);
    }
    return found.sort();
  }

  private async computeReplicasForMetric(
    metric: MetricSpec,
    currentReplicas: number,
    namespace: string | undefined,
    selector: LabelSelector,
    pods: Pod[],
    now: number,
  ): Promise<{ replicas: number; metric: string; status: MetricStatus }> {
    const unable = (reason: string, detail: string, wrapped: string) => new MetricError(wrapped, reason, detail);
    switch (metric.type) {
      case 'Resource':
      case 'ContainerResource':
        return this.computeResourceMetric(metric, currentReplicas, namespace, selector, pods, now);
      case 'Pods':
      case 'Object': {
        // kubemu serves no custom metrics API; the controller says so as it does on a cluster without an adapter.
        const missingApi = 'unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered';
        const object = metric.object?.describedObject;
        // The object case keeps upstream's misplaced format arguments.
        const detail =
          metric.type === 'Pods'
            ? `unable to get metric ${metric.pods?.metric?.name ?? ''}: ${missingApi}`
            : `unable to get metric ${metric.object?.metric?.name ?? ''}: ${object?.kind ?? ''} on ${namespace} ${object?.name ?? ''}/${missingApi}`;
        throw unable(`FailedGet${metric.type}Metric`, detail, `failed to get ${metric.type.toLowerCase()} metric value: ${detail}`);
      }
      case 'External': {
        const name = metric.external?.metric?.name ?? '';
        const detail = `unable to get external metric ${namespace}/${name}/nil: unable to fetch metrics from external metrics API: the server could not find the requested resource (get ${name}.external.metrics.k8s.io)`;
        throw unable('FailedGetExternalMetric', detail, `failed to get external metric ${name}: ${detail}`);
      }
      default: {
        const message = `unknown metric source type "${metric.type ?? ''}"`;
        throw unable('InvalidMetricSourceType', message, message);
      }
    }
  }

  /** computeStatusForResourceMetric / ...ContainerResourceMetric: usage from the resource metrics API against the pods' requests. */
  private async computeResourceMetric(
    metric: MetricSpec,
    currentReplicas: number,
    namespace: string | undefined,
    selector: LabelSelector,
    pods: Pod[],
    now: number,
  ): Promise<{ replicas: number; metric: string; status: MetricStatus }> {
    const ofContainer = metric.type === 'ContainerResource';
    const source = (ofContainer ? metric.containerResource : metric.resource) ?? {};
    const container = ofContainer ? (metric.containerResource?.container ?? '') : undefined;
    const resource = source.name ?? '';
    const target = source.target ?? {};
    const kind = ofContainer ? 'container' : 'resource';
    const fail = (detail: string) =>
      new MetricError(`failed to get ${resource} ${kind} metric value: ${detail}`, ofContainer ? 'FailedGetContainerResourceMetric' : 'FailedGetResourceMetric', detail);
    const current = (value: { averageValue: string; averageUtilization?: number }): MetricStatus =>
      ofContainer ? { type: 'ContainerResource', containerResource: { name: resource, container, current: value } } : { type: 'Resource', resource: { name: resource, current: value } };
    const byValue = target.averageValue !== undefined;
    if (!byValue && target.averageUtilization === undefined) throw fail(`invalid ${kind} metric source: neither a utilization target nor a value target was set`);
    const what = byValue ? 'usage' : 'utilization';
    let info;
    try {
      const listed = await this.registry.forKind<PodMetrics>('metrics.k8s.io', 'PodMetrics').list(namespace, { ...defaultListOptions(), labelSelector: selector });
      const items = listed.items.map((entry) => entry.object as PodMetrics);
      if (items.length === 0) throw new Error('no metrics returned from resource metrics API');
      info = podMetricsInfo(items, resource, container);
    } catch (err) {
      throw fail(`failed to get ${resource} ${what}: unable to get metrics for resource ${resource}: ${(err as Error).message}`);
    }
    const name = `${resource}${ofContainer ? ' container' : ''} resource`;
    try {
      if (byValue) {
        const q = parseQuantity(target.averageValue);
        const proposal = rawResourceReplicas(currentReplicas, q ? milliValue(q) : 0, resource, pods, info, now);
        return { replicas: proposal.replicas, metric: name, status: current({ averageValue: milliText(proposal.usage) }) };
      }
      const proposal = resourceReplicas(currentReplicas, target.averageUtilization!, resource, pods, info, now, container);
      return {
        replicas: proposal.replicas,
        metric: `${name} utilization (percentage of request)`,
        status: current({ averageValue: milliText(proposal.rawUtilization), averageUtilization: proposal.utilization }),
      };
    } catch (err) {
      throw fail(`failed to get ${resource} ${what}: ${(err as Error).message}`);
    }
  }

  /** normalizeDesiredReplicas: the highest recommendation of the downscale window, then the scale-up limit and min/max. */
  private normalize(key: string, status: HorizontalPodAutoscalerStatus, current: number, proposed: number, min: number, max: number, now: number, nowText: string): number {
    const recommendations = this.recommendations.get(key) ?? [];
    let stabilized = proposed;
    let replaced = false;
    for (const rec of recommendations) {
      if (rec.at < now - DOWNSCALE_STABILIZATION_MS) {
        if (!replaced) {
          rec.replicas = proposed;
          rec.at = now;
          replaced = true;
        }
      } else if (rec.replicas > stabilized) stabilized = rec.replicas;
    }
    if (!replaced) recommendations.push({ replicas: proposed, at: now });
    this.recommendations.set(key, recommendations);
    if (stabilized !== proposed) {
      setCondition(status, 'AbleToScale', 'True', 'ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation', nowText);
    } else {
      setCondition(status, 'AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size', nowText);
    }
    const scaleUpLimit = Math.max(SCALE_UP_LIMIT_FACTOR * current, SCALE_UP_LIMIT_MINIMUM);
    let limited = { replicas: stabilized, reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
    const [maximum, maxReason, maxMessage] =
      max > scaleUpLimit
        ? [scaleUpLimit, 'ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate']
        : [max, 'TooManyReplicas', 'the desired replica count is more than the maximum replica count'];
    if (stabilized < min) limited = { replicas: min, reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
    else if (stabilized > maximum) limited = { replicas: maximum, reason: maxReason, message: maxMessage };
    setCondition(status, 'ScalingLimited', limited.replicas === stabilized ? 'False' : 'True', limited.reason, limited.message, nowText);
    return limited.replicas;
  }

  /** normalizeDesiredReplicasWithBehaviors: stabilization windows per direction, then the policies' rates and min/max. */
  private normalizeWithBehaviors(
    hpa: HorizontalPodAutoscaler,
    key: string,
    status: HorizontalPodAutoscalerStatus,
    current: number,
    proposed: number,
    min: number,
    now: number,
    nowText: string,
  ): number {
    const behavior = hpa.spec!.behavior!;
    const scaleUp: HPAScalingRules = behavior.scaleUp ?? {};
    const scaleDown: HPAScalingRules = { ...(behavior.scaleDown ?? {}) };
    scaleDown.stabilizationWindowSeconds ??= DOWNSCALE_STABILIZATION_MS / 1000;
    const max = hpa.spec?.maxReplicas ?? 0;

    // stabilizeRecommendationWithBehaviors: the current count, raised to the lowest recommendation of
    // the scale-up window and lowered to the highest of the scale-down window.
    const upWindowMs = (scaleUp.stabilizationWindowSeconds ?? 0) * 1000;
    const downWindowMs = (scaleDown.stabilizationWindowSeconds ?? 0) * 1000;
    const recommendations = this.recommendations.get(key) ?? [];
    let upLimit = proposed;
    let downLimit = proposed;
    let obsolete: Recommendation | undefined;
    for (const rec of recommendations) {
      if (rec.at > now - upWindowMs) upLimit = Math.min(rec.replicas, upLimit);
      if (rec.at > now - downWindowMs) downLimit = Math.max(rec.replicas, downLimit);
      if (rec.at < now - upWindowMs && rec.at < now - downWindowMs) obsolete = rec;
    }
    const stabilized = Math.min(Math.max(current, upLimit), downLimit);
    if (obsolete) {
      obsolete.replicas = proposed;
      obsolete.at = now;
    } else recommendations.push({ replicas: proposed, at: now });
    this.recommendations.set(key, recommendations);
    const up = proposed >= current;
    if (stabilized !== proposed) {
      const [reason, message] = up
        ? ['ScaleUpStabilized', 'recent recommendations were lower than current one, applying the lowest recent recommendation']
        : ['ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation'];
      setCondition(status, 'AbleToScale', 'True', reason, message, nowText);
    } else {
      setCondition(status, 'AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size', nowText);
    }

    // convertDesiredReplicasWithBehaviorRate
    let result = { replicas: stabilized, reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
    if (stabilized > current) {
      const limit = Math.max(current, this.scaleUpLimit(current, this.changes(key, now), scaleUp));
      const [maximum, reason, message] =
        max > limit
          ? [limit, 'ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate']
          : [max, 'TooManyReplicas', 'the desired replica count is more than the maximum replica count'];
      if (stabilized > maximum) result = { replicas: maximum, reason, message };
    } else if (stabilized < current) {
      const limit = Math.min(current, this.scaleDownLimit(current, this.changes(key, now), scaleDown));
      const [minimum, reason, message] =
        min < limit
          ? [limit, 'ScaleDownLimit', 'the desired replica count is decreasing faster than the maximum scale rate']
          : [min, 'TooFewReplicas', 'the desired replica count is less than the minimum replica count'];
      if (stabilized < minimum) result = { replicas: minimum, reason, message };
    }
    setCondition(status, 'ScalingLimited', result.replicas === stabilized ? 'False' : 'True', result.reason, result.message, nowText);
    return result.replicas;
  }

  /** getReplicasChangePerPeriod of both directions: the net change within a policy's period, by its length. */
  private changes(key: string, now: number): (periodSeconds: number) => number {
    const sum = (events: ScaleEvent[], periodSeconds: number) => events.reduce((total, e) => (e.at > now - periodSeconds * 1000 ? total + e.change : total), 0);
    return (periodSeconds) => sum(this.scaleUpEvents.get(key) ?? [], periodSeconds) - sum(this.scaleDownEvents.get(key) ?? [], periodSeconds);
  }

  /** calculateScaleUpLimitWithScalingRules: the most replicas the policies allow, counted from each period's start. */
  private scaleUpLimit(current: number, netChange: (periodSeconds: number) => number, rules: HPAScalingRules): number {
    if (rules.selectPolicy === 'Disabled') return current;
    const select = rules.selectPolicy === 'Min' ? Math.min : Math.max;
    let result = rules.selectPolicy === 'Min' ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
    for (const policy of rules.policies ?? []) {
      const periodStart = current - netChange(policy.periodSeconds ?? 0);
      const proposed = policy.type === 'Pods' ? periodStart + (policy.value ?? 0) : Math.ceil(periodStart * (1 + (policy.value ?? 0) / 100));
      result = select(result, proposed);
    }
    return result;
  }

  /** calculateScaleDownLimitWithBehaviors: the fewest replicas the policies allow. */
  private scaleDownLimit(current: number, netChange: (periodSeconds: number) => number, rules: HPAScalingRules): number {
    if (rules.selectPolicy === 'Disabled') return current;
    const select = rules.selectPolicy === 'Min' ? Math.max : Math.min;
    let result = rules.selectPolicy === 'Min' ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
    for (const policy of rules.policies ?? []) {
      const periodStart = current - netChange(policy.periodSeconds ?? 0);
      const proposed = policy.type === 'Pods' ? periodStart - (policy.value ?? 0) : Math.trunc(periodStart * (1 - (policy.value ?? 0) / 100));
      result = select(result, proposed);
    }
    return result;
  }

  /** storeScaleEvent: remembered only for HPAs with a behavior, whose policies limit rates per period. */
  private storeScaleEvent(hasBehavior: boolean, hpa: HorizontalPodAutoscaler, key: string, previous: number, next: number, now: number): void {
    if (!hasBehavior) return;
    const up = next > previous;
    const rules = (up ? hpa.spec?.behavior?.scaleUp : hpa.spec?.behavior?.scaleDown) ?? {};
    const longest = Math.max(0, ...(rules.policies ?? []).map((p) => p.periodSeconds ?? 0));
    const map = up ? this.scaleUpEvents : this.scaleDownEvents;
    const events = map.get(key) ?? [];
    for (const e of events) if (e.at < now - longest * 1000) e.outdated = true;
    const event = { change: Math.abs(next - previous), at: now, outdated: false };
    const reusable = events.findLastIndex((e) => e.outdated);
    if (reusable >= 0) events[reusable] = event;
    else events.push(event);
    map.set(key, events);
  }

  /** setStatus: the counts, the metric statuses and, after a rescale, the time. */
  private setStatus(status: HorizontalPodAutoscalerStatus, current: number, desired: number, metrics: MetricStatus[] | null, rescaled: boolean, nowText: string): void {
    const conditions = status.conditions;
    const lastScaleTime = rescaled ? nowText : status.lastScaleTime;
    for (const field of Object.keys(status) as (keyof HorizontalPodAutoscalerStatus)[]) delete status[field];
    if (lastScaleTime) status.lastScaleTime = lastScaleTime;
    if (current) status.currentReplicas = current;
    status.desiredReplicas = desired;
    status.currentMetrics = metrics;
    if (conditions?.length) status.conditions = conditions;
  }

  private async updateStatusIfNeeded(hpa: HorizontalPodAutoscaler, original: HorizontalPodAutoscalerStatus, status: HorizontalPodAutoscalerStatus): Promise<void> {
    if (deepEqual(original, status)) return;
    try {
      await this.hpas.guaranteedUpdate(
        hpa.metadata.namespace,
        hpa.metadata.name!,
        (current) => {
          // Only the object this status was computed for: a recreated HPA starts over.
          if (current.metadata.uid !== hpa.metadata.uid) throw StatusError.conflict(this.hpas.groupResource, hpa.metadata.name!, 'the object has been recreated');
          current.status = status;
          return current;
        },
        CONTROLLER_WRITE,
        'status',
      );
    } catch (err) {
      if (!(err instanceof StatusError)) throw err;
      await this.recorder.record(hpa, 'Warning', 'FailedUpdateStatus', err.message);
    }
  }
}

export const hpaReconciler = defineReconciler((registry, clock) => new HorizontalPodAutoscalerReconciler(registry, clock));
