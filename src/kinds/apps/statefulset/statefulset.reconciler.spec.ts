import { seededRegistry, type SeededRegistry } from '../../../../test/support/registry';
import type { Reconciler } from '../../../controller-runtime/reconciler';
import type { GenericStore } from '../../../registry/generic-store';
import { defaultListOptions } from '../../../registry/list-options';
import { formatTime } from '../../../simulation/clock';
import type { Pod } from '../../core/pod/pod.types';
import type { ControllerRevision } from '../controllerrevision/controllerrevision.types';
import { statefulSetReconciler } from './statefulset.reconciler';
import type { StatefulSet } from './statefulset.types';

let env: SeededRegistry;
let reconciler: Reconciler;
let sets: GenericStore<StatefulSet>;
let pods: GenericStore<Pod>;
const NS = 'default';
const KEY = `${NS}/kafka`;

beforeEach(async () => {
  env = await seededRegistry();
  reconciler = statefulSetReconciler(env.registry, env.clock);
  sets = env.registry.forKind<StatefulSet>('apps', 'StatefulSet');
  pods = env.registry.forKind<Pod>('', 'Pod');
});
afterEach(() => env.close());

async function createSet(extra: Partial<StatefulSet['spec']> = {}): Promise<StatefulSet> {
  const { object } = await sets.create(NS, {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'kafka' },
    spec: {
      replicas: 3,
      serviceName: 'kafka',
      selector: { matchLabels: { app: 'kafka' } },
      template: { metadata: { labels: { app: 'kafka' } }, spec: { containers: [{ name: 'kafka', image: 'kafka:3.7' }] } },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      ...extra,
    },
  });
  return object as StatefulSet;
}

const podNames = async () => (await pods.list(NS, defaultListOptions())).items.map((e) => e.object.metadata.name!).sort();
const pod = (name: string) => pods.get(NS, name) as Pod;
const set = () => sets.get(NS, 'kafka') as StatefulSet;

/** What the kubelet would write: Running and Ready. */
async function makeReady(name: string): Promise<void> {
  await pods.guaranteedUpdate(NS, name, (p) => ({ ...p, status: { ...p.status, phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: formatTime(env.clock.now()) }] } }), {}, 'status');
}

