import { Cluster } from '../../../cluster';
import { loadConfig } from '../../../config/config';
import type { KubeObject } from '../../../machinery/meta/types';
import { ManualClock } from '../../../simulation/clock';
import { SIMULATED_LOAD_ANNOTATION } from '../../../simulation/resource-usage';
import type { Deployment } from '../../apps/deployment/deployment.types';
import type { Pod } from '../../core/pod/pod.types';
import { CONDITIONS_ANNOTATION } from './hpa.conversion';
import { HPA_SYNC_PERIOD_MS } from './hpa.reconciler';
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerV1 } from './hpa.types';

/** Lets the reconcilers' promise chains run; manual time stands still meanwhile. */
async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, 15));
}

const NS = 'default';
let clock: ManualClock;
let cluster: Cluster;
const hpas = () => cluster.registry.forKind<HorizontalPodAutoscaler>('autoscaling', 'HorizontalPodAutoscaler');
const hpa = (name = 'php-apache') => hpas().find(NS, name)?.object as HorizontalPodAutoscaler;
const deployment = () => cluster.registry.forKind<Deployment>('apps', 'Deployment').find(NS, 'php-apache')?.object as Deployment;
const condition = (type: string) => {
  const c = hpa().status?.conditions?.find((x) => x.type === type);
  return c && [c.status, c.reason, c.message];
};
const events = () =>
  [...cluster.registry.forKind('', 'Event').cachedObjects(NS)]
    .filter((e) => (e.involvedObject as { kind?: string }).kind === 'HorizontalPodAutoscaler')
    .map((e) => `${e.type as string} ${e.reason as string}: ${e.message as string}`);

beforeEach(async () => {
  clock = new ManualClock(Date.parse('2026-03-01T10:00:00Z'));
  cluster = await Cluster.open(loadConfig(['--data-dir', ':memory:', '--log-level', 'silent'], {}), clock);
});
afterEach(() => cluster.close());

/** Moves time forward in steps, letting the kubelets and the reconcilers react after each, until `done` holds. */
async function advanceUntil(done: () => boolean, what: string, maxMs: number, step = 1000): Promise<void> {
  for (let spent = 0; spent <= maxMs; spent += step) {
    await settle();
    if (done()) return;
    clock.advance(step);
  }
  await settle();
  if (!done()) throw new Error(`never saw ${what} within ${maxMs} ms of cluster time`);
}

/** The walkthrough's php-apache: a Deployment (a 200m CPU request unless `request` says otherwise) behind a Service carrying `load`. */
async function createWorkload(opts: { replicas?: number; request?: string | null; load?: string } = {}): Promise<void> {
  const request = opts.request === undefined ? '200m' : opts.request;
  await cluster.registry.forKind('apps', 'Deployment').create(NS, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'php-apache' },
    spec: {
      replicas: opts.replicas ?? 1,
      selector: { matchLabels: { run: 'php-apache' } },
      template: {
        metadata: { labels: { run: 'php-apache' } },
        spec: { containers: [{ name: 'php-apache', image: 'registry.k8s.io/hpa-example', ...(request ? { resources: { requests: { cpu: request } } } : {}) }] },
      },
    },
  });
  await cluster.registry.forKind('', 'Service').create(NS, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'php-apache', ...(opts.load ? { annotations: { [SIMULATED_LOAD_ANNOTATION]: opts.load } } : {}) },
    spec: { selector: { run: 'php-apache' }, ports: [{ port: 80 }] },
  });
  const want = opts.replicas ?? 1;
  await advanceUntil(() => deployment()?.status?.readyReplicas === want, `${want} ready pods`, 30_000, 250);
}

async function setLoad(load: string | undefined): Promise<void> {
  await cluster.registry.forKind('', 'Service').guaranteedUpdate(NS, 'php-apache', (svc: KubeObject) => {
    const annotations = { ...(svc.metadata.annotations ?? {}) };
    if (load) annotations[SIMULATED_LOAD_ANNOTATION] = load;
    else delete annotations[SIMULATED_LOAD_ANNOTATION];
    svc.metadata.annotations = annotations;
    return svc;
  });
}

async function createHpa(spec: Partial<NonNullable<HorizontalPodAutoscaler['spec']>> = {}): Promise<void> {
  await hpas().create(NS, {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'php-apache' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'php-apache' },
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
      ...spec,
    },
  });
}

