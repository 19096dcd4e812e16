import type request from 'supertest';
import type { RunningServer } from '../../src/server';
import { startApiServer } from '../support/api-server';

const PODS = '/api/v1/namespaces/default/pods';

/** A pod no running scheduler picks up, so the test decides where (and whether) it is bound. */
function pod(name: string): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { schedulerName: 'by-hand', containers: [{ name: 'c', image: 'nginx' }] } };
}

function binding(name: string, node: string): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: node } };
}

describe('pods/binding and graceful pod deletion', () => {
  let server: RunningServer;
  let api: ReturnType<typeof request>;

  beforeAll(async () => {
    ({ server, api } = await startApiServer());
  });
  afterAll(() => server.close());

  it('binds a pod once, marking it scheduled, and refuses a second binding', async () => {
    await api.post(PODS).send(pod('bound')).expect(201);
    // "ghost" runs no kubelet, so nothing else touches the pod afterwards.
    const res = await api.post(`${PODS}/bound/binding`).send(binding('bound', 'ghost')).expect(201);
    expect(res.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    const got = (await api.get(`${PODS}/bound`).expect(200)).body;
    expect(got.spec.nodeName).toBe('ghost');
    expect(got.status.conditions).toEqual([expect.objectContaining({ type: 'PodScheduled', status: 'True', lastProbeTime: null })]);
    const again = await api.post(`${PODS}/bound/binding`).send(binding('bound', 'other')).expect(409);
    expect(again.body.message).toBe('Operation cannot be fulfilled on pods/binding "bound": pod bound is already assigned to node "ghost"');
  });

  it('answers a binding without a target as invalid, and one for a missing pod as not found', async () => {
    await api.post(PODS).send(pod('unbound')).expect(201);
    const res = await api.post(`${PODS}/unbound/binding`).send({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'unbound' }, target: {} }).expect(422);
    expect(res.body.details.causes).toEqual([expect.objectContaining({ field: 'target.name', reason: 'FieldValueRequired' })]);
    await api.post(`${PODS}/nobody/binding`).send(binding('nobody', 'ghost')).expect(404);
    expect((await api.get(`${PODS}/unbound`).expect(200)).body.spec.nodeName).toBeUndefined();
  });

  it('removes an unscheduled pod at once', async () => {
    await api.post(PODS).send(pod('pending')).expect(201);
    await api.delete(`${PODS}/pending`).expect(200);
    await api.get(`${PODS}/pending`).expect(404);
  });

  it('marks a pod on a node for deletion, lets only a shorter grace period change that, and removes it at zero', async () => {
    await api.post(PODS).send(pod('graceful')).expect(201);
    await api.post(`${PODS}/graceful/binding`).send(binding('graceful', 'ghost')).expect(201);
    const before = Date.now();
    const marked = (await api.delete(`${PODS}/graceful`).send({}).expect(200)).body;
    expect(marked.metadata.deletionGracePeriodSeconds).toBe(30);
    const deadline = Date.parse(marked.metadata.deletionTimestamp);
    expect(deadline).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 30_000);
    expect(deadline).toBeLessThanOrEqual(Date.now() + 30_000);
    expect(marked.metadata.generation).toBe(2);

    // A status write during the grace period keeps the pod.
    const got = (await api.get(`${PODS}/graceful`).expect(200)).body;
    await api.put(`${PODS}/graceful/status`).send({ ...got, status: { ...got.status, phase: 'Running' } }).expect(200);
    // Asking again, or for longer, changes nothing.
    const pending = (await api.delete(`${PODS}/graceful?gracePeriodSeconds=60`).expect(200)).body;
    expect(pending.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(pending.metadata.deletionTimestamp).toBe(marked.metadata.deletionTimestamp);

    const shorter = (await api.delete(`${PODS}/graceful`).send({ gracePeriodSeconds: 5 }).expect(200)).body;
    expect(shorter.metadata.deletionGracePeriodSeconds).toBe(5);
    expect(Date.parse(shorter.metadata.deletionTimestamp)).toBe(deadline - 25_000);
    await api.get(`${PODS}/graceful`).expect(200);

    await api.delete(`${PODS}/graceful?gracePeriodSeconds=0`).expect(200);
    await api.get(`${PODS}/graceful`).expect(404);
  });

  it('lists the binding subresource in discovery', async () => {
    const res = await api.get('/api/v1').expect(200);
    const entry = res.body.resources.find((r: { name: string }) => r.name === 'pods/binding');
    expect(entry).toMatchObject({ kind: 'Binding', verbs: ['create'], namespaced: true });
  });
});

describe('default propagation policy', () => {
  let server: RunningServer;
  let api: ReturnType<typeof request>;

  beforeAll(async () => {
    ({ server, api } = await startApiServer());
  });
  afterAll(() => server.close());

  it('orphans the pods of a batch/v1 Job deleted without a propagationPolicy, as the real server does', async () => {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'left' },
      spec: { template: { spec: { schedulerName: 'by-hand', restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
    };
    const created = (await api.post('/apis/batch/v1/namespaces/default/jobs').send(job).expect(201)).body;
    const podsOf = async () => (await api.get('/api/v1/namespaces/default/pods').query({ labelSelector: `batch.kubernetes.io/controller-uid=${created.metadata.uid}` }).expect(200)).body.items as { metadata: { ownerReferences?: unknown[] } }[];
    for (let i = 0; i < 100 && (await podsOf()).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await podsOf()).toHaveLength(1);
    await api.delete('/apis/batch/v1/namespaces/default/jobs/left').expect(200);
    for (let i = 0; i < 100 && (await api.get('/apis/batch/v1/namespaces/default/jobs/left')).status !== 404; i++) await new Promise((r) => setTimeout(r, 20));
    const pods = await podsOf();
    expect(pods).toHaveLength(1);
    expect(pods[0].metadata.ownerReferences).toBeUndefined();
  });
});
