/**
 * Real kubectl against an in-process kubemu. Every expectation is what kubectl prints against
 * a real API server (1.33 unless a binary is named), so a failure here is a fidelity gap.
 *
 * Fixtures that a test merely reads are created over plain REST so that a failing `create -f`
 * does not cascade into unrelated failures; the `create -f` tests exercise kubectl's writes.
 * Selectors and counts are always scoped by a label or a namespace of the test's own, because a
 * real cluster also has objects of its own (kube-root-ca.crt in every namespace, for example).
 */
import { parse as parseYaml, stringify } from 'yaml';
import { eventually, kubectlBinary, parseTable, startKubemu, type Kubemu } from '../support/kubemu';

interface ObjectMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
}
interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  type?: string;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}
interface KubeList {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion?: string };
  items: KubeObject[];
}
interface StatusBody {
  kind: string;
  apiVersion: string;
  status: string;
  message: string;
  reason: string;
  code: number;
  details?: { name?: string; kind?: string; causes?: { reason: string; message: string; field: string }[] };
}

const RFC1123_SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

// kubectl reads YAML 1.1, where a bare yes/no/on/off is a boolean: emit 1.1 so such strings get quoted.
const toYaml = (value: unknown): string => stringify(value, { version: '1.1' });
const names = (stdout: string): string[] => parseTable(stdout).rows.map((r) => r[0]);

let k: Kubemu;

