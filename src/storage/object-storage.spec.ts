import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../machinery/meta/types';
import { ObjectStorage } from './object-storage';
import { SqlStore } from './sql-store';
import type { Mutation, Store } from './store';

const loc = (name: string) => ({ group: '', resource: 'configmaps', namespace: 'default', name });
const cm = (name: string): KubeObject => ({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name, namespace: 'default', uid: `uid-${name}` } });

describe('ObjectStorage', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'kubemu-storage-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function open(store?: Store): Promise<ObjectStorage> {
    const storage = new ObjectStorage(store ?? (await SqlStore.openSqlite(dir)));
    storage.registerResource('/configmaps', () => ({}));
    await storage.start();
    return storage;
  }

  it('commits concurrent writes in shared transactions and survives a reopen', async () => {
    const sql = await SqlStore.openSqlite(dir);
    const commits: number[] = [];
    const counting: Store = {
      load: () => sql.load(),
      commit: (batch: readonly Mutation[]) => {
        commits.push(batch.length);
        return sql.commit(batch);
      },
      compact: (rev) => sql.compact(rev),
      close: () => sql.close(),
    };
    const storage = await open(counting);
    const writes = Array.from({ length: 50 }, (_, i) => storage.write('ADDED', loc(`c${i}`), cm(`c${i}`), undefined));
    const written = await Promise.all(writes);
    expect(written.map((w) => w.revision)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(commits.length).toBeLessThan(50);
    expect(commits.reduce((a, b) => a + b, 0)).toBe(50);
    await storage.close();

    const reopened = await open();
    expect(reopened.revision).toBe(50);
    expect(reopened.cache.count('/configmaps')).toBe(50);
    expect(reopened.cache.get('/configmaps', '/core/configmaps/default/c7')?.object.metadata.resourceVersion).toBe('8');
    await reopened.close();
  });

  it('shows a write in the cache before its writer hears of it, and in-flight writes to later readers', async () => {
    const storage = await open();
    const pending = storage.write('ADDED', loc('a'), cm('a'), undefined);
    expect(storage.cache.get('/configmaps', '/core/configmaps/default/a')).toBeUndefined();
    expect(storage.latest('/configmaps', loc('a'))?.revision).toBe(1);
    await pending;
    expect(storage.cache.get('/configmaps', '/core/configmaps/default/a')?.revision).toBe(1);
    await storage.close();
  });

  it.each([false, true])('detects a lost compare-and-swap in SQL (portable writes: %s)', async (portableWrites) => {
    const sql = await SqlStore.openSqlite(dir, { portableWrites });
    const mutation = (type: 'ADDED' | 'MODIFIED', revision: number, prevRevision: number) => ({
      type,
      key: '/core/configmaps/default/cas',
      location: loc('cas'),
      uid: 'u',
      revision,
      prevRevision,
      value: JSON.stringify({ revision }),
    });
    await sql.commit([mutation('ADDED', 1, 0)]);
    await sql.commit([mutation('MODIFIED', 2, 1)]);
    await expect(sql.commit([mutation('MODIFIED', 3, 1)])).rejects.toThrow('changed since revision 1');
    const { revision, objects } = await sql.load();
    expect(revision).toBe(2);
    expect(objects.map((o) => o.value)).toEqual(['{"revision":2}']);
    await sql.close();
  });

  it('fails a batch whose commit fails and everything queued behind it', async () => {
    const sql = await SqlStore.openSqlite(dir);
    let fail = true;
    const flaky: Store = {
      load: () => sql.load(),
      commit: (batch) => (fail ? Promise.reject(new Error('disk full')) : sql.commit(batch)),
      compact: (rev) => sql.compact(rev),
      close: () => sql.close(),
    };
    const storage = await open(flaky);
    await expect(storage.write('ADDED', loc('x'), cm('x'), undefined)).rejects.toThrow('disk full');
    expect(storage.latest('/configmaps', loc('x'))).toBeUndefined();
    fail = false;
    await expect(storage.write('ADDED', loc('x'), cm('x'), undefined)).resolves.toBeDefined();
    await storage.close();
  });
});
