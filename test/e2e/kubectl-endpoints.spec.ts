/**
 * Endpoints and EndpointSlices through real kubectl: a Service's ready pods with their resolved
 * target ports, not-ready and leaving pods, named ports, headless and selectorless Services, the
 * API server's own endpoints, and clean-up with the Service.
 */
import { eventually, parseTable, startKubemu, type Kubemu } from '../support/kubemu';

let k: Kubemu;

beforeAll(async () => {
  k = await startKubemu();
  await k.api.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ep' } });
});
afterAll(() => k.close());

const ok = (args: string[]) => k.ok([...args, '-n', 'ep']);

interface EndpointsJson {
  metadata: { labels?: Record<string, string> };
  subsets?: { addresses?: { ip: string; nodeName: string; targetRef: { kind: string; name: string } }[]; notReadyAddresses?: { ip: string }[]; ports: { name?: string; port: number; protocol: string }[] }[];
}

async function endpoints(name: string): Promise<EndpointsJson> {
  return JSON.parse(await ok(['get', 'endpoints', name, '-o', 'json'])) as EndpointsJson;
}

const podIP = async (name: string) => ok(['get', 'pod', name, '-o', 'jsonpath={.status.podIP}']);

const WEB_POD = (name: string, extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {app: web}
spec:
  containers:
  - name: web
    image: nginx
    ports:
    - {name: http, containerPort: 8080}
${extra}`;

describe('Service endpoints', () => {
  it('lists the ready pods of a Service with the target port resolved, in Endpoints and an EndpointSlice', async () => {
    await ok(['apply', '-f', k.writeFile('web-1.yaml', WEB_POD('web-1'))]);
    await ok(['apply', '-f', k.writeFile('web-2.yaml', WEB_POD('web-2'))]);
    await ok(['create', 'service', 'clusterip', 'web', '--tcp=80:http']);
    await ok(['wait', '--for=condition=Ready', 'pod/web-1', 'pod/web-2', '--timeout=30s']);
    const ips = [await podIP('web-1'), await podIP('web-2')].sort();
    const ep = await eventually(async () => {
      const found = await endpoints('web');
      return found.subsets?.[0]?.addresses?.length === 2 ? found : undefined;
    }, 10_000, 'two ready addresses');
    expect(ep.subsets).toHaveLength(1);
    expect(ep.subsets![0].ports).toEqual([{ name: '80-http', port: 8080, protocol: 'TCP' }]);
    expect(ep.subsets![0].addresses!.map((a) => a.ip).sort()).toEqual(ips);
    expect(ep.subsets![0].addresses![0].targetRef.kind).toBe('Pod');

    const got = await k.kubectl(['get', 'endpoints', 'web', '-n', 'ep']);
    expect(got.stderr).toContain('Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice');
    expect(parseTable(got.stdout).rows[0].slice(0, 2)).toEqual(['web', ips.map((ip) => `${ip}:8080`).join(',')]);

    const slices = JSON.parse(await ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web', '-o', 'json'])) as {
      items: { metadata: { name: string; labels: Record<string, string>; ownerReferences: { kind: string; name: string; controller: boolean }[] }; addressType: string; endpoints: { addresses: string[]; conditions: Record<string, boolean> }[]; ports: unknown[] }[];
    };
    expect(slices.items).toHaveLength(1);
    const slice = slices.items[0];
    expect(slice.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(slice.metadata.labels['endpointslice.kubernetes.io/managed-by']).toBe('endpointslice-controller.k8s.io');
    expect(slice.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Service', name: 'web', controller: true })]);
    expect(slice.addressType).toBe('IPv4');
    expect(slice.ports).toEqual([{ name: '80-http', port: 8080, protocol: 'TCP' }]);
    expect(slice.endpoints.map((e) => e.addresses[0]).sort()).toEqual(ips);
    expect(slice.endpoints[0].conditions).toEqual({ ready: true, serving: true, terminating: false });
    const table = parseTable(await ok(['get', 'endpointslices', slice.metadata.name]));
    expect(table.header.split(/\s{2,}/)).toEqual(['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE']);
    expect(table.rows[0].slice(0, 4)).toEqual([slice.metadata.name, 'IPv4', '8080', ips.join(',')]);
  });

  it('keeps a pod that is not ready yet under notReadyAddresses, and drops a deleted one', async () => {
    const probe = `    readinessProbe:\n      httpGet: {path: /, port: 8080}\n      initialDelaySeconds: 3600\n`;
    await ok(['apply', '-f', k.writeFile('slow.yaml', WEB_POD('slow', probe))]);
    const slowIP = await eventually(async () => (await podIP('slow')) || undefined, 10_000, 'an address for the slow pod');
    const ep = await eventually(async () => {
      const found = await endpoints('web');
      return found.subsets?.[0]?.notReadyAddresses?.length === 1 ? found : undefined;
    }, 10_000, 'a not-ready address');
    expect(ep.subsets![0].notReadyAddresses![0].ip).toBe(slowIP);
    expect(ep.subsets![0].addresses).toHaveLength(2);

    await ok(['delete', 'pod', 'web-1']);
    await eventually(async () => ((await endpoints('web')).subsets?.[0]?.addresses?.length === 1 ? true : undefined), 10_000, 'one ready address left');
  });

  it('marks headless Services and leaves selectorless ones to their users', async () => {
    await ok(['create', 'service', 'clusterip', 'direct', '--clusterip=None', '--tcp=8080']);
    await ok(['set', 'selector', 'service', 'direct', 'app=web']);
    const headless = await eventually(async () => {
      const found = await endpoints('direct');
      return found.subsets?.length ? found : undefined;
    }, 10_000, 'headless endpoints');
    expect(headless.metadata.labels).toEqual({ app: 'direct', 'service.kubernetes.io/headless': '' });

    await ok(['create', 'service', 'clusterip', 'external', '--tcp=5432']);
    await ok(['patch', 'service', 'external', '--type=json', '-p', '[{"op":"remove","path":"/spec/selector"}]']);
    await ok(['delete', 'endpoints', 'external', '--ignore-not-found']);
    await new Promise((r) => setTimeout(r, 300));
    expect((await k.kubectl(['get', 'endpoints', 'external', '-n', 'ep'])).stderr).toContain('endpoints "external" not found');
    const manual = `apiVersion: v1\nkind: Endpoints\nmetadata: {name: external}\nsubsets:\n- addresses: [{ip: 192.0.2.10}]\n  ports: [{port: 5432}]\n`;
    await ok(['apply', '-f', k.writeFile('external-ep.yaml', manual)]);
    await new Promise((r) => setTimeout(r, 300));
    expect((await endpoints('external')).subsets).toEqual([{ addresses: [{ ip: '192.0.2.10' }], ports: [{ port: 5432, protocol: 'TCP' }] }]);
  });

  it('rejects invalid Endpoints and EndpointSlices with the upstream causes', async () => {
    const bad = `apiVersion: v1\nkind: Endpoints\nmetadata: {name: bad}\nsubsets:\n- addresses: [{ip: not-an-ip}]\n  ports: [{port: 0}]\n`;
    const r = await k.kubectl(['apply', '-f', k.writeFile('bad-ep.yaml', bad), '-n', 'ep']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('subsets[0].addresses[0].ip: Invalid value: "not-an-ip"');
    expect(r.stderr).toContain('subsets[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive');
    const slice = `apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: bad}\naddressType: IPv5\nendpoints: []\n`;
    const s = await k.kubectl(['apply', '-f', k.writeFile('bad-slice.yaml', slice), '-n', 'ep']);
    expect(s.stderr).toContain('addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"');
  });

  it('points the kubernetes Service at the API server', async () => {
    const r = await k.kubectl(['get', 'endpoints', 'kubernetes', '-n', 'default', '-o', 'jsonpath={.subsets[0].ports[0].port}']);
    expect(r.stdout).toBe('6443');
    const slice = await k.kubectl(['get', 'endpointslice', 'kubernetes', '-n', 'default', '-o', 'jsonpath={.ports[0].name}']);
    expect(slice.stdout).toBe('https');
  });

  it('removes the Endpoints and the slices with their Service', async () => {
    await ok(['delete', 'service', 'web']);
    await eventually(async () => ((await k.kubectl(['get', 'endpoints', 'web', '-n', 'ep'])).code !== 0 ? true : undefined), 10_000, 'the Endpoints gone');
    await eventually(async () => ((await ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web', '-o', 'name'])) === '' ? true : undefined), 10_000, 'the slices gone');
  });
});
