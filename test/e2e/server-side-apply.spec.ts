/**
 * `kubectl apply --server-side` with kubectl 1.27, 1.32 and 1.33: creation, re-apply, removal of
 * fields the applier alone owned, conflicts with another manager and `--force-conflicts`,
 * managedFields as `--show-managed-fields` prints them, server dry run, `diff --server-side`,
 * the client-side → server-side migration kubectl performs, and `apply --prune`.
 *
 * Every expectation is what a real 1.33 API server makes these kubectl binaries print or store.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { kubectlBinary, startKubemu, type Kubemu } from '../support/kubemu';

interface ManagedFieldsEntry {
  manager: string;
  operation: string;
  apiVersion: string;
  fieldsType: string;
  fieldsV1: Record<string, unknown>;
  time?: string;
  subresource?: string;
}
interface KubeObject {
  metadata: {
    name: string;
    resourceVersion: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    managedFields?: ManagedFieldsEntry[];
  };
  data?: Record<string, string>;
  spec?: { containers: { name: string; image: string; imagePullPolicy?: string }[]; restartPolicy?: string };
}

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/** The first line kubectl prints for a conflicting server-side apply, with the help text that follows it. */
const conflictHelp = `Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the \`--force-conflicts\` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts
`;

const configMap = (name: string, data: Record<string, string>, labels?: Record<string, string>) =>
  stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: labels ? { name, labels } : { name }, data });

/** Only what identifies an entry (time and the like vary). */
const entries = (obj: KubeObject) =>
  (obj.metadata.managedFields ?? []).map((e) => ({ manager: e.manager, operation: e.operation, apiVersion: e.apiVersion, fieldsType: e.fieldsType, fieldsV1: e.fieldsV1 }));

