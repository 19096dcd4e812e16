/**
 * Services through real kubectl: the `kubernetes` Service, the seed's tomcat-service (misspelled
 * and corrected), the generators, allocation of cluster IPs and node ports, and the printer.
 */
import { kubectlBinary, parseTable, startKubemu, type Kubemu } from '../support/kubemu';

let k: Kubemu;

beforeAll(async () => {
  k = await startKubemu();
  await k.api.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'svc' } });
});
afterAll(() => k.close());

const SEED_MISSPELLED = `apiVersion: v1
kind: Service
metadata:
   name: tomcat-service
psec:
   ports:
   - port: 8080
   spector:
    tier: frontend
`;

const SEED_NODEPORT = `apiVersion: v1
kind: Service
metadata:
  name: tomcat-service
spec:
  type: NodePort
  ports:
  - port: 8080
    nodePort: 31002
  selector:
    tier: frontend
`;

interface ServiceJson {
  metadata: { name: string; labels?: Record<string, string> };
  spec: { clusterIP: string; clusterIPs: string[]; type: string; ports: { name?: string; port: number; targetPort: number | string; nodePort?: number; protocol: string }[]; selector?: Record<string, string>; ipFamilies: string[]; ipFamilyPolicy: string; sessionAffinity: string; internalTrafficPolicy: string };
}

async function getService(name: string, namespace = 'svc'): Promise<ServiceJson> {
  const r = await k.kubectl(['get', 'service', name, '-n', namespace, '-o', 'json']);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as ServiceJson;
}

