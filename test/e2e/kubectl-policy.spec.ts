/**
 * PodDisruptionBudgets and evictions through real kubectl: create pdb, the printer and describe,
 * the eviction subresource refusing with 429 while a budget forbids it, and kubectl drain
 * (cordon, evictions, the ReplicaSet recreating pods elsewhere) and uncordon; the Python client
 * reads budgets as typed objects and evicts through create_namespaced_pod_eviction.
 */
import { eventually, parseTable, startKubemu, type Kubemu } from '../support/kubemu';
import { ensureDebianPackage, runProcess } from '../support/process';

let k: Kubemu;

beforeAll(async () => {
  k = await startKubemu();
});
afterAll(() => k.close());

interface PodJson {
  metadata: { name: string; namespace: string; deletionTimestamp?: string };
  spec: { nodeName?: string };
  status: { phase: string; conditions?: { type: string; status: string }[] };
}

async function webPods(): Promise<PodJson[]> {
  const r = await k.kubectl(['get', 'pods', '-l', 'app=web', '-o', 'json']);
  return (JSON.parse(r.stdout) as { items: PodJson[] }).items;
}

const ready = (pod: PodJson) => !pod.metadata.deletionTimestamp && pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

async function allowedDisruptions(): Promise<string | undefined> {
  const table = parseTable((await k.kubectl(['get', 'pdb', 'web-pdb'])).stdout);
  return table.rows[0]?.[3];
}

