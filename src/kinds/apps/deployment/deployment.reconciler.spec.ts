import { seededRegistry, type SeededRegistry } from '../../../../test/support/registry';
import type { Reconciler } from '../../../controller-runtime/reconciler';
import { defaultListOptions } from '../../../registry/list-options';
import type { GenericStore } from '../../../registry/generic-store';
import { formatTime } from '../../../simulation/clock';
import type { Pod } from '../../core/pod/pod.types';
import { replicaSetReconciler } from '../replicaset/replicaset.reconciler';
import type { ReplicaSet } from '../replicaset/replicaset.types';
import { deploymentReconciler } from './deployment.reconciler';
import { podTemplateHash } from './deployment.rollout';
import type { Deployment } from './deployment.types';

const NS = 'default';
let env: SeededRegistry;
let deploymentsController: Reconciler;
let replicaSetsController: Reconciler;
let deployments: GenericStore<Deployment>;
let replicaSets: GenericStore<ReplicaSet>;
let pods: GenericStore<Pod>;

beforeEach(async () => {
  env = await seededRegistry();
  deploymentsController = deploymentReconciler(env.registry, env.clock);
  replicaSetsController = replicaSetReconciler(env.registry, env.clock);
  deployments = env.registry.forKind<Deployment>('apps', 'Deployment');
  replicaSets = env.registry.forKind<ReplicaSet>('apps', 'ReplicaSet');
  pods = env.registry.forKind<Pod>('', 'Pod');
});
afterEach(() => env.close());

function template(image: string) {
  return { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } };
}

async function createDeployment(spec: Partial<Deployment['spec']> = {}): Promise<Deployment> {
  const { object } = await deployments.create(NS, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: template('nginx:1.0'), ...spec },
  });
  return object as Deployment;
}

const deployment = () => deployments.get(NS, 'web') as Deployment;
const list = async <T>(store: GenericStore<T & Deployment>) => (await store.list(NS, defaultListOptions())).items.map((e) => e.object as unknown as T);
const sets = async () => (await list<ReplicaSet>(replicaSets as unknown as GenericStore<ReplicaSet & Deployment>)).sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
const podList = async () => list<Pod>(pods as unknown as GenericStore<Pod & Deployment>);

async function eventMessages(): Promise<string[]> {
  const { items } = await env.registry.forKind('', 'Event').list(NS, defaultListOptions());
  return items.map((e) => `${e.object.reason as string}: ${e.object.message as string}`);
}

/** The kubelet's part: every pod that is not yet Ready becomes Running and Ready; deleted pods go away. */
async function kubelet(): Promise<void> {
  for (const pod of await podList()) {
    if (pod.metadata.deletionTimestamp) continue;
    if (pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
    await pods.guaranteedUpdate(
      NS,
      pod.metadata.name!,
      (p) => ({ ...p, status: { ...p.status, phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: formatTime(env.clock.now()) }] } }),
      {},
      'status',
    );
  }
}

/** Run both reconcilers (and the kubelet, when pods should become ready) until nothing changes. */
async function settle(options: { podsBecomeReady?: boolean } = {}): Promise<void> {
  for (let round = 0; round < 60; round++) {
    const before = deployments.currentRevision();
    await deploymentsController.reconcile(`${NS}/web`);
    for (const rs of await sets()) await replicaSetsController.reconcile(`${NS}/${rs.metadata.name}`);
    if (options.podsBecomeReady) await kubelet();
    if (deployments.currentRevision() === before) return;
  }
  throw new Error('the reconcilers did not settle');
}

async function setImage(image: string): Promise<void> {
  await deployments.guaranteedUpdate(NS, 'web', (d) => ({ ...d, spec: { ...d.spec, template: template(image) } }));
}

