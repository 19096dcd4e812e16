/**
 * Server-side apply and strategic merge patch from the official JavaScript client
 * (@kubernetes/client-node 2.x): `KubernetesObjectApi.patch(..., PatchStrategy.ServerSideApply)`
 * and typed `CoreV1Api` patches with the Content-Type chosen by `setHeaderOptions`.
 *
 * See test/support/client-node.ts for why the ESM-only client is imported dynamically.
 */
import type * as K8s from '@kubernetes/client-node';
import { clientNodeFor, type ClientNode } from '../support/client-node';
import { startKubemu, type Kubemu } from '../support/kubemu';

let k: Kubemu;
let k8s: ClientNode;
let core: K8s.CoreV1Api;
let objects: K8s.KubernetesObjectApi;

beforeAll(async () => {
  k = await startKubemu();
  let kc: K8s.KubeConfig;
  ({ k8s, kc } = await clientNodeFor(k.url));
  core = kc.makeApiClient(k8s.CoreV1Api);
  objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  for (const name of ['cna-configmaps', 'cna-pods']) {
    await core.createNamespace({ body: { metadata: { name } } });
  }
});

afterAll(async () => {
  await k?.close();
});

interface StatusBody {
  kind: string;
  apiVersion: string;
  metadata: object;
  status: string;
  message: string;
  reason: string;
  details?: { name?: string; kind?: string; causes?: { reason: string; message: string; field: string }[] };
  code: number;
}

/** Runs a call that must fail and returns the client's ApiException, with its Status body decoded. */
async function apiError(call: () => Promise<unknown>): Promise<{ code: number; body: StatusBody }> {
  try {
    await call();
  } catch (err) {
    if (err instanceof k8s.ApiException) {
      const body = typeof err.body === 'string' ? (JSON.parse(err.body) as StatusBody) : (err.body as StatusBody);
      return { code: err.code, body };
    }
    throw err;
  }
  throw new Error('expected the call to fail');
}

const owners = (obj: K8s.KubernetesObject) =>
  (obj.metadata?.managedFields ?? []).map((m) => ({ manager: m.manager, operation: m.operation, fieldsV1: m.fieldsV1 }));

const conflictStatus = (manager: string, field: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: `Apply failed with 1 conflict: conflict with ${manager}: ${field}`,
  reason: 'Conflict',
  details: { causes: [{ reason: 'FieldManagerConflict', message: `conflict with ${manager}`, field }] },
  code: 409,
});