/** The kubelet's part of a deletion: a deleted pod is gone at once here. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const before = sets.currentRevision();
    await reconciler.reconcile(KEY);
    for (const p of (await pods.list(NS, defaultListOptions())).items.map((e) => e.object as Pod)) {
      if (p.metadata.deletionTimestamp) await pods.delete(NS, p.metadata.name!, { gracePeriodSeconds: 0 });
      else if (p.status?.phase !== 'Running') await makeReady(p.metadata.name!);
    }
    if (sets.currentRevision() === before) return;
  }
}

describe('statefulset reconciler', () => {
  it('creates pods in order, each once the ones before it are Running and Ready', async () => {
    const sts = await createSet();
    await reconciler.reconcile(KEY);
    expect(await podNames()).toEqual(['kafka-0']);
    await reconciler.reconcile(KEY);
    expect(await podNames()).toEqual(['kafka-0']);
    const first = pod('kafka-0');
    expect(first.spec).toMatchObject({ hostname: 'kafka-0', subdomain: 'kafka', volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-kafka-0' } }] });
    const revision = set().status?.updateRevision;
    expect(revision).toMatch(/^kafka-[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(first.metadata.labels).toEqual({ app: 'kafka', 'statefulset.kubernetes.io/pod-name': 'kafka-0', 'apps.kubernetes.io/pod-index': '0', 'controller-revision-hash': revision });
    expect(first.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'kafka', uid: sts.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    const claim = env.registry.forKind('', 'PersistentVolumeClaim').get(NS, 'data-kafka-0');
    expect(claim.metadata.labels).toEqual({ app: 'kafka' });
    expect(claim.metadata.ownerReferences).toBeUndefined();
    await makeReady('kafka-0');
    await reconciler.reconcile(KEY);
    expect(await podNames()).toEqual(['kafka-0', 'kafka-1']);
    await settle();
    expect(await podNames()).toEqual(['kafka-0', 'kafka-1', 'kafka-2']);
    expect(set().status).toEqual({
      observedGeneration: 1,
      replicas: 3,
      readyReplicas: 3,
      currentReplicas: 3,
      updatedReplicas: 3,
      currentRevision: revision,
      updateRevision: revision,
      collisionCount: 0,
      availableReplicas: 3,
    });
    const revisions = (await env.registry.forKind<ControllerRevision>('apps', 'ControllerRevision').list(NS, defaultListOptions())).items.map((e) => e.object as ControllerRevision);
    expect(revisions).toHaveLength(1);
    expect(revisions[0]).toMatchObject({ revision: 1, metadata: { name: revision, labels: { app: 'kafka' } } });
    expect((revisions[0].data as { spec: { template: { $patch: string } } }).spec.template.$patch).toBe('replace');
    const events = (await env.registry.forKind('', 'Event').list(NS, defaultListOptions())).items.map((e) => e.object.message as string);
    expect(events).toEqual(expect.arrayContaining(['create Claim data-kafka-0 Pod kafka-0 in StatefulSet kafka success', 'create Pod kafka-0 in StatefulSet kafka successful']));
  });

  it('creates every pod at once with the Parallel policy', async () => {
    await createSet({ podManagementPolicy: 'Parallel' });
    await reconciler.reconcile(KEY);
    expect(await podNames()).toEqual(['kafka-0', 'kafka-1', 'kafka-2']);
  });

  it('scales down from the highest ordinal, one pod at a time, keeping the claims', async () => {
    await createSet();
    await settle();
    await sets.guaranteedUpdate(NS, 'kafka', (s) => ({ ...s, spec: { ...s.spec, replicas: 1 } }));
    await reconciler.reconcile(KEY);
    // Unscheduled pods go at once (no kubelet to wait for).
    expect(await podNames()).toEqual(['kafka-0', 'kafka-1']);
    await settle();
    expect(await podNames()).toEqual(['kafka-0']);
    const claims = (await env.registry.forKind('', 'PersistentVolumeClaim').list(NS, defaultListOptions())).items.map((e) => e.object.metadata.name);
    expect(claims).toEqual(['data-kafka-0', 'data-kafka-1', 'data-kafka-2']);
  });

  it('rolls a new template out from the highest ordinal down to the partition', async () => {
    await createSet();
    await settle();
    const first = set().status!.currentRevision;
    await sets.guaranteedUpdate(NS, 'kafka', (s) => {
      s.spec!.template!.spec!.containers![0].image = 'kafka:3.8';
      s.spec!.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 1 } };
      return s;
    });
    await reconciler.reconcile(KEY);
    const second = set().status!.updateRevision;
    expect(second).not.toBe(first);
    expect(await podNames()).toEqual(['kafka-0', 'kafka-1']);
    await settle();
    const images = ['kafka-0', 'kafka-1', 'kafka-2'].map((n) => pod(n).spec!.containers![0].image);
    expect(images).toEqual(['kafka:3.7', 'kafka:3.8', 'kafka:3.8']);
    expect(set().status).toMatchObject({ currentRevision: first, updateRevision: second, currentReplicas: 1, updatedReplicas: 2 });
    // Partition 0 finishes the rollout, and the update revision becomes the current one.
    await sets.guaranteedUpdate(NS, 'kafka', (s) => ({ ...s, spec: { ...s.spec, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } } }));
    await settle();
    expect(pod('kafka-0').spec!.containers![0].image).toBe('kafka:3.8');
    expect(set().status).toMatchObject({ currentRevision: second, updateRevision: second, currentReplicas: 3, updatedReplicas: 3 });
  });

  it('leaves running pods alone with OnDelete, and recreates a deleted one from the new template', async () => {
    await createSet({ updateStrategy: { type: 'OnDelete' } });
    await settle();
    await sets.guaranteedUpdate(NS, 'kafka', (s) => {
      s.spec!.template!.spec!.containers![0].image = 'kafka:3.8';
      return s;
    });
    await settle();
    expect(pod('kafka-2').spec!.containers![0].image).toBe('kafka:3.7');
    await pods.delete(NS, 'kafka-2', { gracePeriodSeconds: 0 });
    await settle();
    expect(pod('kafka-2').spec!.containers![0].image).toBe('kafka:3.8');
    expect(set().status).toMatchObject({ updatedReplicas: 1, currentReplicas: 2 });
  });
});