describe('deployment reconciler', () => {
  it('creates the ReplicaSet of the template, named and labelled with its hash, and records the revision', async () => {
    const d = await createDeployment();
    await deploymentsController.reconcile(`${NS}/web`);
    const [rs] = await sets();
    const hash = podTemplateHash(d.spec!.template);
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(rs.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.spec?.selector).toEqual({ matchLabels: { app: 'web', 'pod-template-hash': hash } });
    expect(rs.spec?.template?.metadata?.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.spec?.replicas).toBe(3);
    expect(rs.metadata.annotations).toEqual({
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
    expect(rs.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    const after = deployment();
    expect(after.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1' });
    // Recorded through /status: no new generation.
    expect(after.metadata.generation).toBe(1);
    expect(after.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "web-${hash}"` });
    expect(await eventMessages()).toContain(`ScalingReplicaSet: Scaled up replica set web-${hash} from 0 to 3`);
  });

  it('reports availability and completes once the pods are ready', async () => {
    await createDeployment();
    await settle();
    let status = deployment().status!;
    expect(status).toMatchObject({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, unavailableReplicas: 3 });
    // Zero counts are left out, as Go's omitempty leaves them out.
    expect(status.readyReplicas).toBeUndefined();
    expect(status.availableReplicas).toBeUndefined();
    expect(status.conditions?.find((c) => c.type === 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' });
    await settle({ podsBecomeReady: true });
    status = deployment().status!;
    expect(status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(status.unavailableReplicas).toBeUndefined();
    const rsName = (await sets())[0].metadata.name;
    expect(status.conditions?.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
      ['Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`],
    ]);
  });

  it('rolls a new template out within maxSurge and maxUnavailable', async () => {
    await createDeployment({ replicas: 4 });
    await settle({ podsBecomeReady: true });
    const [first] = await sets();
    await setImage('nginx:2.0');
    // One pass: the new ReplicaSet starts with the one pod maxSurge (25% of 4) allows.
    await deploymentsController.reconcile(`${NS}/web`);
    let all = await sets();
    const second = all.find((rs) => rs.metadata.name !== first.metadata.name)!;
    expect(second.spec?.replicas).toBe(1);
    expect(second.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(deployment().metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    await replicaSetsController.reconcile(`${NS}/${second.metadata.name}`);
    // Next pass: the new pod is not available yet, so one old pod may go (maxUnavailable 1).
    await deploymentsController.reconcile(`${NS}/web`);
    all = await sets();
    expect(all.find((rs) => rs.metadata.name === first.metadata.name)!.spec?.replicas).toBe(3);
    await settle({ podsBecomeReady: true });
    all = await sets();
    expect(all.find((rs) => rs.metadata.name === first.metadata.name)!.spec?.replicas).toBe(0);
    expect(all.find((rs) => rs.metadata.name === second.metadata.name)!.spec?.replicas).toBe(4);
    const status = deployment().status!;
    expect(status).toMatchObject({ replicas: 4, updatedReplicas: 4, availableReplicas: 4, observedGeneration: 2 });
    const events = await eventMessages();
    expect(events).toContain(`ScalingReplicaSet: Scaled up replica set ${second.metadata.name} from 0 to 1`);
    expect(events).toContain(`ScalingReplicaSet: Scaled down replica set ${first.metadata.name} from 4 to 3`);
    expect(events).toContain(`ScalingReplicaSet: Scaled down replica set ${first.metadata.name} from 1 to 0`);
    // Never more than replicas + maxSurge pods were asked for at once.
    expect((await podList()).filter((p) => !p.metadata.deletionTimestamp).length).toBe(4);
  });

  it('scales the active ReplicaSet when only replicas change', async () => {
    await createDeployment();
    await settle({ podsBecomeReady: true });
    await deployments.guaranteedUpdate(NS, 'web', (d) => ({ ...d, spec: { ...d.spec, replicas: 5 } }));
    await settle({ podsBecomeReady: true });
    const [rs] = await sets();
    expect(rs.spec?.replicas).toBe(5);
    expect(rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas']).toBe('5');
    expect(rs.metadata.annotations?.['deployment.kubernetes.io/max-replicas']).toBe('7');
    expect(await eventMessages()).toContain(`ScalingReplicaSet: Scaled up replica set ${rs.metadata.name} from 3 to 5`);
    expect(deployment().status).toMatchObject({ replicas: 5, availableReplicas: 5, observedGeneration: 2 });
  });

  it('a deployment scaled to zero is complete, with its counts left out of the status', async () => {
    await createDeployment({ replicas: 0 });
    await settle({ podsBecomeReady: true });
    const status = deployment().status!;
    expect(status.replicas).toBeUndefined();
    expect(status.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable'],
      ['Progressing', 'True', 'NewReplicaSetAvailable'],
    ]);
    expect(await eventMessages()).not.toContainEqual(expect.stringMatching(/^ScalingReplicaSet/));
  });

  it('Recreate: scales every old ReplicaSet to zero and starts the new one when its pods are gone', async () => {
    await createDeployment({ strategy: { type: 'Recreate' } });
    await settle({ podsBecomeReady: true });
    const [first] = await sets();
    await setImage('nginx:2.0');
    await deploymentsController.reconcile(`${NS}/web`);
    expect((await sets()).map((rs) => [rs.metadata.name, rs.spec?.replicas])).toEqual([[first.metadata.name, 0]]);
    await settle({ podsBecomeReady: true });
    const all = await sets();
    expect(all).toHaveLength(2);
    const second = all.find((rs) => rs.metadata.name !== first.metadata.name)!;
    expect(second.spec?.replicas).toBe(3);
    expect(await eventMessages()).toContain(`ScalingReplicaSet: Scaled up replica set ${second.metadata.name} from 0 to 3`);
  });

  it('a paused deployment takes no rollout step and says so; resuming rolls out', async () => {
    await createDeployment();
    await settle({ podsBecomeReady: true });
    await deployments.guaranteedUpdate(NS, 'web', (d) => ({ ...d, spec: { ...d.spec, paused: true } }));
    await setImage('nginx:2.0');
    await settle({ podsBecomeReady: true });
    expect(await sets()).toHaveLength(1);
    expect(deployment().status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
    expect(deployment().status?.observedGeneration).toBe(deployment().metadata.generation);
    await deployments.guaranteedUpdate(NS, 'web', (d) => ({ ...d, spec: { ...d.spec, paused: undefined } }));
    await deploymentsController.reconcile(`${NS}/web`);
    expect(await sets()).toHaveLength(2);
    await settle({ podsBecomeReady: true });
    expect(deployment().status).toMatchObject({ updatedReplicas: 3, availableReplicas: 3 });
    expect(deployment().status?.conditions?.find((c) => c.type === 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
  });

  it('rolling back reuses the old ReplicaSet under a new revision, remembering the old one', async () => {
    await createDeployment();
    await settle({ podsBecomeReady: true });
    const [first] = await sets();
    await setImage('nginx:2.0');
    await settle({ podsBecomeReady: true });
    await setImage('nginx:1.0');
    await settle({ podsBecomeReady: true });
    const all = await sets();
    expect(all).toHaveLength(2);
    const reused = all.find((rs) => rs.metadata.name === first.metadata.name)!;
    expect(reused.spec?.replicas).toBe(3);
    expect(reused.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect(reused.metadata.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1');
    expect(deployment().metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
  });

  it('deletes old, scaled-down ReplicaSets beyond revisionHistoryLimit', async () => {
    await createDeployment({ revisionHistoryLimit: 1 });
    for (const image of ['nginx:1.0', 'nginx:2.0', 'nginx:3.0', 'nginx:4.0']) {
      await setImage(image);
      await settle({ podsBecomeReady: true });
    }
    const all = await sets();
    expect(all).toHaveLength(2);
    expect(all.map((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision']).sort()).toEqual(['3', '4']);
  });

  it('reports ProgressDeadlineExceeded when no progress is made in time', async () => {
    await createDeployment({ progressDeadlineSeconds: 30 });
    await settle();
    const result = await deploymentsController.reconcile(`${NS}/web`);
    expect(result).toEqual({ requeueAfterMs: 31_000 });
    env.clock.advance(31_000);
    await deploymentsController.reconcile(`${NS}/web`);
    const rsName = (await sets())[0].metadata.name;
    expect(deployment().status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: `ReplicaSet "${rsName}" has timed out progressing.`,
    });
  });

  it("carries the new ReplicaSet's ReplicaFailure condition over", async () => {
    const gated = { metadata: { labels: { app: 'web' } }, spec: { nodeName: 'kubemu-node-1', schedulingGates: [{ name: 'wait' }], containers: [{ name: 'web', image: 'nginx' }] } };
    await createDeployment({ template: gated });
    await deploymentsController.reconcile(`${NS}/web`);
    const [rs] = await sets();
    await expect(replicaSetsController.reconcile(`${NS}/${rs.metadata.name}`)).rejects.toThrow();
    await deploymentsController.reconcile(`${NS}/web`);
    const failure = deployment().status?.conditions?.find((c) => c.type === 'ReplicaFailure');
    expect(failure).toMatchObject({ status: 'True', reason: 'FailedCreate', message: expect.stringContaining('cannot be set until all schedulingGates have been cleared') });
    expect(failure?.lastUpdateTime).toBe(failure?.lastTransitionTime);
  });

  it('adopts a matching orphan ReplicaSet with the template as its own', async () => {
    const d = await createDeployment();
    const hash = podTemplateHash(d.spec!.template);
    await replicaSets.create(NS, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: `web-${hash}`, labels: { app: 'web', 'pod-template-hash': hash } },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': hash } }, template: { ...d.spec!.template!, metadata: { labels: { app: 'web', 'pod-template-hash': hash } } } },
    });
    await deploymentsController.reconcile(`${NS}/web`);
    const all = await sets();
    expect(all).toHaveLength(1);
    expect(all[0].metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', uid: d.metadata.uid, controller: true });
  });
});
