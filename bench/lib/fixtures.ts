import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { postJson } from './http';

export const NAMESPACE = 'bench';

export interface ScenarioContext {
  /** Set by --cpu-prof: each kubemu child writes its profile here. */
  cpuProfDir?: string;
}

export async function createNamespace(url: string, name = NAMESPACE): Promise<void> {
  await postJson(`${url}/api/v1/namespaces`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/**
 * A small pod that passes validation; the shape `kubectl run` would send, minus defaults. It names
 * a scheduler that does not run, so it stays Pending and unchanged while it is measured (as on a
 * real cluster, the default scheduler leaves it alone).
 */
export function podBody(index: number): string {
  const name = `pod-${String(index).padStart(5, '0')}`;
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'bench', shard: String(index % 16) } },
    spec: { schedulerName: 'bench-unscheduled', containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.9', ports: [{ containerPort: 8080 }] }] },
  });
}

export function configMapBody(index: number): string {
  const name = `cm-${String(index).padStart(5, '0')}`;
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, labels: { app: 'bench' } },
    data: { index: String(index), 'settings.yaml': 'mode: bench\nreplicas: 3\n' },
  });
}

/** Route table for the static-server baseline; bodies go through files because they can be megabytes. */
export function writeStaticManifest(dir: string, routes: Record<string, { contentType: string; body: Buffer }>): string {
  const manifest: Record<string, { contentType: string; file: string }> = {};
  let n = 0;
  for (const [path, route] of Object.entries(routes)) {
    const file = join(dir, `body-${n++}`);
    writeFileSync(file, route.body);
    manifest[path] = { contentType: route.contentType, file };
  }
  const manifestFile = join(dir, 'manifest.json');
  writeFileSync(manifestFile, JSON.stringify(manifest));
  return manifestFile;
}