describe('kubectl and Services', () => {
  it('lists the kubernetes Service on the first address of the range', async () => {
    const r = await k.kubectl(['get', 'services', '-n', 'default']);
    const table = parseTable(r.stdout);
    expect(table.header.split(/\s{2,}/)).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    expect(table.rows.find((row) => row[0] === 'kubernetes')?.slice(0, 5)).toEqual(['kubernetes', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP']);
    const svc = await getService('kubernetes', 'default');
    expect(svc.metadata.labels).toEqual({ component: 'apiserver', provider: 'kubernetes' });
    const info = await k.kubectl(['cluster-info']);
    expect(info.code).toBe(0);
    expect(info.stdout).toContain('Kubernetes control plane is running at');
  });

  it.each([27, 33])("rejects the seed's misspelled tomcat-service with kubectl 1.%s as a real server does", async (minor) => {
    const r = await k.kubectl(['create', '-f', '-', '-n', 'svc'], { stdin: SEED_MISSPELLED, binary: kubectlBinary(minor) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "psec"');
    expect((await k.kubectl(['get', 'service', 'tomcat-service', '-n', 'svc'])).code).toBe(1);
  });

  it('creates the corrected seed Service with its requested node port and defaults', async () => {
    const r = await k.kubectl(['create', '-f', '-', '-n', 'svc'], { stdin: SEED_NODEPORT });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('service/tomcat-service created');
    const svc = await getService('tomcat-service');
    expect(svc.spec).toMatchObject({
      type: 'NodePort',
      ports: [{ port: 8080, targetPort: 8080, nodePort: 31002, protocol: 'TCP' }],
      selector: { tier: 'frontend' },
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
    });
    expect(svc.spec.clusterIPs).toEqual([svc.spec.clusterIP]);
    const wide = parseTable((await k.kubectl(['get', 'svc', 'tomcat-service', '-n', 'svc', '-o', 'wide'])).stdout);
    expect(wide.rows[0]).toEqual(['tomcat-service', 'NodePort', svc.spec.clusterIP, '<none>', '8080:31002/TCP', expect.any(String), 'tier=frontend']);
  });

  it('refuses a node port that is taken, and one outside the range', async () => {
    const taken = await k.kubectl(['create', '-f', '-', '-n', 'svc'], { stdin: SEED_NODEPORT.replace('tomcat-service', 'second') });
    expect(taken.stderr).toContain('The Service "second" is invalid: spec.ports[0].nodePort: Invalid value: 31002: provided port is already allocated');
    const outside = await k.kubectl(['create', '-f', '-', '-n', 'svc'], { stdin: SEED_NODEPORT.replace('tomcat-service', 'third').replace('31002', '8000') });
    expect(outside.stderr).toContain('spec.ports[0].nodePort: Invalid value: 8000: provided port is not in the valid range. The range of valid ports is 30000-32767');
  });

  it('builds Services with the generators and gives each its own address', async () => {
    expect((await k.kubectl(['create', 'service', 'clusterip', 'api', '--tcp=5678:8080', '-n', 'svc'])).stdout.trim()).toBe('service/api created');
    expect((await k.kubectl(['create', 'service', 'nodeport', 'edge', '--tcp=80:8080', '-n', 'svc'])).stdout.trim()).toBe('service/edge created');
    expect((await k.kubectl(['create', 'service', 'externalname', 'ext', '--external-name=db.example.com', '-n', 'svc'])).stdout.trim()).toBe('service/ext created');
    expect((await k.kubectl(['create', 'service', 'clusterip', 'headless', '--clusterip=None', '-n', 'svc'])).stdout.trim()).toBe('service/headless created');
    const api = await getService('api');
    const edge = await getService('edge');
    expect(api.spec.clusterIP).not.toBe(edge.spec.clusterIP);
    expect(api.spec.ports).toEqual([{ name: '5678-8080', port: 5678, targetPort: 8080, protocol: 'TCP' }]);
    expect(edge.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    expect(edge.spec.ports[0].nodePort).toBeLessThanOrEqual(32767);
    const rows = parseTable((await k.kubectl(['get', 'svc', '-n', 'svc'])).stdout).rows;
    const byName = new Map(rows.map((row) => [row[0], row]));
    expect(byName.get('ext')?.slice(1, 5)).toEqual(['ExternalName', '<none>', 'db.example.com', '<none>']);
    expect(byName.get('headless')?.slice(1, 5)).toEqual(['ClusterIP', 'None', '<none>', '<none>']);
    expect(byName.get('edge')?.[4]).toBe(`80:${edge.spec.ports[0].nodePort}/TCP`);
  });

  it('exposes a pod with its labels as the selector', async () => {
    await k.kubectl(['run', 'web', '--image=nginx:1.27', '--labels=app=web', '--port=80', '-n', 'svc']);
    const r = await k.kubectl(['expose', 'pod', 'web', '--port=8080', '--target-port=80', '-n', 'svc']);
    expect(r.stdout.trim()).toBe('service/web exposed');
    const svc = await getService('web');
    expect(svc.spec.selector).toEqual({ app: 'web' });
    expect(svc.spec.ports[0]).toMatchObject({ port: 8080, targetPort: 80, protocol: 'TCP' });
  });

  it('keeps the address and node ports across apply, replace and a type change', async () => {
    const manifest = SEED_NODEPORT.replace('tomcat-service', 'kept').replace('    nodePort: 31002\n', '');
    expect((await k.kubectl(['apply', '-f', '-', '-n', 'svc'], { stdin: manifest })).code).toBe(0);
    const first = await getService('kept');
    expect((await k.kubectl(['apply', '-f', '-', '-n', 'svc'], { stdin: manifest.replace('tier: frontend', 'tier: backend') })).code).toBe(0);
    const applied = await getService('kept');
    expect(applied.spec.clusterIP).toBe(first.spec.clusterIP);
    expect(applied.spec.ports[0].nodePort).toBe(first.spec.ports[0].nodePort);
    expect(applied.spec.selector).toEqual({ tier: 'backend' });
    const replaced = await k.kubectl(['replace', '-f', '-', '-n', 'svc'], { stdin: manifest });
    expect(replaced.stderr).toBe('');
    expect((await getService('kept')).spec.clusterIP).toBe(first.spec.clusterIP);
    const patched = await k.kubectl(['patch', 'service', 'kept', '-n', 'svc', '-p', '{"spec":{"type":"ClusterIP"}}']);
    expect(patched.stderr).toBe('');
    const clusterIP = await getService('kept');
    expect(clusterIP.spec.type).toBe('ClusterIP');
    expect(clusterIP.spec.ports[0].nodePort).toBeUndefined();
    expect(clusterIP.spec.clusterIP).toBe(first.spec.clusterIP);
    const changed = await k.kubectl(['patch', 'service', 'kept', '-n', 'svc', '-p', '{"spec":{"clusterIP":"10.96.0.200","clusterIPs":["10.96.0.200"]}}']);
    expect(changed.stderr).toContain('may not change once set');
  });

  it('answers server-side apply twice with the same allocation', async () => {
    const manifest = SEED_NODEPORT.replace('tomcat-service', 'ssa').replace('    nodePort: 31002\n', '');
    expect((await k.kubectl(['apply', '--server-side', '-f', '-', '-n', 'svc'], { stdin: manifest })).code).toBe(0);
    const first = await getService('ssa');
    const again = await k.kubectl(['apply', '--server-side', '-f', '-', '-n', 'svc'], { stdin: manifest });
    expect(again.stderr).toBe('');
    const second = await getService('ssa');
    expect(second.spec.clusterIP).toBe(first.spec.clusterIP);
    expect(second.spec.ports[0].nodePort).toBe(first.spec.ports[0].nodePort);
  });
});
