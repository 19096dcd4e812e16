import { seededRegistry, type SeededRegistry } from '../../../../test/support/registry';
import type { Reconciler } from '../../../controller-runtime/reconciler';
import { formatTime } from '../../../simulation/clock';
import { defaultListOptions } from '../../../registry/list-options';
import type { GenericStore } from '../../../registry/generic-store';
import type { Pod } from '../../core/pod/pod.types';
import { replicaSetReconciler } from './replicaset.reconciler';
import type { ReplicaSet } from './replicaset.types';

let env: SeededRegistry;
let reconciler: Reconciler;
let replicaSets: GenericStore<ReplicaSet>;
let pods: GenericStore<Pod>;

const NS = 'default';

beforeEach(async () => {
  env = await seededRegistry();
  reconciler = replicaSetReconciler(env.registry, env.clock);
  replicaSets = env.registry.forKind<ReplicaSet>('apps', 'ReplicaSet');
  pods = env.registry.forKind<Pod>('', 'Pod');
});
afterEach(() => env.close());

async function createReplicaSet(name: string, replicas: number, extra: Partial<ReplicaSet['spec']> = {}): Promise<ReplicaSet> {
  const { object } = await replicaSets.create(NS, {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name, tier: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      ...extra,
    },
  });
  return object as ReplicaSet;
}

async function podsOf(): Promise<Pod[]> {
  return (await pods.list(NS, defaultListOptions())).items.map((e) => e.object as Pod);
}

async function events(): Promise<string[]> {
  const { items } = await env.registry.forKind('', 'Event').list(NS, defaultListOptions());
  return items.map((e) => `${e.object.reason as string}: ${e.object.message as string}`);
}

/** What the kubelet would write: the pod running (or still pending) and maybe Ready since `readySince`. */
async function setPodState(name: string, state: { running?: boolean; ready?: boolean; readySince?: Date }): Promise<void> {
  await pods.guaranteedUpdate(
    NS,
    name,
    (p) => ({
      ...p,
      status: {
        ...p.status,
        phase: state.running ? 'Running' : 'Pending',
        conditions: [{ type: 'Ready', status: state.ready ? 'True' : 'False', lastTransitionTime: formatTime(state.readySince ?? env.clock.now()) }],
      },
    }),
    {},
    'status',
  );
}

