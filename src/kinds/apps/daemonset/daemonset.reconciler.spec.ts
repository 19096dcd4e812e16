import { seededRegistry, type SeededRegistry } from '../../../../test/support/registry';
import type { Reconciler } from '../../../controller-runtime/reconciler';
import type { GenericStore } from '../../../registry/generic-store';
import { defaultListOptions } from '../../../registry/list-options';
import { formatTime } from '../../../simulation/clock';
import type { Node } from '../../../simulation/scheduler';
import type { Pod } from '../../core/pod/pod.types';
import { daemonSetReconciler } from './daemonset.reconciler';
import type { DaemonSet } from './daemonset.types';

let env: SeededRegistry;
let reconciler: Reconciler;
let daemonSets: GenericStore<DaemonSet>;
let pods: GenericStore<Pod>;
let nodes: GenericStore<Node>;
const NS = 'kube-system';
const KEY = `${NS}/agent`;

beforeEach(async () => {
  env = await seededRegistry();
  reconciler = daemonSetReconciler(env.registry, env.clock);
  daemonSets = env.registry.forKind<DaemonSet>('apps', 'DaemonSet');
  pods = env.registry.forKind<Pod>('', 'Pod');
  nodes = env.registry.forKind<Node>('', 'Node');
  await createNode('node-1', { 'node-role.kubernetes.io/control-plane': '' }, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
  await createNode('node-2', { disk: 'ssd' });
  await createNode('node-3', {});
});
afterEach(() => env.close());

async function createNode(name: string, labels: Record<string, string>, taints: { key: string; effect: string }[] = []): Promise<void> {
  await nodes.create(undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } }, spec: { taints } });
}

async function createDaemonSet(extra: Partial<DaemonSet['spec']> = {}): Promise<DaemonSet> {
  const { object } = await daemonSets.create(NS, {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'fluentd:1' }] } },
      ...extra,
    },
  });
  return object as DaemonSet;
}

const daemonPods = async () => (await pods.list(NS, defaultListOptions())).items.map((e) => e.object as Pod);
const targetOf = (pod: Pod) =>
  ((pod.spec?.affinity?.nodeAffinity as { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: { matchFields: { values: string[] }[] }[] } }).requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0]);
const ds = () => daemonSets.get(NS, 'agent') as DaemonSet;

