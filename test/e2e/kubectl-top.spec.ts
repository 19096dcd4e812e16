/**
 * The resource metrics API (metrics.k8s.io/v1beta1) through kubectl top and the raw API: idle
 * pods, a load generator's requests shared by a Service's ready pods up to their CPU limit, the
 * annotation that puts load on a Service directly, and node totals.
 */
import { eventually, parseTable, startKubemu, type Kubemu } from '../support/kubemu';

let k: Kubemu;

beforeAll(async () => {
  k = await startKubemu();
});
afterAll(() => k.close());

const ok = (args: string[]) => k.ok(args);

const millicores = (cell: string) => Number(cell.replace(/m$/, ''));

async function topPods(selector: string): Promise<string[][]> {
  return parseTable(await ok(['top', 'pods', '-l', selector])).rows;
}

describe('kubectl top', () => {
  it('reports idle pods and nodes', async () => {
    await ok(['run', 'idle', '--image=nginx', '--labels=app=idle']);
    await ok(['wait', '--for=condition=Ready', 'pod/idle', '--timeout=30s']);
    const [row] = await topPods('app=idle');
    expect(row[0]).toBe('idle');
    expect(millicores(row[1])).toBeLessThan(10);
    expect(row[2]).toMatch(/^\d+Mi$/);
    const nodes = parseTable(await ok(['top', 'nodes']));
    expect(nodes.header.trim().split(/\s{2,}/)).toEqual(['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)']);
    expect(nodes.rows.map((r) => r[0]).sort()).toEqual(['kubemu-node-1', 'kubemu-node-2', 'kubemu-node-3']);
  });

  it("puts a load generator's requests on the Service's pods, within their CPU limit", async () => {
    await ok(['create', 'deployment', 'php-apache', '--image=registry.k8s.io/hpa-example', '--port=80', '--replicas=2']);
    await ok(['set', 'resources', 'deployment', 'php-apache', '--requests=cpu=200m', '--limits=cpu=500m']);
    await ok(['expose', 'deployment', 'php-apache', '--port=80']);
    await ok(['rollout', 'status', 'deployment/php-apache', '--timeout=60s']);
    await ok(['run', 'load-generator', '--image=busybox:1.28', '--restart=Never', '--', '/bin/sh', '-c', 'while sleep 0.01; do wget -q -O- http://php-apache; done']);
    const loaded = await eventually(async () => {
      const rows = await topPods('app=php-apache');
      return rows.length === 2 && rows.every((r) => millicores(r[1]) >= 250) ? rows : undefined;
    }, 20_000, 'load on both php-apache pods');
    for (const row of loaded) expect(millicores(row[1])).toBeLessThanOrEqual(256);
    await ok(['delete', 'pod', 'load-generator']);
    await eventually(async () => ((await topPods('app=php-apache')).every((r) => millicores(r[1]) < 10) ? true : undefined), 20_000, 'the load gone');
  });

  it('takes load from the simulated-load annotation of a Service', async () => {
    await ok(['annotate', 'service', 'php-apache', 'kubemu.io/simulated-cpu-load=2']);
    const rows = await eventually(async () => {
      const found = await topPods('app=php-apache');
      return found.every((r) => millicores(r[1]) === 500) ? found : undefined;
    }, 10_000, 'the annotated load, capped at the limit');
    expect(rows).toHaveLength(2);
    const raw = JSON.parse(await ok(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods'])) as { kind: string; items: { containers: { usage: { cpu: string } }[] }[] };
    expect(raw.kind).toBe('PodMetricsList');
    expect(raw.items[0].containers[0].usage.cpu).toMatch(/^\d+n$/);
  });
});
