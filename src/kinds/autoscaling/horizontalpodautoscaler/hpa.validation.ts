/**
 * ValidateHorizontalPodAutoscaler / ...Update / ...StatusUpdate of pkg/apis/autoscaling/validation,
 * run on the stored (v2) form whichever version was written, as the real server validates its
 * internal version: a v1 object's errors name v2 paths (spec.metrics[0].resource.target...).
 */
import { FieldError } from '../../../machinery/errors/status-error';
import { parseQuantity } from '../../../machinery/quantity/quantity';
import { goStringer } from '../../../machinery/validation/common';
import { dns1123LabelErrors } from '../../../machinery/validation/names';
import { pathSegmentNameErrors } from '../../../machinery/validation/object-meta';
import { containerResourceNameErrors } from '../../../machinery/validation/resources';
import type { CrossVersionObjectReference, HorizontalPodAutoscaler, HPAScalingRules, MetricIdentifier, MetricSpec, MetricTarget } from './hpa.types';

const MAX_PERIOD_SECONDS = 1800;
const MAX_STABILIZATION_WINDOW_SECONDS = 3600;
const SELECT_POLICIES = ['Disabled', 'Max', 'Min'];
const POLICY_TYPES = ['Percent', 'Pods'];
const METRIC_SOURCE_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
/** The lowest minReplicas without the HPAScaleToZero feature (alpha, off in 1.33). */
const MIN_REPLICAS_LOWER_BOUND = 1;

export function crossVersionObjectReferenceErrors(ref: CrossVersionObjectReference | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!ref?.kind) errors.push(FieldError.required(`${path}.kind`, ''));
  else for (const msg of pathSegmentNameErrors(ref.kind)) errors.push(FieldError.invalid(`${path}.kind`, ref.kind, msg));
  if (!ref?.name) errors.push(FieldError.required(`${path}.name`, ''));
  else for (const msg of pathSegmentNameErrors(ref.name)) errors.push(FieldError.invalid(`${path}.name`, ref.name, msg));
  return errors;
}

/** The sign of a quantity's text (1, 0 or -1), or undefined when it is absent. */
function sign(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const q = parseQuantity(value);
  if (!q || q.numerator === 0n) return 0;
  return q.negative ? -1 : 1;
}

function metricTargetErrors(target: MetricTarget | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const type = target?.type ?? '';
  if (!type) errors.push(FieldError.required(`${path}.type`, 'must specify a metric target type'));
  if (type !== 'Utilization' && type !== 'Value' && type !== 'AverageValue') errors.push(FieldError.invalid(`${path}.type`, type, 'must be either Utilization, Value, or AverageValue'));
  if (target?.value !== undefined && sign(target.value) !== 1) errors.push(FieldError.invalid(`${path}.value`, goStringer(target.value), 'must be positive'));
  if (target?.averageValue !== undefined && sign(target.averageValue) !== 1) errors.push(FieldError.invalid(`${path}.averageValue`, goStringer(target.averageValue), 'must be positive'));
  if (target?.averageUtilization !== undefined && target.averageUtilization < 1) errors.push(FieldError.invalid(`${path}.averageUtilization`, target.averageUtilization, 'must be greater than 0'));
  return errors;
}

function metricIdentifierErrors(id: MetricIdentifier | undefined, path: string): FieldError[] {
  if (!id?.name) return [FieldError.required(`${path}.name`, 'must specify a metric name')];
  return pathSegmentNameErrors(id.name).map((msg) => FieldError.invalid(`${path}.name`, id.name, msg));
}

