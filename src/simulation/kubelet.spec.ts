import { Cluster } from '../cluster';
import { loadConfig } from '../config/config';
import type { Pod } from '../kinds/core/pod/pod.types';
import { ManualClock } from './clock';
import { fullImageName, imageID } from './images';
import { POD_STARTUP_MS } from './kubelet';
import { until } from '../../test/support/until';

describe('image names as the runtime reports them', () => {
  it('spells out registry, repository and tag', () => {
    expect(fullImageName('nginx')).toBe('docker.io/library/nginx:latest');
    expect(fullImageName('bitnami/redis:7')).toBe('docker.io/bitnami/redis:7');
    expect(fullImageName('registry.k8s.io/pause:3.9')).toBe('registry.k8s.io/pause:3.9');
    expect(fullImageName('localhost:5000/app')).toBe('localhost:5000/app:latest');
    expect(imageID('nginx')).toMatch(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    expect(imageID('nginx')).toBe(imageID('nginx:latest'));
  });
});

describe('scheduler and kubelet on manual time', () => {
  let clock: ManualClock;
  let cluster: Cluster;
  const pods = () => cluster.registry.forKind<Pod>('', 'Pod');
  const pod = (name: string) => pods().find('default', name)?.object as Pod | undefined;

  beforeEach(async () => {
    clock = new ManualClock(Date.now());
    cluster = await Cluster.open(loadConfig(['--data-dir', ':memory:', '--log-level', 'silent'], {}), clock);
  });
  afterEach(() => cluster.close());

  const create = (name: string, spec: Pod['spec']) => pods().create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec });

  it('binds a pod, reports ContainerCreating, then Running and Ready with an address of its node', async () => {
    await create('web', { containers: [{ name: 'web', image: 'nginx' }] });
    const accepted = await until(() => (pod('web')?.status?.startTime ? pod('web') : undefined), 'the pod accepted');
    expect(accepted.status?.phase).toBe('Pending');
    expect(accepted.status?.containerStatuses?.[0].state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    expect(accepted.status?.conditions?.map((c) => [c.type, c.status])).toEqual([
      ['PodReadyToStartContainers', 'False'],
      ['Initialized', 'True'],
      ['Ready', 'False'],
      ['ContainersReady', 'False'],
      ['PodScheduled', 'True'],
    ]);
    clock.advance(POD_STARTUP_MS);
    const running = await until(() => (pod('web')?.status?.phase === 'Running' ? pod('web') : undefined), 'the pod running');
    const node = cluster.registry.forKind('', 'Node').find(undefined, running.spec!.nodeName!)!.object as { spec: { podCIDR: string } };
    expect(running.status?.podIP?.split('.').slice(0, 3)).toEqual(node.spec.podCIDR.split('.').slice(0, 3));
    expect(running.status?.conditions?.every((c) => c.status === 'True')).toBe(true);
    expect(running.status?.containerStatuses?.[0]).toMatchObject({ name: 'web', ready: true, started: true, restartCount: 0, image: 'docker.io/library/nginx:latest' });
  });

  it('runs a finite program to Succeeded or Failed under restartPolicy Never', async () => {
    await create('ok', { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'sleep 10'] }] });
    await create('bad', { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'exit 2'] }] });
    await until(() => (pod('ok')?.status?.startTime && pod('bad')?.status?.startTime ? true : undefined), 'both accepted');
    clock.advance(POD_STARTUP_MS);
    await until(() => (pod('bad')?.status?.phase === 'Failed' ? true : undefined), 'the failing pod failed');
    expect(pod('bad')?.status?.containerStatuses?.[0].state?.terminated).toMatchObject({ exitCode: 2, reason: 'Error' });
    expect(pod('ok')?.status?.phase).toBe('Running');
    clock.advance(10_000);
    await until(() => (pod('ok')?.status?.phase === 'Succeeded' ? true : undefined), 'the sleeping pod succeeded');
    expect(pod('ok')?.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
  });

  it('restarts an exiting container under restartPolicy Always, then backs off', async () => {
    await create('loop', { containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'exit 1'] }] });
    await until(() => (pod('loop')?.status?.startTime ? true : undefined), 'accepted');
    clock.advance(POD_STARTUP_MS);
    const backingOff = await until(() => (pod('loop')?.status?.containerStatuses?.[0].state?.waiting?.reason === 'CrashLoopBackOff' ? pod('loop') : undefined), 'CrashLoopBackOff');
    expect(backingOff.status?.containerStatuses?.[0]).toMatchObject({ restartCount: 1, lastState: { terminated: { exitCode: 1, reason: 'Error' } } });
    expect(backingOff.status?.phase).toBe('Running');
    clock.advance(10_000);
    await until(() => ((pod('loop')?.status?.containerStatuses?.[0].restartCount ?? 0) >= 2 ? true : undefined), 'the second restart');
  });

  it('runs init containers first, one after another', async () => {
    await create('init', { initContainers: [{ name: 'prepare', image: 'busybox', command: ['sleep', '3'] }], containers: [{ name: 'app', image: 'nginx' }] });
    await until(() => (pod('init')?.status?.startTime ? true : undefined), 'accepted');
    clock.advance(POD_STARTUP_MS);
    const initializing = await until(() => (pod('init')?.status?.initContainerStatuses?.[0].state?.running ? pod('init') : undefined), 'the init container running');
    expect(initializing.status?.phase).toBe('Pending');
    expect(initializing.status?.containerStatuses?.[0].state).toEqual({ waiting: { reason: 'PodInitializing' } });
    clock.advance(3_000);
    const running = await until(() => (pod('init')?.status?.phase === 'Running' ? pod('init') : undefined), 'the app running');
    expect(running.status?.initContainerStatuses?.[0].state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });

  it('deletes a running pod gracefully: marked first, removed by its kubelet', async () => {
    await create('web', { containers: [{ name: 'web', image: 'nginx' }] });
    await until(() => (pod('web')?.status?.startTime ? true : undefined), 'accepted');
    clock.advance(POD_STARTUP_MS);
    await until(() => (pod('web')?.status?.phase === 'Running' ? true : undefined), 'running');
    const result = await pods().delete('default', 'web', {});
    expect(result.removed).toBe(false);
    expect(result.object.metadata.deletionGracePeriodSeconds).toBe(30);
    await until(() => (pod('web') ? undefined : true), 'the pod removed');
  });
});
