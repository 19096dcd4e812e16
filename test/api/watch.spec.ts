import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadConfig } from '../../src/config/config';
import { startServer, type RunningServer } from '../../src/server';
import { startApiServer } from '../support/api-server';

const CM = '/api/v1/namespaces/default/configmaps';

interface WatchLine {
  type: string;
  object: { kind?: string; metadata?: { name?: string; resourceVersion?: string; annotations?: Record<string, string> }; code?: number; reason?: string; rows?: unknown[]; columnDefinitions?: unknown[] | null };
}

/** Opens a watch and collects its lines until it ends or `stop` is called. */
function openWatch(base: string, path: string, headers: Record<string, string> = {}) {
  const lines: WatchLine[] = [];
  let resolveEnd!: (code: number) => void;
  const ended = new Promise<number>((r) => (resolveEnd = r));
  let buffer = '';
  const req = http.get(`${base}${path}`, { headers }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        if (nl > 0) lines.push(JSON.parse(buffer.slice(0, nl)) as WatchLine);
        buffer = buffer.slice(nl + 1);
      }
    });
    res.on('end', () => resolveEnd(res.statusCode ?? 0));
  });
  req.on('error', () => resolveEnd(-1));
  const until = async (count: number) => {
    for (let i = 0; i < 200 && lines.length < count; i++) await new Promise((r) => setTimeout(r, 10));
    return lines;
  };
  return { lines, ended, until, stop: () => req.destroy() };
}

describe('watch streams', () => {
  let server: RunningServer;
  let api: ReturnType<typeof request>;

  beforeAll(async () => {
    ({ server, api } = await startApiServer());
  });
  afterAll(() => server.close());

  const create = (name: string, labels: Record<string, string> = {}) =>
    api.post(CM).send({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels } }).expect(201);

  it('streams ADDED, MODIFIED and DELETED from a list resourceVersion', async () => {
    const list = (await api.get(CM).expect(200)).body;
    const w = openWatch(server.url, `${CM}?watch=1&resourceVersion=${list.metadata.resourceVersion}`);
    await create('w1');
    await api.patch(`${CM}/w1`).set('Content-Type', 'application/merge-patch+json').send('{"data":{"k":"v"}}').expect(200);
    await api.delete(`${CM}/w1`).expect(200);
    const lines = await w.until(3);
    w.stop();
    expect(lines.map((l) => [l.type, l.object.metadata?.name])).toEqual([
      ['ADDED', 'w1'],
      ['MODIFIED', 'w1'],
      ['DELETED', 'w1'],
    ]);
    const rvs = lines.map((l) => Number(l.object.metadata?.resourceVersion));
    expect(rvs[0]).toBeLessThan(rvs[1]);
    expect(rvs[1]).toBeLessThan(rvs[2]);
  });

  it('resourceVersion=0 starts with the current state as ADDED events, filtered by selectors', async () => {
    await create('s1', { app: 'a' });
    await create('s2', { app: 'b' });
    const w = openWatch(server.url, `${CM}?watch=true&resourceVersion=0&labelSelector=app%3Da`);
    const lines = await w.until(1);
    await create('s3', { app: 'a' });
    await w.until(2);
    w.stop();
    expect(lines.map((l) => [l.type, l.object.metadata?.name])).toEqual([
      ['ADDED', 's1'],
      ['ADDED', 's3'],
    ]);
  });

  it('answers a resourceVersion from before a restart with an Expired ERROR event, after which a relist works', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubemu-watch-'));
    try {
      const config = loadConfig(['--port', '0', '--data-dir', dir, '--log-level', 'silent'], {});
      const first = await startServer(config);
      const created = (await request(first.url).post(CM).send({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'old' } }).expect(201)).body;
      await first.close();
      const second = await startServer(config);
      try {
        const w = openWatch(second.url, `${CM}?watch=1&resourceVersion=${Number(created.metadata.resourceVersion) - 1}`);
        expect(await w.ended).toBe(200);
        expect(w.lines).toHaveLength(1);
        expect(w.lines[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
        const relist = (await request(second.url).get(CM).expect(200)).body;
        expect(relist.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toContain('old');
        expect(Number(relist.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(created.metadata.resourceVersion));
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ends the stream after timeoutSeconds and sends bookmarks only when asked', async () => {
    const started = Date.now();
    const plain = openWatch(server.url, `${CM}?watch=1&timeoutSeconds=1`);
    expect(await plain.ended).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(plain.lines.filter((l) => l.type === 'BOOKMARK')).toEqual([]);

    const withBookmarks = openWatch(server.url, `${CM}?watch=1&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=&timeoutSeconds=1`);
    await withBookmarks.ended;
    const bookmark = withBookmarks.lines.find((l) => l.type === 'BOOKMARK');
    expect(bookmark?.object.metadata?.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
  });

  it('streams one-row Tables with column definitions only in the first event', async () => {
    const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
    const list = (await api.get(CM).set('Accept', accept).expect(200)).body;
    const w = openWatch(server.url, `${CM}?watch=1&resourceVersion=${list.metadata.resourceVersion}`, { Accept: accept });
    await create('t1');
    await create('t2');
    const lines = await w.until(2);
    w.stop();
    expect(lines[0].object.kind).toBe('Table');
    expect(lines[0].object.columnDefinitions?.length).toBeGreaterThan(0);
    expect(lines[1].object.columnDefinitions).toBeNull();
    expect(lines[1].object.rows).toHaveLength(1);
  });

  it('waits for a resourceVersion from the future, then answers 504 Timeout', async () => {
    const res = await api.get(`${CM}?watch=1&resourceVersion=999999`).expect(504);
    expect(res.body).toMatchObject({ reason: 'Timeout', details: { causes: [{ reason: 'ResourceVersionTooLarge' }] } });
    expect(res.headers['retry-after']).toBe('1');
  });
});
