import { StatusError } from '../machinery/errors/status-error';
import type { KubeObject } from '../machinery/meta/types';
import type { ResourceRegistry } from './registry';

/** The namespaces every cluster starts with. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Create what a fresh cluster has, skipping what a restart already finds in the store. */
export async function seedCluster(registry: ResourceRegistry): Promise<void> {
  const namespaces = registry.forKind('', 'Namespace');
  // Concurrent creates share one commit.
  await Promise.all(
    SYSTEM_NAMESPACES.map((name) => createIfAbsent(() => namespaces.create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as KubeObject))),
  );
}

async function createIfAbsent(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (err) {
    if (!(err instanceof StatusError && err.reason === 'AlreadyExists')) throw err;
  }
}