for (const minor of [27, 32, 33]) {
  describe(`kubectl 1.${minor} apply --server-side`, () => {
    let k: Kubemu;
    const ns = `ssa-${minor}`;
    const binary = kubectlBinary(minor);
    const run = (args: string[]) => k.kubectl(['-n', ns, ...args], { binary });
    /** The stored object as `kubectl get -o yaml --show-managed-fields` prints it. */
    const getObject = async (kind: string, name: string): Promise<KubeObject> => {
      const r = await run(['get', kind, name, '-o', 'yaml', '--show-managed-fields']);
      expect(r).toMatchObject({ code: 0, stderr: '' });
      return parse(r.stdout) as KubeObject;
    };
    const file = (name: string, content: string) => k.writeFile(`${minor}-${name}.yaml`, content);

    beforeAll(async () => {
      k = await startKubemu();
      await k.api.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    });
    afterAll(() => k?.close());

    it('creates a ConfigMap and a Pod, re-applies changes and removes fields it alone owned', async () => {
      const cm = file('settings', configMap('settings', { key: 'one', other: 'two' }));
      expect(await run(['apply', '--server-side', '-f', cm])).toEqual({ code: 0, stdout: 'configmap/settings serverside-applied\n', stderr: '' });
      const created = await getObject('configmap', 'settings');
      expect(created.data).toEqual({ key: 'one', other: 'two' });
      expect(entries(created)).toEqual([
        { manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:key': {}, 'f:other': {} } } },
      ]);
      expect(created.metadata.managedFields?.[0].time).toMatch(RFC3339);
      // managedFields are hidden unless asked for.
      const plain = parse((await run(['get', 'configmap', 'settings', '-o', 'yaml'])).stdout) as KubeObject;
      expect(plain.metadata.managedFields).toBeUndefined();

      // Applying the same configuration again changes nothing, not even the resourceVersion.
      expect(await run(['apply', '--server-side', '-f', cm])).toEqual({ code: 0, stdout: 'configmap/settings serverside-applied\n', stderr: '' });
      expect((await getObject('configmap', 'settings')).metadata.resourceVersion).toBe(created.metadata.resourceVersion);

      // A changed value is applied; a key dropped from the manifest is removed because kubectl was its only manager.
      file('settings', configMap('settings', { key: 'three' }));
      expect(await run(['apply', '--server-side', '-f', cm])).toEqual({ code: 0, stdout: 'configmap/settings serverside-applied\n', stderr: '' });
      const updated = await getObject('configmap', 'settings');
      expect(updated.data).toEqual({ key: 'three' });
      expect(BigInt(updated.metadata.resourceVersion)).toBeGreaterThan(BigInt(created.metadata.resourceVersion));
      expect(entries(updated)).toEqual([
        { manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:key': {} } } },
      ]);

      const podManifest = (labels: Record<string, string>, image: string) =>
        stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels }, spec: { containers: [{ name: 'web', image }] } });
      const pod = file('web', podManifest({ app: 'web', tier: 'fe' }, 'nginx:1.25'));
      expect(await run(['apply', '--server-side', '-f', pod])).toEqual({ code: 0, stdout: 'pod/web serverside-applied\n', stderr: '' });
      const createdPod = await getObject('pod', 'web');
      expect(createdPod.metadata.labels).toEqual({ app: 'web', tier: 'fe' });
      // Defaults are the server's, not the applier's: they are stored but not owned by kubectl.
      expect(createdPod.spec?.restartPolicy).toBe('Always');
      expect(createdPod.spec?.containers[0].imagePullPolicy).toBe('IfNotPresent');
      expect(entries(createdPod).filter((e) => e.manager === 'kubectl')).toEqual([
        {
          manager: 'kubectl',
          operation: 'Apply',
          apiVersion: 'v1',
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': { 'f:labels': { 'f:app': {}, 'f:tier': {} } },
            'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
          },
        },
      ]);

      file('web', podManifest({ app: 'web' }, 'nginx:1.26'));
      expect(await run(['apply', '--server-side', '-f', pod])).toEqual({ code: 0, stdout: 'pod/web serverside-applied\n', stderr: '' });
      const updatedPod = await getObject('pod', 'web');
      expect(updatedPod.metadata.labels).toEqual({ app: 'web' });
      expect(updatedPod.spec?.containers.map((c) => [c.name, c.image])).toEqual([['web', 'nginx:1.26']]);
      expect(updatedPod.spec?.restartPolicy).toBe('Always');
      expect(entries(updatedPod).find((e) => e.manager === 'kubectl')?.fieldsV1).toEqual({
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
      });
    });

    it('conflicts with a field another manager set, and --force-conflicts takes it over', async () => {
      const cm = file('shared', configMap('shared', { key: 'one', mine: 'm' }));
      expect((await run(['apply', '--server-side', '-f', cm])).code).toBe(0);
      expect(await run(['patch', 'configmap', 'shared', '--type=merge', '-p', '{"data":{"key":"patched","theirs":"t"}}'])).toEqual({
        code: 0,
        stdout: 'configmap/shared patched\n',
        stderr: '',
      });
      const patched = await getObject('configmap', 'shared');
      // An update always wins: the field moves from the applier to the patcher.
      expect(entries(patched)).toEqual([
        { manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:mine': {} } } },
        { manager: 'kubectl-patch', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:key': {}, 'f:theirs': {} } } },
      ]);

      file('shared', configMap('shared', { key: 'two', mine: 'm' }));
      const conflict = await run(['apply', '--server-side', '-f', cm]);
      expect(conflict).toEqual({
        code: 1,
        stdout: '',
        stderr: `error: Apply failed with 1 conflict: conflict with "kubectl-patch" using v1: .data.key\n${conflictHelp}`,
      });
      const unchanged = await getObject('configmap', 'shared');
      expect(unchanged.data).toEqual({ key: 'patched', mine: 'm', theirs: 't' });
      expect(unchanged.metadata.resourceVersion).toBe(patched.metadata.resourceVersion);

      // Applying the value the other manager set is not a conflict: both managers then own it.
      file('shared', configMap('shared', { key: 'patched', mine: 'm' }));
      expect(await run(['apply', '--server-side', '-f', cm])).toEqual({ code: 0, stdout: 'configmap/shared serverside-applied\n', stderr: '' });
      expect(entries(await getObject('configmap', 'shared'))).toEqual([
        { manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:key': {}, 'f:mine': {} } } },
        { manager: 'kubectl-patch', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:key': {}, 'f:theirs': {} } } },
      ]);

      file('shared', configMap('shared', { key: 'two', mine: 'm' }));
      expect((await run(['apply', '--server-side', '-f', cm])).code).toBe(1);
      expect(await run(['apply', '--server-side', '--force-conflicts', '-f', cm])).toEqual({
        code: 0,
        stdout: 'configmap/shared serverside-applied\n',
        stderr: '',
      });
      const forced = await getObject('configmap', 'shared');
      expect(forced.data).toEqual({ key: 'two', mine: 'm', theirs: 't' });
      expect(entries(forced)).toEqual([
        { manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:key': {}, 'f:mine': {} } } },
        { manager: 'kubectl-patch', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:theirs': {} } } },
      ]);
      for (const entry of forced.metadata.managedFields ?? []) expect(entry.time).toMatch(RFC3339);

      // Applying another manager's current value co-owns it; dropping it again leaves it to that manager,
      // while a key kubectl alone owned goes.
      file('shared', configMap('shared', { key: 'two', mine: 'm', theirs: 't' }));
      expect((await run(['apply', '--server-side', '-f', cm])).code).toBe(0);
      expect(entries(await getObject('configmap', 'shared')).map((e) => [e.manager, e.fieldsV1])).toEqual([
        ['kubectl', { 'f:data': { 'f:key': {}, 'f:mine': {}, 'f:theirs': {} } }],
        ['kubectl-patch', { 'f:data': { 'f:theirs': {} } }],
      ]);
      file('shared', configMap('shared', { key: 'two' }));
      expect((await run(['apply', '--server-side', '-f', cm])).code).toBe(0);
      const dropped = await getObject('configmap', 'shared');
      expect(dropped.data).toEqual({ key: 'two', theirs: 't' });
      expect(entries(dropped).map((e) => [e.manager, e.fieldsV1])).toEqual([
        ['kubectl', { 'f:data': { 'f:key': {} } }],
        ['kubectl-patch', { 'f:data': { 'f:theirs': {} } }],
      ]);
    });

    it('lists every conflicting field by manager, with keyed list paths for containers', async () => {
      const data = (v: string) => ({ a: v, b: v, c: v });
      const cm = file('multi', configMap('multi', data('1')));
      expect((await run(['apply', '--server-side', '-f', cm])).code).toBe(0);
      expect((await run(['patch', 'configmap', 'multi', '--type=merge', '-p', '{"data":{"a":"2","b":"2"}}'])).code).toBe(0);
      // A second applier conflicts with the first one, an Apply manager (printed without "using").
      const other = file('multi-other', configMap('multi', { c: '3' }));
      expect(await run(['apply', '--server-side', '--field-manager=other', '-f', other])).toEqual({
        code: 1,
        stdout: '',
        stderr: `error: Apply failed with 1 conflict: conflict with "kubectl": .data.c\n${conflictHelp}`,
      });
      file('multi', configMap('multi', data('5')));
      expect(await run(['apply', '--server-side', '-f', cm])).toEqual({
        code: 1,
        stdout: '',
        stderr: `error: Apply failed with 2 conflicts: conflicts with "kubectl-patch" using v1:\n- .data.a\n- .data.b\n${conflictHelp}`,
      });

      const podManifest = (image: string) =>
        stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'setimage' }, spec: { containers: [{ name: 'app', image }] } });
      const pod = file('setimage', podManifest('nginx:1.25'));
      expect((await run(['apply', '--server-side', '-f', pod])).code).toBe(0);
      expect(await run(['set', 'image', 'pod/setimage', 'app=nginx:1.26'])).toEqual({ code: 0, stdout: 'pod/setimage image updated\n', stderr: '' });
      file('setimage', podManifest('nginx:1.27'));
      expect(await run(['apply', '--server-side', '-f', pod])).toEqual({
        code: 1,
        stdout: '',
        stderr: `error: Apply failed with 1 conflict: conflict with "kubectl-set" using v1: .spec.containers[name="app"].image\n${conflictHelp}`,
      });
      expect((await run(['apply', '--server-side', '--force-conflicts', '-f', pod])).code).toBe(0);
      const forced = await getObject('pod', 'setimage');
      expect(forced.spec?.containers.map((c) => c.image)).toEqual(['nginx:1.27']);
      expect(entries(forced).find((e) => e.manager === 'kubectl-set')).toBeUndefined();

      // Forcing does not get past validation: a pod's restartPolicy is immutable.
      const immutable = file(
        'setimage-immutable',
        stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'setimage' }, spec: { restartPolicy: 'Never', containers: [{ name: 'app', image: 'nginx:1.27' }] } }),
      );
      const invalid = await run(['apply', '--server-side', '--force-conflicts', '-f', immutable]);
      expect(invalid.code).toBe(1);
      expect(invalid.stdout).toBe('');
      expect(invalid.stderr).toMatch(/^The Pod "setimage" is invalid: spec: Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`/);
    });

    it('--dry-run=server reports the apply but stores nothing', async () => {
      const cm = file('dry', configMap('dry', { key: 'one' }));
      expect((await run(['apply', '--server-side', '-f', cm])).code).toBe(0);
      const before = await getObject('configmap', 'dry');

      file('dry', configMap('dry', { key: 'two', extra: 'e' }));
      expect(await run(['apply', '--server-side', '--dry-run=server', '-f', cm])).toEqual({
        code: 0,
        stdout: 'configmap/dry serverside-applied (server dry run)\n',
        stderr: '',
      });
      expect(await getObject('configmap', 'dry')).toEqual(before);

      // The dry run shows what would be stored.
      const shown = await run(['apply', '--server-side', '--dry-run=server', '-f', cm, '-o', 'json']);
      expect(shown.code).toBe(0);
      expect((JSON.parse(shown.stdout) as KubeObject).data).toEqual({ key: 'two', extra: 'e' });
      expect(await getObject('configmap', 'dry')).toEqual(before);

      const ghost = file('ghost', configMap('ghost', { key: 'one' }));
      expect(await run(['apply', '--server-side', '--dry-run=server', '-f', ghost])).toEqual({
        code: 0,
        stdout: 'configmap/ghost serverside-applied (server dry run)\n',
        stderr: '',
      });
      expect(await run(['get', 'configmap', 'ghost'])).toEqual({ code: 1, stdout: '', stderr: 'Error from server (NotFound): configmaps "ghost" not found\n' });
    });

    if (minor >= 32) {
      it('diff --server-side shows what an apply would change and changes nothing', async () => {
        const cm = file('diffed', configMap('diffed', { key: 'one', other: 'two' }));
        expect((await run(['apply', '--server-side', '-f', cm])).code).toBe(0);
        const before = await getObject('configmap', 'diffed');

        file('diffed', configMap('diffed', { key: 'three' }));
        const diff = await run(['diff', '--server-side', '-f', cm]);
        expect(diff.stderr).toBe('');
        expect(diff.code).toBe(1);
        const changed = diff.stdout.split('\n').filter((l) => /^[-+] /.test(l));
        expect(changed).toEqual(['-  key: one', '-  other: two', '+  key: three']);
        expect(await getObject('configmap', 'diffed')).toEqual(before);

        // Another manager's value makes the dry-run apply conflict, which diff reports as an error (exit 2).
        await run(['patch', 'configmap', 'diffed', '--type=merge', '-p', '{"data":{"key":"patched"}}']);
        const conflicting = await run(['diff', '--server-side', '-f', cm]);
        expect(conflicting.code).toBe(2);
        expect(conflicting.stdout).toBe('');
        expect(conflicting.stderr).toMatch(/Error from server \(Conflict\): Apply failed with 1 conflict: conflict with "kubectl-patch" using v1: \.data\.key\n$/);
        const forced = await run(['diff', '--server-side', '--force-conflicts', '-f', cm]);
        expect(forced.code).toBe(1);
        expect(forced.stdout.split('\n').filter((l) => /^[-+] /.test(l))).toEqual(['-  key: patched', '-  other: two', '+  key: three']);

        expect((await run(['apply', '--server-side', '--force-conflicts', '-f', cm])).code).toBe(0);
        expect(await run(['diff', '--server-side', '-f', cm])).toEqual({ code: 0, stdout: '', stderr: '' });
      });
    }

    it('migrates field ownership from client-side apply to server-side apply', async () => {
      const cm = file('migrated', configMap('migrated', { key: 'one', other: 'two' }));
      expect(await run(['apply', '-f', cm])).toEqual({ code: 0, stdout: 'configmap/migrated created\n', stderr: '' });
      const csa = await getObject('configmap', 'migrated');
      expect(entries(csa)).toEqual([
        {
          manager: 'kubectl-client-side-apply',
          operation: 'Update',
          apiVersion: 'v1',
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:data': { '.': {}, 'f:key': {}, 'f:other': {} },
            'f:metadata': { 'f:annotations': { '.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {} } },
          },
        },
      ]);

      // A changed value would conflict with kubectl-client-side-apply, but the server lets the "kubectl"
      // manager take over fields listed in last-applied-configuration; kubectl then moves the old
      // manager's fields to itself and re-applies, so the dropped key goes too.
      file('migrated', configMap('migrated', { key: 'three' }));
      expect(await run(['apply', '--server-side', '-f', cm])).toEqual({ code: 0, stdout: 'configmap/migrated serverside-applied\n', stderr: '' });
      const migrated = await getObject('configmap', 'migrated');
      expect(migrated.data).toEqual({ key: 'three' });
      // The server keeps last-applied-configuration up to date for the "kubectl" manager.
      expect(JSON.parse(migrated.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'] ?? 'null')).toEqual({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'migrated', namespace: ns },
        data: { key: 'three' },
      });
      expect(entries(migrated)).toEqual([
        {
          manager: 'kubectl-last-applied',
          operation: 'Apply',
          apiVersion: 'v1',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:metadata': { 'f:annotations': { 'f:kubectl.kubernetes.io/last-applied-configuration': {} } } },
        },
        { manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:key': {} } } },
      ]);

      // Once migrated, another server-side apply of the same manifest is a no-op.
      expect(await run(['apply', '--server-side', '-f', cm])).toEqual({ code: 0, stdout: 'configmap/migrated serverside-applied\n', stderr: '' });
      expect((await getObject('configmap', 'migrated')).metadata.resourceVersion).toBe(migrated.metadata.resourceVersion);
    });

    it('apply --prune deletes applied objects with the label that left the directory', async () => {
      const dir = join(k.dir, 'files', `prune-${minor}`);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      const labels = { app: 'prune-test' };
      k.writeFile(`prune-${minor}/a.yaml`, configMap('prune-a', { k: 'a' }, labels));
      k.writeFile(`prune-${minor}/b.yaml`, configMap('prune-b', { k: 'b' }, labels));
      // Labelled but never applied (no last-applied-configuration): prune leaves it alone.
      await k.api.create(`/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'prune-manual', labels } });
      // Applied but without the label: outside the selector.
      expect((await run(['apply', '-f', file('prune-other', configMap('prune-other', { k: 'o' }))])).code).toBe(0);

      // The allowlist keeps kubectl from asking for its default prune kinds (Endpoints, Services, ...), which kubemu does not serve.
      const prune = ['apply', '--prune', '-l', 'app=prune-test', '--prune-allowlist=core/v1/ConfigMap', '-f', dir];
      expect(await run(prune)).toEqual({ code: 0, stdout: 'configmap/prune-a created\nconfigmap/prune-b created\n', stderr: '' });
      rmSync(join(dir, 'b.yaml'));
      expect(await run(prune)).toEqual({ code: 0, stdout: 'configmap/prune-a unchanged\nconfigmap/prune-b pruned\n', stderr: '' });

      const left = await run(['get', 'configmaps', '-o', 'name']);
      expect(left.stdout.split('\n').filter((l) => l.startsWith('configmap/prune-'))).toEqual([
        'configmap/prune-a',
        'configmap/prune-manual',
        'configmap/prune-other',
      ]);
      expect(await run(prune)).toEqual({ code: 0, stdout: 'configmap/prune-a unchanged\n', stderr: '' });
    });
  });
}

