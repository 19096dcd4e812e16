/**
 * autoscaling/v1 ↔ autoscaling/v2 HorizontalPodAutoscaler, as the real server converts them through
 * its internal version (pkg/apis/autoscaling/v1/conversion.go): v1 carries CPU utilization only, so
 * everything else a v2 object holds travels in annotations of the v1 view and is lifted back out
 * when a v1 object is written. The annotations use the old v2beta1-style metric shapes of the v1
 * API package, and the behavior is written with Go's field names, as the real server does.
 */
import type { LabelSelectorObject } from '../../../machinery/selectors/label-selector';
import {
  DEFAULT_CPU_UTILIZATION,
  type CrossVersionObjectReference,
  type HorizontalPodAutoscaler,
  type HorizontalPodAutoscalerBehavior,
  type HorizontalPodAutoscalerCondition,
  type HorizontalPodAutoscalerV1,
  type HPAScalingRules,
  type MetricSpec,
  type MetricStatus,
} from './hpa.types';

export const METRIC_SPECS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
export const METRIC_STATUSES_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
export const BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';
/** The annotations that hold v2-only status; a v1 main-resource write may not change them. */
export const STATUS_ANNOTATIONS = [METRIC_STATUSES_ANNOTATION, CONDITIONS_ANNOTATION];

type Json = Record<string, unknown>;

/** Drops undefined members, so the JSON text lists only what Go's omitempty would keep. */
function compact<T extends Json>(obj: T): T {
  for (const key of Object.keys(obj)) if (obj[key] === undefined) delete obj[key];
  return obj;
}

function referenceV1(ref: CrossVersionObjectReference | undefined): Json {
  return compact({ kind: ref?.kind ?? '', name: ref?.name ?? '', apiVersion: ref?.apiVersion || undefined });
}

function metricSpecToV1(metric: MetricSpec): Json {
  const out: Json = { type: metric.type ?? '' };
  if (metric.object) {
    out.object = compact({
      target: referenceV1(metric.object.describedObject),
      metricName: metric.object.metric?.name ?? '',
      targetValue: metric.object.target?.value ?? '0',
      selector: metric.object.metric?.selector,
      averageValue: metric.object.target?.averageValue,
    });
  }
  if (metric.pods) {
    out.pods = compact({ metricName: metric.pods.metric?.name ?? '', targetAverageValue: metric.pods.target?.averageValue ?? '0', selector: metric.pods.metric?.selector });
  }
  if (metric.resource) {
    out.resource = compact({
      name: metric.resource.name ?? '',
      targetAverageUtilization: metric.resource.target?.averageUtilization,
      targetAverageValue: metric.resource.target?.averageValue,
    });
  }
  if (metric.containerResource) {
    out.containerResource = compact({
      name: metric.containerResource.name ?? '',
      targetAverageUtilization: metric.containerResource.target?.averageUtilization,
      targetAverageValue: metric.containerResource.target?.averageValue,
      container: metric.containerResource.container ?? '',
    });
  }
  if (metric.external) {
    out.external = compact({
      metricName: metric.external.metric?.name ?? '',
      metricSelector: metric.external.metric?.selector,
      targetValue: metric.external.target?.value,
      targetAverageValue: metric.external.target?.averageValue,
    });
  }
  return out;
}

