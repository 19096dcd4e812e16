/**
 * The Debian python3-kubernetes client (22.6) against an in-process kubemu: server-side apply
 * (through `ApiClient.call_api`, since 22.6 has no typed apply, and through
 * `DynamicClient.server_side_apply`), strategic merge patches from dicts, typed reads and lists,
 * watches, and the ApiExceptions a real server's Status errors produce.
 *
 * Each test writes a small script, runs it with /usr/bin/python3 and checks the JSON it prints.
 */
import { startKubemu, type Kubemu } from '../support/kubemu';
import { ensureDebianPackage, runProcess } from '../support/process';

const PYTHON = '/usr/bin/python3';

/** Shared by every script: connect, then collect results in `out`, printed as JSON at the end. */
const PRELUDE = `
import json, sys, time, yaml
from kubernetes import client, dynamic, watch
from kubernetes.client.rest import ApiException

cfg = client.Configuration()
cfg.host = sys.argv[1]
NS = sys.argv[2]
TMP = sys.argv[3]
api = client.ApiClient(cfg)
v1 = client.CoreV1Api(api)
out = {}

def plain(obj):
    return api.sanitize_for_serialization(obj)

def managers(obj):
    return [[m.manager, m.operation, m.fields_v1] for m in (obj.metadata.managed_fields or [])]

def failure(call):
    try:
        call()
    except ApiException as e:
        body = e.body.decode('utf8') if isinstance(e.body, bytes) else e.body
        return {'status': e.status, 'reason': e.reason, 'body': body}
    return None

def apply(path, params, body, manager, response_type, force=None, dry_run=None):
    query = [('fieldManager', manager)] if manager else []
    if force is not None:
        query.append(('force', force))
    if dry_run is not None:
        query.append(('dryRun', dry_run))
    return api.call_api(path, 'PATCH', params, query,
                        {'Content-Type': 'application/apply-patch+yaml', 'Accept': 'application/json'},
                        body=yaml.safe_dump(body), response_type=response_type,
                        auth_settings=['BearerToken'], _return_http_data_only=True)

def apply_cm(body, manager='py-apply', **kw):
    return apply('/api/v1/namespaces/{namespace}/configmaps/{name}', {'namespace': NS, 'name': body['metadata']['name']},
                 body, manager, 'V1ConfigMap', **kw)
`;

const EPILOGUE = `
print(json.dumps(out))
`;

interface Failure {
  status: number;
  reason: string;
  body: string;
}

let k: Kubemu;
let seq = 0;