async function namespace(name: string): Promise<void> {
  await k.api.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

async function configMap(ns: string, name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}): Promise<KubeObject> {
  return k.api.create<KubeObject>(`/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data });
}

const nginxPod = (name: string, labels: Record<string, string> = { app: 'web' }) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels },
  spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
});

beforeAll(async () => {
  k = await startKubemu();
});

afterAll(async () => {
  await k?.close();
});

describe('cluster', () => {
  it('get ns lists the four system namespaces as Active', async () => {
    const r = await k.kubectl(['get', 'ns']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const table = parseTable(r.stdout);
    expect(table.header).toMatch(/^NAME\s+STATUS\s+AGE$/);
    for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) {
      expect(r.stdout).toMatch(new RegExp(`^${ns}\\s+Active\\s+\\d+[smhd]`, 'm'));
    }
  });

  it('get nodes lists the simulated nodes as Ready', async () => {
    const r = await k.kubectl(['get', 'nodes']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const table = parseTable(r.stdout);
    expect(table.header).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
    expect(table.rows.length).toBeGreaterThan(0);
    for (const line of table.lines.slice(1)) expect(line).toMatch(/^\S+\s+Ready\s+\S+\s+\d+[smhd]\S*\s+v1\.\d+\.\d+\S*$/);
  });
});

describe('create -f', () => {
  const ns = 'e2e-create';
  beforeAll(() => namespace(ns));

  it('creates a ConfigMap and shows it in a table', async () => {
    const file = k.writeFile('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\n  labels:\n    app: web\ndata:\n  mode: production\n  replicas: "3"\n');
    const created = await k.kubectl(['create', '-n', ns, '-f', file]);
    expect(created).toEqual({ code: 0, stdout: 'configmap/app-config created\n', stderr: '' });
    const got = await k.kubectl(['get', 'cm', 'app-config', '-n', ns]);
    expect(got.code).toBe(0);
    expect(parseTable(got.stdout).header).toMatch(/^NAME\s+DATA\s+AGE$/);
    expect(got.stdout).toMatch(/^app-config\s+2\s+\d+s\n$/m);
  });

  it('creates a Secret from stringData, stored base64-encoded in data', async () => {
    const file = k.writeFile('secret.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-pass\nstringData:\n  username: admin\n  password: s3cr3t\n');
    const created = await k.kubectl(['create', '-n', ns, '-f', file]);
    expect(created).toEqual({ code: 0, stdout: 'secret/db-pass created\n', stderr: '' });
    const got = await k.kubectl(['get', 'secret', 'db-pass', '-n', ns]);
    expect(parseTable(got.stdout).header).toMatch(/^NAME\s+TYPE\s+DATA\s+AGE$/);
    expect(got.stdout).toMatch(/^db-pass\s+Opaque\s+2\s+\d+s$/m);
    const json = await k.kubectl(['get', 'secret', 'db-pass', '-n', ns, '-o', 'json']);
    const secret = JSON.parse(json.stdout) as KubeObject;
    expect(secret.type).toBe('Opaque');
    expect(secret.stringData).toBeUndefined();
    expect(secret.data).toEqual({ username: Buffer.from('admin').toString('base64'), password: Buffer.from('s3cr3t').toString('base64') });
  });

  it('creates a valid nginx Pod, defaulted like a real server', async () => {
    const file = k.writeFile('pod.yaml', toYaml(nginxPod('web')));
    const created = await k.kubectl(['create', '-n', ns, '-f', file]);
    expect(created).toEqual({ code: 0, stdout: 'pod/web created\n', stderr: '' });

    const got = await k.kubectl(['get', 'pod', 'web', '-n', ns]);
    expect(got.code).toBe(0);
    expect(parseTable(got.stdout).header).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(got.stdout).toMatch(/^web\s+[01]\/1\s+(Pending|ContainerCreating|Running)\s+0\s+\d+s$/m);

    const yaml = await k.kubectl(['get', 'pod', 'web', '-n', ns, '-o', 'yaml']);
    const pod = parseYaml(yaml.stdout) as KubeObject;
    const spec = pod.spec as {
      containers: Record<string, unknown>[];
      restartPolicy: string;
      dnsPolicy: string;
      terminationGracePeriodSeconds: number;
      schedulerName: string;
      serviceAccountName: string;
      enableServiceLinks: boolean;
    };
    expect(spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      terminationGracePeriodSeconds: 30,
      schedulerName: 'default-scheduler',
      serviceAccountName: 'default',
      enableServiceLinks: true,
    });
    expect(spec.containers[0]).toMatchObject({
      name: 'nginx',
      image: 'nginx:1.27',
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
    });
    expect(pod.status).toMatchObject({ phase: expect.stringMatching(/^(Pending|Running)$/), qosClass: 'BestEffort' });
  });

  it('creates a Namespace that is Active', async () => {
    const file = k.writeFile('ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: e2e-made-by-kubectl\n');
    const created = await k.kubectl(['create', '-f', file]);
    expect(created).toEqual({ code: 0, stdout: 'namespace/e2e-made-by-kubectl created\n', stderr: '' });
    const got = await k.kubectl(['get', 'ns', 'e2e-made-by-kubectl']);
    expect(got.stdout).toMatch(/^e2e-made-by-kubectl\s+Active\s+\d+s$/m);
    const phase = await k.kubectl(['get', 'ns', 'e2e-made-by-kubectl', '-o', 'jsonpath={.status.phase} {.spec.finalizers}']);
    expect(phase.stdout).toBe('Active ["kubernetes"]');
  });

  it('creates a ServiceAccount; every namespace gets a "default" one', async () => {
    const file = k.writeFile('sa.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: builder\n');
    const created = await k.kubectl(['create', '-n', ns, '-f', file]);
    expect(created).toEqual({ code: 0, stdout: 'serviceaccount/builder created\n', stderr: '' });
    const got = await k.kubectl(['get', 'sa', 'builder', '-n', ns]);
    expect(parseTable(got.stdout).header).toMatch(/^NAME\s+SECRETS\s+AGE$/);
    expect(got.stdout).toMatch(/^builder\s+0\s+\d+s$/m);
    // The serviceaccount controller creates "default" in every namespace, asynchronously.
    await eventually(async () => ((await k.kubectl(['get', 'sa', 'default', '-n', ns])).code === 0 ? true : undefined), 10_000, 'serviceaccount default');
  });

  it('creates a Lease in coordination.k8s.io', async () => {
    const file = k.writeFile(
      'lease.yaml',
      'apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata:\n  name: leader\nspec:\n  holderIdentity: holder-1\n  leaseDurationSeconds: 15\n',
    );
    const created = await k.kubectl(['create', '-n', ns, '-f', file]);
    expect(created).toEqual({ code: 0, stdout: 'lease.coordination.k8s.io/leader created\n', stderr: '' });
    const got = await k.kubectl(['get', 'lease', 'leader', '-n', ns]);
    expect(parseTable(got.stdout).header).toMatch(/^NAME\s+HOLDER\s+AGE$/);
    expect(got.stdout).toMatch(/^leader\s+holder-1\s+\d+s$/m);
  });

  it('creates an Event and lists it with the events table', async () => {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'web.e2e0001' },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'web', namespace: ns },
      reason: 'Testing',
      message: 'hello from e2e',
      type: 'Normal',
      source: { component: 'kubemu-e2e' },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    };
    const file = k.writeFile('event.yaml', toYaml(event));
    const created = await k.kubectl(['create', '-n', ns, '-f', file]);
    expect(created).toEqual({ code: 0, stdout: 'event/web.e2e0001 created\n', stderr: '' });
    const got = await k.kubectl(['get', 'events', '-n', ns, '--field-selector', 'involvedObject.name=web,reason=Testing']);
    expect(got.code).toBe(0);
    expect(parseTable(got.stdout).header).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    expect(got.stdout).toMatch(/^\d+s\s+Normal\s+Testing\s+pod\/web\s+hello from e2e$/m);
  });
});

describe('get', () => {
  const ns = 'e2e-sel';
  // Ranks run against name order, so sorting by them is observable.
  const fixtures: [string, Record<string, string>, string][] = [
    ['e', { app: 'web' }, '1'],
    ['d', { app: 'web', env: 'dev' }, '2'],
    ['c', { app: 'api', env: 'prod' }, '3'],
    ['b', { app: 'web', tier: 'db' }, '4'],
    ['a', { app: 'web', tier: 'fe' }, '5'],
  ];

  beforeAll(async () => {
    await namespace(ns);
    await namespace('e2e-sel-other');
    for (const [name, labels, rank] of fixtures) await configMap(ns, name, { set: 'sel', ...labels }, { rank });
    await configMap('e2e-sel-other', 'f', { set: 'sel' }, { rank: '0' });
    await k.api.create(`/api/v1/namespaces/${ns}/pods`, nginxPod('wide-pod'));
  });

  it('prints a table with one row per object', async () => {
    const r = await k.kubectl(['get', 'cm', '-n', ns, '-l', 'set=sel']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const table = parseTable(r.stdout);
    expect(table.header).toMatch(/^NAME\s+DATA\s+AGE$/);
    expect(table.rows.map((row) => row.slice(0, 2))).toEqual([['a', '1'], ['b', '1'], ['c', '1'], ['d', '1'], ['e', '1']]);
  });

  it('-o wide adds the priority columns', async () => {
    const r = await k.kubectl(['get', 'pods', '-n', ns, '-o', 'wide']);
    expect(r.code).toBe(0);
    expect(parseTable(r.stdout).header).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
    expect(r.stdout).toMatch(/^wide-pod\s+[01]\/1\s+\w+\s+0\s+\d+s\s+\S+\s+\S+\s+<none>\s+<none>$/m);
    const narrow = await k.kubectl(['get', 'pods', '-n', ns]);
    expect(parseTable(narrow.stdout).header).not.toMatch(/NODE/);
  });

  it('-o yaml and -o json print the stored object; lists come as kind List', async () => {
    const yaml = await k.kubectl(['get', 'cm', 'a', '-n', ns, '-o', 'yaml']);
    expect(yaml.code).toBe(0);
    expect(yaml.stdout).toMatch(/^apiVersion: v1\n/);
    const fromYaml = parseYaml(yaml.stdout) as KubeObject;
    expect(fromYaml).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', data: { rank: '5' }, metadata: { name: 'a', namespace: ns, labels: { app: 'web', tier: 'fe', set: 'sel' } } });
    expect(fromYaml.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(fromYaml.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(fromYaml.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const json = await k.kubectl(['get', 'cm', '-n', ns, '-l', 'set=sel', '-o', 'json']);
    const list = JSON.parse(json.stdout) as KubeList;
    expect(list).toMatchObject({ apiVersion: 'v1', kind: 'List' });
    expect(list.items.map((i) => i.metadata.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(list.items.every((i) => i.kind === 'ConfigMap' && i.apiVersion === 'v1')).toBe(true);
  });

  it('-o jsonpath and -o name', async () => {
    const jp = await k.kubectl(['get', 'cm', '-n', ns, '-l', 'set=sel', '-o', 'jsonpath={.items[*].metadata.name}']);
    expect(jp).toEqual({ code: 0, stdout: 'a b c d e', stderr: '' });
    const one = await k.kubectl(['get', 'cm', 'c', '-n', ns, '-o', 'jsonpath={.metadata.labels.env}:{.data.rank}']);
    expect(one.stdout).toBe('prod:3');
    const byName = await k.kubectl(['get', 'cm', '-n', ns, '-l', 'set=sel', '-o', 'name']);
    expect(byName.stdout).toBe('configmap/a\nconfigmap/b\nconfigmap/c\nconfigmap/d\nconfigmap/e\n');
  });

  it.each([
    ['app in (web),tier!=db', ['a', 'd', 'e']],
    ['set=sel,!env', ['a', 'b', 'e']],
    ['set=sel,env', ['c', 'd']],
    ['set=sel,app notin (web)', ['c']],
    ['set=sel,env in (dev,prod),app!=api', ['d']],
  ])('-l %s', async (selector, expected) => {
    const r = await k.kubectl(['get', 'cm', '-n', ns, '-l', selector]);
    expect(r.code).toBe(0);
    expect(names(r.stdout)).toEqual(expected);
  });

  it('-l with no match says so on stderr', async () => {
    const r = await k.kubectl(['get', 'cm', '-n', ns, '-l', 'app=nothing']);
    expect(r).toEqual({ code: 0, stdout: '', stderr: `No resources found in ${ns} namespace.\n` });
  });

  it('-l with a malformed selector is rejected', async () => {
    const r = await k.kubectl(['get', 'cm', '-n', ns, '-l', 'app in web']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unable to parse requirement');
  });

  it('--field-selector metadata.name=c', async () => {
    const r = await k.kubectl(['get', 'cm', '-n', ns, '--field-selector', 'metadata.name=c']);
    expect(r.code).toBe(0);
    expect(names(r.stdout)).toEqual(['c']);
    const negated = await k.kubectl(['get', 'cm', '-n', ns, '-l', 'set=sel', '--field-selector', 'metadata.name!=c']);
    expect(names(negated.stdout)).toEqual(['a', 'b', 'd', 'e']);
  });

  it('--field-selector on an unsupported field is a BadRequest', async () => {
    const r = await k.kubectl(['get', 'cm', '-n', ns, '--field-selector', 'data.rank=1']);
    expect(r.code).toBe(1);
    // ConfigMap registers no field label conversion, so the scheme's default answers.
    expect(r.stderr).toBe(
      'Error from server (BadRequest): Unable to find "/v1, Resource=configmaps" that match label selector "", field selector "data.rank=1": "data.rank" is not a known field selector: only "metadata.name", "metadata.namespace"\n',
    );
  });

  it('-A adds a NAMESPACE column across namespaces', async () => {
    const r = await k.kubectl(['get', 'cm', '-A', '-l', 'set=sel']);
    expect(r.code).toBe(0);
    const table = parseTable(r.stdout);
    expect(table.header).toMatch(/^NAMESPACE\s+NAME\s+DATA\s+AGE$/);
    // Storage key order: "e2e-sel-other/" sorts before "e2e-sel/" because '-' < '/'.
    expect(table.rows.map((row) => `${row[0]}/${row[1]}`)).toEqual(['e2e-sel-other/f', `${ns}/a`, `${ns}/b`, `${ns}/c`, `${ns}/d`, `${ns}/e`]);
  });

  it('--chunk-size=2 pages through 5 objects with continue tokens', async () => {
    const r = await k.kubectl(['get', 'cm', '-n', ns, '-l', 'set=sel', '--chunk-size=2', '-v=6']);
    expect(r.code).toBe(0);
    const table = parseTable(r.stdout);
    expect(table.lines.filter((l) => /^NAME\s/.test(l))).toHaveLength(1);
    expect(names(r.stdout)).toEqual(['a', 'b', 'c', 'd', 'e']);
    const pages = r.stderr.split('\n').filter((l) => /\/namespaces\/e2e-sel\/configmaps\?\S*limit=2/.test(l) && /200 OK/.test(l));
    expect(pages).toHaveLength(3);
    expect(pages.filter((l) => /[?&]continue=/.test(l))).toHaveLength(2);
  });

  it('--sort-by sorts on any field (kubectl asks for includeObject=Object)', async () => {
    const byName = await k.kubectl(['get', 'cm', '-n', ns, '-l', 'set=sel', '--sort-by=.metadata.name']);
    expect(byName.code).toBe(0);
    expect(names(byName.stdout)).toEqual(['a', 'b', 'c', 'd', 'e']);
    const byRank = await k.kubectl(['get', 'cm', '-n', ns, '-l', 'set=sel', '--sort-by=.data.rank']);
    expect(byRank.code).toBe(0);
    expect(names(byRank.stdout)).toEqual(['e', 'd', 'c', 'b', 'a']);
  });

  it('--show-labels adds a LABELS column', async () => {
    const r = await k.kubectl(['get', 'cm', '-n', ns, '-l', 'set=sel', '--show-labels']);
    expect(r.code).toBe(0);
    expect(parseTable(r.stdout).header).toMatch(/^NAME\s+DATA\s+AGE\s+LABELS$/);
    expect(r.stdout).toMatch(/^a\s+1\s+\d+s\s+app=web,set=sel,tier=fe$/m);
    expect(r.stdout).toMatch(/^c\s+1\s+\d+s\s+app=api,env=prod,set=sel$/m);
  });

  it('get of a missing object is NotFound', async () => {
    const r = await k.kubectl(['get', 'cm', 'nope', '-n', ns]);
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'Error from server (NotFound): configmaps "nope" not found\n' });
  });
});

describe('describe', () => {
  const ns = 'e2e-describe';
  let podUid = '';

  beforeAll(async () => {
    await namespace(ns);
    const pod = await k.api.create<KubeObject>(`/api/v1/namespaces/${ns}/pods`, nginxPod('web'));
    podUid = pod.metadata.uid;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await k.api.create(`/api/v1/namespaces/${ns}/events`, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'web.describe1' },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'web', namespace: ns, uid: podUid },
      reason: 'Testing',
      message: 'hello from e2e',
      type: 'Normal',
      source: { component: 'kubemu-e2e' },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    });
    await configMap(ns, 'settings', { app: 'web', tier: 'fe' }, { greeting: 'hello' });
  });

  it('describe pod shows defaults, containers and the pod\'s events', async () => {
    const r = await k.kubectl(['describe', 'pod', 'web', '-n', ns]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^Name:\s+web$/m);
    expect(r.stdout).toMatch(new RegExp(`^Namespace:\\s+${ns}$`, 'm'));
    expect(r.stdout).toMatch(/^Priority:\s+0$/m);
    expect(r.stdout).toMatch(/^Service Account:\s+default$/m);
    expect(r.stdout).toMatch(/^Labels:\s+app=web$/m);
    expect(r.stdout).toMatch(/^Status:\s+(Pending|Running)$/m);
    expect(r.stdout).toMatch(/^ {2}nginx:$/m);
    expect(r.stdout).toMatch(/^ {4}Image:\s+nginx:1\.27$/m);
    expect(r.stdout).toMatch(/^ {4}Port:\s+80\/TCP$/m);
    expect(r.stdout).toMatch(/^ {4}Host Port:\s+0\/TCP$/m);
    expect(r.stdout).toMatch(/^QoS Class:\s+BestEffort$/m);
    expect(r.stdout).toMatch(/^Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message\n/m);
    expect(r.stdout).toMatch(/^\s+Normal\s+Testing\s+\d+s\s+kubemu-e2e\s+hello from e2e$/m);
  });

  it('describe configmap shows labels and data', async () => {
    const r = await k.kubectl(['describe', 'configmap', 'settings', '-n', ns]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^Name:\s+settings$/m);
    expect(r.stdout).toMatch(new RegExp(`^Namespace:\\s+${ns}$`, 'm'));
    expect(r.stdout).toMatch(/^Labels:\s+app=web\n\s+tier=fe$/m);
    expect(r.stdout).toMatch(/^Annotations:\s+<none>$/m);
    expect(r.stdout).toMatch(/^Data\n====\ngreeting:\n----\nhello\n/m);
    expect(r.stdout).toMatch(/^BinaryData\n====\n/m);
    expect(r.stdout).toMatch(/^Events:\s+<none>$/m);
  });
});

describe('label and annotate', () => {
  const ns = 'e2e-label';
  beforeAll(async () => {
    await namespace(ns);
    await configMap(ns, 'tagged', { app: 'web' });
  });

  const meta = async (): Promise<ObjectMeta> => (JSON.parse((await k.kubectl(['get', 'cm', 'tagged', '-n', ns, '-o', 'json'])).stdout) as KubeObject).metadata;

  it('adds, refuses to overwrite, overwrites and removes a label', async () => {
    expect(await k.kubectl(['label', 'cm', 'tagged', '-n', ns, 'color=blue'])).toEqual({ code: 0, stdout: 'configmap/tagged labeled\n', stderr: '' });
    expect((await meta()).labels).toEqual({ app: 'web', color: 'blue' });

    const refused = await k.kubectl(['label', 'cm', 'tagged', '-n', ns, 'color=red']);
    expect(refused).toEqual({ code: 1, stdout: '', stderr: "error: 'color' already has a value (blue), and --overwrite is false\n" });

    expect(await k.kubectl(['label', 'cm', 'tagged', '-n', ns, 'color=red', '--overwrite'])).toEqual({ code: 0, stdout: 'configmap/tagged labeled\n', stderr: '' });
    expect((await meta()).labels).toEqual({ app: 'web', color: 'red' });
    expect(names((await k.kubectl(['get', 'cm', '-n', ns, '-l', 'color=red'])).stdout)).toEqual(['tagged']);

    expect(await k.kubectl(['label', 'cm', 'tagged', '-n', ns, 'color-'])).toEqual({ code: 0, stdout: 'configmap/tagged unlabeled\n', stderr: '' });
    expect((await meta()).labels).toEqual({ app: 'web' });
  });

  it('the server rejects an invalid label value with a 422', async () => {
    // kubectl label checks values itself, so go through a patch to reach the server's validation.
    const r = await k.kubectl(['patch', 'cm', 'tagged', '-n', ns, '--type=merge', '-p', '{"metadata":{"labels":{"bad":"not valid!"}}}']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'The ConfigMap "tagged" is invalid: metadata.labels: Invalid value: "not valid!": a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyValue\',  or \'my_value\',  or \'12345\', regex used for validation is \'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\')\n',
    );
    expect((await meta()).labels).toEqual({ app: 'web' });
  });

  it('adds, refuses to overwrite, overwrites and removes an annotation', async () => {
    expect(await k.kubectl(['annotate', 'cm', 'tagged', '-n', ns, 'note=one'])).toEqual({ code: 0, stdout: 'configmap/tagged annotated\n', stderr: '' });
    expect((await meta()).annotations).toEqual({ note: 'one' });

    const refused = await k.kubectl(['annotate', 'cm', 'tagged', '-n', ns, 'note=two']);
    expect(refused).toEqual({ code: 1, stdout: '', stderr: "error: --overwrite is false but found the following declared annotation(s): 'note' already has a value (one)\n" });

    expect(await k.kubectl(['annotate', 'cm', 'tagged', '-n', ns, 'note=two', '--overwrite'])).toEqual({ code: 0, stdout: 'configmap/tagged annotated\n', stderr: '' });
    expect((await meta()).annotations).toEqual({ note: 'two' });

    expect(await k.kubectl(['annotate', 'cm', 'tagged', '-n', ns, 'note-'])).toEqual({ code: 0, stdout: 'configmap/tagged annotated\n', stderr: '' });
    // ObjectMeta's maps are omitempty: an emptied map disappears from the wire.
    expect(Object.keys(await meta())).not.toContain('annotations');
  });
});

describe('replace and patch', () => {
  const ns = 'e2e-patch';
  beforeAll(async () => {
    await namespace(ns);
    await configMap(ns, 'target', { app: 'web' }, { a: '1' });
  });

  const get = async (): Promise<KubeObject> => JSON.parse((await k.kubectl(['get', 'cm', 'target', '-n', ns, '-o', 'json'])).stdout) as KubeObject;

  it('replace -f writes the whole object and a stale resourceVersion conflicts', async () => {
    const live = parseYaml((await k.kubectl(['get', 'cm', 'target', '-n', ns, '-o', 'yaml'])).stdout) as KubeObject;
    const edited = { ...live, data: { a: '2', added: 'yes' } };
    const file = k.writeFile('replace.yaml', toYaml(edited));
    const r = await k.kubectl(['replace', '-f', file]);
    expect(r).toEqual({ code: 0, stdout: 'configmap/target replaced\n', stderr: '' });
    const after = await get();
    expect(after.data).toEqual({ a: '2', added: 'yes' });
    expect(after.metadata.uid).toBe(live.metadata.uid);
    expect(BigInt(after.metadata.resourceVersion)).toBeGreaterThan(BigInt(live.metadata.resourceVersion));

    const stale = await k.kubectl(['replace', '-f', file]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toBe(
      `Error from server (Conflict): error when replacing "${file}": Operation cannot be fulfilled on configmaps "target": the object has been modified; please apply your changes to the latest version and try again\n`,
    );
  });

  it('patch --type=json', async () => {
    const r = await k.kubectl(['patch', 'cm', 'target', '-n', ns, '--type=json', '-p', '[{"op":"replace","path":"/data/a","value":"3"},{"op":"add","path":"/data/b","value":"4"}]']);
    expect(r).toEqual({ code: 0, stdout: 'configmap/target patched\n', stderr: '' });
    expect((await get()).data).toMatchObject({ a: '3', b: '4' });
  });

  it('patch --type=json with a failing test op changes nothing', async () => {
    const before = await get();
    const r = await k.kubectl(['patch', 'cm', 'target', '-n', ns, '--type=json', '-p', '[{"op":"test","path":"/data/a","value":"nope"},{"op":"replace","path":"/data/a","value":"x"}]']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^The request is invalid/);
    expect((await get()).metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it('patch --type=merge adds and (with null) removes keys', async () => {
    const before = await get();
    const r = await k.kubectl(['patch', 'cm', 'target', '-n', ns, '--type=merge', '-p', '{"data":{"c":"5","b":null},"metadata":{"labels":{"patched":"true"}}}']);
    expect(r).toEqual({ code: 0, stdout: 'configmap/target patched\n', stderr: '' });
    const after = await get();
    const expected: Record<string, string> = { ...before.data, c: '5' };
    delete expected.b;
    expect(after.data).toEqual(expected);
    expect(after.metadata.labels).toEqual({ app: 'web', patched: 'true' });
  });

  it('a patch that changes nothing says "(no change)" and keeps the resourceVersion', async () => {
    const before = await get();
    const r = await k.kubectl(['patch', 'cm', 'target', '-n', ns, '--type=merge', '-p', '{"data":{"c":"5"}}']);
    expect(r).toEqual({ code: 0, stdout: 'configmap/target patched (no change)\n', stderr: '' });
    expect((await get()).metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });
});

describe('delete', () => {
  const ns = 'e2e-delete';
  beforeAll(async () => {
    await namespace(ns);
    await configMap(ns, 'x1', { set: 'del', tier: 'fe' });
    await configMap(ns, 'x2', { set: 'del', tier: 'db' });
    await configMap(ns, 'x3', { set: 'del', tier: 'fe' });
    await configMap(ns, 'x4', { set: 'del', tier: 'db' });
  });

  it('by name', async () => {
    expect(await k.kubectl(['delete', 'cm', 'x1', '-n', ns])).toEqual({ code: 0, stdout: 'configmap "x1" deleted\n', stderr: '' });
    expect(await k.kubectl(['get', 'cm', 'x1', '-n', ns])).toEqual({ code: 1, stdout: '', stderr: 'Error from server (NotFound): configmaps "x1" not found\n' });
    expect(await k.kubectl(['delete', 'cm', 'x1', '-n', ns])).toEqual({ code: 1, stdout: '', stderr: 'Error from server (NotFound): configmaps "x1" not found\n' });
  });

  it('-l', async () => {
    const r = await k.kubectl(['delete', 'cm', '-n', ns, '-l', 'tier=db']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('configmap "x2" deleted\nconfigmap "x4" deleted\n');
    expect(names((await k.kubectl(['get', 'cm', '-n', ns, '-l', 'set=del'])).stdout)).toEqual(['x3']);
  });

  it('--all', async () => {
    await configMap(ns, 'x5', { set: 'del' });
    const r = await k.kubectl(['delete', 'cm', '--all', '-n', ns]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('configmap "x3" deleted\n');
    expect(r.stdout).toContain('configmap "x5" deleted\n');
    expect(await k.kubectl(['get', 'cm', '-n', ns, '-l', 'set=del'])).toEqual({ code: 0, stdout: '', stderr: `No resources found in ${ns} namespace.\n` });
  });

  it('deleting a namespace removes everything in it', async () => {
    const doomed = 'e2e-doomed';
    await namespace(doomed);
    await configMap(doomed, 'cm1');
    await k.api.create(`/api/v1/namespaces/${doomed}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's1' }, stringData: { k: 'v' } });
    await k.api.create(`/api/v1/namespaces/${doomed}/pods`, nginxPod('p1'));

    const r = await k.kubectl(['delete', 'namespace', doomed, '--timeout=60s'], { timeoutMs: 70_000 });
    expect(r).toEqual({ code: 0, stdout: `namespace "${doomed}" deleted\n`, stderr: '' });
    expect(await k.kubectl(['get', 'ns', doomed])).toEqual({ code: 1, stdout: '', stderr: `Error from server (NotFound): namespaces "${doomed}" not found\n` });
    for (const resource of ['configmaps', 'secrets', 'pods']) {
      const list = await k.api.request<KubeList>('GET', `/api/v1/namespaces/${doomed}/${resource}`);
      expect({ resource, status: list.status, items: list.body.items }).toEqual({ resource, status: 200, items: [] });
    }
  });
});