async function orphanPod(name: string, labels: Record<string, string>): Promise<void> {
  await pods.create(NS, { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
}

describe('replicaset reconciler', () => {
  it('creates pods from the template, owned by the ReplicaSet, and reports them', async () => {
    const rs = await createReplicaSet('web', 3);
    await reconciler.reconcile(`${NS}/web`);
    const created = await podsOf();
    expect(created).toHaveLength(3);
    for (const pod of created) {
      expect(pod.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(pod.metadata.labels).toEqual({ app: 'web', tier: 'web' });
      expect(pod.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
      expect(pod.spec?.containers?.[0].image).toBe('nginx');
    }
    const status = (replicaSets.get(NS, 'web') as ReplicaSet).status;
    // Zero counts other than replicas are left out, as Go's omitempty leaves them out.
    expect(status).toEqual({ replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
    expect((await events()).filter((e) => e.startsWith('SuccessfulCreate: Created pod: web-'))).toHaveLength(3);
  });

  it('is level-based: a second pass with nothing changed writes nothing', async () => {
    await createReplicaSet('web', 2);
    await reconciler.reconcile(`${NS}/web`);
    const revision = replicaSets.currentRevision();
    await reconciler.reconcile(`${NS}/web`);
    expect(replicaSets.currentRevision()).toBe(revision);
    expect(await podsOf()).toHaveLength(2);
  });

  it('scales down pending, then not-ready pods first', async () => {
    await createReplicaSet('web', 3);
    await reconciler.reconcile(`${NS}/web`);
    const [a, b, c] = (await podsOf()).map((p) => p.metadata.name!);
    await setPodState(a, { running: true, ready: true });
    await setPodState(b, { running: true, ready: false });
    await replicaSets.guaranteedUpdate(NS, 'web', (rs) => ({ ...rs, spec: { ...rs.spec, replicas: 1 } }));
    await reconciler.reconcile(`${NS}/web`);
    const left = (await podsOf()).map((p) => p.metadata.name);
    expect(left).toEqual([a]);
    expect(await events()).toEqual(expect.arrayContaining([`SuccessfulDelete: Deleted pod: ${b}`, `SuccessfulDelete: Deleted pod: ${c}`]));
    const status = (replicaSets.get(NS, 'web') as ReplicaSet).status;
    expect(status).toMatchObject({ replicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 2 });
  });

  it('adopts matching orphans, releases pods that stop matching, leaves other controllers alone', async () => {
    await orphanPod('stray', { app: 'web' });
    await orphanPod('unrelated', { app: 'other' });
    const rs = await createReplicaSet('web', 2);
    await pods.create(NS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'owned-elsewhere', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: 'other-uid', controller: true }] },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    await reconciler.reconcile(`${NS}/web`);
    const stray = pods.get(NS, 'stray') as Pod;
    expect(stray.metadata.ownerReferences?.[0]).toMatchObject({ uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true });
    expect((pods.get(NS, 'unrelated') as Pod).metadata.ownerReferences).toBeUndefined();
    expect((pods.get(NS, 'owned-elsewhere') as Pod).metadata.ownerReferences?.[0].uid).toBe('other-uid');
    // One adopted plus one created make two.
    const owned = (await podsOf()).filter((p) => p.metadata.ownerReferences?.[0].uid === rs.metadata.uid);
    expect(owned).toHaveLength(2);
    // Relabelled out of the selector: released, and replaced.
    await pods.guaranteedUpdate(NS, 'stray', (p) => ({ ...p, metadata: { ...p.metadata, labels: { app: 'gone' } } }));
    await reconciler.reconcile(`${NS}/web`);
    expect((pods.get(NS, 'stray') as Pod).metadata.ownerReferences).toBeUndefined();
    expect((await podsOf()).filter((p) => p.metadata.ownerReferences?.[0].uid === rs.metadata.uid)).toHaveLength(2);
  });

  it('counts ready pods, and available ones only after minReadySeconds, looking again when they become so', async () => {
    await createReplicaSet('web', 2, { minReadySeconds: 10 });
    await reconciler.reconcile(`${NS}/web`);
    for (const pod of await podsOf()) await setPodState(pod.metadata.name!, { running: true, ready: true });
    const result = await reconciler.reconcile(`${NS}/web`);
    expect((replicaSets.get(NS, 'web') as ReplicaSet).status).toEqual({ replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, observedGeneration: 1 });
    expect(result).toEqual({ requeueAfterMs: 10_000 });
    env.clock.advance(11_000);
    await reconciler.reconcile(`${NS}/web`);
    expect((replicaSets.get(NS, 'web') as ReplicaSet).status).toMatchObject({ readyReplicas: 2, availableReplicas: 2 });
  });

  it('replaces pods that finished or are being deleted', async () => {
    await createReplicaSet('web', 1);
    await reconciler.reconcile(`${NS}/web`);
    const [first] = await podsOf();
    await pods.guaranteedUpdate(NS, first.metadata.name!, (p) => ({ ...p, status: { ...p.status, phase: 'Failed' } }), {}, 'status');
    await reconciler.reconcile(`${NS}/web`);
    const active = (await podsOf()).filter((p) => p.status?.phase !== 'Failed');
    expect(active).toHaveLength(1);
    expect(active[0].metadata.name).not.toBe(first.metadata.name);
  });

  it('shows a failure to create pods as the ReplicaFailure condition and a FailedCreate event, and clears it', async () => {
    // A template may name a node and scheduling gates; a pod may not be created with both.
    const gated = { metadata: { labels: { app: 'web' } }, spec: { nodeName: 'kubemu-node-1', schedulingGates: [{ name: 'wait' }], containers: [{ name: 'c', image: 'nginx' }] } };
    await createReplicaSet('web', 1, { template: gated });
    await expect(reconciler.reconcile(`${NS}/web`)).rejects.toThrow(/cannot be set until all schedulingGates have been cleared/);
    const failure = (replicaSets.get(NS, 'web') as ReplicaSet).status?.conditions?.[0];
    expect(failure).toMatchObject({ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate' });
    expect(failure?.message).toMatch(/^Pod "web-\w{5}" is invalid: spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared$/);
    expect((await events()).some((e) => /^FailedCreate: Error creating: Pod "web-\w{5}" is invalid/.test(e))).toBe(true);
    await replicaSets.guaranteedUpdate(NS, 'web', (rs) => ({ ...rs, spec: { ...rs.spec, template: { ...gated, spec: { containers: gated.spec.containers } } } }));
    await reconciler.reconcile(`${NS}/web`);
    expect((replicaSets.get(NS, 'web') as ReplicaSet).status?.conditions).toBeUndefined();
  });

  it('maps pod changes to the owning ReplicaSet, orphans to every ReplicaSet that selects them', async () => {
    const rs = await createReplicaSet('web', 1);
    const podWatch = reconciler.watches.find((w) => w.kind === 'Pod')!;
    const rsWatch = reconciler.watches.find((w) => w.kind === 'ReplicaSet')!;
    rsWatch.keysFor!(rs);
    const owned = { metadata: { namespace: NS, name: 'p', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid!, controller: true }] } };
    expect(podWatch.keysFor!(owned)).toEqual([`${NS}/web`]);
    expect(podWatch.keysFor!({ metadata: { namespace: NS, name: 'q', labels: { app: 'web' } } })).toEqual([`${NS}/web`]);
    expect(podWatch.keysFor!({ metadata: { namespace: NS, name: 'r', labels: { app: 'nope' } } })).toEqual([]);
  });
});
