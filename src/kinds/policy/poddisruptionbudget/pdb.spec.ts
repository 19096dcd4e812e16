import { seededRegistry, type SeededRegistry } from '../../../../test/support/registry';
import { StatusError } from '../../../machinery/errors/status-error';
import type { KubeObject } from '../../../machinery/meta/types';
import type { GenericStore } from '../../../registry/generic-store';
import type { Pod } from '../../core/pod/pod.types';
import { disruptionReconciler } from './disruption.reconciler';
import type { PodDisruptionBudget } from './pdb.types';
import { validatePodDisruptionBudget } from './pdb.validation';

const messages = (errors: { toString(): string }[]) => errors.map((e) => e.toString());

describe('PodDisruptionBudget validation (pkg/apis/policy/validation)', () => {
  it('takes one of minAvailable and maxUnavailable, as counts or percentages up to 100%', () => {
    const pdb = (spec: PodDisruptionBudget['spec']): PodDisruptionBudget => ({ metadata: { name: 'p' }, spec });
    expect(validatePodDisruptionBudget(pdb({ minAvailable: 1, selector: { matchLabels: { app: 'web' } } }))).toEqual([]);
    expect(messages(validatePodDisruptionBudget(pdb({ minAvailable: 1, maxUnavailable: 1 })))[0]).toMatch(/^spec: Invalid value: policy.PodDisruptionBudgetSpec\{.*\}: minAvailable and maxUnavailable cannot be both set$/);
    expect(messages(validatePodDisruptionBudget(pdb({ minAvailable: -1 })))).toEqual(['spec.minAvailable: Invalid value: -1: must be greater than or equal to 0']);
    expect(messages(validatePodDisruptionBudget(pdb({ maxUnavailable: '150%' })))).toEqual([
      'spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%',
    ]);
    expect(messages(validatePodDisruptionBudget(pdb({ minAvailable: 1, unhealthyPodEvictionPolicy: 'Sometimes' })))).toEqual([
      'spec.unhealthyPodEvictionPolicy: Unsupported value: "Sometimes": supported values: "AlwaysAllow", "IfHealthyBudget"',
    ]);
  });
});

describe('disruption reconciler and pods/eviction', () => {
  const NS = 'default';
  let env: SeededRegistry;
  let pods: GenericStore<Pod>;
  let budgets: GenericStore<PodDisruptionBudget>;
  beforeAll(async () => {
    env = await seededRegistry();
    pods = env.registry.forKind<Pod>('', 'Pod');
    budgets = env.registry.forKind<PodDisruptionBudget>('policy', 'PodDisruptionBudget');
  });
  afterAll(() => env.close());

  async function runningPod(name: string, owner: KubeObject | undefined, phase = 'Running', ready = true): Promise<void> {
    const ownerReferences = owner ? [{ apiVersion: 'apps/v1', kind: owner.kind!, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true }] : undefined;
    await pods.create(NS, { metadata: { name, labels: { app: 'web' }, ownerReferences }, spec: { nodeName: 'kubemu-node-1', containers: [{ name: 'c', image: 'nginx' }] } } as Pod);
    await pods.guaranteedUpdate(NS, name, (p) => ({ ...p, status: { ...p.status, phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } }), {}, 'status');
  }
  const evict = (name: string) => pods.act(NS, name, 'eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: NS } });
  const status = () => (budgets.get(NS, 'web') as PodDisruptionBudget).status!;

  it('counts healthy pods against the budget and refuses evictions beyond it', async () => {
    const { object: rs } = await env.registry.forKind('apps', 'ReplicaSet').create(NS, {
      metadata: { name: 'web' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    } as KubeObject);
    for (const name of ['web-0', 'web-1', 'web-2']) await runningPod(name, rs);
    await budgets.create(NS, { metadata: { name: 'web' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } } });
    const reconciler = disruptionReconciler(env.registry, env.clock);
    await reconciler.reconcile(`${NS}/web`);
    expect(status()).toMatchObject({ observedGeneration: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1 });
    expect(status().conditions).toEqual([expect.objectContaining({ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '' })]);

    expect(await evict('web-0')).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    const evicted = pods.get(NS, 'web-0') as Pod;
    expect(evicted.metadata.deletionTimestamp).toBeDefined();
    expect(evicted.status?.conditions).toContainEqual(expect.objectContaining({ type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' }));
    expect(status().disruptionsAllowed).toBe(0);
    expect(Object.keys(status().disruptedPods ?? {})).toEqual(['web-0']);

    const refused = await evict('web-1').catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(StatusError);
    expect((refused as StatusError).toStatus()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      reason: 'TooManyRequests',
      details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget web needs 2 healthy pods and has 3 currently' }] },
      code: 429,
    });

    // The pod is on its way out: it no longer counts, and its eviction entry is done with.
    await reconciler.reconcile(`${NS}/web`);
    expect(status()).toMatchObject({ currentHealthy: 2, desiredHealthy: 2, disruptionsAllowed: 0 });
    expect(status().disruptedPods).toBeUndefined();
    expect(status().conditions).toEqual([expect.objectContaining({ status: 'False', reason: 'InsufficientPods' })]);
  });

  it('lets pods that are not running, or unhealthy beyond the budget, go without a disruption', async () => {
    await runningPod('web-pending', undefined, 'Pending', false);
    await evict('web-pending');
    expect(pods.find(NS, 'web-pending')?.object.metadata.deletionTimestamp ?? 'gone').toBeTruthy();
    await budgets.guaranteedUpdate(NS, 'web', (pdb) => ({ ...pdb, spec: { ...pdb.spec, unhealthyPodEvictionPolicy: 'AlwaysAllow' } }));
    await disruptionReconciler(env.registry, env.clock).reconcile(`${NS}/web`);
    await pods.guaranteedUpdate(NS, 'web-1', (p) => ({ ...p, status: { ...p.status, conditions: [{ type: 'Ready', status: 'False' }] } }), {}, 'status');
    await evict('web-1');
    expect(pods.get(NS, 'web-1').metadata.deletionTimestamp).toBeDefined();
  });

  it('refuses a budget the reconciler has not seen yet, and names mismatches', async () => {
    await runningPod('lone', undefined);
    await budgets.create(NS, { metadata: { name: 'lone' }, spec: { minAvailable: 0, selector: { matchLabels: { app: 'lone' } } } });
    await pods.guaranteedUpdate(NS, 'lone', (p) => ({ ...p, metadata: { ...p.metadata, labels: { app: 'lone' } } }));
    const refused = (await evict('lone').catch((err: unknown) => err)) as StatusError;
    expect(refused.code).toBe(429);
    expect(refused.headers['Retry-After']).toBe('10');
    expect(refused.details?.causes).toEqual([{ reason: 'DisruptionBudget', message: 'The disruption budget lone is still being processed by the server.' }]);
    const mismatch = (await pods.act(NS, 'lone', 'eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'other' } }).catch((err: unknown) => err)) as StatusError;
    expect(mismatch.message).toBe('name in URL does not match name in Eviction object');
  });
});
