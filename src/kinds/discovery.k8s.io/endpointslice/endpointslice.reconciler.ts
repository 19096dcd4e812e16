import { CONTROLLER_WRITE, newControllerRef } from '../../../controller-runtime/controller-ref';
import { defineReconciler, objectKey, splitKey, type Reconciler } from '../../../controller-runtime/reconciler';
import { StatusError } from '../../../machinery/errors/status-error';
import type { KubeObject } from '../../../machinery/meta/types';
import { defaultListOptions } from '../../../registry/list-options';
import type { ResourceRegistry } from '../../../registry/registry';
import { formatTime, type Clock } from '../../../simulation/clock';
import { API_SERVER_PORT, API_SERVICE, apiServerAddress, backendsOf, endpointLabels, LAST_CHANGE_TRIGGER_TIME, selectsPods, type Backend } from '../../core/service/service.backends';
import type { Service } from '../../core/service/service.types';
import { MANAGED_BY_LABEL, SERVICE_NAME_LABEL, SLICE_CONTROLLER, type EndpointSlice, type SliceEndpoint, type SlicePort } from './endpointslice.types';

/** The controller's default --max-endpoints-per-slice. */
export const MAX_ENDPOINTS_PER_SLICE = 100;

interface DesiredSlice {
  ports: SlicePort[];
  endpoints: SliceEndpoint[];
}

function endpointOf(backend: Backend): SliceEndpoint {
  return {
    addresses: [backend.ip],
    conditions: { ready: backend.ready, serving: backend.serving, terminating: backend.terminating },
    ...(backend.hostname ? { hostname: backend.hostname } : {}),
    targetRef: backend.targetRef,
    ...(backend.nodeName ? { nodeName: backend.nodeName } : {}),
  };
}

/** Endpoints grouped by their resolved ports, at most 100 to a slice; one empty slice when there are none. */
export function desiredSlices(svc: Service, backends: Backend[]): DesiredSlice[] {
  const groups = new Map<string, DesiredSlice>();
  const portless = !svc.spec?.ports?.length;
  for (const backend of backends) {
    if (!backend.ports.length && !portless) continue;
    const ports = [...backend.ports].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port);
    const key = JSON.stringify(ports);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { ports, endpoints: [] }));
    group.endpoints.push(endpointOf(backend));
  }
  const slices: DesiredSlice[] = [];
  for (const group of groups.values()) {
    for (let i = 0; i < group.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) {
      slices.push({ ports: group.ports, endpoints: group.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE) });
    }
  }
  return slices.length ? slices : [{ ports: [], endpoints: [] }];
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The EndpointSlice reconciler: every Service with a selector is described by slices labelled
 * with its name and owned by it, listing each backing pod with its ready/serving/terminating
 * conditions. Existing slices are updated in place where their ports still fit, extra ones
 * deleted. The `kubernetes` Service's slice names the API server.
 */
