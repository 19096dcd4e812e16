/**
 * The official JavaScript client (@kubernetes/client-node 2.x) against an in-process kubemu:
 * typed CRUD of ConfigMaps and Pods, each patch strategy, error bodies, and an informer.
 *
 * client-node 2.x is ESM-only; see test/support/client-node.ts for how it is loaded.
 */
import type * as K8s from '@kubernetes/client-node';
import { clientNodeFor, type ClientNode } from '../support/client-node';
import { eventually, startKubemu, type Kubemu } from '../support/kubemu';

let k: Kubemu;
let k8s: ClientNode;
let kc: K8s.KubeConfig;
let core: K8s.CoreV1Api;

beforeAll(async () => {
  k = await startKubemu();
  ({ k8s, kc } = await clientNodeFor(k.url));
  core = kc.makeApiClient(k8s.CoreV1Api);
  for (const name of ['cn-configmaps', 'cn-pods', 'cn-informer']) {
    await core.createNamespace({ body: { metadata: { name } } });
  }
});

afterAll(async () => {
  await k?.close();
});

/** Runs a call that must fail and returns the client's ApiException, with its Status body decoded. */
async function apiError(call: () => Promise<unknown>): Promise<{ code: number; status: { kind: string; reason: string; code: number; message: string } }> {
  try {
    await call();
  } catch (err) {
    if (err instanceof k8s.ApiException) {
      const body = typeof err.body === 'string' ? (JSON.parse(err.body) as { kind: string; reason: string; code: number; message: string }) : err.body;
      return { code: err.code, status: body };
    }
    throw err;
  }
  throw new Error('expected the call to fail');
}

const mergePatch = () => k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

describe('ConfigMaps', () => {
  const namespace = 'cn-configmaps';

  it('create, read, list by label, replace, patch (json, merge) and delete', async () => {
    const created = await core.createNamespacedConfigMap({
      namespace,
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', labels: { app: 'web', tier: 'fe' } }, data: { mode: 'dev' } },
    });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.resourceVersion).toMatch(/^\d+$/);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(created.data).toEqual({ mode: 'dev' });
    await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'other', labels: { app: 'api' } } } });

    const read = await core.readNamespacedConfigMap({ name: 'settings', namespace });
    expect(read.metadata?.uid).toBe(created.metadata?.uid);
    expect(read.kind).toBe('ConfigMap');

    const list = await core.listNamespacedConfigMap({ namespace, labelSelector: 'app in (web),tier!=db' });
    expect(list.kind).toBe('ConfigMapList');
    expect(list.metadata?.resourceVersion).toMatch(/^\d+$/);
    expect(list.items.map((i) => i.metadata?.name)).toEqual(['settings']);

    const replaced = await core.replaceNamespacedConfigMap({
      name: 'settings',
      namespace,
      body: { ...read, data: { mode: 'prod', replicas: '3' } },
    });
    expect(replaced.data).toEqual({ mode: 'prod', replicas: '3' });
    expect(BigInt(replaced.metadata!.resourceVersion!)).toBeGreaterThan(BigInt(read.metadata!.resourceVersion!));

    // The stale object still carries the old resourceVersion: optimistic concurrency says 409.
    const conflict = await apiError(() => core.replaceNamespacedConfigMap({ name: 'settings', namespace, body: { ...read, data: { mode: 'lost' } } }));
    expect(conflict.code).toBe(409);
    expect(conflict.status).toMatchObject({
      kind: 'Status',
      reason: 'Conflict',
      code: 409,
      message: 'Operation cannot be fulfilled on configmaps "settings": the object has been modified; please apply your changes to the latest version and try again',
    });

    // Without options the generated client sends the first patch type it knows: JSON patch.
    const jsonPatched = await core.patchNamespacedConfigMap({ name: 'settings', namespace, body: [{ op: 'replace', path: '/data/mode', value: 'staging' }] });
    expect(jsonPatched.data).toEqual({ mode: 'staging', replicas: '3' });

    const merged = await core.patchNamespacedConfigMap(
      { name: 'settings', namespace, body: { metadata: { labels: { tier: null, patched: 'yes' } }, data: { replicas: null, extra: 'x' } } },
      mergePatch(),
    );
    expect(merged.metadata?.labels).toEqual({ app: 'web', patched: 'yes' });
    expect(merged.data).toEqual({ mode: 'staging', extra: 'x' });

    const deleted = await core.deleteNamespacedConfigMap({ name: 'settings', namespace });
    expect(deleted).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'settings', kind: 'configmaps', uid: created.metadata?.uid } });
    const gone = await apiError(() => core.readNamespacedConfigMap({ name: 'settings', namespace }));
    expect(gone).toEqual({ code: 404, status: expect.objectContaining({ kind: 'Status', reason: 'NotFound', code: 404, message: 'configmaps "settings" not found' }) });
  });

  it('a duplicate create is 409 AlreadyExists', async () => {
    await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'dup' } } });
    const dup = await apiError(() => core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'dup' } } }));
    expect(dup.code).toBe(409);
    expect(dup.status).toMatchObject({ reason: 'AlreadyExists', message: 'configmaps "dup" already exists' });
  });

  it('an invalid name is 422 Invalid', async () => {
    const bad = await apiError(() => core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'Not_Valid' } } }));
    expect(bad.code).toBe(422);
    expect(bad.status.reason).toBe('Invalid');
    expect(bad.status.message).toMatch(/^ConfigMap "Not_Valid" is invalid: metadata\.name: Invalid value: "Not_Valid": a lowercase RFC 1123 subdomain/);
  });
});