function metricStatusToV1(metric: MetricStatus): Json {
  const out: Json = { type: metric.type ?? '' };
  if (metric.object) {
    out.object = compact({
      target: referenceV1(metric.object.describedObject),
      metricName: metric.object.metric?.name ?? '',
      currentValue: metric.object.current?.value ?? '0',
      selector: metric.object.metric?.selector,
      averageValue: metric.object.current?.averageValue,
    });
  }
  if (metric.pods) {
    out.pods = compact({ metricName: metric.pods.metric?.name ?? '', currentAverageValue: metric.pods.current?.averageValue ?? '0', selector: metric.pods.metric?.selector });
  }
  if (metric.resource) {
    out.resource = compact({
      name: metric.resource.name ?? '',
      currentAverageUtilization: metric.resource.current?.averageUtilization,
      currentAverageValue: metric.resource.current?.averageValue ?? '0',
    });
  }
  if (metric.containerResource) {
    out.containerResource = compact({
      name: metric.containerResource.name ?? '',
      currentAverageUtilization: metric.containerResource.current?.averageUtilization,
      currentAverageValue: metric.containerResource.current?.averageValue ?? '0',
      container: metric.containerResource.container ?? '',
    });
  }
  if (metric.external) {
    out.external = compact({
      metricName: metric.external.metric?.name ?? '',
      metricSelector: metric.external.metric?.selector,
      currentValue: metric.external.current?.value ?? '0',
      currentAverageValue: metric.external.current?.averageValue,
    });
  }
  return out;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
const obj = (value: unknown): Json | undefined => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined);
const selectorOf = (value: unknown): LabelSelectorObject | undefined => obj(value) as LabelSelectorObject | undefined;

function identifier(name: unknown, selector: unknown): { name?: string; selector?: LabelSelectorObject } {
  return compact({ name: str(name) ?? '', selector: selectorOf(selector) });
}

function referenceV2(value: unknown): CrossVersionObjectReference {
  const ref = obj(value) ?? {};
  return compact({ kind: str(ref.kind) ?? '', name: str(ref.name) ?? '', apiVersion: str(ref.apiVersion) });
}

function metricSpecFromV1(value: unknown): MetricSpec {
  const metric = obj(value) ?? {};
  const out: MetricSpec = { type: str(metric.type) ?? '' };
  const object = obj(metric.object);
  if (object) {
    const averageValue = str(object.averageValue);
    out.object = {
      describedObject: referenceV2(object.target),
      metric: identifier(object.metricName, object.selector),
      target: compact({ type: averageValue === undefined ? 'Value' : 'AverageValue', value: str(object.targetValue) ?? '0', averageValue }),
    };
  }
  const pods = obj(metric.pods);
  if (pods) out.pods = { metric: identifier(pods.metricName, pods.selector), target: { type: 'AverageValue', averageValue: str(pods.targetAverageValue) ?? '0' } };
  for (const field of ['resource', 'containerResource'] as const) {
    const source = obj(metric[field]);
    if (!source) continue;
    const averageUtilization = num(source.targetAverageUtilization);
    const target = compact({ type: averageUtilization === undefined ? 'AverageValue' : 'Utilization', averageValue: str(source.targetAverageValue), averageUtilization });
    if (field === 'resource') out.resource = { name: str(source.name) ?? '', target };
    else out.containerResource = { name: str(source.name) ?? '', container: str(source.container) ?? '', target };
  }
  const external = obj(metric.external);
  if (external) {
    const targetValue = str(external.targetValue);
    out.external = {
      metric: identifier(external.metricName, external.metricSelector),
      target: compact({ type: targetValue === undefined ? 'AverageValue' : 'Value', value: targetValue, averageValue: str(external.targetAverageValue) }),
    };
  }
  return out;
}

function metricStatusFromV1(value: unknown): MetricStatus {
  const metric = obj(value) ?? {};
  const out: MetricStatus = { type: str(metric.type) ?? '' };
  const object = obj(metric.object);
  if (object) {
    out.object = {
      describedObject: referenceV2(object.target),
      metric: identifier(object.metricName, object.selector),
      current: compact({ value: str(object.currentValue) ?? '0', averageValue: str(object.averageValue) }),
    };
  }
  const pods = obj(metric.pods);
  if (pods) out.pods = { metric: identifier(pods.metricName, pods.selector), current: { averageValue: str(pods.currentAverageValue) ?? '0' } };
  for (const field of ['resource', 'containerResource'] as const) {
    const source = obj(metric[field]);
    if (!source) continue;
    const current = compact({ averageValue: str(source.currentAverageValue) ?? '0', averageUtilization: num(source.currentAverageUtilization) });
    if (field === 'resource') out.resource = { name: str(source.name) ?? '', current };
    else out.containerResource = { name: str(source.name) ?? '', container: str(source.container) ?? '', current };
  }
  const external = obj(metric.external);
  if (external) {
    out.external = {
      metric: identifier(external.metricName, external.metricSelector),
      current: compact({ value: str(external.currentValue) ?? '0', averageValue: str(external.currentAverageValue) }),
    };
  }
  return out;
}