describe('ConfigMaps through KubernetesObjectApi', () => {
  const namespace = 'cna-configmaps';
  const manifest = (data: Record<string, string>): K8s.V1ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied', namespace }, data });
  const apply = (obj: K8s.V1ConfigMap, opts: { force?: boolean; dryRun?: string; manager?: string } = {}) =>
    objects.patch(obj, undefined, opts.dryRun, opts.manager ?? 'cn-apply', opts.force, k8s.PatchStrategy.ServerSideApply);

  it('creates, re-applies, conflicts with another manager, forces and dry-runs', async () => {
    const created = await apply(manifest({ a: '1', b: '2' }));
    expect(created.kind).toBe('ConfigMap');
    expect(created.data).toEqual({ a: '1', b: '2' });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(owners(created)).toEqual([{ manager: 'cn-apply', operation: 'Apply', fieldsV1: { 'f:data': { 'f:a': {}, 'f:b': {} } } }]);
    expect(created.metadata?.managedFields?.[0].time).toBeInstanceOf(Date);

    // Same configuration: nothing is written.
    const same = await apply(manifest({ a: '1', b: '2' }));
    expect(same.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);

    const reapplied = await apply(manifest({ a: '3' }));
    expect(reapplied.data).toEqual({ a: '3' });
    expect(BigInt(reapplied.metadata!.resourceVersion!)).toBeGreaterThan(BigInt(created.metadata!.resourceVersion!));

    // Another manager changes the applier's field with a merge patch.
    const merged = await core.patchNamespacedConfigMap(
      { name: 'applied', namespace, body: { data: { a: 'theirs', extra: 'x' } }, fieldManager: 'cn-other' },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect(merged.data).toEqual({ a: 'theirs', extra: 'x' });
    expect(owners(merged)).toEqual([{ manager: 'cn-other', operation: 'Update', fieldsV1: { 'f:data': { 'f:a': {}, 'f:extra': {} } } }]);

    const conflict = await apiError(() => apply(manifest({ a: '4' })));
    expect(conflict).toEqual({ code: 409, body: conflictStatus('"cn-other" using v1', '.data.a') });
    expect((await core.readNamespacedConfigMap({ name: 'applied', namespace })).data).toEqual({ a: 'theirs', extra: 'x' });

    const forced = await apply(manifest({ a: '4' }), { force: true });
    expect(forced.data).toEqual({ a: '4', extra: 'x' });
    expect(owners(forced)).toEqual([
      { manager: 'cn-apply', operation: 'Apply', fieldsV1: { 'f:data': { 'f:a': {} } } },
      { manager: 'cn-other', operation: 'Update', fieldsV1: { 'f:data': { 'f:extra': {} } } },
    ]);

    // A second applier conflicts with an Apply manager, which the message names without "using".
    const second = await apiError(() => apply(manifest({ a: '5' }), { manager: 'cn-second' }));
    expect(second).toEqual({ code: 409, body: conflictStatus('"cn-apply"', '.data.a') });

    const dry = await apply(manifest({ a: '6', b: 'dry' }), { dryRun: 'All' });
    expect(dry.data).toEqual({ a: '6', b: 'dry', extra: 'x' });
    const read = await core.readNamespacedConfigMap({ name: 'applied', namespace });
    expect(read.data).toEqual({ a: '4', extra: 'x' });
    expect(read.metadata?.resourceVersion).toBe(forced.metadata?.resourceVersion);

    // Apply of an object that does not exist yet creates it.
    const fresh = await objects.patch(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fresh', namespace }, data: { k: 'v' } } as K8s.V1ConfigMap,
      undefined,
      undefined,
      'cn-apply',
      undefined,
      k8s.PatchStrategy.ServerSideApply,
    );
    expect(fresh.metadata?.creationTimestamp).toBeInstanceOf(Date);
    const readBack = (await objects.read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fresh', namespace } })) as K8s.V1ConfigMap;
    expect(readBack.data).toEqual({ k: 'v' });
  });

  it('rejects an apply without a field manager and force on other patch types', async () => {
    const noManager = await apiError(() => objects.patch(manifest({ a: '1' }), undefined, undefined, undefined, undefined, k8s.PatchStrategy.ServerSideApply));
    expect(noManager.code).toBe(422);
    expect(noManager.body).toMatchObject({
      reason: 'Invalid',
      message: 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      details: { group: 'meta.k8s.io', kind: 'PatchOptions', causes: [{ reason: 'FieldValueRequired', field: 'fieldManager' }] },
    });
    const forceOnMerge = await apiError(() => objects.patch(manifest({ a: '1' }), undefined, undefined, 'cn-apply', true, k8s.PatchStrategy.MergePatch));
    expect(forceOnMerge.code).toBe(422);
    expect(forceOnMerge.body.message).toBe('PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
  });
});

describe('Pods through the typed CoreV1Api', () => {
  const namespace = 'cna-pods';
  const ssa = () => k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.ServerSideApply);
  const strategic = () => k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch);
  const pod = (labels: Record<string, string>, images: { web: string; side: string }): K8s.V1Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace, labels },
    spec: {
      containers: [
        { name: 'web', image: images.web, ports: [{ containerPort: 80 }] },
        { name: 'side', image: images.side },
      ],
    },
  });
  const applyPod = (body: K8s.V1Pod, force?: boolean) => core.patchNamespacedPod({ name: 'web', namespace, body, fieldManager: 'cn-apply', force }, ssa());
  const images = (p: K8s.V1Pod) => p.spec?.containers.map((c) => [c.name, c.image]);

  it('server-side applies, strategic-merge patches by container name, conflicts and forces', async () => {
    const created = await applyPod(pod({ app: 'web', tier: 'fe' }, { web: 'nginx:1.25', side: 'busybox:1.36' }));
    expect(created.kind).toBe('Pod');
    expect(images(created)).toEqual([
      ['web', 'nginx:1.25'],
      ['side', 'busybox:1.36'],
    ]);
    // Defaults are filled in by the server and are nobody's fields.
    expect(created.spec?.containers[0].ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    expect(created.spec?.restartPolicy).toBe('Always');
    expect(owners(created).find((o) => o.manager === 'cn-apply')).toEqual({
      manager: 'cn-apply',
      operation: 'Apply',
      fieldsV1: {
        'f:metadata': { 'f:labels': { 'f:app': {}, 'f:tier': {} } },
        'f:spec': {
          'f:containers': {
            'k:{"name":"web"}': {
              '.': {},
              'f:image': {},
              'f:name': {},
              'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
            },
            'k:{"name":"side"}': { '.': {}, 'f:image': {}, 'f:name': {} },
          },
        },
      },
    });

    const reapplied = await applyPod(pod({ app: 'web' }, { web: 'nginx:1.26', side: 'busybox:1.36' }));
    expect(reapplied.metadata?.labels).toEqual({ app: 'web' });
    expect(images(reapplied)).toEqual([
      ['web', 'nginx:1.26'],
      ['side', 'busybox:1.36'],
    ]);

    // Strategic merge: the list merges by container name, null deletes a label.
    const patched = await core.patchNamespacedPod(
      {
        name: 'web',
        namespace,
        body: { metadata: { labels: { app: null, patched: 'yes' } }, spec: { containers: [{ name: 'side', image: 'busybox:1.37' }] } },
        fieldManager: 'cn-patch',
      },
      strategic(),
    );
    expect(patched.metadata?.labels).toEqual({ patched: 'yes' });
    expect(images(patched)).toEqual([
      ['web', 'nginx:1.26'],
      ['side', 'busybox:1.37'],
    ]);
    expect(owners(patched).find((o) => o.manager === 'cn-patch')).toEqual({
      manager: 'cn-patch',
      operation: 'Update',
      fieldsV1: { 'f:metadata': { 'f:labels': { 'f:patched': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"side"}': { 'f:image': {} } } } },
    });
    // The applier no longer owns the label the patch deleted, nor the image it changed.
    expect(owners(patched).find((o) => o.manager === 'cn-apply')?.fieldsV1).toEqual({
      'f:spec': {
        'f:containers': {
          'k:{"name":"web"}': {
            '.': {},
            'f:image': {},
            'f:name': {},
            'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
          },
          'k:{"name":"side"}': { '.': {}, 'f:name': {} },
        },
      },
    });

    const conflict = await apiError(() => applyPod(pod({ app: 'web' }, { web: 'nginx:1.26', side: 'busybox:1.38' })));
    expect(conflict).toEqual({ code: 409, body: conflictStatus('"cn-patch" using v1', '.spec.containers[name="side"].image') });

    const forced = await applyPod(pod({ app: 'web' }, { web: 'nginx:1.26', side: 'busybox:1.38' }), true);
    expect(images(forced)).toEqual([
      ['web', 'nginx:1.26'],
      ['side', 'busybox:1.38'],
    ]);
    expect(forced.metadata?.labels).toEqual({ app: 'web', patched: 'yes' });
    expect(owners(forced).find((o) => o.manager === 'cn-patch')?.fieldsV1).toEqual({ 'f:metadata': { 'f:labels': { 'f:patched': {} } } });

    // KubernetesObjectApi.patch defaults to a strategic merge patch.
    const viaObjects = await objects.patch({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
    } as K8s.V1Pod);
    expect(images(viaObjects)).toEqual([
      ['web', 'nginx:1.27'],
      ['side', 'busybox:1.38'],
    ]);

    // Validation still applies to apply patches: restartPolicy is immutable.
    const invalid = await apiError(() => applyPod({ ...pod({ app: 'web' }, { web: 'nginx:1.27', side: 'busybox:1.38' }), spec: { ...pod({}, { web: 'nginx:1.27', side: 'busybox:1.38' }).spec!, restartPolicy: 'Never' } }, true));
    expect(invalid.code).toBe(422);
    expect(invalid.body.reason).toBe('Invalid');
    expect(invalid.body.message).toMatch(/^Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than/);
  });
});