function sourceErrors(metric: MetricSpec, source: string, path: string): FieldError[] {
  const errors: FieldError[] = [];
  switch (source) {
    case 'object': {
      const object = metric.object!;
      errors.push(...crossVersionObjectReferenceErrors(object.describedObject, `${path}.describedObject`));
      errors.push(...metricIdentifierErrors(object.metric, `${path}.metric`), ...metricTargetErrors(object.target, `${path}.target`));
      if (object.target?.value === undefined && object.target?.averageValue === undefined) {
        errors.push(FieldError.required(`${path}.target.averageValue`, 'must set either a target value or averageValue'));
      }
      break;
    }
    case 'external': {
      const external = metric.external!;
      errors.push(...metricIdentifierErrors(external.metric, `${path}.metric`), ...metricTargetErrors(external.target, `${path}.target`));
      if (external.target?.value === undefined && external.target?.averageValue === undefined) {
        errors.push(FieldError.required(`${path}.target.averageValue`, 'must set either a target value for metric or a per-pod target'));
      }
      if (external.target?.value !== undefined && external.target?.averageValue !== undefined) {
        errors.push(FieldError.forbidden(`${path}.target.value`, 'may not set both a target value for metric and a per-pod target'));
      }
      break;
    }
    case 'pods': {
      const pods = metric.pods!;
      errors.push(...metricIdentifierErrors(pods.metric, `${path}.metric`), ...metricTargetErrors(pods.target, `${path}.target`));
      if (pods.target?.averageValue === undefined) errors.push(FieldError.required(`${path}.target.averageValue`, 'must specify a positive target averageValue'));
      break;
    }
    case 'resource':
    case 'containerResource': {
      const resource = source === 'resource' ? metric.resource! : metric.containerResource!;
      const isContainer = source === 'containerResource';
      if (!resource.name) errors.push(FieldError.required(`${path}.name`, 'must specify a resource name'));
      else if (isContainer) errors.push(...containerResourceNameErrors(resource.name, `${path}.name`));
      if (isContainer) {
        const container = metric.containerResource!.container;
        if (!container) errors.push(FieldError.required(`${path}.container`, 'must specify a container'));
        else errors.push(...dns1123LabelErrors(container).map((msg) => FieldError.invalid(`${path}.container`, container, msg)));
      }
      errors.push(...metricTargetErrors(resource.target, `${path}.target`));
      if (resource.target?.averageUtilization === undefined && resource.target?.averageValue === undefined) {
        errors.push(FieldError.required(`${path}.target.averageUtilization`, 'must set either a target raw value or a target utilization'));
      }
      if (resource.target?.averageUtilization !== undefined && resource.target?.averageValue !== undefined) {
        errors.push(FieldError.forbidden(`${path}.target.averageValue`, 'may not set both a target raw value and a target utilization'));
      }
      break;
    }
  }
  return errors;
}

const EXPECTED_SOURCE: Record<string, keyof MetricSpec> = {
  Object: 'object',
  Pods: 'pods',
  Resource: 'resource',
  External: 'external',
  ContainerResource: 'containerResource',
};

function metricSpecErrors(metric: MetricSpec, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const type = metric.type ?? '';
  if (!type) errors.push(FieldError.required(`${path}.type`, 'must specify a metric source type'));
  if (!METRIC_SOURCE_TYPES.includes(type)) errors.push(FieldError.notSupported(`${path}.type`, type, METRIC_SOURCE_TYPES));
  // Only the first source present is checked in depth, in this order, as upstream does.
  const present = (['object', 'external', 'pods', 'resource', 'containerResource'] as const).filter((source) => metric[source] !== undefined && metric[source] !== null);
  if (present.length) errors.push(...sourceErrors(metric, present[0], `${path}.${present[0]}`));
  const expected = EXPECTED_SOURCE[type];
  if (expected) {
    if (metric[expected] === undefined || metric[expected] === null) {
      errors.push(FieldError.required(`${path}.${expected}`, 'must populate information for the given metric source'));
    }
  } else {
    errors.push(FieldError.notSupported(`${path}.type`, type, METRIC_SOURCE_TYPES));
  }
  if (present.length !== 1) {
    for (const source of present) if (source !== expected) errors.push(FieldError.forbidden(`${path}.${source}`, 'must populate the given metric source only'));
  }
  return errors;
}

