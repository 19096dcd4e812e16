/**
 * When a node goes down its workloads move to the other nodes (the seed's promise): a simulated
 * kubelet is stopped with an annotation, the node lifecycle reconciler marks the node NotReady and
 * taints it, its pods are evicted once their toleration (300 s) runs out, the ReplicaSet replaces
 * them elsewhere, and the node comes back when its kubelet does. A deleted node's pods are removed.
 * The cluster runs 60 times faster than real time.
 */
import { eventually, parseTable, startKubemu, type Kubemu } from '../support/kubemu';

let k: Kubemu;

beforeAll(async () => {
  k = await startKubemu({ timeScale: 60 });
});
afterAll(() => k.close());

const ok = (args: string[]) => k.ok(args);

interface PodRow {
  name: string;
  node: string;
  terminating: boolean;
}

async function pods(): Promise<PodRow[]> {
  const list = JSON.parse(await ok(['get', 'pods', '-l', 'app=web', '-o', 'json'])) as { items: { metadata: { name: string; deletionTimestamp?: string }; spec: { nodeName?: string } }[] };
  return list.items.map((p) => ({ name: p.metadata.name, node: p.spec.nodeName ?? '', terminating: !!p.metadata.deletionTimestamp }));
}

describe('a node going down', () => {
  it('is marked NotReady and tainted, and its pods move to the other nodes', async () => {
    await ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=3']);
    await ok(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    const before = await pods();
    const victim = before[0].node;
    const moved = before.filter((p) => p.node === victim).map((p) => p.name);

    await ok(['annotate', 'node', victim, 'kubemu.io/kubelet-stopped=true']);
    await eventually(async () => {
      const row = parseTable(await ok(['get', 'node', victim])).rows[0];
      return row[1] === 'NotReady' ? true : undefined;
    }, 20_000, 'the node NotReady');
    const taints = JSON.parse(await ok(['get', 'node', victim, '-o', 'jsonpath={.spec.taints}'])) as { key: string; effect: string }[];
    expect(taints.map((t) => `${t.key}:${t.effect}`).sort()).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    expect(await ok(['get', 'node', victim, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].reason}'])).toBe('NodeStatusUnknown');

    // After the 300 s toleration the pods are evicted: they stay Terminating (their kubelet is gone)
    // while replacements run on the healthy nodes.
    const after = await eventually(async () => {
      const now = await pods();
      const replacements = now.filter((p) => !p.terminating && p.node !== victim);
      return replacements.length === 3 ? now : undefined;
    }, 30_000, 'three pods on the healthy nodes');
    for (const name of moved) expect(after.find((p) => p.name === name)?.terminating).toBe(true);
    await ok(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    expect(await ok(['get', 'events', '--field-selector', 'reason=TaintManagerEviction', '-o', 'jsonpath={.items[*].message}'])).toContain(`Marking for deletion Pod default/${moved[0]}`);

    // The kubelet comes back: the node is Ready and untainted, and the evicted pods are gone.
    await ok(['annotate', 'node', victim, 'kubemu.io/kubelet-stopped-']);
    await eventually(async () => ((await ok(['get', 'node', victim, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'])) === 'True' ? true : undefined), 20_000, 'the node Ready again');
    await eventually(async () => ((await ok(['get', 'node', victim, '-o', 'jsonpath={.spec.taints}'])) === '' ? true : undefined), 20_000, 'the taints removed');
    await eventually(async () => ((await pods()).every((p) => !moved.includes(p.name)) ? true : undefined), 20_000, 'the evicted pods removed');
  });

  it('removes the pods of a deleted node', async () => {
    const node = (await pods())[0].node;
    const on = (await pods()).filter((p) => p.node === node).map((p) => p.name);
    await ok(['delete', 'node', node]);
    await eventually(async () => ((await pods()).some((p) => on.includes(p.name)) ? undefined : true), 20_000, 'its pods removed');
    await ok(['rollout', 'status', 'deployment/web', '--timeout=60s']);
  });
});
