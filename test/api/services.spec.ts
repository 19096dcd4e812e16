import type request from 'supertest';
import type { RunningServer } from '../../src/server';
import { startApiServer } from '../support/api-server';

const SERVICES = '/api/v1/namespaces/default/services';

function service(name: string, spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec };
}

describe('Service allocation through the API', () => {
  let server: RunningServer;
  let api: ReturnType<typeof request>;

  // A small range and few node ports, so that collisions would show.
  beforeAll(async () => {
    ({ server, api } = await startApiServer(['--service-cluster-ip-range', '172.30.0.0/27', '--service-node-port-range', '30000-30039']));
  });
  afterAll(() => server.close());

  it('serves the kubernetes Service on the first address of the configured range', async () => {
    let body: { spec?: { clusterIP?: string } } = {};
    for (let i = 0; i < 50 && !body.spec; i++) {
      const res = await api.get(`${SERVICES}/kubernetes`);
      if (res.status === 200) body = res.body;
      else await new Promise((r) => setTimeout(r, 20));
    }
    expect(body.spec?.clusterIP).toBe('172.30.0.1');
  });

  it('gives concurrent creates distinct addresses and node ports', async () => {
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, i) => api.post(SERVICES).send(service(`s${i}`, { type: 'NodePort', ports: [{ port: 80 }] }))),
    );
    expect(created.map((r) => r.status)).toEqual(Array(20).fill(201));
    const ips = created.map((r) => r.body.spec.clusterIP as string);
    const ports = created.map((r) => r.body.spec.ports[0].nodePort as number);
    expect(new Set([...ips, '172.30.0.1']).size).toBe(21);
    expect(new Set(ports).size).toBe(20);
    for (const port of ports) expect(port >= 30000 && port <= 30039).toBe(true);
  });

  it('lets exactly one of two concurrent requests for the same node port and address win', async () => {
    const [a, b] = await Promise.all([
      api.post(SERVICES).send(service('want-a', { type: 'NodePort', clusterIP: '172.30.0.2', ports: [{ port: 80, nodePort: 30000 }] })),
      api.post(SERVICES).send(service('want-b', { type: 'NodePort', clusterIP: '172.30.0.2', ports: [{ port: 80, nodePort: 30000 }] })),
    ]);
    const statuses = [a.status, b.status].sort();
    // Another create may already hold the address or the port: then neither wins, and both say why.
    expect(statuses[1] === 422 || statuses[0] === 201).toBe(true);
    const failed = [a, b].filter((r) => r.status === 422);
    expect(failed.length).toBeGreaterThanOrEqual(1);
    for (const r of failed) expect(r.body).toMatchObject({ kind: 'Status', reason: 'Invalid', code: 422, details: { kind: 'Service' } });
  });

  it('frees an address and its node ports when the Service is deleted', async () => {
    const made = await api.post(SERVICES).send(service('temp', { type: 'NodePort', ports: [{ port: 80 }] })).expect(201);
    const { clusterIP } = made.body.spec as { clusterIP: string };
    const nodePort = made.body.spec.ports[0].nodePort as number;
    await api.delete(`${SERVICES}/temp`).expect(200);
    const again = await api.post(SERVICES).send(service('again', { type: 'NodePort', clusterIP, ports: [{ port: 80, nodePort }] })).expect(201);
    expect(again.body.spec.clusterIP).toBe(clusterIP);
  });

  it('answers invalid Services with the upstream causes, without storing anything', async () => {
    const res = await api.post(SERVICES).send(service('bad', { ports: [{ port: 80 }, { port: 81 }], type: 'Cluster' })).expect(422);
    expect(res.body.message).toMatch(/^Service "bad" is invalid: \[/);
    expect(res.body.details.causes).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'spec.ports[1].name', reason: 'FieldValueRequired' })]));
    await api.get(`${SERVICES}/bad`).expect(404);
  });

  // Allocation runs before validation (BeginCreate precedes BeforeCreate upstream), so this one comes last.
  it('answers 500 InternalError once the range is exhausted, as the real allocator does', async () => {
    const results = [];
    for (let i = 0; i < 40; i++) {
      const res = await api.post(SERVICES).send(service(`fill${i}`, { ports: [{ port: 80 }] }));
      results.push(res);
      if (res.status !== 201) break;
    }
    const last = results[results.length - 1];
    expect(last.status).toBe(500);
    expect(last.body).toMatchObject({ kind: 'Status', reason: 'InternalError', message: 'Internal error occurred: failed to allocate a serviceIP: range is full' });
  });
});