export const endpointSliceReconciler = defineReconciler((registry: ResourceRegistry, clock: Clock): Reconciler => {
  const services = registry.forKind<Service>('', 'Service');
  const slices = registry.forKind<EndpointSlice>('discovery.k8s.io', 'EndpointSlice');
  const pods = registry.forKind('', 'Pod');
  const apiKey = `${API_SERVICE.namespace}/${API_SERVICE.name}`;

  const servicesOfNamespace = (obj: KubeObject): string[] => [...services.cachedObjects(obj.metadata.namespace ?? '')].map((svc) => objectKey(svc));
  const ownerKey = (obj: KubeObject): string[] => {
    const service = obj.metadata.labels?.[SERVICE_NAME_LABEL];
    return service ? [`${obj.metadata.namespace}/${service}`] : [];
  };

  async function reconcileApiService(): Promise<void> {
    const ip = await apiServerAddress(registry);
    if (!ip) return;
    const desired: EndpointSlice = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: API_SERVICE.name, namespace: API_SERVICE.namespace, labels: { [SERVICE_NAME_LABEL]: API_SERVICE.name } },
      addressType: 'IPv4',
      endpoints: [{ addresses: [ip], conditions: { ready: true } }],
      ports: [{ name: 'https', port: API_SERVER_PORT, protocol: 'TCP' }],
    };
    const current = slices.find(API_SERVICE.namespace, API_SERVICE.name)?.object as EndpointSlice | undefined;
    if (!current) await slices.create(API_SERVICE.namespace, desired, CONTROLLER_WRITE);
    else if (!sameJson(current.endpoints, desired.endpoints) || !sameJson(current.ports, desired.ports)) {
      await slices.guaranteedUpdate(API_SERVICE.namespace, API_SERVICE.name, (stored) => ({ ...stored, endpoints: desired.endpoints, ports: desired.ports }), CONTROLLER_WRITE);
    }
  }

  async function reconcileService(svc: Service, owned: EndpointSlice[]): Promise<void> {
    const namespace = svc.metadata.namespace!;
    const name = svc.metadata.name!;
    const backends = backendsOf(svc, (await pods.list(namespace, defaultListOptions())).items.map((e) => e.object), true);
    const wanted = desiredSlices(svc, backends);
    const labels = { ...endpointLabels(svc), [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: SLICE_CONTROLLER };
    const remaining = [...owned];
    for (const want of wanted) {
      // Prefer the slice that already carries these ports, then any spare one.
      let index = remaining.findIndex((s) => sameJson(s.ports ?? [], want.ports));
      if (index < 0) index = remaining.length ? 0 : -1;
      const existing = index >= 0 ? remaining.splice(index, 1)[0] : undefined;
      if (existing) {
        if (sameJson(existing.ports ?? [], want.ports) && sameJson(existing.endpoints ?? [], want.endpoints) && sameJson(existing.metadata.labels, labels)) continue;
        await slices.guaranteedUpdate(namespace, existing.metadata.name!, (stored) => ({
          ...stored,
          metadata: { ...stored.metadata, labels, annotations: { ...(stored.metadata.annotations ?? {}), [LAST_CHANGE_TRIGGER_TIME]: formatTime(clock.now()) } },
          endpoints: want.endpoints,
          ports: want.ports,
        }), CONTROLLER_WRITE);
        continue;
      }
      await slices.create(
        namespace,
        {
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          metadata: {
            generateName: `${name}-`,
            namespace,
            labels,
            annotations: { [LAST_CHANGE_TRIGGER_TIME]: formatTime(clock.now()) },
            ownerReferences: [newControllerRef(svc)],
          },
          addressType: 'IPv4',
          endpoints: want.endpoints,
          ports: want.ports,
        },
        CONTROLLER_WRITE,
      );
    }
    for (const extra of remaining) await slices.delete(namespace, extra.metadata.name!, {});
  }

  return {
    name: 'endpointslice',
    watches: [
      { group: '', kind: 'Service' },
      { group: 'discovery.k8s.io', kind: 'EndpointSlice', keysFor: ownerKey },
      { group: '', kind: 'Pod', keysFor: servicesOfNamespace },
      { group: '', kind: 'Node', keysFor: () => [apiKey] },
    ],
    async reconcile(key) {
      const { namespace, name } = splitKey(key);
      try {
        if (key === apiKey) return await reconcileApiService();
        const svc = services.find(namespace, name)?.object as Service | undefined;
        const owned = [...slices.cachedObjects(namespace ?? '')].filter(
          (s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === name && s.metadata.labels?.[MANAGED_BY_LABEL] === SLICE_CONTROLLER && !s.metadata.deletionTimestamp,
        );
        // A deleted Service's slices go with it through their owner references; selectorless ones get none.
        if (!svc || !selectsPods(svc)) {
          if (svc) for (const slice of owned) await slices.delete(namespace, slice.metadata.name!, {});
          return;
        }
        await reconcileService(svc, owned.filter((s) => s.metadata.ownerReferences?.some((ref) => ref.uid === svc.metadata.uid)));
      } catch (err) {
        // The namespace is going away, or someone else wrote meanwhile: the next event brings us back.
        if (err instanceof StatusError && [403, 404, 409].includes(err.code)) return;
        throw err;
      }
    },
  };
});
