/**
 * Pods through real kubectl, with the scheduler and the simulated kubelets at work: pods become
 * Running and Ready on a node with an IP, report their events, finish when their program does,
 * wait for a node that fits, and are deleted gracefully. The JavaScript client reads the statuses.
 */
import { clientNodeFor } from '../support/client-node';
import { kubectlBinary, parseTable, startKubemu, type Kubemu } from '../support/kubemu';

let k: Kubemu;

beforeAll(async () => {
  k = await startKubemu();
});
afterAll(() => k.close());

const ok = (args: string[], binary?: string) => k.ok(args, { binary });

describe('pods on simulated nodes', () => {
  it('runs a pod to Ready on a node with an address from that node, and says so in describe', async () => {
    await ok(['run', 'web', '--image=nginx', '--labels=app=web']);
    expect(await ok(['wait', '--for=condition=Ready', 'pod/web', '--timeout=30s'])).toContain('pod/web condition met');
    const table = parseTable(await ok(['get', 'pod', 'web', '-o', 'wide']));
    expect(table.header.split(/\s{2,}/)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    const [name, ready, status, restarts, , ip, node] = table.rows[0];
    expect([name, ready, status, restarts]).toEqual(['web', '1/1', 'Running', '0']);
    expect(node).toMatch(/^kubemu-node-\d$/);
    const cidr = await ok(['get', 'node', node, '-o', 'jsonpath={.spec.podCIDR}']);
    expect(ip.split('.').slice(0, 3).join('.')).toBe(cidr.split('.').slice(0, 3).join('.'));

    const described = await ok(['describe', 'pod', 'web']);
    expect(described).toMatch(/^Status:\s+Running$/m);
    expect(described).toMatch(new RegExp(`^IP:\\s+${ip.replace(/\./g, '\\.')}$`, 'm'));
    expect(described).toMatch(new RegExp(`Normal\\s+Scheduled\\s+.*default-scheduler\\s+Successfully assigned default/web to ${node}`));
    expect(described).toMatch(/Normal\s+Pulling\s+.*kubelet\s+Pulling image "nginx"/);
    expect(described).toMatch(/Normal\s+Started\s+.*kubelet\s+Started container web/);
  });

  it('spreads a handful of pods over the nodes and gives each its own address', async () => {
    for (let i = 0; i < 6; i++) await ok(['run', `spread-${i}`, '--image=nginx', '--labels=group=spread']);
    await ok(['wait', '--for=condition=Ready', 'pod', '-l', 'group=spread', '--timeout=30s']);
    const rows = parseTable(await ok(['get', 'pods', '-l', 'group=spread', '-o', 'wide'])).rows;
    expect(new Set(rows.map((r) => r[5])).size).toBe(6);
    expect(new Set(rows.map((r) => r[6])).size).toBe(3);
  });

  it('completes a pod whose program ends, and shows a failing one as Error', async () => {
    await ok(['run', 'once', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'echo hello']);
    await ok(['run', 'broken', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'exit 3']);
    await ok(['wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/once', '--timeout=30s']);
    await ok(['wait', '--for=jsonpath={.status.phase}=Failed', 'pod/broken', '--timeout=30s']);
    const rows = parseTable(await ok(['get', 'pods', 'once', 'broken'])).rows;
    expect(rows.map((r) => r.slice(0, 3))).toEqual([
      ['once', '0/1', 'Completed'],
      ['broken', '0/1', 'Error'],
    ]);
    expect(await ok(['get', 'pod', 'broken', '-o', 'jsonpath={.status.containerStatuses[0].state.terminated.exitCode}'])).toBe('3');
  });

  it('keeps a pod Pending with the scheduler\'s reason until a node fits, then runs it there', async () => {
    await ok(['run', 'picky', '--image=nginx', '--overrides={"spec":{"nodeSelector":{"disktype":"ssd"}}}']);
    const message = "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
    for (let i = 0; i < 50; i++) {
      if ((await ok(['get', 'pod', 'picky', '-o', 'jsonpath={.status.conditions[0].message}'])) === message) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const described = await ok(['describe', 'pod', 'picky']);
    expect(described).toMatch(/^Status:\s+Pending$/m);
    expect(described).toContain(`Warning  FailedScheduling`);
    expect(described).toContain(message);
    await ok(['label', 'node', 'kubemu-node-2', 'disktype=ssd']);
    await ok(['wait', '--for=condition=Ready', 'pod/picky', '--timeout=30s']);
    expect(await ok(['get', 'pod', 'picky', '-o', 'jsonpath={.spec.nodeName}'])).toBe('kubemu-node-2');
  });

  it('deletes a running pod gracefully: kubectl waits until its kubelet has removed it', async () => {
    await ok(['run', 'doomed', '--image=nginx']);
    await ok(['wait', '--for=condition=Ready', 'pod/doomed', '--timeout=30s']);
    expect(await ok(['delete', 'pod', 'doomed'])).toContain('pod "doomed" deleted');
    const after = await k.kubectl(['get', 'pod', 'doomed']);
    expect(after.stderr).toContain('pods "doomed" not found');
    const events = await ok(['get', 'events', '--field-selector', 'involvedObject.name=doomed,reason=Killing', '-o', 'jsonpath={.items[*].message}']);
    expect(events).toBe('Stopping container doomed');
  });

  it('works the same with kubectl 1.27', async () => {
    const kubectl127 = kubectlBinary(27);
    await ok(['run', 'old', '--image=nginx'], kubectl127);
    await ok(['wait', '--for=condition=Ready', 'pod/old', '--timeout=30s'], kubectl127);
    expect(parseTable(await ok(['get', 'pod', 'old'], kubectl127)).rows[0].slice(0, 3)).toEqual(['old', '1/1', 'Running']);
    await ok(['delete', 'pod', 'old'], kubectl127);
  });

  it('gives the JavaScript client typed statuses of running pods', async () => {
    const { k8s, kc } = await clientNodeFor(k.url);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const web = await core.readNamespacedPod({ name: 'web', namespace: 'default' });
    expect(web.status?.phase).toBe('Running');
    expect(web.status?.containerStatuses?.[0].state?.running?.startedAt).toBeInstanceOf(Date);
    expect(web.status?.containerStatuses?.[0].imageID).toMatch(/^docker\.io\/library\/nginx@sha256:/);
    expect(web.status?.podIPs?.[0].ip).toBe(web.status?.podIP);
  });
});