describe('hpa reconciler on manual time', () => {
  it('scales up under load within the scale-up limit and maxReplicas, then down after the stabilization window', async () => {
    await createWorkload({ load: '3' });
    await createHpa();
    await settle();
    // Nothing happens before the first sync period has passed.
    clock.advance(HPA_SYNC_PERIOD_MS - 1000);
    await settle();
    expect(hpa().status).toEqual({ desiredReplicas: 0, currentMetrics: null });

    await advanceUntil(() => hpa().status?.desiredReplicas === 4, 'the first rescale', 5_000);
    expect(deployment().spec?.replicas).toBe(4);
    expect(condition('ScalingLimited')).toEqual(['True', 'ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate']);
    expect(condition('AbleToScale')).toEqual(['True', 'SucceededRescale', 'the HPA controller was able to update the target scale to 4']);
    expect(condition('ScalingActive')).toEqual([
      'True',
      'ValidMetricFound',
      'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
    ]);
    expect(hpa().status).toMatchObject({ currentReplicas: 1, desiredReplicas: 4, lastScaleTime: expect.stringMatching(/^2026-03-01T10:00:\d\dZ$/) });
    const [cpu] = hpa().status!.currentMetrics!;
    expect(cpu.resource?.current?.averageUtilization).toBeGreaterThanOrEqual(1500);
    expect(events()).toEqual(['Normal SuccessfulRescale: New size: 4; reason: cpu resource utilization (percentage of request) above target']);

    await advanceUntil(() => deployment().spec?.replicas === 10 && condition('ScalingLimited')?.[1] === 'TooManyReplicas', 'maxReplicas', 120_000);
    expect(condition('ScalingLimited')).toEqual(['True', 'TooManyReplicas', 'the desired replica count is more than the maximum replica count']);
    await advanceUntil(() => hpa().status?.currentReplicas === 10, 'ten replicas seen', 60_000);

    await setLoad(undefined);
    const quiet = clock.now().getTime();
    await advanceUntil(() => condition('AbleToScale')?.[1] === 'ScaleDownStabilized', 'a stabilized scale-down', 60_000);
    expect(condition('AbleToScale')).toEqual(['True', 'ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation']);
    expect(deployment().spec?.replicas).toBe(10);

    await advanceUntil(() => hpa().status?.desiredReplicas === 1, 'the scale-down', 7 * 60_000);
    expect(deployment().spec?.replicas).toBe(1);
    // The recommendations of the last five minutes held it up.
    expect(clock.now().getTime() - quiet).toBeGreaterThanOrEqual(5 * 60_000);
    expect(events()).toContain('Normal SuccessfulRescale: New size: 1; reason: All metrics below target');
  });

  it('brings the target within minReplicas, and holds it there when the metrics ask for fewer', async () => {
    await createWorkload();
    await createHpa({ minReplicas: 2 });
    await advanceUntil(() => hpa().status?.desiredReplicas === 2, 'minReplicas', 20_000);
    expect(deployment().spec?.replicas).toBe(2);
    expect(events()).toEqual(['Normal SuccessfulRescale: New size: 2; reason: Current number of replicas below Spec.MinReplicas']);
    await advanceUntil(() => condition('ScalingLimited')?.[1] === 'TooFewReplicas', 'TooFewReplicas', 60_000);
    expect(condition('ScalingLimited')).toEqual(['True', 'TooFewReplicas', 'the desired replica count is less than the minimum replica count']);
    expect(deployment().spec?.replicas).toBe(2);
  });

  it('reports pods without a CPU request through ScalingActive, in v2 and in the v1 annotations', async () => {
    await createWorkload({ request: null });
    const v1 = cluster.registry.lookup('autoscaling', 'v1', 'horizontalpodautoscalers')!;
    await v1.create(NS, {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'php-apache' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'php-apache' }, maxReplicas: 5, targetCPUUtilizationPercentage: 50 },
    } as HorizontalPodAutoscalerV1);
    // FailedComputeMetricsReplicas is recorded after the status write, as upstream does.
    await advanceUntil(() => condition('ScalingActive')?.[0] === 'False' && events().length === 2, 'ScalingActive False', 20_000);
    const [pod] = [...cluster.registry.forKind<Pod>('', 'Pod').cachedObjects(NS)];
    const problem = `failed to get cpu utilization: missing request for cpu in container php-apache of Pod ${pod.metadata.name}`;
    expect(condition('ScalingActive')).toEqual(['False', 'FailedGetResourceMetric', `the HPA was unable to compute the replica count: ${problem}`]);
    expect(condition('AbleToScale')).toEqual(['True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale"]);
    expect(hpa().status).toMatchObject({ currentReplicas: 1, desiredReplicas: 0, currentMetrics: [{ type: '' }] });
    expect(events()).toEqual([
      `Warning FailedGetResourceMetric: ${problem}`,
      `Warning FailedComputeMetricsReplicas: invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: ${problem}`,
    ]);
    const viewed = v1.get(NS, 'php-apache') as HorizontalPodAutoscalerV1;
    expect(viewed.spec?.targetCPUUtilizationPercentage).toBe(50);
    expect(JSON.parse(viewed.metadata.annotations![CONDITIONS_ANNOTATION])).toContainEqual(expect.objectContaining({ type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric' }));
  });

  it('says when the target cannot be scaled', async () => {
    await createHpa({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'missing' } });
    await advanceUntil(() => condition('AbleToScale')?.[0] === 'False', 'AbleToScale False', 20_000);
    expect(condition('AbleToScale')).toEqual(['False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: deployments.apps "missing" not found`]);
    expect(events()).toEqual(['Warning FailedGetScale: deployments.apps "missing" not found']);
  });
});

describe('hpa reconciler: other metric sources', () => {
  it('scales on one container of the pods (ContainerResource) and names the metric as upstream', async () => {
    await createWorkload({ load: '1' });
    await createHpa({
      maxReplicas: 3,
      metrics: [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'php-apache', target: { type: 'Utilization', averageUtilization: 50 } } }],
    });
    await advanceUntil(() => hpa().status?.desiredReplicas === 3, 'the container-metric rescale', 20_000);
    expect(hpa().status?.currentMetrics?.[0]).toMatchObject({ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'php-apache', current: { averageUtilization: expect.any(Number) } } });
    expect(events()).toEqual(['Normal SuccessfulRescale: New size: 3; reason: cpu container resource utilization (percentage of request) above target']);
  });

  it('reports Pods metrics as unavailable without a custom metrics API, while a resource metric still scales', async () => {
    await createWorkload();
    await createHpa({
      metrics: [
        { type: 'Pods', pods: { metric: { name: 'packets-per-second' }, target: { type: 'AverageValue', averageValue: '1k' } } },
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
      ],
    });
    await advanceUntil(() => condition('ScalingActive') !== undefined, 'a computed HPA', 20_000);
    expect(condition('ScalingActive')?.[0]).toBe('True');
    expect(hpa().status?.currentMetrics?.map((m) => m.type)).toEqual(['', 'Resource']);
    expect(events()).toEqual([
      'Warning FailedGetPodsMetric: unable to get metric packets-per-second: unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered',
    ]);
  });

  it("follows a behavior's scale-down policy: one pod a minute, no stabilization window", async () => {
    await createWorkload({ replicas: 3 });
    await createHpa({ behavior: { scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } } });
    await advanceUntil(() => hpa().status?.desiredReplicas === 2, 'the first step down', 20_000);
    expect(condition('ScalingLimited')).toEqual(['True', 'ScaleDownLimit', 'the desired replica count is decreasing faster than the maximum scale rate']);
    const first = clock.now().getTime();
    await advanceUntil(() => hpa().status?.desiredReplicas === 1, 'the second step down', 90_000);
    expect(clock.now().getTime() - first).toBeGreaterThanOrEqual(60_000);
    expect(deployment().spec?.replicas).toBe(1);
  });
});

describe('hpa reconciler: two HPAs over the same pods', () => {
  it('refuses to scale on an ambiguous selector', async () => {
    await createWorkload();
    await createHpa();
    await advanceUntil(() => condition('ScalingActive')?.[0] === 'True', 'the first HPA active', 20_000);
    await hpas().create(NS, {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'second' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'php-apache' }, maxReplicas: 3 },
    });
    const message = 'pods by selector run=php-apache are controlled by multiple HPAs: [default/php-apache default/second]';
    await advanceUntil(() => hpa('second').status?.conditions?.some((c) => c.reason === 'AmbiguousSelector') === true, 'the second HPA refusing', 20_000);
    expect(hpa('second').status?.conditions?.find((c) => c.type === 'ScalingActive')).toMatchObject({ status: 'False', reason: 'AmbiguousSelector', message });
    await advanceUntil(() => condition('ScalingActive')?.[1] === 'AmbiguousSelector', 'the first HPA refusing too', 20_000);
  });
});