describe('kubectl, PodDisruptionBudgets and evictions', () => {
  it('creates a budget whose status follows the pods', async () => {
    expect((await k.kubectl(['create', 'deployment', 'web', '--image=nginx', '--replicas=4'])).stdout.trim()).toBe('deployment.apps/web created');
    const created = await k.kubectl(['create', 'pdb', 'web-pdb', '--selector=app=web', '--min-available=4']);
    expect(created.stderr).toBe('');
    expect(created.stdout.trim()).toBe('poddisruptionbudget.policy/web-pdb created');
    await eventually(async () => ((await webPods()).filter(ready).length === 4 ? true : undefined), 15_000, 'four ready web pods');
    await eventually(async () => ((await k.kubectl(['get', 'pdb', 'web-pdb', '-o', 'jsonpath={.status.currentHealthy}'])).stdout === '4' ? true : undefined), 10_000, 'the budget to count them');
    const table = parseTable((await k.kubectl(['get', 'pdb'])).stdout);
    expect(table.header.split(/\s{2,}/)).toEqual(['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE']);
    expect(table.rows[0].slice(0, 4)).toEqual(['web-pdb', '4', 'N/A', '0']);
    const pdb = JSON.parse((await k.kubectl(['get', 'pdb', 'web-pdb', '-o', 'json'])).stdout) as { status: Record<string, unknown> };
    expect(pdb.status).toMatchObject({ currentHealthy: 4, desiredHealthy: 4, disruptionsAllowed: 0, expectedPods: 4, observedGeneration: 1 });
    expect(pdb.status.conditions).toEqual([expect.objectContaining({ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods', observedGeneration: 1 })]);
    const described = (await k.kubectl(['describe', 'pdb', 'web-pdb'])).stdout;
    expect(described).toMatch(/^Min available:\s+4$/m);
    expect(described).toMatch(/^\s+Allowed disruptions:\s+0$/m);
  });

  it('refuses an eviction the budget forbids with 429 and the upstream message', async () => {
    const [pod] = await webPods();
    const res = await k.api.request('POST', `/api/v1/namespaces/default/pods/${pod.metadata.name}/eviction`, {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: pod.metadata.name, namespace: 'default' },
    });
    expect(res.status).toBe(429);
    expect(res.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      reason: 'TooManyRequests',
      details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget web-pdb needs 4 healthy pods and has 4 currently' }] },
      code: 429,
    });
    const drain = await k.kubectl(['drain', 'kubemu-node-2', '--ignore-daemonsets', '--timeout=3s'], { timeoutMs: 30_000 });
    expect(drain.code).not.toBe(0);
    expect(drain.stdout + drain.stderr).toContain("Cannot evict pod as it would violate the pod's disruption budget.");
    expect((await k.kubectl(['uncordon', 'kubemu-node-2'])).stdout.trim()).toBe('node/kubemu-node-2 uncordoned');
  });

  it('drains a node through evictions once the budget allows them, then uncordons it', async () => {
    expect((await k.kubectl(['patch', 'pdb', 'web-pdb', '--type=merge', '-p', '{"spec":{"minAvailable":3}}'])).code).toBe(0);
    await eventually(async () => ((await allowedDisruptions()) === '1' ? true : undefined), 10_000, 'one allowed disruption');
    const onNode2 = (await webPods()).filter((p) => p.spec.nodeName === 'kubemu-node-2').map((p) => p.metadata.name);
    const drain = await k.kubectl(['drain', 'kubemu-node-2', '--ignore-daemonsets', '--timeout=60s'], { timeoutMs: 90_000 });
    // With two pods on the node the second waits (kubectl retries every 5 s) until the first one's replacement is ready.
    expect(drain.stderr.replace(/error when evicting pods\/"[^"]+" -n "default" \(will retry after 5s\): Cannot evict pod as it would violate the pod's disruption budget\.\n/g, '')).toBe('');
    expect(drain.code).toBe(0);
    expect(drain.stdout).toContain('node/kubemu-node-2 cordoned');
    for (const name of onNode2) expect(drain.stdout).toContain(`pod/${name} evicted`);
    expect(drain.stdout).toContain('node/kubemu-node-2 drained');

    const nodes = parseTable((await k.kubectl(['get', 'nodes'])).stdout);
    expect(nodes.rows.find((r) => r[0] === 'kubemu-node-2')?.[1]).toBe('Ready,SchedulingDisabled');
    // The ReplicaSet makes up for the evicted pods on the other nodes.
    const pods = await eventually(async () => {
      const all = await webPods();
      return all.filter(ready).length === 4 ? all : undefined;
    }, 20_000, 'four ready web pods again');
    expect(pods.filter((p) => p.spec.nodeName === 'kubemu-node-2')).toEqual([]);
    const pending = await k.kubectl(['get', 'pods', '-A', '--field-selector', 'spec.nodeName=kubemu-node-2', '-o', 'name']);
    expect(pending.stdout.trim()).toBe('');

    expect((await k.kubectl(['uncordon', 'kubemu-node-2'])).stdout.trim()).toBe('node/kubemu-node-2 uncordoned');
    const after = parseTable((await k.kubectl(['get', 'nodes'])).stdout);
    expect(after.rows.find((r) => r[0] === 'kubemu-node-2')?.[1]).toBe('Ready');
  });

  it('serves budgets and evictions to the Python client', async () => {
    await ensureDebianPackage('python3-kubernetes', { command: '/usr/bin/python3', args: ['-c', 'import kubernetes'] });
    await eventually(async () => ((await allowedDisruptions()) === '1' ? true : undefined), 20_000, 'one allowed disruption again');
    const [victim, spared] = (await webPods()).filter(ready).map((p) => p.metadata.name);
    const script = `
import json, sys
from kubernetes import client
from kubernetes.client.rest import ApiException
cfg = client.Configuration()
cfg.host = sys.argv[1]
api = client.ApiClient(cfg)
v1 = client.CoreV1Api(api)
out = {}
pdb = client.PolicyV1Api(api).read_namespaced_pod_disruption_budget('web-pdb', 'default')
out['status'] = [pdb.status.current_healthy, pdb.status.desired_healthy, pdb.status.disruptions_allowed, pdb.status.expected_pods, pdb.status.conditions[0].reason]
def evict(name):
    return v1.create_namespaced_pod_eviction(name, 'default', client.V1Eviction(metadata=client.V1ObjectMeta(name=name, namespace='default')))
# The client reads the Status answer as a V1Eviction, as it does from a real server.
out['evicted'] = api.sanitize_for_serialization(evict(sys.argv[2]))
try:
    evict(sys.argv[3])
except ApiException as e:
    out['refused'] = [e.status, json.loads(e.body)['message']]
print(json.dumps(out))
`;
    const path = k.writeFile('evict.py', script);
    const r = await runProcess('/usr/bin/python3', [path, k.url, victim, spared], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: k.dir, LANG: 'C.UTF-8' }, timeoutMs: 30_000 });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      status: [4, 3, 1, 4, 'SufficientPods'],
      evicted: { kind: 'Status', apiVersion: 'v1', metadata: {} },
      refused: [429, "Cannot evict pod as it would violate the pod's disruption budget."],
    });
  });

  it('refuses invalid budgets with the upstream messages', async () => {
    const r = await k.kubectl(['create', 'pdb', 'bad', '--selector=app=web', '--max-unavailable=150%']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('PodDisruptionBudget.policy "bad" is invalid: spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%');
  });
});