/** The scheduler and kubelet's part: bind each pod to its node, Running and Ready; deleted pods go. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    const before = daemonSets.currentRevision();
    await reconciler.reconcile(KEY);
    for (const pod of await daemonPods()) {
      if (pod.metadata.deletionTimestamp) {
        await pods.delete(NS, pod.metadata.name!, { gracePeriodSeconds: 0 });
      } else if (pod.status?.phase !== 'Running') {
        if (!pod.spec?.nodeName) {
          await pods.act(NS, pod.metadata.name!, 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: pod.metadata.name }, target: { kind: 'Node', name: targetOf(pod) } });
        }
        await pods.guaranteedUpdate(NS, pod.metadata.name!, (p) => ({
          ...p,
          status: { ...p.status, phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: formatTime(env.clock.now()) }] },
        }), {}, 'status');
      }
    }
    if (daemonSets.currentRevision() === before) return;
  }
}

describe('daemonset reconciler', () => {
  it('runs one pod per untainted node, pinned by node affinity, with the daemon tolerations', async () => {
    const created = await createDaemonSet();
    expect(created.metadata.annotations).toEqual({ 'deprecated.daemonset.template.generation': '1' });
    expect(created.spec?.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    await reconciler.reconcile(KEY);
    const list = await daemonPods();
    expect(list.map(targetOf).sort()).toEqual(['node-2', 'node-3']);
    const pod = list[0];
    expect(pod.metadata.name).toMatch(/^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(pod.metadata.labels).toEqual({ app: 'agent', 'controller-revision-hash': expect.stringMatching(/^[bcdfghjklmnpqrstvwxz2456789]+$/), 'pod-template-generation': '1' });
    expect(pod.spec?.affinity).toEqual({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [targetOf(pod)] }] }] } } });
    expect(pod.spec?.tolerations?.map((t) => `${t.key}:${t.effect}`)).toEqual([
      'node.kubernetes.io/not-ready:NoExecute',
      'node.kubernetes.io/unreachable:NoExecute',
      'node.kubernetes.io/disk-pressure:NoSchedule',
      'node.kubernetes.io/memory-pressure:NoSchedule',
      'node.kubernetes.io/pid-pressure:NoSchedule',
      'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
    await settle();
    expect(ds().status).toEqual({ currentNumberScheduled: 2, numberMisscheduled: 0, desiredNumberScheduled: 2, numberReady: 2, observedGeneration: 1, updatedNumberScheduled: 2, numberAvailable: 2 });
  });

  it('honours node selectors and tolerations, and removes pods from nodes that stop matching', async () => {
    await createDaemonSet({ template: { metadata: { labels: { app: 'agent' } }, spec: { nodeSelector: { disk: 'ssd' }, containers: [{ name: 'agent', image: 'fluentd:1' }] } } });
    await settle();
    expect((await daemonPods()).map(targetOf)).toEqual(['node-2']);
    await nodes.guaranteedUpdate(undefined, 'node-2', (n) => ({ ...n, metadata: { ...n.metadata, labels: { 'kubernetes.io/hostname': 'node-2' } } }));
    await settle();
    expect(await daemonPods()).toEqual([]);
    await daemonSets.guaranteedUpdate(NS, 'agent', (d) => {
      d.spec!.template!.spec = { containers: [{ name: 'agent', image: 'fluentd:1' }], tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] };
      return d;
    });
    await settle();
    expect((await daemonPods()).map(targetOf).sort()).toEqual(['node-1', 'node-2', 'node-3']);
    expect(ds().metadata.annotations?.['deprecated.daemonset.template.generation']).toBe('2');
  });

  it('rolls a new template out one node at a time', async () => {
    await createDaemonSet();
    await settle();
    const oldHash = (await daemonPods())[0].metadata.labels?.['controller-revision-hash'];
    await daemonSets.guaranteedUpdate(NS, 'agent', (d) => {
      d.spec!.template!.spec!.containers![0].image = 'fluentd:2';
      return d;
    });
    await reconciler.reconcile(KEY);
    // One old pod goes (maxUnavailable 1); the other waits.
    const old = (await daemonPods()).filter((p) => p.metadata.labels?.['controller-revision-hash'] === oldHash);
    expect(old.filter((p) => p.metadata.deletionTimestamp)).toHaveLength(1);
    expect(old.filter((p) => !p.metadata.deletionTimestamp)).toHaveLength(1);
    await settle();
    const list = await daemonPods();
    expect(list.map((p) => p.spec?.containers?.[0].image)).toEqual(['fluentd:2', 'fluentd:2']);
    expect(ds().status).toMatchObject({ desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 2, observedGeneration: 2 });
    const revisions = (await env.registry.forKind('apps', 'ControllerRevision').list(NS, defaultListOptions())).items.map((e) => e.object);
    expect(revisions.map((r) => r.revision).sort()).toEqual([1, 2]);
    expect(revisions.every((r) => r.metadata.name === `agent-${r.metadata.labels?.['controller-revision-hash']}`)).toBe(true);
  });

  it('with maxSurge starts the new pod beside the old one and removes the old one once the new is available', async () => {
    await createDaemonSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } });
    await settle();
    await daemonSets.guaranteedUpdate(NS, 'agent', (d) => {
      d.spec!.template!.spec!.containers![0].image = 'fluentd:2';
      return d;
    });
    await reconciler.reconcile(KEY);
    const list = await daemonPods();
    // One node has both pods, the other still only its old one.
    expect(list).toHaveLength(3);
    expect(list.filter((p) => p.spec?.containers?.[0].image === 'fluentd:2')).toHaveLength(1);
    expect(list.every((p) => !p.metadata.deletionTimestamp)).toBe(true);
    await settle();
    const after = await daemonPods();
    expect(after.map((p) => p.spec?.containers?.[0].image)).toEqual(['fluentd:2', 'fluentd:2']);
    expect(after.map(targetOf).sort()).toEqual(['node-2', 'node-3']);
  });
});
