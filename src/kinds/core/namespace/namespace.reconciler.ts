import { defineReconciler, type Reconciler } from '../../../controller-runtime/reconciler';
import { StatusError } from '../../../machinery/errors/status-error';
import type { KubeObject } from '../../../machinery/meta/types';
import { defaultListOptions } from '../../../registry/list-options';
import type { ResourceRegistry } from '../../../registry/registry';

const RETRY_WHILE_CONTENT_REMAINS_MS = 1000;

interface NamespaceObject extends KubeObject {
  spec?: { finalizers?: string[] };
}

/**
 * The namespace lifecycle reconciler: once a namespace is marked for deletion it deletes every
 * namespaced object in it, and when none is left removes the "kubernetes" finalizer (through the
 * finalize subresource) so the namespace itself goes away.
 */
export const namespaceReconciler = defineReconciler((registry: ResourceRegistry): Reconciler => {
  const namespaces = registry.forKind<NamespaceObject>('', 'Namespace');
  return {
    name: 'namespace',
    watches: [{ group: '', kind: 'Namespace' }],
    async reconcile(name) {
      const ns = namespaces.find(undefined, name)?.object as NamespaceObject | undefined;
      if (!ns?.metadata.deletionTimestamp) return;
      let remaining = 0;
      for (const store of registry.allStores()) {
        if (!store.type.namespaced) continue;
        const { items } = await store.list(name, defaultListOptions());
        for (const item of items) {
          if (item.object.metadata.deletionTimestamp) {
            remaining++;
            continue;
          }
          try {
            const result = await store.delete(name, item.location.name, { propagationPolicy: 'Background' });
            if (!result.removed) remaining++;
          } catch (err) {
            if (!(err instanceof StatusError && err.code === 404)) throw err;
          }
        }
      }
      if (remaining > 0) return { requeueAfterMs: RETRY_WHILE_CONTENT_REMAINS_MS };
      if (!ns.spec?.finalizers?.includes('kubernetes')) return;
      await namespaces.guaranteedUpdate(
        undefined,
        name,
        (current) => ({ ...current, spec: { ...current.spec, finalizers: (current.spec?.finalizers ?? []).filter((f) => f !== 'kubernetes') } }),
        {},
        'finalize',
      );
    },
  };
});
