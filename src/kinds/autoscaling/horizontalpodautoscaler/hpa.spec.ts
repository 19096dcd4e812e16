import { hpaFromV1, hpaToV1, BEHAVIOR_ANNOTATION, CONDITIONS_ANNOTATION, METRIC_SPECS_ANNOTATION, METRIC_STATUSES_ANNOTATION } from './hpa.conversion';
import { defaultHorizontalPodAutoscaler } from './hpa.resource';
import { formatHPAMetrics } from './hpa.table';
import type { HorizontalPodAutoscaler } from './hpa.types';
import { validateHorizontalPodAutoscaler } from './hpa.validation';
import { milliValue, resourceReplicas, type PodMetricsInfo } from './replica-calculator';
import { parseQuantityOrThrow } from '../../../machinery/quantity/quantity';
import type { Pod } from '../../core/pod/pod.types';

const v2 = (spec: HorizontalPodAutoscaler['spec'], status?: HorizontalPodAutoscaler['status']): HorizontalPodAutoscaler => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'default' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10, ...spec },
  ...(status ? { status } : {}),
});

const cpu = (averageUtilization: number) => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization } } });
const memory = { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } };

describe('autoscaling/v1 conversion', () => {
  it('shows the CPU target as targetCPUUtilizationPercentage and the rest in annotations', () => {
    const hpa = v2(
      { metrics: [cpu(50), memory], behavior: { scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] } } },
      {
        currentReplicas: 2,
        desiredReplicas: 3,
        currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageValue: '251m', averageUtilization: 125 } } }],
        conditions: [{ type: 'AbleToScale', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'SucceededRescale', message: 'm' }],
      },
    );
    const v1 = hpaToV1(hpa);
    expect(v1.spec).toEqual({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10, targetCPUUtilizationPercentage: 50 });
    expect(v1.status).toEqual({ currentReplicas: 2, desiredReplicas: 3, currentCPUUtilizationPercentage: 125 });
    const annotations = v1.metadata.annotations!;
    expect(annotations[METRIC_SPECS_ANNOTATION]).toBe('[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"100Mi"}}]');
    expect(annotations[METRIC_STATUSES_ANNOTATION]).toBe('[{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":125,"currentAverageValue":"251m"}}]');
    expect(annotations[BEHAVIOR_ANNOTATION]).toBe(
      '{"ScaleUp":null,"ScaleDown":{"StabilizationWindowSeconds":60,"SelectPolicy":"Max","Policies":[{"Type":"Percent","Value":100,"PeriodSeconds":15}],"Tolerance":null}}',
    );
    expect(JSON.parse(annotations[CONDITIONS_ANNOTATION])).toEqual([{ type: 'AbleToScale', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'SucceededRescale', message: 'm' }]);

    const back = hpaFromV1(v1);
    expect(back.metadata.annotations).toBeUndefined();
    // The CPU target goes last, as the real conversion appends it after the annotation's metrics.
    expect(back.spec?.metrics).toEqual([memory, cpu(50)]);
    expect(back.spec?.behavior).toEqual(hpa.spec?.behavior);
    expect(back.status?.currentMetrics).toEqual(hpa.status?.currentMetrics);
    expect(back.status?.conditions).toEqual(hpa.status?.conditions);
  });

  it('gives a v1 HPA without a target the default 80% CPU target', () => {
    const stored = hpaFromV1({ metadata: { name: 'web' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 3 } });
    expect(stored.spec?.metrics).toEqual([cpu(80)]);
  });
});

