import { defineReconciler, type Reconciler } from '../../../controller-runtime/reconciler';
import { StatusError } from '../../../machinery/errors/status-error';
import type { ResourceRegistry } from '../../../registry/registry';

const DEFAULT_SERVICE_ACCOUNT = 'default';

/**
 * The service-account reconciler of the controller manager: every active namespace has a
 * "default" ServiceAccount, recreated if someone deletes it.
 */
export const serviceAccountReconciler = defineReconciler((registry: ResourceRegistry): Reconciler => {
  const namespaces = registry.forKind('', 'Namespace');
  const accounts = registry.forKind('', 'ServiceAccount');
  return {
    name: 'serviceaccount',
    watches: [
      { group: '', kind: 'Namespace' },
      { group: '', kind: 'ServiceAccount', keysFor: (sa) => (sa.metadata.name === DEFAULT_SERVICE_ACCOUNT ? [sa.metadata.namespace!] : []) },
    ],
    async reconcile(namespace) {
      const ns = namespaces.find(undefined, namespace)?.object;
      if (!ns || ns.metadata.deletionTimestamp) return;
      if (accounts.find(namespace, DEFAULT_SERVICE_ACCOUNT)) return;
      try {
        await accounts.create(namespace, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace } });
      } catch (err) {
        // The namespace may have started terminating, or the account appeared meanwhile.
        if (!(err instanceof StatusError && (err.code === 409 || err.code === 403 || err.code === 404))) throw err;
      }
    },
  };
});
