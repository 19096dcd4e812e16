import http from 'node:http';
import type request from 'supertest';
import type { RunningServer } from '../../src/server';
import { startApiServer } from '../support/api-server';

const CORE = '/api/v1/namespaces/default/events';
const V1 = '/apis/events.k8s.io/v1/namespaces/default/events';

const v1Event = (name: string) => ({
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  metadata: { name },
  eventTime: '2026-01-01T00:00:00.000000Z',
  reportingController: 'example.com/tester',
  reportingInstance: 'tester-1',
  action: 'Checking',
  reason: 'Checked',
  type: 'Normal',
  note: 'written as events.k8s.io/v1',
  regarding: { apiVersion: 'v1', kind: 'Pod', name: 'web', namespace: 'default' },
});

describe('a kind served at two versions over one storage (events)', () => {
  let server: RunningServer;
  let api: ReturnType<typeof request>;

  beforeAll(async () => {
    ({ server, api } = await startApiServer());
  });
  afterAll(() => server.close());

  it('an event written as events.k8s.io/v1 reads back as core/v1 under the old field names', async () => {
    const created = (await api.post(V1).send(v1Event('e1')).expect(201)).body;
    expect(created).toMatchObject({ apiVersion: 'events.k8s.io/v1', kind: 'Event', note: 'written as events.k8s.io/v1', regarding: { name: 'web' } });
    const core = (await api.get(`${CORE}/e1`).expect(200)).body;
    expect(core).toMatchObject({ apiVersion: 'v1', kind: 'Event', message: 'written as events.k8s.io/v1', involvedObject: { name: 'web' }, reportingComponent: 'example.com/tester' });
    expect(core).not.toHaveProperty('note');
    expect(core.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    const coreList = (await api.get(CORE).query({ fieldSelector: 'involvedObject.name=web' }).expect(200)).body;
    expect(coreList.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['e1']);
  });

  it('a core/v1 event is visible through events.k8s.io/v1, and updates through either version land on the same object', async () => {
    await api
      .post(CORE)
      .send({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'e2' }, involvedObject: { kind: 'Pod', name: 'db', namespace: 'default' }, reason: 'Old', message: 'core', type: 'Normal', count: 3 })
      .expect(201);
    const v1 = (await api.get(`${V1}/e2`).expect(200)).body;
    expect(v1).toMatchObject({ note: 'core', regarding: { name: 'db' }, deprecatedCount: 3 });
    await api.patch(`${V1}/e2`).set('Content-Type', 'application/merge-patch+json').send('{"note":"patched as v1"}').expect(200);
    expect((await api.get(`${CORE}/e2`).expect(200)).body.message).toBe('patched as v1');
  });

  it('a watch in one version sees writes made through the other', async () => {
    const start = (await api.get(V1).expect(200)).body.metadata.resourceVersion;
    const lines: { type: string; object: { apiVersion: string; note?: string } }[] = [];
    const req = http.get(`${server.url}${V1}?watch=1&resourceVersion=${start}`, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          lines.push(JSON.parse(buffer.slice(0, nl)));
          buffer = buffer.slice(nl + 1);
        }
      });
    });
    await new Promise((r) => setTimeout(r, 50));
    await api
      .post(CORE)
      .send({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'e3' }, involvedObject: { kind: 'Pod', name: 'x', namespace: 'default' }, message: 'from core', type: 'Normal' })
      .expect(201);
    for (let i = 0; i < 100 && lines.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    req.destroy();
    expect(lines[0]).toMatchObject({ type: 'ADDED', object: { apiVersion: 'events.k8s.io/v1', note: 'from core' } });
  });

  it('events.k8s.io/v1 applies its stricter create rules', async () => {
    const res = await api.post(V1).send({ apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'bad' }, type: 'Weird' }).expect(422);
    expect(res.body.details.causes.map((c: { field: string }) => c.field)).toEqual(
      expect.arrayContaining(['eventTime', 'reportingController', 'reportingInstance', 'action', 'reason', 'type']),
    );
  });

  it('discovery lists both groups', async () => {
    const groups = (await api.get('/apis').expect(200)).body.groups;
    expect(groups.find((g: { name: string }) => g.name === 'events.k8s.io')).toMatchObject({ preferredVersion: { version: 'v1' } });
  });
});