async function python<T = Record<string, unknown>>(namespace: string, script: string): Promise<T> {
  const path = k.writeFile(`script-${++seq}.py`, PRELUDE + script + EPILOGUE);
  const r = await runProcess(PYTHON, [path, k.url, namespace, k.dir], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: k.dir, LANG: 'C.UTF-8' },
    timeoutMs: 30_000,
  });
  if (r.code !== 0) throw new Error(`python exited ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

beforeAll(async () => {
  await ensureDebianPackage('python3-kubernetes', { command: PYTHON, args: ['-c', 'import kubernetes'] });
  k = await startKubemu();
  for (const name of ['py-apply', 'py-pods', 'py-watch', 'py-errors']) {
    await k.api.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  // Installing the client on a fresh machine (apt-get update + install) can take minutes.
}, 600_000);
afterAll(() => k?.close());

/** A Status body as the real server writes it: compact JSON in Go field order, then a newline. */
const status = (s: { message: string; reason: string; details?: Record<string, unknown>; code: number }) =>
  JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: s.message, reason: s.reason, ...(s.details ? { details: s.details } : {}), code: s.code }) + '\n';

it('server-side applies a ConfigMap through call_api: create, re-apply, conflict, force, dry run', async () => {
  const out = await python<{
    created: { type: string; data: Record<string, string>; managers: unknown[] };
    reapplied: Record<string, string>;
    patched: { data: Record<string, string>; managers: unknown[] };
    conflict: Failure;
    forced: { data: Record<string, string>; managers: unknown[] };
    dry: Record<string, string>;
    after_dry: { data: Record<string, string>; resource_version: string; before: string };
  }>(
    'py-apply',
    `
cm = lambda data: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'settings'}, 'data': data}
created = apply_cm(cm({'a': '1', 'b': '2'}))
out['created'] = {'type': type(created).__name__, 'data': created.data, 'managers': managers(created)}
out['reapplied'] = apply_cm(cm({'a': '3'})).data
# A dict is sent as a strategic merge patch.
patched = v1.patch_namespaced_config_map('settings', NS, {'data': {'a': 'x', 'p': 'q'}}, field_manager='py-patch')
out['patched'] = {'data': patched.data, 'managers': managers(patched)}
out['conflict'] = failure(lambda: apply_cm(cm({'a': '4'})))
forced = apply_cm(cm({'a': '4'}), force=True)
out['forced'] = {'data': forced.data, 'managers': managers(forced)}
before = forced.metadata.resource_version
out['dry'] = apply_cm(cm({'a': '5'}), force=True, dry_run='All').data
after = v1.read_namespaced_config_map('settings', NS)
out['after_dry'] = {'data': after.data, 'resource_version': after.metadata.resource_version, 'before': before}
`,
  );
  expect(out.created).toEqual({
    type: 'V1ConfigMap',
    data: { a: '1', b: '2' },
    managers: [['py-apply', 'Apply', { 'f:data': { 'f:a': {}, 'f:b': {} } }]],
  });
  expect(out.reapplied).toEqual({ a: '3' });
  expect(out.patched).toEqual({
    data: { a: 'x', p: 'q' },
    // py-apply lost its only field to the patch, and a manager that owns nothing is dropped.
    managers: [['py-patch', 'Update', { 'f:data': { 'f:a': {}, 'f:p': {} } }]],
  });
  expect(out.conflict).toEqual({
    status: 409,
    reason: 'Conflict',
    body: status({
      message: 'Apply failed with 1 conflict: conflict with "py-patch" using v1: .data.a',
      reason: 'Conflict',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "py-patch" using v1', field: '.data.a' }] },
      code: 409,
    }),
  });
  expect(out.forced).toEqual({
    data: { a: '4', p: 'q' },
    managers: [
      ['py-apply', 'Apply', { 'f:data': { 'f:a': {} } }],
      ['py-patch', 'Update', { 'f:data': { 'f:p': {} } }],
    ],
  });
  expect(out.dry).toEqual({ a: '5', p: 'q' });
  expect(out.after_dry.data).toEqual({ a: '4', p: 'q' });
  expect(out.after_dry.resource_version).toBe(out.after_dry.before);
});

it('server-side applies a Pod with DynamicClient and patches it with a strategic merge dict', async () => {
  const out = await python<{
    applied: { kind: string; labels: Record<string, string>; images: string[][]; restartPolicy: string };
    reapplied: { labels: Record<string, string>; images: string[][] };
    patched: { type: string; labels: Record<string, string>; images: string[][]; managers: unknown[] };
    conflict: Failure;
    conflict_class: string[];
    forced: { images: string[][]; managers: string[][] };
    read: { type: string; name: string; pretty_raw: string };
    listed: string[];
  }>(
    'py-pods',
    `
dyn = dynamic.DynamicClient(api, cache_file=TMP + '/discovery.json')
pods = dyn.resources.get(api_version='v1', kind='Pod')
def pod(labels, web_image, side_image='busybox:1.36'):
    return {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'web', 'labels': labels},
            'spec': {'containers': [{'name': 'web', 'image': web_image}, {'name': 'side', 'image': side_image}]}}
images = lambda containers: [[c['name'], c['image']] for c in containers]
# 22.6 sends apply bodies as they are given, so the manifest goes as text (JSON is YAML).
r = dyn.server_side_apply(pods, body=json.dumps(pod({'app': 'web', 'tier': 'fe'}, 'nginx:1.25')), name='web', namespace=NS, field_manager='py-apply')
d = r.to_dict()
out['applied'] = {'kind': d['kind'], 'labels': d['metadata']['labels'], 'images': images(d['spec']['containers']), 'restartPolicy': d['spec']['restartPolicy']}
r = dyn.server_side_apply(pods, body=json.dumps(pod({'app': 'web'}, 'nginx:1.26')), name='web', namespace=NS, field_manager='py-apply')
d = r.to_dict()
out['reapplied'] = {'labels': d['metadata']['labels'], 'images': images(d['spec']['containers'])}

# Without field_manager the server names the manager after the User-Agent's product (OpenAPI-Generator/22.6.0/python).
p = v1.patch_namespaced_pod('web', NS, {'metadata': {'labels': {'patched': 'yes'}}, 'spec': {'containers': [{'name': 'side', 'image': 'busybox:1.37'}]}})
out['patched'] = {'type': type(p).__name__, 'labels': p.metadata.labels, 'images': [[c.name, c.image] for c in p.spec.containers],
                  'managers': [[m.manager, m.operation, m.fields_v1] for m in p.metadata.managed_fields if m.manager not in ('py-apply', 'kubelet')]}