describe('get -w', () => {
  const ns = 'e2e-watch';
  beforeAll(async () => {
    await namespace(ns);
    await configMap(ns, 'w0', { set: 'watch' });
  });
  afterEach(() => k.stopAll());

  it('streams ADDED, MODIFIED and DELETED as they happen, and DELETED when an object leaves the selector', async () => {
    const watch = k.kubectlBackground(['get', 'cm', '-n', ns, '-l', 'set=watch', '-w', '--output-watch-events']);
    await watch.waitForLine(/^ADDED\s+w0\s+0\s+\d+s$/);
    expect(watch.stdoutLines[0]).toMatch(/^EVENT\s+NAME\s+DATA\s+AGE$/);

    // Created over REST so this test depends only on watch; the create -f tests cover kubectl's POST.
    await configMap(ns, 'w1', { set: 'watch' });
    await watch.waitForLine(/^ADDED\s+w1\s+0\s+\d+s$/);

    expect((await k.kubectl(['patch', 'cm', 'w1', '-n', ns, '--type=merge', '-p', '{"data":{"k":"v"}}'])).code).toBe(0);
    await watch.waitForLine(/^MODIFIED\s+w1\s+1\s+\d+s$/);

    expect((await k.kubectl(['delete', 'cm', 'w1', '-n', ns])).code).toBe(0);
    await watch.waitForLine(/^DELETED\s+w1\s+1\s+\d+s$/);

    expect((await k.kubectl(['label', 'cm', 'w0', '-n', ns, 'set-'])).code).toBe(0);
    await watch.waitForLine(/^DELETED\s+w0\s+0\s+\d+s$/);

    expect(watch.stdoutLines.filter((l) => /^EVENT/.test(l))).toHaveLength(1);
    expect(watch.stderr()).toBe('');
  });

  it('get <name> -w prints the object, then each change (needs the synthetic ADDED for resourceVersion=0)', async () => {
    await configMap(ns, 'single', {}, {});
    const watch = k.kubectlBackground(['get', 'cm', 'single', '-n', ns, '-w']);
    await watch.waitForLine(/^single\s+0\s+\d+s$/);
    expect((await k.kubectl(['patch', 'cm', 'single', '-n', ns, '--type=merge', '-p', '{"data":{"k":"v"}}'])).code).toBe(0);
    await watch.waitForLine(/^single\s+1\s+\d+s$/);
    expect(watch.stdoutLines.filter((l) => /^single\s+0\s/.test(l))).toHaveLength(1);
  });
});

