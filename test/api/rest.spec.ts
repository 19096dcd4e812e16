import type request from 'supertest';
import { decodeProtobufObject, encodeProtobufObject } from '../../src/machinery/protobuf';
import type { RunningServer } from '../../src/server';
import { startApiServer } from '../support/api-server';

const CM = '/api/v1/namespaces/default/configmaps';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

function configMap(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { app: 'web' } }, data: { a: '1' }, ...extra };
}

describe('REST API (generic machinery)', () => {
  let server: RunningServer;
  let api: ReturnType<typeof request>;

  beforeAll(async () => {
    ({ server, api } = await startApiServer());
  });
  afterAll(() => server.close());

  describe('errors are Status objects with the real reasons', () => {
    it('404 NotFound for a missing object, in Go field order', async () => {
      const res = await api.get(`${CM}/nope`).expect(404);
      expect(res.text).toBe(
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"configmaps \\"nope\\" not found","reason":"NotFound","details":{"name":"nope","kind":"configmaps"},"code":404}\n',
      );
    });

    it('404 for an unknown resource or group', async () => {
      expect((await api.get('/api/v1/namespaces/default/widgets').expect(404)).body.reason).toBe('NotFound');
      expect((await api.get('/apis/nothing.example.com/v1').expect(404)).body.kind).toBe('Status');
    });

    it('409 AlreadyExists on a second create', async () => {
      await api.post(CM).send(configMap('dup')).expect(201);
      const res = await api.post(CM).send(configMap('dup')).expect(409);
      expect(res.body).toMatchObject({ reason: 'AlreadyExists', message: 'configmaps "dup" already exists', details: { name: 'dup', kind: 'configmaps' } });
    });

    it('409 Conflict when the resourceVersion is stale', async () => {
      const created = (await api.post(CM).send(configMap('stale')).expect(201)).body;
      await api.put(`${CM}/stale`).send({ ...created, data: { a: '2' } }).expect(200);
      const res = await api.put(`${CM}/stale`).send({ ...created, data: { a: '3' } }).expect(409);
      expect(res.body.message).toBe(
        'Operation cannot be fulfilled on configmaps "stale": the object has been modified; please apply your changes to the latest version and try again',
      );
    });

    it('422 Invalid with causes carrying field paths', async () => {
      const res = await api.post(CM).send({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' } }).expect(422);
      expect(res.body.reason).toBe('Invalid');
      expect(res.body.details.causes[0]).toMatchObject({ reason: 'FieldValueInvalid', field: 'metadata.name' });
      expect(res.body.message).toMatch(/^ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
      const noName = await api.post(CM).send({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }).expect(422);
      expect(noName.body.message).toBe('ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required');
    });

    it('400 BadRequest for malformed JSON, and nothing is stored', async () => {
      const res = await api.post(CM).set('Content-Type', 'application/json').send('{"metadata": {"name": "broken"').expect(400);
      expect(res.body.kind).toBe('Status');
      expect(res.text).not.toMatch(/at .*\.js/);
      await api.get(`${CM}/broken`).expect(404);
    });

    it('400 when the body disagrees with the URL', async () => {
      const ns = await api.post(CM).send({ ...configMap('x'), metadata: { name: 'x', namespace: 'kube-system' } }).expect(400);
      expect(ns.body.message).toBe('the namespace of the provided object does not match the namespace sent on the request');
      const version = await api.post(CM).send({ ...configMap('x'), apiVersion: 'apps/v1' }).expect(400);
      expect(version.body.message).toBe('the API version in the data (apps/v1) does not match the expected API version (v1)');
      await api.post(CM).send(configMap('named')).expect(201);
      const name = await api.put(`${CM}/named`).send(configMap('other')).expect(400);
      expect(name.body.message).toBe('the name of the object (other) does not match the name on the URL (named)');
    });

    it('404 when the namespace does not exist', async () => {
      const res = await api.post('/api/v1/namespaces/ghost/configmaps').send(configMap('x')).expect(404);
      expect(res.body.message).toBe('namespaces "ghost" not found');
    });

    it('405 MethodNotAllowed for a verb the path does not take', async () => {
      const res = await api.post(`${CM}/some-name`).send(configMap('some-name')).expect(405);
      expect(res.body.reason).toBe('MethodNotAllowed');
    });

    it('413 above the 3 MiB body limit', async () => {
      const big = configMap('big', { data: { a: 'x'.repeat(3 * 1024 * 1024 + 10) } });
      const res = await api.post(CM).send(big).expect(413);
      expect(res.body).toMatchObject({ reason: 'RequestEntityTooLarge', message: 'Request entity too large: limit is 3145728' });
    });

    it('415 for a body type it cannot read, 406 for an Accept it cannot produce', async () => {
      const res = await api.post(CM).set('Content-Type', 'text/plain').send('hello').expect(415);
      expect(res.body.reason).toBe('UnsupportedMediaType');
      const na = await api.get(CM).set('Accept', 'application/xml').expect(406);
      expect(na.body.reason).toBe('NotAcceptable');
    });

    it('400 for bad selectors', async () => {
      const label = await api.get(CM).query({ labelSelector: 'a in (b' }).expect(400);
      expect(label.body.reason).toBe('BadRequest');
      const field = await api.get(CM).query({ fieldSelector: 'spec.nothing=1' }).expect(400);
      expect(field.body.message).toBe('"spec.nothing" is not a known field selector: only "metadata.name", "metadata.namespace"');
      const podField = await api.get('/api/v1/pods').query({ fieldSelector: 'spec.nothing=1' }).expect(400);
      expect(podField.body.message).toBe('field label not supported: spec.nothing');
    });
  });

  describe('reads', () => {
    beforeAll(async () => {
      await api.post('/api/v1/namespaces').send({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'reads' } }).expect(201);
      for (const [name, labels] of [
        ['a1', { app: 'web', tier: 'fe' }],
        ['a2', { app: 'web', tier: 'be' }],
        ['a3', { app: 'db' }],
        ['a4', { env: 'prod' }],
        ['a5', {}],
      ] as const) {
        await api.post('/api/v1/namespaces/reads/configmaps').send({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels } }).expect(201);
      }
    });

    it('filters by set-based label selectors and field selectors', async () => {
      const names = async (query: Record<string, string>) =>
        (await api.get('/api/v1/namespaces/reads/configmaps').query(query).expect(200)).body.items.map((i: { metadata: { name: string } }) => i.metadata.name);
      expect(await names({ labelSelector: 'app in (web),tier!=be' })).toEqual(['a1']);
      expect(await names({ labelSelector: '!app' })).toEqual(['a4', 'a5']);
      expect(await names({ labelSelector: 'app notin (web)' })).toEqual(['a3', 'a4', 'a5']);
      expect(await names({ fieldSelector: 'metadata.name=a2' })).toEqual(['a2']);
      expect(await names({ fieldSelector: 'metadata.name!=a2', labelSelector: 'app' })).toEqual(['a1', 'a3']);
    });

    it('pages with limit/continue over a consistent snapshot', async () => {
      const first = (await api.get('/api/v1/namespaces/reads/configmaps').query({ limit: '2' }).expect(200)).body;
      expect(first.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['a1', 'a2']);
      expect(first.metadata.remainingItemCount).toBe(3);
      await api.post('/api/v1/namespaces/reads/configmaps').send({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a25' } }).expect(201);
      const second = (await api.get('/api/v1/namespaces/reads/configmaps').query({ limit: '2', continue: first.metadata.continue }).expect(200)).body;
      expect(second.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['a3', 'a4']);
      expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
      const third = (await api.get('/api/v1/namespaces/reads/configmaps').query({ limit: '2', continue: second.metadata.continue }).expect(200)).body;
      expect(third.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['a5']);
      expect(third.metadata.continue).toBeUndefined();
      await api.delete('/api/v1/namespaces/reads/configmaps/a25').expect(200);
    });

    it('serves Tables with the name column and partial metadata rows', async () => {
      const table = (await api.get('/api/v1/namespaces/reads/configmaps').set('Accept', TABLE).expect(200)).body;
      expect(table.kind).toBe('Table');
      expect(table.columnDefinitions[0]).toMatchObject({ name: 'Name', format: 'name' });
      expect(table.rows[0].object).toMatchObject({ kind: 'PartialObjectMetadata', metadata: { name: 'a1', namespace: 'reads' } });
      expect(Number(table.metadata.resourceVersion)).toBeGreaterThan(0);
    });

    it('writes list items without kind and apiVersion, as a typed list is written, pretty or not', async () => {
      for (const query of [{}, { pretty: 'true' }]) {
        const list = (await api.get('/api/v1/namespaces/reads/configmaps').query(query).expect(200)).body;
        expect(list).toMatchObject({ kind: 'ConfigMapList', apiVersion: 'v1' });
        expect(list.items.length).toBeGreaterThan(0);
        for (const item of list.items) {
          expect(item).not.toHaveProperty('kind');
          expect(item).not.toHaveProperty('apiVersion');
          expect(item.metadata).toMatchObject({ namespace: 'reads', uid: expect.any(String) });
        }
      }
      const one = (await api.get('/api/v1/namespaces/reads/configmaps/a1').expect(200)).body;
      expect(one).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1' });
    });

    it('serves the same Table compact and pretty, for each includeObject', async () => {
      for (const includeObject of ['Metadata', 'None', 'Object']) {
        const compact = await api.get('/api/v1/namespaces/reads/configmaps').query({ includeObject }).set('Accept', TABLE).expect(200);
        const pretty = await api.get('/api/v1/namespaces/reads/configmaps').query({ includeObject, pretty: 'true' }).set('Accept', TABLE).expect(200);
        expect(compact.body).toEqual(pretty.body);
        expect(compact.text.endsWith('}\n')).toBe(true);
        expect(compact.body.rows.map((r: { cells: unknown[] }) => r.cells[0])).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
        const object = compact.body.rows[0].object;
        if (includeObject === 'None') expect(object).toBeUndefined();
        if (includeObject === 'Metadata') expect(object).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: expect.objectContaining({ name: 'a1' }) });
        if (includeObject === 'Object') expect(object).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'a1' } });
      }
    });

    it('serves PartialObjectMetadataList', async () => {
      const res = await api.get('/api/v1/namespaces/reads/configmaps').set('Accept', 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io').expect(200);
      expect(res.body.kind).toBe('PartialObjectMetadataList');
      expect(res.body.items[0]).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: expect.objectContaining({ name: 'a1' }) });
    });

    it('answers protobuf when the client prefers it, JSON for Tables', async () => {
      const res = await api
        .get('/api/v1/namespaces/reads/configmaps/a1')
        .set('Accept', 'application/vnd.kubernetes.protobuf,application/json')
        .buffer(true)
        .parse((r, done) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(res.headers['content-type']).toBe('application/vnd.kubernetes.protobuf');
      const decoded = decodeProtobufObject(res.body as Buffer);
      expect(decoded).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', object: { metadata: { name: 'a1', namespace: 'reads' } } });
      const table = await api.get('/api/v1/namespaces/reads/configmaps').set('Accept', `${TABLE.replace(',application/json', '')},application/vnd.kubernetes.protobuf`).expect(200);
      expect(table.body.kind).toBe('Table');
    });

    it('answers YAML when asked', async () => {
      const res = await api.get('/api/v1/namespaces/reads/configmaps/a1').set('Accept', 'application/yaml').expect(200);
      expect(res.text).toMatch(/^kind: ConfigMap\napiVersion: v1\nmetadata:\n {2}name: a1\n/);
    });
  });

  describe('writes', () => {
    it('creates from a protobuf body and answers a protobuf client with a protobuf Status', async () => {
      const body = encodeProtobufObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-proto' }, data: { k: 'v' } });
      const created = await api.post(CM).set('Content-Type', 'application/vnd.kubernetes.protobuf').send(body).expect(201);
      expect(created.body).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'from-proto' }, data: { k: 'v' } });
      const again = await api
        .post(CM)
        .set('Content-Type', 'application/vnd.kubernetes.protobuf')
        .set('Accept', 'application/vnd.kubernetes.protobuf, */*')
        .buffer(true)
        .parse((r, done) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .send(body)
        .expect(409);
      expect(decodeProtobufObject(again.body as Buffer).object).toMatchObject({ kind: 'Status', reason: 'AlreadyExists', code: 409 });
      const garbage = await api.post(CM).set('Content-Type', 'application/vnd.kubernetes.protobuf').send(Buffer.from('not protobuf')).expect(400);
      expect(garbage.body.reason).toBe('BadRequest');
    });

    it('dryRun=All validates and answers without storing', async () => {
      const res = await api.post(CM).query({ dryRun: 'All' }).send(configMap('dry')).expect(201);
      expect(res.body.metadata.name).toBe('dry');
      await api.get(`${CM}/dry`).expect(404);
    });

    it('generateName picks a unique name', async () => {
      const res = await api.post(CM).send({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } }).expect(201);
      expect(res.body.metadata.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    });

    it('an update that changes nothing keeps the resourceVersion', async () => {
      const created = (await api.post(CM).send(configMap('noop')).expect(201)).body;
      const again = (await api.put(`${CM}/noop`).send(created).expect(200)).body;
      expect(again.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    });

    it('merge and JSON patches', async () => {
      await api.post(CM).send(configMap('patched')).expect(201);
      const merged = await api.patch(`${CM}/patched`).set('Content-Type', 'application/merge-patch+json').send('{"data":{"b":"2","a":null}}').expect(200);
      expect(merged.body.data).toEqual({ b: '2' });
      const json = await api
        .patch(`${CM}/patched`)
        .set('Content-Type', 'application/json-patch+json')
        .send('[{"op":"add","path":"/metadata/labels/extra","value":"y"}]')
        .expect(200);
      expect(json.body.metadata.labels).toEqual({ app: 'web', extra: 'y' });
      const failing = await api.patch(`${CM}/patched`).set('Content-Type', 'application/json-patch+json').send('[{"op":"test","path":"/data/b","value":"nope"}]').expect(422);
      expect(failing.body.kind).toBe('Status');
    });

    it('delete honours preconditions and finalizers', async () => {
      const created = (await api.post(CM).send(configMap('fin', { metadata: { name: 'fin', finalizers: ['example.com/hold'] } })).expect(201)).body;
      const pre = await api.delete(`${CM}/fin`).send({ preconditions: { uid: 'not-the-uid' } }).expect(409);
      expect(pre.body.message).toBe(`Operation cannot be fulfilled on configmaps "fin": Precondition failed: UID in precondition: not-the-uid, UID in object meta: ${created.metadata.uid}`);
      const marked = (await api.delete(`${CM}/fin`).expect(200)).body;
      expect(marked.metadata.deletionTimestamp).toBeDefined();
      await api.get(`${CM}/fin`).expect(200);
      await api.patch(`${CM}/fin`).set('Content-Type', 'application/merge-patch+json').send('{"metadata":{"finalizers":null}}').expect(200);
      await api.get(`${CM}/fin`).expect(404);
    });

    it('deletecollection removes what the selector matches', async () => {
      await api.post('/api/v1/namespaces').send({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sweep' } }).expect(201);
      for (const name of ['s1', 's2', 's3']) {
        await api.post('/api/v1/namespaces/sweep/configmaps').send({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { keep: name === 's3' ? 'yes' : 'no' } } }).expect(201);
      }
      const res = await api.delete('/api/v1/namespaces/sweep/configmaps').query({ labelSelector: 'keep=no' }).expect(200);
      expect(res.body.kind).toBe('ConfigMapList');
      const left = (await api.get('/api/v1/namespaces/sweep/configmaps').expect(200)).body.items.map((i: { metadata: { name: string } }) => i.metadata.name);
      expect(left).toEqual(['s3']);
    });
  });

  describe('discovery', () => {
    it('echoes the aggregated discovery media type exactly', async () => {
      for (const v of ['v2', 'v2beta1']) {
        const accept = `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList,application/json`;
        const res = await api.get('/api').set('Accept', accept).expect(200);
        expect(res.headers['content-type']).toBe(`application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`);
        expect(res.body.items[0].metadata.name).toBe('');
        const pods = res.body.items[0].versions[0].resources.find((r: { resource: string }) => r.resource === 'pods');
        expect(pods).toMatchObject({ scope: 'Namespaced', singularResource: 'pod', shortNames: ['po'], categories: ['all'] });
      }
    });

    it('serves the legacy documents', async () => {
      expect((await api.get('/api').expect(200)).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
      expect((await api.get('/apis').expect(200)).body.groups.map((g: { name: string }) => g.name)).toContain('coordination.k8s.io');
      const v1 = (await api.get('/api/v1').expect(200)).body;
      expect(v1.resources.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(['pods', 'pods/status', 'configmaps', 'namespaces']));
    });

    it('health endpoints answer like the real ones', async () => {
      expect((await api.get('/readyz').expect(200)).text).toBe('ok');
      expect((await api.get('/livez?verbose').expect(200)).text).toMatch(/\[\+\]ping ok\n[\s\S]*livez check passed\n$/);
      expect((await api.get('/version').expect(200)).body).toMatchObject({ major: '1', minor: '33' });
    });
  });
});