changed = json.dumps(pod({'app': 'web'}, 'nginx:1.26', 'busybox:1.38'))
try:
    dyn.server_side_apply(pods, body=changed, name='web', namespace=NS, field_manager='py-apply')
except ApiException as e:
    # The dynamic client raises its own ApiException subclasses; summary() reads the Status message
    # when the reply's Content-Type is exactly application/json.
    out['conflict_class'] = [type(e).__name__, e.summary()]
out['conflict'] = failure(lambda: dyn.server_side_apply(pods, body=changed, name='web', namespace=NS, field_manager='py-apply'))
r = dyn.server_side_apply(pods, body=changed, name='web', namespace=NS, field_manager='py-apply', force_conflicts=True)
d = r.to_dict()
# The simulated kubelet reports the pod's status meanwhile, under a manager of its own.
out['forced'] = {'images': images(d['spec']['containers']), 'managers': [[m['manager'], m['operation']] for m in d['metadata']['managedFields'] if m['manager'] != 'kubelet']}

read = v1.read_namespaced_pod('web', NS, pretty=True)
raw = v1.read_namespaced_pod('web', NS, pretty=True, _preload_content=False).data.decode('utf8')
out['read'] = {'type': type(read).__name__, 'name': read.metadata.name, 'pretty_raw': raw[:60]}
out['listed'] = [i.metadata.name for i in v1.list_namespaced_pod(NS, label_selector='patched=yes', pretty=True).items]
`,
  );
  expect(out.applied).toEqual({ kind: 'Pod', labels: { app: 'web', tier: 'fe' }, images: [['web', 'nginx:1.25'], ['side', 'busybox:1.36']], restartPolicy: 'Always' });
  expect(out.reapplied).toEqual({ labels: { app: 'web' }, images: [['web', 'nginx:1.26'], ['side', 'busybox:1.36']] });
  expect(out.patched.type).toBe('V1Pod');
  expect(out.patched.labels).toEqual({ app: 'web', patched: 'yes' });
  // Strategic merge: containers merge by name, so "web" is untouched.
  expect(out.patched.images).toEqual([['web', 'nginx:1.26'], ['side', 'busybox:1.37']]);
  expect(out.patched.managers).toEqual([
    [
      'OpenAPI-Generator',
      'Update',
      { 'f:metadata': { 'f:labels': { 'f:patched': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"side"}': { 'f:image': {} } } } },
    ],
  ]);
  expect(out.conflict).toEqual({
    status: 409,
    reason: 'Conflict',
    body: status({
      message: 'Apply failed with 1 conflict: conflict with "OpenAPI-Generator" using v1: .spec.containers[name="side"].image',
      reason: 'Conflict',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "OpenAPI-Generator" using v1', field: '.spec.containers[name="side"].image' }] },
      code: 409,
    }),
  });
  expect(out.conflict_class).toEqual(['ConflictError', 'Apply failed with 1 conflict: conflict with "OpenAPI-Generator" using v1: .spec.containers[name="side"].image']);
  expect(out.forced.images).toEqual([['web', 'nginx:1.26'], ['side', 'busybox:1.38']]);
  // The patcher keeps the label it set; it lost only the image.
  expect(out.forced.managers).toEqual([
    ['py-apply', 'Apply'],
    ['OpenAPI-Generator', 'Update'],
  ]);
  expect(out.read.type).toBe('V1Pod');
  expect(out.read.name).toBe('web');
  // pretty=True arrives as "True", which the server parses like Go's strconv.ParseBool.
  expect(out.read.pretty_raw).toMatch(/^\{\n {2}"kind": "Pod",\n {2}"apiVersion": "v1",\n/);
  expect(out.listed).toEqual(['web']);
});

it('watches ConfigMaps: initial ADDED, then MODIFIED, ADDED and DELETED, and ends at timeout_seconds', async () => {
  const out = await python<{ events: [string, string, string, string | null][]; elapsed: number; resumed: [string, string, string | null][] }>(
    'py-watch',
    `
v1.create_namespaced_config_map(NS, {'metadata': {'name': 'w1'}, 'data': {'v': '0'}})
events = []
started = time.time()
for ev in watch.Watch().stream(v1.list_namespaced_config_map, NS, timeout_seconds=2):
    obj = ev['object']
    if not obj.metadata.name.startswith('w'):
        continue  # kube-root-ca.crt and the like
    events.append([ev['type'], type(obj).__name__, obj.metadata.name, (obj.data or {}).get('v')])
    if len(events) == 1:
        v1.patch_namespaced_config_map('w1', NS, {'data': {'v': '1'}})
        v1.create_namespaced_config_map(NS, {'metadata': {'name': 'w2'}, 'data': {'v': '2'}})
        v1.delete_namespaced_config_map('w2', NS)
