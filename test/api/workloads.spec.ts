import type request from 'supertest';
import type { RunningServer } from '../../src/server';
import { startApiServer } from '../support/api-server';

const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';
const REPLICASETS = '/apis/apps/v1/namespaces/default/replicasets';

function deployment(name: string, spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } },
      ...spec,
    },
  };
}

describe('apps/v1 workloads through the API', () => {
  let server: RunningServer;
  let api: ReturnType<typeof request>;

  beforeAll(async () => {
    ({ server, api } = await startApiServer());
  });
  afterAll(() => server.close());

  it('defaults a Deployment as the real server does', async () => {
    const res = await api.post(DEPLOYMENTS).send(deployment('defaults'));
    expect(res.status).toBe(201);
    expect(res.body.metadata.generation).toBe(1);
    expect(res.body.spec).toMatchObject({
      replicas: 1,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    });
    const podSpec = res.body.spec.template.spec;
    expect(podSpec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30, schedulerName: 'default-scheduler' });
    // enableServiceLinks is a Pod default only, never a template's.
    expect(podSpec.enableServiceLinks).toBeUndefined();
    expect(podSpec.containers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(res.body.status).toEqual({});
  });

  it('keeps a Recreate strategy without rolling parameters', async () => {
    const res = await api.post(DEPLOYMENTS).send(deployment('recreate', { strategy: { type: 'Recreate' } }));
    expect(res.status).toBe(201);
    expect(res.body.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('refuses a selector that does not match the template, a missing selector and a non-Always restart policy', async () => {
    const mismatch = deployment('mismatch', { selector: { matchLabels: { app: 'other' } } });
    let res = await api.post(DEPLOYMENTS).send(mismatch);
    expect(res.status).toBe(422);
    expect(res.body.message).toBe(
      'Deployment.apps "mismatch" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"mismatch"}: `selector` does not match template `labels`',
    );
    const noSelector = deployment('noselector');
    delete (noSelector.spec as Record<string, unknown>).selector;
    res = await api.post(DEPLOYMENTS).send(noSelector);
    expect(res.status).toBe(422);
    expect(res.body.details.causes).toContainEqual({ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.selector' });
    const never = deployment('never');
    (never.spec as { template: { spec: Record<string, unknown> } }).template.spec.restartPolicy = 'Never';
    res = await api.post(DEPLOYMENTS).send(never);
    expect(res.status).toBe(422);
    expect(res.body.details.causes).toContainEqual({ reason: 'FieldValueNotSupported', message: 'Unsupported value: "Never": supported values: "Always"', field: 'spec.template.spec.restartPolicy' });
    res = await api.post(DEPLOYMENTS).send(deployment('nosurge', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } }));
    expect(res.status).toBe(422);
    expect(res.body.details.causes).toContainEqual({ reason: 'FieldValueInvalid', message: 'Invalid value: 0: may not be 0 when `maxSurge` is 0', field: 'spec.strategy.rollingUpdate.maxUnavailable' });
  });

  it('keeps the selector immutable and bumps the generation on spec and annotation changes only', async () => {
    await api.post(DEPLOYMENTS).send(deployment('gen'));
    const patch = (body: unknown) => api.patch(`${DEPLOYMENTS}/gen`).set('Content-Type', 'application/merge-patch+json').send(JSON.stringify(body));
    let res = await patch({ spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } } } } });
    expect(res.status).toBe(422);
    expect(res.body.details.causes).toContainEqual(expect.objectContaining({ field: 'spec.selector', message: expect.stringContaining('field is immutable') }));
    res = await patch({ metadata: { labels: { tier: 'web' } } });
    expect(res.body.metadata.generation).toBe(1);
    res = await patch({ metadata: { annotations: { note: 'x' } } });
    expect(res.body.metadata.generation).toBe(2);
    res = await patch({ spec: { replicas: 2 } });
    expect(res.body.metadata.generation).toBe(3);
  });

  it('serves scale: GET, PUT with a resourceVersion precondition, PATCH, validation', async () => {
    await api.post(DEPLOYMENTS).send(deployment('scaled', { replicas: 2 }));
    let res = await api.get(`${DEPLOYMENTS}/scaled/scale`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'scaled', namespace: 'default' }, spec: { replicas: 2 }, status: { replicas: 0, selector: 'app=scaled' } });
    // The deployment reconciler writes the status meanwhile, so a read may already be stale: retry as a client would.
    let rv = '';
    for (let attempt = 0; attempt < 20; attempt++) {
      rv = (await api.get(`${DEPLOYMENTS}/scaled/scale`)).body.metadata.resourceVersion as string;
      res = await api.put(`${DEPLOYMENTS}/scaled/scale`).send({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'scaled', resourceVersion: rv }, spec: { replicas: 4 } });
      if (res.status !== 409) break;
    }
    expect(res.status).toBe(200);
    expect(res.body.spec.replicas).toBe(4);
    res = await api.put(`${DEPLOYMENTS}/scaled/scale`).send({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'scaled', resourceVersion: rv }, spec: { replicas: 5 } });
    expect(res.status).toBe(409);
    expect(res.body.message).toBe('Operation cannot be fulfilled on deployments.apps "scaled": the object has been modified; please apply your changes to the latest version and try again');
    res = await api.patch(`${DEPLOYMENTS}/scaled/scale`).set('Content-Type', 'application/merge-patch+json').send('{"spec":{"replicas":3}}');
    expect(res.status).toBe(200);
    expect(res.body.spec.replicas).toBe(3);
    res = await api.patch(`${DEPLOYMENTS}/scaled/scale`).set('Content-Type', 'application/merge-patch+json').send('{"spec":{"replicas":-1}}');
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('Scale.autoscaling "scaled" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    const parent = await api.get(`${DEPLOYMENTS}/scaled`);
    expect(parent.body.spec.replicas).toBe(3);
    expect(parent.body.metadata.generation).toBe(3);
    expect((await api.get(`${DEPLOYMENTS}/missing/scale`)).status).toBe(404);
  });

  it('lists the scale subresource in legacy and aggregated discovery', async () => {
    const legacy = await api.get('/apis/apps/v1');
    expect(legacy.body.resources).toContainEqual({ name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
    expect(legacy.body.resources).toContainEqual(expect.objectContaining({ name: 'replicasets', shortNames: ['rs'], categories: ['all'] }));
    const aggregated = await api.get('/apis').set('Accept', 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const apps = JSON.parse(aggregated.text).items.find((g: { metadata: { name: string } }) => g.metadata.name === 'apps');
    const deployments = apps.versions[0].resources.find((r: { resource: string }) => r.resource === 'deployments');
    expect(deployments.subresources).toContainEqual({ subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] });
  });

  it('validates ReplicaSets and prints their columns', async () => {
    const rs = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'rs1' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'rs1' } }, template: { metadata: { labels: { app: 'rs1' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
    };
    let res = await api.post(REPLICASETS).send(rs);
    expect(res.status).toBe(201);
    expect(res.body.status).toEqual({ replicas: 0 });
    res = await api.get(`${REPLICASETS}/rs1`).set('Accept', 'application/json;as=Table;v=v1;g=meta.k8s.io');
    expect(res.body.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers', 'Images', 'Selector']);
    // CURRENT and READY move as the reconciler and kubelets work; NAME and DESIRED do not.
    expect(res.body.rows[0].cells.slice(0, 2)).toEqual(['rs1', 2]);
    expect(res.body.rows[0].cells.slice(5)).toEqual(['c', 'busybox', 'app=rs1']);
    res = await api.post(REPLICASETS).send({ ...rs, metadata: { name: 'rs2' }, spec: { ...rs.spec, selector: { matchLabels: {} } } });
    expect(res.status).toBe(422);
    expect(res.body.details.causes).toContainEqual(expect.objectContaining({ field: 'spec.selector', message: expect.stringContaining('empty selector is invalid for deployment') }));
  });
});
