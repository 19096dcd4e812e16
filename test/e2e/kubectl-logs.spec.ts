/**
 * kubectl logs against simulated containers: the output of their commands (with the times their
 * sleeps put between lines), a server image's start-up lines, --previous after a restart,
 * --tail, --timestamps, -f until the container stops, and the server's refusals.
 */
import { eventually, startKubemu, type Kubemu } from '../support/kubemu';

let k: Kubemu;

beforeAll(async () => {
  k = await startKubemu();
});
afterAll(() => k.close());

const ok = (args: string[]) => k.ok(args);

describe('kubectl logs', () => {
  it("prints what a finished pod's command wrote, the Job example's pi included", async () => {
    await ok(['run', 'pi', '--image=perl:5.34.0', '--restart=Never', '--', 'perl', '-Mbignum=bpi', '-wle', 'print bpi(30)']);
    await ok(['run', 'hello', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'echo "hello from $HOSTNAME"; echo oops >&2']);
    await ok(['wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/pi', 'pod/hello', '--timeout=30s']);
    expect(await ok(['logs', 'pi'])).toBe('3.14159265358979323846264338328\n');
    expect(await ok(['logs', 'hello'])).toBe('hello from hello\noops\n');
  });

  it('shows a server image starting, with --tail and --timestamps', async () => {
    await ok(['run', 'web', '--image=nginx']);
    await ok(['wait', '--for=condition=Ready', 'pod/web', '--timeout=30s']);
    const all = await ok(['logs', 'web']);
    expect(all).toContain('Configuration complete; ready for start up');
    expect(await ok(['logs', 'web', '--tail=1'])).toMatch(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[notice\] 1#1: start worker processes\n$/);
    expect(await ok(['logs', 'web', '--tail=1', '--timestamps'])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z \d{4}\/\d\d\/\d\d /);
  });

  it('follows a running container until it stops', async () => {
    await ok(['run', 'ticker', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'echo one; sleep 1; echo two; sleep 1; echo three']);
    await eventually(async () => ((await ok(['get', 'pod', 'ticker', '-o', 'jsonpath={.status.phase}'])) === 'Running' ? true : undefined), 10_000, 'ticker running');
    const started = Date.now();
    expect(await ok(['logs', '-f', 'ticker'])).toBe('one\ntwo\nthree\n');
    expect(Date.now() - started).toBeGreaterThan(1000);
  });

  it('reads the previous run of a restarted container', async () => {
    await ok(['run', 'crash', '--image=busybox', '--', 'sh', '-c', 'echo crashing; exit 1']);
    await eventually(async () => ((await ok(['get', 'pod', 'crash', '-o', 'jsonpath={.status.containerStatuses[0].restartCount}'])) === '1' ? true : undefined), 10_000, 'a restart');
    expect(await ok(['logs', 'crash', '--previous'])).toBe('crashing\n');
    const none = await k.kubectl(['logs', 'web', '--previous']);
    expect(none.stderr).toContain('previous terminated container "web" in pod "web" not found');
  });

  it('refuses what the real server refuses', async () => {
    await ok(['run', 'two', '--image=nginx', '--overrides={"spec":{"containers":[{"name":"a","image":"nginx"},{"name":"b","image":"nginx"}]}}']);
    const raw = await k.api.request('GET', '/api/v1/namespaces/default/pods/two/log');
    expect(raw.status).toBe(400);
    expect(raw.text).toContain('a container name must be specified for pod two, choose one of: [a b]');
    expect((await k.kubectl(['logs', 'web', '-c', 'nope'])).stderr).toContain('container nope is not valid for pod web');
    const bad = await k.api.request('GET', '/api/v1/namespaces/default/pods/web/log?tailLines=-1');
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('tailLines: Invalid value: -1: must be greater than or equal to 0');
  });

  it('lists the connect subresources in discovery', async () => {
    const list = (await k.api.request<{ resources: { name: string; kind: string; verbs: string[] }[] }>('GET', '/api/v1')).body;
    expect(list.resources.filter((r) => ['pods/log', 'pods/exec', 'pods/attach'].includes(r.name)).map((r) => [r.name, r.kind, r.verbs])).toEqual([
      ['pods/attach', 'PodAttachOptions', ['create', 'get']],
      ['pods/exec', 'PodExecOptions', ['create', 'get']],
      ['pods/log', 'Pod', ['get']],
    ]);
  });
});
