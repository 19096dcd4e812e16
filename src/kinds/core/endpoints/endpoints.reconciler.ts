import { CONTROLLER_WRITE } from '../../../controller-runtime/controller-ref';
import { defineReconciler, objectKey, splitKey, type Reconciler } from '../../../controller-runtime/reconciler';
import { StatusError } from '../../../machinery/errors/status-error';
import type { KubeObject } from '../../../machinery/meta/types';
import { defaultListOptions } from '../../../registry/list-options';
import type { ResourceRegistry } from '../../../registry/registry';
import { formatTime, type Clock } from '../../../simulation/clock';
import { API_SERVER_PORT, API_SERVICE, apiServerAddress, backendsOf, endpointLabels, selectsPods, LAST_CHANGE_TRIGGER_TIME, type Backend } from '../service/service.backends';
import type { Service } from '../service/service.types';
import type { EndpointAddress, EndpointSubset, Endpoints } from './endpoints.types';

function address(backend: Backend): EndpointAddress {
  return {
    ip: backend.ip,
    ...(backend.hostname ? { hostname: backend.hostname } : {}),
    ...(backend.nodeName ? { nodeName: backend.nodeName } : {}),
    targetRef: backend.targetRef,
  };
}

/**
 * RepackSubsets: one subset per distinct set of resolved ports, holding the ready and not-ready
 * addresses that share it. Pods of a headless service without ports still get a subset.
 */
export function packSubsets(svc: Service, backends: Backend[]): EndpointSubset[] {
  const byPorts = new Map<string, EndpointSubset>();
  const headlessWithoutPorts = !svc.spec?.ports?.length;
  for (const backend of backends) {
    if (!backend.ports.length && !headlessWithoutPorts) continue;
    const ports = [...backend.ports].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port);
    const key = JSON.stringify(ports);
    let subset = byPorts.get(key);
    if (!subset) byPorts.set(key, (subset = ports.length ? { ports } : {}));
    // Endpoints lists a pod as ready when it serves (publishNotReadyAddresses counts as ready).
    const list = backend.serving ? (subset.addresses ??= []) : (subset.notReadyAddresses ??= []);
    list.push(address(backend));
  }
  return [...byPorts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, subset]) => subset);
}

/**
 * The endpoints reconciler of the controller manager: every Service with a selector has an
 * Endpoints object of the same name listing its pods' addresses, ready or not, with the target
 * ports resolved per pod. The `kubernetes` Service's Endpoints name the API server itself.
 */
export const endpointsReconciler = defineReconciler((registry: ResourceRegistry, clock: Clock): Reconciler => {
  const services = registry.forKind<Service>('', 'Service');
  const endpoints = registry.forKind<Endpoints>('', 'Endpoints');
  const pods = registry.forKind('', 'Pod');

  /** Every Service in the pod's namespace: the pod may have joined or left any of them. */
  const servicesOfNamespace = (obj: KubeObject): string[] => {
    const keys: string[] = [];
    for (const svc of services.cachedObjects(obj.metadata.namespace ?? '')) keys.push(objectKey(svc));
    return keys;
  };

  async function apiServerSubsets(): Promise<EndpointSubset[]> {
    const ip = await apiServerAddress(registry);
    return ip ? [{ addresses: [{ ip }], ports: [{ name: 'https', port: API_SERVER_PORT, protocol: 'TCP' }] }] : [];
  }

  return {
    name: 'endpoints',
    watches: [
      { group: '', kind: 'Service' },
      { group: '', kind: 'Endpoints' },
      { group: '', kind: 'Pod', keysFor: servicesOfNamespace },
      { group: '', kind: 'Node', keysFor: () => [`${API_SERVICE.namespace}/${API_SERVICE.name}`] },
    ],
    async reconcile(key) {
      const { namespace, name } = splitKey(key);
      const svc = services.find(namespace, name)?.object as Service | undefined;
      const current = endpoints.find(namespace, name)?.object as Endpoints | undefined;
      const isApiService = namespace === API_SERVICE.namespace && name === API_SERVICE.name;
      try {
        if (!svc) {
          if (current && !isApiService) await endpoints.delete(namespace, name, {});
          return;
        }
        let subsets: EndpointSubset[];
        if (isApiService) subsets = await apiServerSubsets();
        else if (selectsPods(svc)) subsets = packSubsets(svc, backendsOf(svc, (await pods.list(namespace, defaultListOptions())).items.map((e) => e.object), svc.spec?.publishNotReadyAddresses === true));
        else return;
        const labels = isApiService ? { 'endpointslice.kubernetes.io/skip-mirror': 'true' } : endpointLabels(svc);
        if (current && JSON.stringify(current.subsets ?? []) === JSON.stringify(subsets) && JSON.stringify(current.metadata.labels ?? {}) === JSON.stringify(labels)) return;
        const annotations = isApiService ? undefined : { ...(current?.metadata.annotations ?? {}), [LAST_CHANGE_TRIGGER_TIME]: formatTime(clock.now()) };
        const desired: Endpoints = {
          apiVersion: 'v1',
          kind: 'Endpoints',
          metadata: { name, namespace, labels, ...(annotations ? { annotations } : {}) },
          ...(subsets.length ? { subsets } : {}),
        };
        if (!current) {
          await endpoints.create(namespace, desired, CONTROLLER_WRITE);
          return;
        }
        await endpoints.guaranteedUpdate(namespace, name, (stored) => {
          const next: Endpoints = { ...stored, metadata: { ...stored.metadata, labels, ...(annotations ? { annotations } : {}) } };
          if (subsets.length) next.subsets = subsets;
          else delete next.subsets;
          return next;
        }, CONTROLLER_WRITE);
      } catch (err) {
        // The namespace is going away, or someone else wrote meanwhile: the next event brings us back.
        if (err instanceof StatusError && [403, 404, 409].includes(err.code)) return;
        throw err;
      }
    },
  };
});
