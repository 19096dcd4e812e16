import { StatusError } from '../machinery/errors/status-error';
import { parseApiVersion, type KubeObject } from '../machinery/meta/types';
import { bootstrapPolicy } from '../kinds/rbac.authorization.k8s.io/bootstrap-policy';
import { systemPriorityClasses } from '../kinds/scheduling.k8s.io/priorityclass/priorityclass.types';
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
  await createIfAbsent(() => registry.forKind('storage.k8s.io', 'StorageClass').create(undefined, DEFAULT_STORAGE_CLASS()));
  // The API server writes these itself, so its name is on their managed fields.
  const asApiServer = { fieldManager: 'kube-apiserver' };
  await Promise.all(
    bootstrapObjects().map((obj) => createIfAbsent(() => registry.forKind(parseApiVersion(obj.apiVersion!).group, obj.kind!).create(obj.metadata.namespace, obj, asApiServer))),
  );
}

/** What the API server's post-start hooks create: the RBAC bootstrap policy and the system priority classes. */
function bootstrapObjects(): KubeObject[] {
  return [...bootstrapPolicy(), ...systemPriorityClasses()];
}

/**
 * The default StorageClass, as kind clusters have it: node-local volumes made by a provisioner once
 * the scheduler has picked the consuming pod's node (WaitForFirstConsumer), deleted with their claim.
 */
export const DEFAULT_STORAGE_CLASS = (): KubeObject => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
  provisioner: 'kubemu.io/hostpath',
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'WaitForFirstConsumer',
});

async function createIfAbsent(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (err) {
    if (!(err instanceof StatusError && err.reason === 'AlreadyExists')) throw err;
  }
}
