import { defineReconciler, type Reconciler } from '../../../controller-runtime/reconciler';
import { StatusError } from '../../../machinery/errors/status-error';
import type { ResourceRegistry } from '../../../registry/registry';
import { firstServiceIP } from './service.allocation';
import type { Service } from './service.types';

const NAMESPACE = 'default';
const NAME = 'kubernetes';
const KEY = `${NAMESPACE}/${NAME}`;
/** The port the service forwards to: the API server's secure port on a kubeadm-made cluster. */
const API_SERVER_PORT = 6443;

/**
 * The API server's bootstrap controller: the `kubernetes` Service in `default` always exists, on
 * the first address of the service range, and comes back if deleted.
 */
export const kubernetesServiceReconciler = defineReconciler((registry: ResourceRegistry): Reconciler => {
  const services = registry.forKind<Service>('', 'Service');
  const namespaces = registry.forKind('', 'Namespace');
  return {
    name: 'kubernetes-service',
    watches: [
      { group: '', kind: 'Namespace', keysFor: (ns) => (ns.metadata.name === NAMESPACE ? [KEY] : []) },
      { group: '', kind: 'Service', keysFor: (svc) => (svc.metadata.namespace === NAMESPACE && svc.metadata.name === NAME ? [KEY] : []) },
    ],
    async reconcile() {
      const ns = namespaces.find(undefined, NAMESPACE)?.object;
      if (!ns || ns.metadata.deletionTimestamp || services.find(NAMESPACE, NAME)) return;
      const service: Service = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: NAME, namespace: NAMESPACE, labels: { component: 'apiserver', provider: 'kubernetes' } },
        spec: {
          type: 'ClusterIP',
          clusterIP: firstServiceIP(registry.settings),
          ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: API_SERVER_PORT }],
          sessionAffinity: 'None',
        },
      };
      try {
        await services.create(NAMESPACE, service);
      } catch (err) {
        // Someone holds the address (or made the Service) meanwhile: nothing to repair here.
        if (!(err instanceof StatusError && (err.code === 409 || err.code === 422 || err.code === 403))) throw err;
      }
    },
  };
});