/** The internal Go struct marshalled without json tags: capitalised field names, nil pointers as null. */
function rulesToGo(rules: HPAScalingRules | undefined): Json | null {
  if (!rules) return null;
  return {
    StabilizationWindowSeconds: rules.stabilizationWindowSeconds ?? null,
    SelectPolicy: rules.selectPolicy ?? null,
    Policies: rules.policies ? rules.policies.map((p) => ({ Type: p.type ?? '', Value: p.value ?? 0, PeriodSeconds: p.periodSeconds ?? 0 })) : null,
    Tolerance: rules.tolerance ?? null,
  };
}

/** Go's encoding/json matches field names case-insensitively; so does this. */
function field(source: Json, name: string): unknown {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(source)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

function rulesFromGo(value: unknown): HPAScalingRules | undefined {
  const rules = obj(value);
  if (!rules) return undefined;
  const policies = field(rules, 'Policies');
  return compact({
    stabilizationWindowSeconds: num(field(rules, 'StabilizationWindowSeconds')),
    selectPolicy: str(field(rules, 'SelectPolicy')),
    policies: Array.isArray(policies)
      ? policies.map((p) => {
          const policy = obj(p) ?? {};
          return { type: str(field(policy, 'Type')) ?? '', value: num(field(policy, 'Value')) ?? 0, periodSeconds: num(field(policy, 'PeriodSeconds')) ?? 0 };
        })
      : undefined,
    tolerance: str(field(rules, 'Tolerance')),
  });
}

function behaviorFromGo(text: string): HorizontalPodAutoscalerBehavior | undefined {
  const behavior = obj(parse(text));
  if (!behavior) return undefined;
  return compact({ scaleUp: rulesFromGo(field(behavior, 'ScaleUp')), scaleDown: rulesFromGo(field(behavior, 'ScaleDown')) });
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // The real server refuses the request; an annotation that does not parse is left where it is.
    return undefined;
  }
}

const isCpuUtilization = (metric: MetricSpec) => metric.type === 'Resource' && metric.resource?.name === 'cpu' && metric.resource.target?.averageUtilization !== undefined;

/** The v1 view of a stored (v2) HorizontalPodAutoscaler. */
export function hpaToV1(hpa: HorizontalPodAutoscaler): HorizontalPodAutoscalerV1 {
  const { spec = {}, status = {}, ...rest } = hpa;
  const metrics = spec.metrics ?? [];
  const annotations: Record<string, string> = { ...(hpa.metadata.annotations ?? {}) };
  const otherMetrics = metrics.filter((m) => !isCpuUtilization(m));
  if (otherMetrics.length) annotations[METRIC_SPECS_ANNOTATION] = JSON.stringify(otherMetrics.map(metricSpecToV1));
  if (status.currentMetrics?.length) annotations[METRIC_STATUSES_ANNOTATION] = JSON.stringify(status.currentMetrics.map(metricStatusToV1));
  if (spec.behavior) annotations[BEHAVIOR_ANNOTATION] = JSON.stringify({ ScaleUp: rulesToGo(spec.behavior.scaleUp), ScaleDown: rulesToGo(spec.behavior.scaleDown) });
  if (status.conditions?.length) {
    annotations[CONDITIONS_ANNOTATION] = JSON.stringify(
      status.conditions.map((c) => compact({ type: c.type, status: c.status, lastTransitionTime: c.lastTransitionTime, reason: c.reason || undefined, message: c.message || undefined })),
    );
  }
  const cpuMetric = metrics.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');
  let currentCPU: number | undefined;
  for (const m of status.currentMetrics ?? []) {
    if (m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.current?.averageUtilization !== undefined) currentCPU = m.resource.current.averageUtilization;
  }
  return {
    ...rest,
    metadata: { ...hpa.metadata, ...(Object.keys(annotations).length ? { annotations } : {}) },
    spec: compact({
      scaleTargetRef: spec.scaleTargetRef,
      minReplicas: spec.minReplicas,
      maxReplicas: spec.maxReplicas,
      targetCPUUtilizationPercentage: cpuMetric?.resource?.target?.averageUtilization,
    }),
    status: compact({
      observedGeneration: status.observedGeneration,
      lastScaleTime: status.lastScaleTime,
      currentReplicas: status.currentReplicas ?? 0,
      desiredReplicas: status.desiredReplicas ?? 0,
      currentCPUUtilizationPercentage: currentCPU,
    }),
  };
}

