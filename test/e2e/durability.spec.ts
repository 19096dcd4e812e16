/**
 * Crash safety of the built server (dist/, so run `npx nest build` first): a write is
 * acknowledged only after it is committed, so SIGKILL in the middle of a write storm must not
 * lose any object whose 201 a client received, and resourceVersions keep increasing afterwards.
 */
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RawApi, startChildServer, type ChildServer } from '../support/kubemu';

interface Meta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  creationTimestamp: string;
  labels?: Record<string, string>;
}
interface Obj {
  kind: string;
  metadata: Meta;
  data?: Record<string, string>;
}
interface List {
  metadata: { resourceVersion: string; continue?: string };
  items: Obj[];
}

const WRITERS = 32;
const KILL_AFTER_MS = 1500;

const dirs: string[] = [];
const children: ChildServer[] = [];

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubemu-durability-'));
  dirs.push(dir);
  return dir;
}

async function child(dir: string): Promise<ChildServer> {
  const c = await startChildServer({ dataDir: dir });
  children.push(c);
  return c;
}

afterAll(async () => {
  await Promise.all(children.map((c) => c.kill('SIGKILL')));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** One POST over a keep-alive agent; resolves with the status and body, rejects on any socket error. */
function post(agent: Agent, url: string, path: string, body: unknown): Promise<{ status: number; body: string }> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((done, fail) => {
    const req = request(
      `${url}${path}`,
      { method: 'POST', agent, headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Content-Length': payload.length } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    req.end(payload);
  });
}

async function listAll(api: RawApi, path: string): Promise<{ items: Obj[]; resourceVersion: string }> {
  const items: Obj[] = [];
  let resourceVersion = '';
  let token: string | undefined;
  do {
    const res = await api.request<List>('GET', `${path}?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${res.text}`);
    items.push(...res.body.items);
    resourceVersion ||= res.body.metadata.resourceVersion;
    token = res.body.metadata.continue || undefined;
  } while (token);
  return { items, resourceVersion };
}

const rv = (o: { metadata: { resourceVersion: string } }): bigint => BigInt(o.metadata.resourceVersion);
const max = (values: bigint[]): bigint => values.reduce((a, b) => (b > a ? b : a), 0n);

describe('kill -9 under write load', () => {
  it('loses no acknowledged write, and resourceVersions keep increasing after restart', async () => {
    const dir = dataDir();
    const first = await child(dir);
    const api = new RawApi(first.url);
    await api.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'durable' } });

    const acked = new Map<string, { uid: string; resourceVersion: string }>();
    const failures: string[] = [];
    let attempted = 0;
    let killed = false;
    const agent = new Agent({ keepAlive: true, maxSockets: WRITERS });

    const writer = async (w: number): Promise<void> => {
      for (let i = 0; !killed; i++) {
        const name = `load-${w}-${i}`;
        attempted++;
        let res: { status: number; body: string };
        try {
          res = await post(agent, first.url, '/api/v1/namespaces/durable/configmaps', {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name, labels: { writer: String(w) } },
            data: { writer: String(w), seq: String(i), payload: 'x'.repeat(256) },
          });
        } catch {
          // The connection died with the server: this write was never acknowledged.
          return;
        }
        if (res.status !== 201) {
          if (!killed) failures.push(`${name}: ${res.status} ${res.body}`);
          return;
        }
        const obj = JSON.parse(res.body) as Obj;
        acked.set(name, { uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion });
      }
    };

    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
    await new Promise((r) => setTimeout(r, KILL_AFTER_MS));
    const ackedBeforeKill = acked.size;
    const exit = await first.kill('SIGKILL');
    killed = true;
    await Promise.all(writers);
    agent.destroy();
    // The output only shows up in the failure diff, as evidence if the server died on its own.
    expect({ ...exit, output: exit.signal === 'SIGKILL' ? '' : first.output() }).toEqual({ code: null, signal: 'SIGKILL', output: '' });
    expect(failures).toEqual([]);
    // Enough load that the kill lands between commits, not on an idle server.
    expect(ackedBeforeKill).toBeGreaterThan(200);
    const maxAcked = max([...acked.values()].map((a) => BigInt(a.resourceVersion)));

    const second = await child(dir);
    const api2 = new RawApi(second.url);
    const { items, resourceVersion: listRv } = await listAll(api2, '/api/v1/namespaces/durable/configmaps');
    const stored = new Map(items.map((o) => [o.metadata.name, o]));
    const lost = [...acked.keys()].filter((name) => !stored.has(name));
    expect({ acknowledged: acked.size, attempted, lost }).toEqual({ acknowledged: acked.size, attempted, lost: [] });
    for (const [name, a] of acked) {
      const o = stored.get(name)!;
      if (o.metadata.uid !== a.uid || o.metadata.resourceVersion !== a.resourceVersion) {
        throw new Error(`${name} came back as uid=${o.metadata.uid} rv=${o.metadata.resourceVersion}, acknowledged as uid=${a.uid} rv=${a.resourceVersion}`);
      }
    }
    // Nothing half-written either: every stored object is whole.
    for (const o of items) expect(o.data?.payload).toHaveLength(256);

    expect(BigInt(listRv)).toBeGreaterThanOrEqual(maxAcked);
    const after = await api2.create<Obj>('/api/v1/namespaces/durable/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-crash' } });
    expect(rv(after)).toBeGreaterThan(max(items.map(rv)));
    expect(rv(after)).toBeGreaterThan(BigInt(listRv));

    // Updating a survivor moves its resourceVersion forward too.
    const [someName] = acked.keys();
    const patched = await api2.request<Obj>('PATCH', `/api/v1/namespaces/durable/configmaps/${someName}`, { data: { touched: 'yes' } }, 'application/merge-patch+json');
    expect(patched.status).toBe(200);
    expect(rv(patched.body)).toBeGreaterThan(rv(after));
  });
});

