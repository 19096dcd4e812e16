/**
 * Pods whose ConfigMaps or Secrets are missing, as learners meet them: a missing volume source
 * holds the pod in ContainerCreating with a FailedMount event, a missing reference in the
 * environment gives CreateContainerConfigError; both start once the object (and key) exists.
 * The cluster runs ten times faster, so the kubelet's 10 s retries take a second.
 */
import { eventually, parseTable, startKubemu, type Kubemu } from '../support/kubemu';

let k: Kubemu;

beforeAll(async () => {
  k = await startKubemu({ timeScale: 10 });
});
afterAll(() => k.close());

const ok = (args: string[]) => k.ok(args);
const status = async (pod: string) => parseTable(await ok(['get', 'pod', pod])).rows[0][2];

describe('pods waiting for their configuration', () => {
  it('reports CreateContainerConfigError for a missing ConfigMap key and starts once it exists', async () => {
    await ok(['run', 'envpod', '--image=nginx', '--overrides={"spec":{"containers":[{"name":"envpod","image":"nginx","env":[{"name":"LEVEL","valueFrom":{"configMapKeyRef":{"name":"settings","key":"level"}}}]}]}}']);
    await eventually(async () => ((await status('envpod')) === 'CreateContainerConfigError' ? true : undefined), 10_000, 'CreateContainerConfigError');
    expect(await ok(['get', 'pod', 'envpod', '-o', 'jsonpath={.status.containerStatuses[0].state.waiting.message}'])).toBe('configmap "settings" not found');
    expect(await ok(['describe', 'pod', 'envpod'])).toMatch(/Warning\s+Failed\s+.*kubelet\s+Error: configmap "settings" not found/);
    await ok(['create', 'configmap', 'settings', '--from-literal=other=1']);
    await eventually(
      async () => ((await ok(['get', 'pod', 'envpod', '-o', 'jsonpath={.status.containerStatuses[0].state.waiting.message}'])) === "couldn't find key level in ConfigMap default/settings" ? true : undefined),
      10_000,
      'the missing key reported',
    );
    expect(await ok(['get', 'pod', 'envpod', '-o', 'jsonpath={.status.phase}'])).toBe('Pending');
    await ok(['patch', 'configmap', 'settings', '--type=merge', '-p', '{"data":{"level":"debug"}}']);
    await ok(['wait', '--for=condition=Ready', 'pod/envpod', '--timeout=30s']);
    expect(await ok(['exec', 'envpod', '--', 'printenv', 'LEVEL'])).toBe('debug\n');
  });

  it('holds a pod in ContainerCreating while a volume Secret is missing', async () => {
    await ok(['run', 'volpod', '--image=nginx', '--overrides={"spec":{"containers":[{"name":"volpod","image":"nginx","volumeMounts":[{"name":"creds","mountPath":"/etc/creds"}]}],"volumes":[{"name":"creds","secret":{"secretName":"creds"}}]}}']);
    await eventually(async () => ((await ok(['describe', 'pod', 'volpod'])).includes('MountVolume.SetUp failed for volume "creds" : secret "creds" not found') ? true : undefined), 10_000, 'FailedMount');
    expect(await status('volpod')).toBe('ContainerCreating');
    expect(await ok(['get', 'pod', 'volpod', '-o', 'jsonpath={.status.podIP}'])).toBe('');
    await ok(['create', 'secret', 'generic', 'creds', '--from-literal=password=s3cret']);
    await ok(['wait', '--for=condition=Ready', 'pod/volpod', '--timeout=30s']);
    expect(await ok(['exec', 'volpod', '--', 'cat', '/etc/creds/password'])).toBe('s3cret');
  });
});