/** The stored (v2) form of a v1 HorizontalPodAutoscaler, its annotations lifted back into spec and status. */
export function hpaFromV1(v1: HorizontalPodAutoscalerV1): HorizontalPodAutoscaler {
  const { spec = {}, status, ...rest } = v1;
  const annotations: Record<string, string> = { ...(v1.metadata.annotations ?? {}) };
  const take = (key: string): unknown => {
    const text = annotations[key];
    if (text === undefined) return undefined;
    const parsed = parse(text);
    if (parsed !== undefined) delete annotations[key];
    return parsed;
  };
  let metrics: MetricSpec[] = [];
  if (spec.targetCPUUtilizationPercentage !== undefined) {
    metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } }];
  }
  const otherMetrics = take(METRIC_SPECS_ANNOTATION);
  // The CPU target goes after the annotation's metrics, as the real conversion appends it.
  if (Array.isArray(otherMetrics)) metrics = [...otherMetrics.map(metricSpecFromV1), ...metrics];
  if (!metrics.length) metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];

  let currentMetrics: MetricStatus[] | undefined;
  if (status?.currentCPUUtilizationPercentage !== undefined) {
    currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }];
  }
  const statusMetrics = take(METRIC_STATUSES_ANNOTATION);
  if (Array.isArray(statusMetrics)) currentMetrics = statusMetrics.map(metricStatusFromV1);
  let behavior: HorizontalPodAutoscalerBehavior | undefined;
  if (annotations[BEHAVIOR_ANNOTATION] !== undefined) {
    behavior = behaviorFromGo(annotations[BEHAVIOR_ANNOTATION]);
    if (behavior) delete annotations[BEHAVIOR_ANNOTATION];
  }
  const conditionsValue = take(CONDITIONS_ANNOTATION);
  const conditions = Array.isArray(conditionsValue)
    ? conditionsValue.map((value): HorizontalPodAutoscalerCondition => {
        const c = obj(value) ?? {};
        return compact({ type: str(c.type) ?? '', status: str(c.status) ?? '', lastTransitionTime: str(c.lastTransitionTime), reason: str(c.reason), message: str(c.message) });
      })
    : undefined;

  const metadata = { ...v1.metadata };
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  else delete metadata.annotations;
  return {
    ...rest,
    metadata,
    spec: compact({ scaleTargetRef: spec.scaleTargetRef, minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas, metrics, behavior }),
    ...(status
      ? {
          status: compact({
            observedGeneration: status.observedGeneration,
            lastScaleTime: status.lastScaleTime,
            currentReplicas: status.currentReplicas,
            desiredReplicas: status.desiredReplicas ?? 0,
            currentMetrics: currentMetrics ?? null,
            conditions,
          }),
        }
      : {}),
  };
}