/** What the API server answers to apply requests that kubectl never sends but other clients can. */
describe('apply requests on the wire', () => {
  let k: Kubemu;
  const ns = 'ssa-wire';
  const base = `/api/v1/namespaces/${ns}/configmaps`;
  const APPLY = 'application/apply-patch+yaml';
  const apply = (name: string, body: string | object, query = 'fieldManager=wire') =>
    k.api.request<{ kind: string; message: string; reason?: string; code: number; details?: unknown; metadata: { uid?: string } }>(
      'PATCH',
      `${base}/${name}?${query}`,
      body,
      APPLY,
    );

  beforeAll(async () => {
    k = await startKubemu();
    await k.api.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await k.api.create(base, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'live' }, data: { a: '1' } });
  });
  afterAll(() => k?.close());

  it('accepts YAML bodies and reports YAML errors as BadRequest', async () => {
    const created = await apply('yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yaml\ndata:\n  port: "8080"\n  flag: "true"\n');
    expect(created.status).toBe(201);
    expect(JSON.parse(created.text).data).toEqual({ port: '8080', flag: 'true' });

    const broken = await apply('yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yaml\ndata:\n  a: [1\n');
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
    // The apply handler decodes with sigs.k8s.io/yaml: "error decoding YAML: error converting YAML to JSON: yaml: line N: ...".
    expect(broken.body.message).toMatch(/^error decoding YAML: error converting YAML to JSON: yaml: /);
  });

  it('refuses duplicate keys under fieldValidation=Strict with the strict YAML decoder\'s message', async () => {
    // Duplicate keys pass the lenient decode but fail the strict one that fieldValidation=Strict adds.
    const duplicate = await apply('yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yaml\ndata:\n  a: "1"\n  a: "2"\n', 'fieldManager=wire&fieldValidation=Strict');
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.reason).toBe('BadRequest');
    expect(duplicate.body.message).toBe('error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  line 7: key "a" already set in map');
  });

  it('rejects managedFields, another kind and another version in the applied object', async () => {
    const withManaged = await apply('live', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'live', managedFields: [{ manager: 'x', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: {} }] },
    });
    expect(withManaged.status).toBe(400);
    expect(withManaged.body).toMatchObject({ reason: 'BadRequest', message: 'metadata.managedFields must be nil' });
    const otherKind = await apply('live', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'live' } });
    expect(otherKind.status).toBe(400);
    expect(otherKind.body).toMatchObject({ reason: 'BadRequest', message: 'invalid object type: /v1, Kind=Secret' });
    const otherVersion = await apply('live', { apiVersion: 'v2', kind: 'ConfigMap', metadata: { name: 'live' } });
    expect(otherVersion.status).toBe(400);
    expect(otherVersion.body).toMatchObject({ reason: 'BadRequest', message: 'invalid object type: /v2, Kind=ConfigMap' });
  });

  it('refuses a body whose name is not the one in the URL, when creating', async () => {
    const misnamed = await apply('wanted', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other' }, data: { a: '1' } });
    expect(misnamed.status).toBe(400);
    expect(misnamed.body).toMatchObject({ reason: 'BadRequest', message: 'the name of the object (other) does not match the name on the URL (wanted)' });
    expect((await k.api.request('GET', `${base}/other`)).status).toBe(404);
    expect((await k.api.request('GET', `${base}/wanted`)).status).toBe(404);
  });

  it('refuses a rename of an existing object by apply or merge patch', async () => {
    // The same check, made after the patch is merged into the live object.
    const renamed = await apply('live', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'renamed' }, data: { b: '2' } });
    expect(renamed.status).toBe(400);
    expect(renamed.body).toMatchObject({ reason: 'BadRequest', message: 'the name of the object (renamed) does not match the name on the URL (live)' });
    // A merge patch that renames is refused the same way.
    const mergeRename = await k.api.request<{ reason: string; message: string }>('PATCH', `${base}/live`, { metadata: { name: 'renamed' } }, 'application/merge-patch+json');
    expect(mergeRename.status).toBe(400);
    expect(mergeRename.body).toMatchObject({ reason: 'BadRequest', message: 'the name of the object (renamed) does not match the name on the URL (live)' });
    const live = await k.api.request<{ data: Record<string, string>; metadata: { uid: string; resourceVersion: string } }>('GET', `${base}/live`);
    expect(live.body.data).toEqual({ a: '1' });
  });

  it('refuses a body from another namespace', async () => {
    await k.api.create(base, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'live-ns' } });
    const creating = await apply('new-ns', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'new-ns', namespace: 'kube-system' } });
    expect(creating.status).toBe(400);
    expect(creating.body).toMatchObject({ reason: 'BadRequest', message: 'the namespace of the provided object does not match the namespace sent on the request' });
    const otherNamespace = await apply('live-ns', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'live-ns', namespace: 'kube-system' } });
    expect(otherNamespace.status).toBe(400);
    expect(otherNamespace.body).toMatchObject({ reason: 'BadRequest', message: 'the namespace of the provided object does not match the namespace sent on the request' });

  });

  it('treats a uid in the body as a precondition on create and an immutable field on update', async () => {
    // A uid in an apply that creates: nothing exists with that uid.
    const uid = '11111111-2222-3333-4444-555555555555';
    const uidCreate = await apply('with-uid', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'with-uid', uid } });
    expect(uidCreate.status).toBe(409);
    expect(uidCreate.body).toMatchObject({
      reason: 'Conflict',
      message: `Operation cannot be fulfilled on configmaps "with-uid": uid mismatch: the provided object specified uid ${uid}, and no existing object was found`,
      details: { name: 'with-uid', kind: 'configmaps' },
    });
    expect((await k.api.request('GET', `${base}/with-uid`)).status).toBe(404);
    // A different uid on an existing object is an attempt to change an immutable field.
    await k.api.create(base, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'live-uid' } });
    const uidChange = await apply('live-uid', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'live-uid', uid } });
    expect(uidChange.status).toBe(422);
    expect(uidChange.body).toMatchObject({
      reason: 'Invalid',
      message: `ConfigMap "live-uid" is invalid: metadata.uid: Invalid value: "${uid}": field is immutable`,
    });
    // Its own uid is fine.
    const live = await k.api.request<{ metadata: { uid: string } }>('GET', `${base}/live-uid`);
    expect((await apply('live-uid', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'live-uid', uid: live.body.metadata.uid }, data: { a: '1' } })).status).toBe(200);
  });

  it('treats a resourceVersion in the body as a precondition', async () => {
    // A resourceVersion in the applied object is a precondition (checked after field conflicts, so only new fields here).
    await k.api.create(base, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'live-rv' }, data: { a: '1' } });
    const stale = await apply('live-rv', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'live-rv', resourceVersion: '1' }, data: { b: '2' } });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({
      reason: 'Conflict',
      message: 'Operation cannot be fulfilled on configmaps "live-rv": the object has been modified; please apply your changes to the latest version and try again',
    });
    const current = (await k.api.request<{ metadata: { resourceVersion: string } }>('GET', `${base}/live-rv`)).body.metadata.resourceVersion;
    const fresh = await apply('live-rv', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'live-rv', resourceVersion: current }, data: { b: '2' } });
    expect(fresh.status).toBe(200);
    expect(JSON.parse(fresh.text).data).toEqual({ a: '1', b: '2' });
  });
});
