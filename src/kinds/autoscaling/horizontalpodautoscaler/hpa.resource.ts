import { defineResource } from '../../../registry/resource-type';
import { hpaFromV1, hpaToV1, STATUS_ANNOTATIONS } from './hpa.conversion';
import { hpaTable } from './hpa.table';
import { DEFAULT_CPU_UTILIZATION, type HorizontalPodAutoscaler, type HorizontalPodAutoscalerV1, type HPAScalingRules } from './hpa.types';
import { validateHorizontalPodAutoscaler, validateHorizontalPodAutoscalerStatus, validateHorizontalPodAutoscalerUpdate } from './hpa.validation';

export type { HorizontalPodAutoscaler } from './hpa.types';

/** GenerateHPAScaleUpRules: at most 4 pods or double, whichever is more, every 15 s; no stabilization. */
const defaultScaleUpRules = (): HPAScalingRules => ({
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
});

/**
 * GenerateHPAScaleDownRules: everything may go within 15 s. The stabilization window stays unset:
 * the controller manager's --horizontal-pod-autoscaler-downscale-stabilization (5 minutes) fills it.
 */
const defaultScaleDownRules = (): HPAScalingRules => ({ selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });

function withDefaults(rules: HPAScalingRules | undefined, defaults: HPAScalingRules): HPAScalingRules {
  if (!rules) return defaults;
  return {
    ...rules,
    stabilizationWindowSeconds: rules.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds,
    selectPolicy: rules.selectPolicy ?? defaults.selectPolicy,
    policies: rules.policies ?? defaults.policies,
  };
}

/** SetDefaults_HorizontalPodAutoscaler of autoscaling/v2 (minReplicas comes from the schema). */
export function defaultHorizontalPodAutoscaler(hpa: HorizontalPodAutoscaler): void {
  const spec = hpa.spec;
  if (!spec || typeof spec !== 'object') return;
  spec.minReplicas ??= 1;
  if (!spec.metrics?.length) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  }
  // A behavior, once given, is filled in whole; without one the controller's older rules apply.
  if (spec.behavior) {
    spec.behavior.scaleUp = withDefaults(spec.behavior.scaleUp, defaultScaleUpRules());
    spec.behavior.scaleDown = withDefaults(spec.behavior.scaleDown, defaultScaleDownRules());
    if (spec.behavior.scaleDown.stabilizationWindowSeconds === undefined) delete spec.behavior.scaleDown.stabilizationWindowSeconds;
  }
}

/** dropDisabledFields: the tolerance fields belong to HPAConfigurableTolerance, alpha and off in 1.33. */
function dropTolerance(hpa: HorizontalPodAutoscaler, old: HorizontalPodAutoscaler | undefined): void {
  const inUse = (h: HorizontalPodAutoscaler | undefined) => h?.spec?.behavior?.scaleUp?.tolerance !== undefined || h?.spec?.behavior?.scaleDown?.tolerance !== undefined;
  if (inUse(old)) return;
  delete hpa.spec?.behavior?.scaleUp?.tolerance;
  delete hpa.spec?.behavior?.scaleDown?.tolerance;
}

/**
 * autoscaling/v2 HorizontalPodAutoscaler (pkg/registry/autoscaling/horizontalpodautoscaler): the
 * stored form; the hpa reconciler scales its target from the pods' metrics.
 */
export const hpaResource = defineResource<HorizontalPodAutoscaler>({
  group: 'autoscaling',
  version: 'v2',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  definition: 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler',
  statusSubresource: true,

  applyDefaults: defaultHorizontalPodAutoscaler,
  prepareForCreate(hpa) {
    hpa.status = { desiredReplicas: 0, currentMetrics: null };
    dropTolerance(hpa, undefined);
  },
  prepareForUpdate: dropTolerance,
  validate: validateHorizontalPodAutoscaler,
  validateUpdate: (hpa, old) => [...validateHorizontalPodAutoscalerUpdate(hpa, old), ...validateHorizontalPodAutoscalerStatus(hpa)],

  table: hpaTable,
});

/** The v2 object a v1 one stands for, defaulted as the real server's read from storage would. */
function storedForm(v1: HorizontalPodAutoscalerV1): HorizontalPodAutoscaler {
  const hpa = hpaFromV1(v1);
  defaultHorizontalPodAutoscaler(hpa);
  return hpa;
}

function copyStatusAnnotations(target: HorizontalPodAutoscalerV1, source: HorizontalPodAutoscalerV1): void {
  const annotations = { ...(target.metadata.annotations ?? {}) };
  for (const key of STATUS_ANNOTATIONS) {
    const value = source.metadata.annotations?.[key];
    if (value === undefined) delete annotations[key];
    else annotations[key] = value;
  }
  if (Object.keys(annotations).length) target.metadata.annotations = annotations;
  else delete target.metadata.annotations;
}

/**
 * autoscaling/v1 HorizontalPodAutoscaler: the same objects seen through targetCPUUtilizationPercentage,
 * with every other metric, the behavior, the conditions and the metric statuses in annotations.
 */
export const hpaV1Resource = defineResource<HorizontalPodAutoscalerV1>({
  group: 'autoscaling',
  version: 'v1',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  definition: 'io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler',
  statusSubresource: true,
  storedAs: { group: 'autoscaling', kind: 'HorizontalPodAutoscaler', toStorage: storedForm, fromStorage: (obj) => hpaToV1(obj as HorizontalPodAutoscaler) },

  // The status carried in annotations is status: a status write may set it, a spec write may not.
  subresourceWriters: {
    status(stored, requested) {
      stored.status = requested.status;
      copyStatusAnnotations(stored, requested);
    },
  },
  prepareForCreate(hpa) {
    hpa.status = { currentReplicas: 0, desiredReplicas: 0 };
    copyStatusAnnotations(hpa, { metadata: {} });
  },
  prepareForUpdate(hpa, old) {
    copyStatusAnnotations(hpa, old);
  },
  validate: (hpa) => validateHorizontalPodAutoscaler(storedForm(hpa)),
  validateUpdate: (hpa, old) => {
    const stored = storedForm(hpa);
    return [...validateHorizontalPodAutoscalerUpdate(stored, storedForm(old)), ...validateHorizontalPodAutoscalerStatus(stored)];
  },

  table: { columns: hpaTable.columns, cells: (hpa, now) => hpaTable.cells(storedForm(hpa), now) },
});
