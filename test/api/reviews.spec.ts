import type request from 'supertest';
import type { RunningServer } from '../../src/server';
import { startApiServer } from '../support/api-server';

describe('review resources (computed on create, never stored)', () => {
  let server: RunningServer;
  let api: ReturnType<typeof request>;

  beforeAll(async () => {
    ({ server, api } = await startApiServer());
  });
  afterAll(() => server.close());

  const SSAR = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';

  it('SelfSubjectAccessReview answers allowed, and is not stored', async () => {
    const res = await api
      .post(SSAR)
      .send({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: 'get', resource: 'pods', namespace: 'default' } } })
      .expect(201);
    expect(res.body).toMatchObject({ kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: 'get' } }, status: { allowed: true } });
    expect((await api.get(SSAR).expect(405)).body.reason).toBe('MethodNotAllowed');
  });

  it('SelfSubjectAccessReview needs exactly one kind of attributes', async () => {
    const res = await api.post(SSAR).send({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: {} }).expect(422);
    expect(res.body.details.causes[0]).toMatchObject({ field: 'spec.resourceAttributes' });
  });

  it('SelfSubjectReview names the user requests are served as', async () => {
    const res = await api.post('/apis/authentication.k8s.io/v1/selfsubjectreviews').send({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }).expect(201);
    expect(res.body.status.userInfo).toEqual({ username: 'kubemu-admin', groups: ['system:masters', 'system:authenticated'] });
  });

  it('discovery lists them with the create verb only', async () => {
    const list = (await api.get('/apis/authorization.k8s.io/v1').expect(200)).body;
    expect(list.resources).toEqual([expect.objectContaining({ name: 'selfsubjectaccessreviews', namespaced: false, verbs: ['create'] })]);
  });
});