describe('clean restart', () => {
  it('keeps objects, uids, resourceVersions and the revision counter', async () => {
    const dir = dataDir();
    const first = await child(dir);
    const api = new RawApi(first.url);
    await api.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'keep', labels: { team: 'a' } } });
    const cm = await api.create<Obj>('/api/v1/namespaces/keep/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: '1' } });
    const updated = await api.request<Obj>('PUT', '/api/v1/namespaces/keep/configmaps/settings', { ...cm, data: { a: '2' } });
    expect(updated.status).toBe(200);
    const secret = await api.create<Obj>('/api/v1/namespaces/keep/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'token' }, stringData: { t: 'abc' } });
    const doomed = await api.create<Obj>('/api/v1/namespaces/keep/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'doomed' } });
    expect((await api.request('DELETE', '/api/v1/namespaces/keep/configmaps/doomed')).status).toBe(200);
    const before = await listAll(api, '/api/v1/namespaces/keep/configmaps');
    const namespacesBefore = await listAll(api, '/api/v1/namespaces');

    const exit = await first.kill('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });

    const second = await child(dir);
    const api2 = new RawApi(second.url);
    const got = await api2.request<Obj>('GET', '/api/v1/namespaces/keep/configmaps/settings');
    expect(got.status).toBe(200);
    expect(got.body.metadata).toEqual(updated.body.metadata);
    expect(got.body.data).toEqual({ a: '2' });
    const gotSecret = await api2.request<Obj>('GET', '/api/v1/namespaces/keep/secrets/token');
    expect(gotSecret.body.metadata).toEqual(secret.metadata);
    expect(gotSecret.body.data).toEqual({ t: Buffer.from('abc').toString('base64') });
    expect((await api2.request('GET', '/api/v1/namespaces/keep/configmaps/doomed')).status).toBe(404);

    const after = await listAll(api2, '/api/v1/namespaces/keep/configmaps');
    expect(after.items).toEqual(before.items);
    // The revision counter survives: the list is not older than before the restart.
    expect(BigInt(after.resourceVersion)).toBeGreaterThanOrEqual(BigInt(before.resourceVersion));

    // Seeding must not duplicate or reset the system namespaces on a second start.
    const namespacesAfter = await listAll(api2, '/api/v1/namespaces');
    expect(namespacesAfter.items.map((n) => [n.metadata.name, n.metadata.uid])).toEqual(namespacesBefore.items.map((n) => [n.metadata.name, n.metadata.uid]));
    const keep = namespacesAfter.items.find((n) => n.metadata.name === 'keep');
    expect(keep?.metadata.labels).toMatchObject({ team: 'a' });

    const next = await api2.create<Obj>('/api/v1/namespaces/keep/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'next' } });
    expect(rv(next)).toBeGreaterThan(max([rv(updated.body), rv(secret), rv(doomed), BigInt(before.resourceVersion)]));

    // Recreating the deleted name gets a new identity.
    const reborn = await api2.create<Obj>('/api/v1/namespaces/keep/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'doomed' } });
    expect(reborn.metadata.uid).not.toBe(doomed.metadata.uid);
  });
});