describe('Pods', () => {
  const namespace = 'cn-pods';
  const pod = (name: string, labels: Record<string, string>): K8s.V1Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
  });

  it('create, read, list by label, replace, merge patch and delete', async () => {
    const created = await core.createNamespacedPod({ namespace, body: pod('web', { app: 'web' }) });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    // Defaulting happens on the server, and the client deserialises it into typed fields.
    expect(created.spec?.restartPolicy).toBe('Always');
    expect(created.spec?.containers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(created.spec?.containers[0].ports?.[0].protocol).toBe('TCP');
    expect(created.status?.phase).toMatch(/^(Pending|Running)$/);
    await core.createNamespacedPod({ namespace, body: pod('db', { app: 'db' }) });

    const read = await core.readNamespacedPod({ name: 'web', namespace });
    expect(read.spec?.containers.map((c) => c.image)).toEqual(['nginx:1.27']);

    const list = await core.listNamespacedPod({ namespace, labelSelector: 'app=web' });
    expect(list.items.map((p) => p.metadata?.name)).toEqual(['web']);
    const all = await core.listPodForAllNamespaces({ labelSelector: 'app in (web,db)' });
    expect(all.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`)).toEqual([`${namespace}/db`, `${namespace}/web`]);

    // A container's image is one of the few mutable fields of a Pod spec.
    const replaced = await core.replaceNamespacedPod({
      name: 'web',
      namespace,
      body: { ...read, metadata: { ...read.metadata, labels: { app: 'web', version: 'v2' } }, spec: { ...read.spec!, containers: [{ ...read.spec!.containers[0], image: 'nginx:1.28' }] } },
    });
    expect(replaced.spec?.containers[0].image).toBe('nginx:1.28');
    expect(replaced.metadata?.labels).toEqual({ app: 'web', version: 'v2' });

    const patched = await core.patchNamespacedPod({ name: 'web', namespace, body: { metadata: { labels: { patched: 'true' } } } }, mergePatch());
    expect(patched.metadata?.labels).toEqual({ app: 'web', version: 'v2', patched: 'true' });

    const immutable = await apiError(() =>
      core.patchNamespacedPod({ name: 'web', namespace, body: { spec: { restartPolicy: 'Never' } } }, mergePatch()),
    );
    expect(immutable.code).toBe(422);
    expect(immutable.status.message).toMatch(/^Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than/);

    const deleted = await core.deleteNamespacedPod({ name: 'web', namespace });
    expect(deleted.metadata?.name).toBe('web');
    await eventually(
      async () => {
        const res = await apiError(() => core.readNamespacedPod({ name: 'web', namespace })).catch(() => undefined);
        return res?.code === 404 ? res : undefined;
      },
      30_000,
      'pod web to be gone',
    );
  });
});

describe('Informer', () => {
  const namespace = 'cn-informer';

  it('sees the initial list, then add, update and delete events', async () => {
    await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'existing' }, data: { v: '0' } } });

    const informer = k8s.makeInformer<K8s.V1ConfigMap>(kc, `/api/v1/namespaces/${namespace}/configmaps`, () => core.listNamespacedConfigMap({ namespace }));
    const seen: string[] = [];
    const errors: unknown[] = [];
    informer.on(k8s.ADD, (obj) => seen.push(`add ${obj.metadata?.name} ${obj.data?.v ?? ''}`));
    informer.on(k8s.UPDATE, (obj) => seen.push(`update ${obj.metadata?.name} ${obj.data?.v ?? ''}`));
    informer.on(k8s.DELETE, (obj) => seen.push(`delete ${obj.metadata?.name}`));
    informer.on(k8s.ERROR, (err) => errors.push(err));
    const waitFor = (entry: string) => eventually(async () => (seen.includes(entry) ? true : undefined), 10_000, `informer event "${entry}" (seen: ${JSON.stringify(seen)})`);

    await informer.start();
    try {
      await waitFor('add existing 0');

      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'watched' }, data: { v: '1' } } });
      await waitFor('add watched 1');
      expect(informer.get('watched', namespace)?.data).toEqual({ v: '1' });

      await core.patchNamespacedConfigMap({ name: 'watched', namespace, body: { data: { v: '2' } } }, mergePatch());
      await waitFor('update watched 2');

      await core.deleteNamespacedConfigMap({ name: 'watched', namespace });
      await waitFor('delete watched');
      expect(informer.get('watched', namespace)).toBeUndefined();
      expect(informer.list(namespace).map((o) => o.metadata?.name)).toEqual(['existing']);

      expect(seen).toEqual(['add existing 0', 'add watched 1', 'update watched 2', 'delete watched']);
      expect(errors).toEqual([]);
    } finally {
      await informer.stop();
    }
  });
});