describe('autoscaling/v2 defaults and validation', () => {
  it('fills a given behavior with the upstream rules and leaves the scale-down window to the controller', () => {
    const hpa = v2({ metrics: [], behavior: { scaleUp: { stabilizationWindowSeconds: 30 } } });
    delete hpa.spec!.minReplicas;
    defaultHorizontalPodAutoscaler(hpa);
    expect(hpa.spec?.minReplicas).toBe(1);
    expect(hpa.spec?.metrics).toEqual([cpu(80)]);
    expect(hpa.spec?.behavior).toEqual({
      scaleUp: { stabilizationWindowSeconds: 30, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleDown: { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    });
  });

  it('answers with the upstream messages', () => {
    const errors = (hpa: HorizontalPodAutoscaler) => validateHorizontalPodAutoscaler(hpa).map((e) => `${e.field}: ${e.type}: ${e.detail ?? ''}`);
    expect(errors(v2({ minReplicas: 5, maxReplicas: 2, metrics: [cpu(50)] }))).toEqual(['spec.maxReplicas: FieldValueInvalid: must be greater than or equal to `minReplicas`']);
    expect(errors(v2({ scaleTargetRef: {}, metrics: [cpu(0)] }))).toEqual([
      'spec.scaleTargetRef.kind: FieldValueRequired: ',
      'spec.scaleTargetRef.name: FieldValueRequired: ',
      'spec.metrics[0].resource.target.averageUtilization: FieldValueInvalid: must be greater than 0',
    ]);
    expect(errors(v2({ minReplicas: 0, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Percent' } } }] }))).toEqual([
      'spec.minReplicas: FieldValueInvalid: must be greater than or equal to 1',
      'spec.metrics[0].resource.target.type: FieldValueInvalid: must be either Utilization, Value, or AverageValue',
      'spec.metrics[0].resource.target.averageUtilization: FieldValueRequired: must set either a target raw value or a target utilization',
      'spec.metrics: FieldValueForbidden: must specify at least one Object or External metric to support scaling to zero replicas',
    ]);
    expect(errors(v2({ metrics: [cpu(50)], behavior: { scaleUp: { policies: [{ type: 'Pods', value: 0, periodSeconds: 1801 }] } } }))).toEqual([
      'spec.behavior.scaleUp.policies[0].value: FieldValueInvalid: must be greater than zero',
      'spec.behavior.scaleUp.policies[0].periodSeconds: FieldValueInvalid: must be less than or equal to 1800',
    ]);
  });
});

describe('the TARGETS column', () => {
  it('names resource metrics and marks what is not known yet', () => {
    expect(formatHPAMetrics([cpu(50)], null)).toBe('cpu: <unknown>/50%');
    expect(formatHPAMetrics([cpu(50), memory], [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 250, averageValue: '501m' } } }, { type: '' }])).toBe(
      'cpu: 250%/50%, memory: <unknown>/100Mi',
    );
    expect(formatHPAMetrics([cpu(1), cpu(2), cpu(3)], [])).toBe('cpu: <unknown>/1%, cpu: <unknown>/2% + 1 more...');
    expect(formatHPAMetrics([], [])).toBe('<none>');
  });
});

describe('replica calculator', () => {
  const now = Date.parse('2026-01-01T01:00:00Z');
  const pod = (name: string, request: string | undefined, phase = 'Running'): Pod => ({
    metadata: { name },
    spec: { containers: [{ name: 'c', image: 'x', ...(request ? { resources: { requests: { cpu: request } } } : {}) }] },
    status: { phase, startTime: '2026-01-01T00:00:00Z', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:10Z' }] },
  });
  const usage = (entries: Record<string, number>): PodMetricsInfo => new Map(Object.entries(entries).map(([name, value]) => [name, { value, timestamp: now, windowMs: 15_000 }]));

  it('reads quantities as milli-values, rounding up', () => {
    expect(milliValue(parseQuantityOrThrow('200m'))).toBe(200);
    expect(milliValue(parseQuantityOrThrow('1'))).toBe(1000);
    expect(milliValue(parseQuantityOrThrow('1500000n'))).toBe(2);
  });

  it('scales by usage over request, within the tolerance, missing pods counted as upstream', () => {
    const pods = [pod('a', '200m'), pod('b', '200m')];
    expect(resourceReplicas(2, 50, 'cpu', pods, usage({ a: 500, b: 500 }), now)).toEqual({ replicas: 10, utilization: 250, rawUtilization: 500 });
    expect(resourceReplicas(2, 50, 'cpu', pods, usage({ a: 105, b: 100 }), now).replicas).toBe(2);
    // b reports nothing: on the way up it counts as idle.
    expect(resourceReplicas(2, 50, 'cpu', pods, usage({ a: 400 }), now).replicas).toBe(4);
    expect(() => resourceReplicas(2, 50, 'cpu', [pod('a', undefined)], usage({ a: 1 }), now)).toThrow('missing request for cpu in container c of Pod a');
  });
});
