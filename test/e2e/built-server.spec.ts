/**
 * The server as `npm run serve` runs it: the single-file build (dist/src/kubemu.js from
 * tools/bundle.ts), on a file store written by the writer thread. Every kind found by the scan in
 * the sources must be served by the bundle too, and its data must survive a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanReconcilers, scanResourceTypes } from '../../src/registry/kind-scan';
import { KubectlContext, parseTable, startChildServer, type ChildServer } from '../support/kubemu';

describe('the built server (npm run serve)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubemu-built-'));
  let server: ChildServer | undefined;
  let k: KubectlContext;

  beforeAll(async () => {
    server = await startChildServer({ dataDir: join(dir, 'data') });
    k = new KubectlContext(server.url, join(dir, 'kubectl'));
  });
  afterAll(async () => {
    await server?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves every kind the sources declare', async () => {
    const r = await k.kubectl(['api-resources', '-o', 'name']);
    expect(r.code).toBe(0);
    const served = new Set(r.stdout.trim().split('\n'));
    for (const type of scanResourceTypes()) {
      expect(served).toContain(type.group ? `${type.plural}.${type.group}` : type.plural);
    }
    expect(scanReconcilers().length).toBeGreaterThan(0);
  });

  it('runs the reconcilers and answers kubectl', async () => {
    expect((await k.kubectl(['create', 'namespace', 'built'])).code).toBe(0);
    // The namespace reconciler gives every namespace its default ServiceAccount.
    let accounts = '';
    for (let i = 0; i < 50 && !accounts.includes('default'); i++) {
      accounts = (await k.kubectl(['get', 'serviceaccounts', '-n', 'built', '-o', 'name'])).stdout;
      if (!accounts.includes('default')) await new Promise((r) => setTimeout(r, 100));
    }
    expect(accounts).toContain('serviceaccount/default');
    expect((await k.kubectl(['create', 'configmap', 'kept', '-n', 'built', '--from-literal=a=b'])).code).toBe(0);
    const nodes = parseTable((await k.kubectl(['get', 'nodes'])).stdout);
    expect(nodes.rows.length).toBe(3);
    const explain = await k.kubectl(['explain', 'pods.spec.containers.image']);
    expect(explain.stdout).toContain('FIELD: image <string>');
  });

  it('keeps what it acknowledged across a restart', async () => {
    await server!.kill('SIGKILL');
    server = await startChildServer({ dataDir: join(dir, 'data') });
    k = new KubectlContext(server.url, join(dir, 'kubectl2'));
    const r = await k.kubectl(['get', 'configmap', 'kept', '-n', 'built', '-o', 'jsonpath={.data.a}']);
    expect(r.stdout).toBe('b');
  });
});