function scalingRulesErrors(rules: HPAScalingRules | undefined, path: string): FieldError[] {
  if (!rules) return [];
  const errors: FieldError[] = [];
  const window = rules.stabilizationWindowSeconds;
  if (window !== undefined && window < 0) errors.push(FieldError.invalid(`${path}.stabilizationWindowSeconds`, window, 'must be greater than or equal to zero'));
  if (window !== undefined && window > MAX_STABILIZATION_WINDOW_SECONDS) {
    errors.push(FieldError.invalid(`${path}.stabilizationWindowSeconds`, window, `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`));
  }
  if (rules.selectPolicy !== undefined && !SELECT_POLICIES.includes(rules.selectPolicy)) errors.push(FieldError.notSupported(`${path}.selectPolicy`, rules.selectPolicy, SELECT_POLICIES));
  if (!rules.policies?.length) errors.push(FieldError.required(`${path}.policies`, 'must specify at least one Policy'));
  (rules.policies ?? []).forEach((policy, i) => {
    const at = `${path}.policies[${i}]`;
    if (!POLICY_TYPES.includes(policy.type ?? '')) errors.push(FieldError.notSupported(`${at}.type`, policy.type ?? '', POLICY_TYPES));
    if ((policy.value ?? 0) <= 0) errors.push(FieldError.invalid(`${at}.value`, policy.value ?? 0, 'must be greater than zero'));
    const period = policy.periodSeconds ?? 0;
    if (period <= 0) errors.push(FieldError.invalid(`${at}.periodSeconds`, period, 'must be greater than zero'));
    if (period > MAX_PERIOD_SECONDS) errors.push(FieldError.invalid(`${at}.periodSeconds`, period, `must be less than or equal to ${MAX_PERIOD_SECONDS}`));
  });
  return errors;
}

function specErrors(hpa: HorizontalPodAutoscaler, minReplicasLowerBound: number): FieldError[] {
  const spec = hpa.spec ?? {};
  const errors: FieldError[] = [];
  const { minReplicas } = spec;
  const maxReplicas = spec.maxReplicas ?? 0;
  if (minReplicas !== undefined && minReplicas < minReplicasLowerBound) {
    errors.push(FieldError.invalid('spec.minReplicas', minReplicas, `must be greater than or equal to ${minReplicasLowerBound}`));
  }
  if (maxReplicas < 1) errors.push(FieldError.invalid('spec.maxReplicas', maxReplicas, 'must be greater than 0'));
  if (minReplicas !== undefined && maxReplicas < minReplicas) errors.push(FieldError.invalid('spec.maxReplicas', maxReplicas, 'must be greater than or equal to `minReplicas`'));
  errors.push(...crossVersionObjectReferenceErrors(spec.scaleTargetRef, 'spec.scaleTargetRef'));
  const metrics = spec.metrics ?? [];
  metrics.forEach((metric, i) => errors.push(...metricSpecErrors(metric ?? {}, `spec.metrics[${i}]`)));
  if (minReplicas === 0 && !metrics.some((m) => m?.type === 'Object' || m?.type === 'External')) {
    errors.push(FieldError.forbidden('spec.metrics', 'must specify at least one Object or External metric to support scaling to zero replicas'));
  }
  if (spec.behavior) {
    errors.push(...scalingRulesErrors(spec.behavior.scaleUp, 'spec.behavior.scaleUp'), ...scalingRulesErrors(spec.behavior.scaleDown, 'spec.behavior.scaleDown'));
  }
  return errors;
}

export function validateHorizontalPodAutoscaler(hpa: HorizontalPodAutoscaler): FieldError[] {
  return specErrors(hpa, MIN_REPLICAS_LOWER_BOUND);
}

export function validateHorizontalPodAutoscalerUpdate(hpa: HorizontalPodAutoscaler, old: HorizontalPodAutoscaler): FieldError[] {
  // An HPA that already scales to zero may keep doing so.
  return specErrors(hpa, old.spec?.minReplicas === 0 ? 0 : MIN_REPLICAS_LOWER_BOUND);
}

/** ValidateHorizontalPodAutoscalerStatusUpdate: the replica counts are never negative. */
export function validateHorizontalPodAutoscalerStatus(hpa: HorizontalPodAutoscaler): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of ['currentReplicas', 'desiredReplicas'] as const) {
    const value = hpa.status?.[field] ?? 0;
    if (value < 0) errors.push(FieldError.invalid(`status.${field}`, value, 'must be greater than or equal to 0'));
  }
  return errors;
}
