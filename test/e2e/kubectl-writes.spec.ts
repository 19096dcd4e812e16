/**
 * kubectl's write paths that rest on strategic merge patch: client-side apply (create, re-apply
 * with changes and removals), `kubectl patch` (strategic by default), set image, diff and edit —
 * each with kubectl 1.27, 1.32 and 1.33, expecting what a real API server leads them to print.
 */
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { kubectlBinary, startKubemu, type Kubemu } from '../support/kubemu';

interface Container {
  name: string;
  image: string;
  env?: { name: string; value?: string }[];
  ports?: { containerPort: number; protocol?: string; name?: string }[];
}
interface PodObject {
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string>; resourceVersion: string };
  spec: { containers: Container[] };
}

/**
 * The pods name a scheduler that does not run, so they stay unscheduled: no kubelet writes their
 * status while a test compares resourceVersions across no-op writes.
 */
function podManifest(name: string, opts: { labels: Record<string, string>; containers: Container[] }): string {
  return stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: opts.labels }, spec: { schedulerName: 'unscheduled', containers: opts.containers } });
}

for (const minor of [27, 32, 33]) {
  describe(`kubectl 1.${minor} write paths`, () => {
    let k: Kubemu;
    const ns = `writes-${minor}`;
    const binary = kubectlBinary(minor);
    const run = (args: string[], opts: { env?: Record<string, string> } = {}) => k.kubectl(['-n', ns, ...args], { binary, ...opts });
    const getPod = async (name: string): Promise<PodObject> => {
      const r = await run(['get', 'pod', name, '-o', 'json']);
      expect(r.stderr).toBe('');
      return JSON.parse(r.stdout) as PodObject;
    };

    beforeAll(async () => {
      k = await startKubemu();
      await k.api.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    });
    afterAll(() => k.close());

    it('apply creates, then re-applies image changes by merge key and label removals', async () => {
      const first = k.writeFile(
        `app-${minor}.yaml`,
        podManifest('app', {
          labels: { app: 'web', tier: 'fe' },
          containers: [
            { name: 'web', image: 'nginx:1.25', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80 }] },
            { name: 'sidecar', image: 'busybox:1.36' },
          ],
        }),
      );
      expect(await run(['apply', '-f', first])).toMatchObject({ code: 0, stdout: 'pod/app created\n' });
      const created = await getPod('app');
      expect(created.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toContain('"nginx:1.25"');

      // A server-side change to a field the manifest never set must survive re-apply (three-way merge).
      await run(['annotate', 'pod', 'app', 'owner=ops']);
      const second = k.writeFile(
        `app-${minor}.yaml`,
        podManifest('app', {
          labels: { app: 'web' },
          containers: [
            { name: 'web', image: 'nginx:1.26', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80 }] },
            { name: 'sidecar', image: 'busybox:1.37' },
          ],
        }),
      );
      expect(await run(['apply', '-f', second])).toMatchObject({ code: 0, stdout: 'pod/app configured\n' });
      const pod = await getPod('app');
      expect(pod.metadata.labels).toEqual({ app: 'web' });
      expect(pod.metadata.annotations?.owner).toBe('ops');
      expect(pod.spec.containers.map((c) => [c.name, c.image])).toEqual([
        ['web', 'nginx:1.26'],
        ['sidecar', 'busybox:1.37'],
      ]);
      // A running pod's env cannot change, so the three-way patch must leave it exactly as it was.
      expect(pod.spec.containers[0].env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '2' }]);
      expect(pod.spec.containers[0].ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);

      expect(await run(['apply', '-f', second])).toMatchObject({ code: 0, stdout: 'pod/app unchanged\n' });
      expect((await getPod('app')).metadata.resourceVersion).toBe(pod.metadata.resourceVersion);
    });

    it('patch is strategic by default and merges containers by name', async () => {
      await k.api.create(`/api/v1/namespaces/${ns}/pods`, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'patched', labels: { app: 'p' } },
        spec: { containers: [{ name: 'a', image: 'nginx:1.25' }, { name: 'b', image: 'redis:7' }] },
      });
      const r = await run(['patch', 'pod', 'patched', '-p', '{"spec":{"containers":[{"name":"b","image":"redis:7.2"}]}}']);
      expect(r).toMatchObject({ code: 0, stdout: 'pod/patched patched\n' });
      const pod = await getPod('patched');
      expect(pod.spec.containers.map((c) => [c.name, c.image])).toEqual([
        ['a', 'nginx:1.25'],
        ['b', 'redis:7.2'],
      ]);
      expect(await run(['set', 'image', 'pod/patched', 'a=nginx:1.27'])).toMatchObject({ code: 0, stdout: 'pod/patched image updated\n' });
      expect((await getPod('patched')).spec.containers[0].image).toBe('nginx:1.27');
      const noop = await run(['patch', 'pod', 'patched', '-p', '{"metadata":{"labels":{"app":"p"}}}']);
      expect(noop).toMatchObject({ code: 0, stdout: 'pod/patched patched (no change)\n' });
    });

    it('diff shows the change a re-apply would make and exits 1, then 0 once applied', async () => {
      const file = k.writeFile(`diff-${minor}.yaml`, podManifest('diffed', { labels: { app: 'd' }, containers: [{ name: 'c', image: 'nginx:1.25' }] }));
      expect((await run(['apply', '-f', file])).code).toBe(0);
      const changed = k.writeFile(`diff-${minor}.yaml`, podManifest('diffed', { labels: { app: 'd', extra: 'v2' }, containers: [{ name: 'c', image: 'nginx:1.25' }] }));
      const diff = await run(['diff', '-f', changed]);
      expect(diff.stderr).toBe('');
      expect(diff.code).toBe(1);
      expect(diff.stdout).toMatch(/^\+ {4}extra: v2$/m);
      // diff is a dry run: nothing changed on the server.
      expect((await getPod('diffed')).metadata.labels).toEqual({ app: 'd' });
      expect((await run(['apply', '-f', changed])).code).toBe(0);
      expect(await run(['diff', '-f', changed])).toMatchObject({ code: 0, stdout: '' });
    });

    it('edit sends what the editor wrote', async () => {
      await k.api.create(`/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'edited' }, data: { mode: 'old' } });
      const editor = join(k.writeFile(`editor-${minor}.sh`, '#!/bin/sh\nsed -i "s/mode: old/mode: new/" "$1"\n'));
      chmodSync(editor, 0o755);
      const r = await run(['edit', 'configmap', 'edited'], { env: { KUBE_EDITOR: editor, EDITOR: editor } });
      expect(r).toMatchObject({ code: 0, stdout: 'configmap/edited edited\n' });
      const cm = JSON.parse((await run(['get', 'cm', 'edited', '-o', 'json'])).stdout) as { data: Record<string, string> };
      expect(cm.data).toEqual({ mode: 'new' });
    });

    it('replace and dry-run=server leave the stored object as a real server would', async () => {
      const file = k.writeFile(`dry-${minor}.yaml`, stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry' }, data: { a: '1' } }));
      expect(await run(['create', '-f', file, '--dry-run=server'])).toMatchObject({ code: 0, stdout: 'configmap/dry created (server dry run)\n' });
      expect((await run(['get', 'cm', 'dry'])).code).toBe(1);
      expect((await run(['create', '-f', file])).code).toBe(0);
      const replaced = k.writeFile(`dry-${minor}.yaml`, stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry' }, data: { a: '2' } }));
      expect(await run(['replace', '-f', replaced])).toMatchObject({ code: 0, stdout: 'configmap/dry replaced\n' });
      expect(JSON.parse((await run(['get', 'cm', 'dry', '-o', 'json'])).stdout).data).toEqual({ a: '2' });
    });
  });
}