out['events'] = events
out['elapsed'] = time.time() - started

# Resuming from a list's resourceVersion replays only what happened after it.
rv = v1.list_namespaced_config_map(NS).metadata.resource_version
v1.patch_namespaced_config_map('w1', NS, {'data': {'v': '3'}})
resumed = []
for ev in watch.Watch().stream(v1.list_namespaced_config_map, NS, resource_version=rv, timeout_seconds=1):
    resumed.append([ev['type'], ev['object'].metadata.name, (ev['object'].data or {}).get('v')])
out['resumed'] = resumed
`,
  );
  expect(out.events).toEqual([
    ['ADDED', 'V1ConfigMap', 'w1', '0'],
    ['MODIFIED', 'V1ConfigMap', 'w1', '1'],
    ['ADDED', 'V1ConfigMap', 'w2', '2'],
    ['DELETED', 'V1ConfigMap', 'w2', '2'],
  ]);
  // The server closes the stream when timeoutSeconds is up; the client's loop ends with it.
  expect(out.elapsed).toBeGreaterThanOrEqual(1.5);
  expect(out.elapsed).toBeLessThan(10);
  expect(out.resumed).toEqual([['MODIFIED', 'w1', '3']]);
});

it('turns Status errors into ApiExceptions with the real status, reason and body', async () => {
  const out = await python<Record<string, Failure | unknown>>(
    'py-errors',
    `
out['not_found'] = failure(lambda: v1.read_namespaced_config_map('nope', NS, pretty=True))
v1.create_namespaced_config_map(NS, {'metadata': {'name': 'dup'}})
out['exists'] = failure(lambda: v1.create_namespaced_config_map(NS, {'metadata': {'name': 'dup'}}))
out['invalid'] = failure(lambda: v1.create_namespaced_config_map(NS, {'metadata': {'name': 'Bad_Name'}}))
out['no_manager'] = failure(lambda: apply_cm({'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'dup'}}, manager=None))
# force=True (sent as "True") is only allowed on apply patches.
out['force_on_merge'] = failure(lambda: v1.patch_namespaced_config_map('dup', NS, {'data': {'a': 'b'}}, force=True))
deleted = v1.delete_namespaced_config_map('dup', NS, body=client.V1DeleteOptions(propagation_policy='Background'), grace_period_seconds=0)
out['deleted'] = {'type': type(deleted).__name__, 'status': deleted.status, 'details': plain(deleted.details)}
out['gone'] = failure(lambda: v1.delete_namespaced_config_map('dup', NS))
`,
  );
  expect(out.not_found).toEqual({
    status: 404,
    reason: 'Not Found',
    body: status({ message: 'configmaps "nope" not found', reason: 'NotFound', details: { name: 'nope', kind: 'configmaps' }, code: 404 }),
  });
  expect(out.exists).toEqual({
    status: 409,
    reason: 'Conflict',
    body: status({ message: 'configmaps "dup" already exists', reason: 'AlreadyExists', details: { name: 'dup', kind: 'configmaps' }, code: 409 }),
  });
  const invalid = out.invalid as Failure;
  expect(invalid.status).toBe(422);
  expect(invalid.reason).toBe('Unprocessable Entity');
  expect(JSON.parse(invalid.body)).toMatchObject({
    reason: 'Invalid',
    message: expect.stringMatching(/^ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/) as unknown,
    details: { name: 'Bad_Name', kind: 'ConfigMap', causes: [{ reason: 'FieldValueInvalid', field: 'metadata.name' }] },
    code: 422,
  });
  expect(out.no_manager).toEqual({
    status: 422,
    reason: 'Unprocessable Entity',
    body: status({
      message: 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      reason: 'Invalid',
      details: { group: 'meta.k8s.io', kind: 'PatchOptions', causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }] },
      code: 422,
    }),
  });
  expect(out.force_on_merge).toEqual({
    status: 422,
    reason: 'Unprocessable Entity',
    body: status({
      message: 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
      reason: 'Invalid',
      details: { group: 'meta.k8s.io', kind: 'PatchOptions', causes: [{ reason: 'FieldValueForbidden', message: 'Forbidden: may not be specified for non-apply patch', field: 'force' }] },
      code: 422,
    }),
  });
  expect(out.deleted).toMatchObject({ type: 'V1Status', status: 'Success', details: { name: 'dup', kind: 'configmaps' } });
  expect((out.gone as Failure).status).toBe(404);
});