describe('discovery and explain', () => {
  it('api-resources lists the served kinds', async () => {
    const r = await k.kubectl(['api-resources']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(parseTable(r.stdout).header).toMatch(/^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND$/);
    for (const line of [
      /^configmaps\s+cm\s+v1\s+true\s+ConfigMap$/m,
      /^events\s+ev\s+v1\s+true\s+Event$/m,
      /^namespaces\s+ns\s+v1\s+false\s+Namespace$/m,
      /^nodes\s+no\s+v1\s+false\s+Node$/m,
      /^pods\s+po\s+v1\s+true\s+Pod$/m,
      /^secrets\s+v1\s+true\s+Secret$/m,
      /^serviceaccounts\s+sa\s+v1\s+true\s+ServiceAccount$/m,
      /^leases\s+coordination\.k8s\.io\/v1\s+true\s+Lease$/m,
    ]) {
      expect(r.stdout).toMatch(line);
    }
  });

  it('api-resources -o wide shows verbs and categories', async () => {
    const r = await k.kubectl(['api-resources', '-o', 'wide']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^pods\s+po\s+v1\s+true\s+Pod\s+create,delete,deletecollection,get,list,patch,update,watch\s+all$/m);
    // Namespaces are deleted one by one (their finalizer), so the real server has no deletecollection.
    expect(r.stdout).toMatch(/^namespaces\s+ns\s+v1\s+false\s+Namespace\s+create,delete,get,list,patch,update,watch\s*$/m);
  });

  it('api-resources --namespaced=false lists cluster-scoped kinds only', async () => {
    const r = await k.kubectl(['api-resources', '--namespaced=false', '-o', 'name']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toEqual(expect.arrayContaining(['namespaces', 'nodes']));
    expect(lines).not.toContain('pods');
    expect(lines).not.toContain('leases.coordination.k8s.io');
  });

  it('api-versions', async () => {
    const r = await k.kubectl(['api-versions']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const lines = r.stdout.trim().split('\n');
    expect(lines).toEqual(expect.arrayContaining(['v1', 'coordination.k8s.io/v1']));
    expect(lines).toEqual([...lines].sort());
  });

  it('explain pods.spec.containers', async () => {
    const r = await k.kubectl(['explain', 'pods.spec.containers']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^KIND:\s+Pod\nVERSION:\s+v1\n\nFIELD:\s+containers <\[\]Container>\n/);
    expect(r.stdout).toMatch(/^DESCRIPTION:\n/m);
    expect(r.stdout).toMatch(/^FIELDS:\n/m);
    expect(r.stdout).toMatch(/^ {2}image\t<string>$/m);
    expect(r.stdout).toMatch(/^ {2}name\t<string> -required-$/m);
    expect(r.stdout).toMatch(/^ {2}ports\t<\[\]ContainerPort>$/m);
    expect(r.stdout).toMatch(/^ {2}resources\t<ResourceRequirements>$/m);
  });

  it('explain shows the enum values the OpenAPI v3 schema declares', async () => {
    const r = await k.kubectl(['explain', 'pods.spec.containers']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}imagePullPolicy\t<string>\n {2}enum: Always, IfNotPresent, Never$/m);
    const field = await k.kubectl(['explain', 'pods.spec.restartPolicy']);
    expect(field.stdout).toMatch(/^FIELD: restartPolicy <string>\nENUM:\n {4}Always\n {4}Never\n {4}OnFailure\n/m);
  });

  it('explain pod --recursive', async () => {
    const r = await k.kubectl(['explain', 'pod', '--recursive']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^KIND:\s+Pod\nVERSION:\s+v1\n/);
    expect(r.stdout).toMatch(/^ {2}apiVersion\t<string>$/m);
    expect(r.stdout).toMatch(/^ {2}metadata\t<ObjectMeta>$/m);
    expect(r.stdout).toMatch(/^ {4}labels\t<map\[string\]string>$/m);
    expect(r.stdout).toMatch(/^ {2}spec\t<PodSpec>$/m);
    expect(r.stdout).toMatch(/^ {4}containers\t<\[\]Container> -required-$/m);
    expect(r.stdout).toMatch(/^ {6}image\t<string>$/m);
    expect(r.stdout).toMatch(/^ {6}livenessProbe\t<Probe>$/m);
    expect(r.stdout).toMatch(/^ {2}status\t<PodStatus>$/m);
    expect(r.stdout).toMatch(/^ {4}phase\t<string>$/m);
  });

  it('explain of an unknown field fails like kubectl does against a real server', async () => {
    const r = await k.kubectl(['explain', 'pods.spec.nonsense']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/field "nonsense" does not exist/);
  });
});

describe('mistakes are answered like a real server', () => {
  const ns = 'e2e-errors';
  beforeAll(() => namespace(ns));

  it('an unknown field in a ConfigMap is a strict decoding error', async () => {
    const file = k.writeFile('typo-cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: typo\ndta:\n  key: value\n');
    const r = await k.kubectl(['create', '-n', ns, '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `Error from server (BadRequest): error when creating "${file}": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "dta"\n`,
    );
    expect((await k.api.request('GET', `/api/v1/namespaces/${ns}/configmaps/typo`)).status).toBe(404);
  });

  it('an unknown field nested in a Pod names its full path', async () => {
    const pod = nginxPod('typo-pod');
    const file = k.writeFile(
      'typo-pod.yaml',
      toYaml({ ...pod, spec: { containers: [{ ...pod.spec.containers[0], imagePullPolice: 'Always' }] } }),
    );
    const r = await k.kubectl(['create', '-n', ns, '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `Error from server (BadRequest): error when creating "${file}": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagePullPolice"\n`,
    );
  });

  it('a Deployment in extensions/v1beta1 has no match, as on any modern server', async () => {
    const file = k.writeFile(
      'old-deployment.yaml',
      'apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: frontend\nspec:\n  replicas: 1\n  template:\n    metadata:\n      labels:\n        app: frontend\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n',
    );
    const r = await k.kubectl(['create', '-n', ns, '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: resource mapping not found for name: "frontend" namespace: "" from "${file}": no matches for kind "Deployment" in version "extensions/v1beta1"\nensure CRDs are installed first\n`,
    );
  });

  it('a ConfigMap value that is not a string cannot be decoded', async () => {
    // The classic YAML slip: an unquoted true is a boolean, and ConfigMap data holds only strings.
    const file = k.writeFile('bool-cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\ndata:\n  enabled: true\n');
    const r = await k.kubectl(['create', '-n', ns, '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `Error from server (BadRequest): error when creating "${file}": ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal bool into Go struct field ConfigMap.data of type string\n`,
    );
  });

  it('a Pod without an image is Invalid', async () => {
    const file = k.writeFile('noimage.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: noimage\nspec:\n  containers:\n  - name: app\n');
    const r = await k.kubectl(['create', '-n', ns, '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('The Pod "noimage" is invalid: spec.containers[0].image: Required value\n');
  });

  it('a name with uppercase letters is a 422 with the RFC 1123 message', async () => {
    const file = k.writeFile('upper.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: MyConfig\n');
    const r = await k.kubectl(['create', '-n', ns, '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`The ConfigMap "MyConfig" is invalid: metadata.name: Invalid value: "MyConfig": ${RFC1123_SUBDOMAIN_MESSAGE}\n`);

    const raw = await k.api.request<StatusBody>('POST', `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'MyConfig' } });
    expect(raw.status).toBe(422);
    expect(raw.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `ConfigMap "MyConfig" is invalid: metadata.name: Invalid value: "MyConfig": ${RFC1123_SUBDOMAIN_MESSAGE}`,
      reason: 'Invalid',
      details: {
        name: 'MyConfig',
        kind: 'ConfigMap',
        causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: "MyConfig": ${RFC1123_SUBDOMAIN_MESSAGE}`, field: 'metadata.name' }],
      },
      code: 422,
    });
  });

  it('creating an existing object is AlreadyExists', async () => {
    const file = k.writeFile('dup.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dup\n');
    expect((await k.kubectl(['create', '-n', ns, '-f', file])).code).toBe(0);
    const r = await k.kubectl(['create', '-n', ns, '-f', file]);
    expect(r).toEqual({ code: 1, stdout: '', stderr: `Error from server (AlreadyExists): error when creating "${file}": configmaps "dup" already exists\n` });
  });

  it('a resource type that does not exist', async () => {
    const r = await k.kubectl(['get', 'frobnicators']);
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'error: the server doesn\'t have a resource type "frobnicators"\n' });
  });
});

// kubectl before 1.32 sends JSON for every write; 1.27–1.28 validate against /openapi/v2 (protobuf).
describe.each([27, 31])('smoke with kubectl 1.%i', (minor) => {
  const binary = kubectlBinary(minor);
  const ns = `e2e-smoke-${minor}`;
  const kc = (args: string[]) => k.kubectl(args, { binary });

  beforeAll(async () => {
    await namespace(ns);
    await configMap(ns, 'smoke', {}, { k: 'v' });
  });
  afterAll(() => k.stopAll());

  it('is the version asked for', async () => {
    const version = await kc(['version', '--client', '-o', 'json']);
    expect((JSON.parse(version.stdout) as { clientVersion: { minor: string } }).clientVersion.minor).toBe(String(minor));
  });

  it('create -f', async () => {
    const file = k.writeFile(`smoke-${minor}.yaml`, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-file\ndata:\n  k: v\n');
    expect(await kc(['create', '-n', ns, '-f', file])).toEqual({ code: 0, stdout: 'configmap/from-file created\n', stderr: '' });
    expect((await kc(['get', 'cm', 'from-file', '-n', ns, '-o', 'jsonpath={.data.k}'])).stdout).toBe('v');
  });

  it('get and label', async () => {
    const got = await kc(['get', 'cm', 'smoke', '-n', ns]);
    expect(got.code).toBe(0);
    expect(parseTable(got.stdout).header).toMatch(/^NAME\s+DATA\s+AGE$/);
    expect(got.stdout).toMatch(/^smoke\s+1\s+\d+s$/m);
    expect(await kc(['label', 'cm', 'smoke', '-n', ns, 'tier=fe'])).toEqual({ code: 0, stdout: 'configmap/smoke labeled\n', stderr: '' });
    expect(names((await kc(['get', 'cm', '-n', ns, '-l', 'tier in (fe)'])).stdout)).toEqual(['smoke']);
  });

  it('get -w shows a new object and a deletion', async () => {
    await configMap(ns, 'watched', { tier: 'watch' });
    const watch = k.kubectlBackground(['get', 'cm', '-n', ns, '-l', 'tier=watch', '-w'], { binary });
    await watch.waitForLine(/^watched\s+0\s+\d+s$/);
    const from = watch.stdoutLines.length;
    await configMap(ns, 'watched2', { tier: 'watch' });
    await watch.waitForLine(/^watched2\s+0\s+\d+s$/, 10_000, from);
    expect(await kc(['delete', 'cm', 'watched', '-n', ns])).toEqual({ code: 0, stdout: 'configmap "watched" deleted\n', stderr: '' });
    // Without --output-watch-events a deletion prints the object's last row again.
    await watch.waitForLine(/^watched\s+0\s+\d+s$/, 10_000, from);
    await watch.stop();
    expect(watch.stderr()).toBe('');
  });

  it('delete', async () => {
    expect(await kc(['delete', 'cm', 'smoke', '-n', ns])).toEqual({ code: 0, stdout: 'configmap "smoke" deleted\n', stderr: '' });
    expect(await kc(['get', 'cm', 'smoke', '-n', ns])).toEqual({ code: 1, stdout: '', stderr: 'Error from server (NotFound): configmaps "smoke" not found\n' });
  });
});