describe('garbage collection through ownerReferences', () => {
  let server: RunningServer;
  let api: ReturnType<typeof request>;
  const owned = (name: string, owner: { metadata: { name: string; uid: string } }, block = false) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner.metadata.name, uid: owner.metadata.uid, blockOwnerDeletion: block }] },
  });
  const eventually = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 100; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('condition not reached');
  };
  const gone = (name: string) => async () => (await api.get(`${CM}/${name}`)).status === 404;

  beforeAll(async () => {
    ({ server, api } = await startApiServer());
  });
  afterAll(() => server.close());

  it('background deletion removes dependents once their owner is gone', async () => {
    const owner = (await api.post(CM).send(configMap('bg-owner')).expect(201)).body;
    await api.post(CM).send(owned('bg-child', owner)).expect(201);
    await api.delete(`${CM}/bg-owner`).send({ propagationPolicy: 'Background' }).expect(200);
    await eventually(gone('bg-child'));
  });

  it('orphan deletion keeps dependents and drops their owner reference', async () => {
    const owner = (await api.post(CM).send(configMap('or-owner')).expect(201)).body;
    await api.post(CM).send(owned('or-child', owner)).expect(201);
    await api.delete(`${CM}/or-owner`).send({ propagationPolicy: 'Orphan' }).expect(200);
    await eventually(gone('or-owner'));
    const child = (await api.get(`${CM}/or-child`).expect(200)).body;
    expect(child.metadata.ownerReferences ?? []).toEqual([]);
  });

  it('foreground deletion waits for blocking dependents before the owner goes', async () => {
    const owner = (await api.post(CM).send(configMap('fg-owner')).expect(201)).body;
    await api.post(CM).send(owned('fg-child', owner, true)).expect(201);
    const marked = (await api.delete(`${CM}/fg-owner`).send({ propagationPolicy: 'Foreground' }).expect(200)).body;
    expect(marked.metadata.finalizers).toContain('foregroundDeletion');
    await eventually(gone('fg-child'));
    await eventually(gone('fg-owner'));
  });
});
