/**
 * The cloud provider's load balancers, as a kind cluster with MetalLB has them: a LoadBalancer
 * Service (without a loadBalancerClass naming some other implementation) gets an external address
 * from a pool in the nodes' network, shown in status.loadBalancer and kept for the Service's life;
 * it is released when the Service stops being of that type.
 */
import { EventRecorder } from '../controller-runtime/event-recorder';
import { splitKey, type Reconciler } from '../controller-runtime/reconciler';
import { StatusError } from '../machinery/errors/status-error';
import type { Service } from '../kinds/core/service/service.types';
import type { ResourceRegistry } from '../registry/registry';
import type { Clock } from './clock';

const POOL = { prefix: '172.18.255.', first: 200, last: 250 };

function wantsAddress(svc: Service): boolean {
  return svc.spec?.type === 'LoadBalancer' && !svc.spec.loadBalancerClass;
}

export function loadBalancers(registry: ResourceRegistry, clock: Clock): Reconciler {
  const services = registry.forKind<Service>('', 'Service');
  const events = new EventRecorder(registry, clock, { component: 'service-controller' });
  return {
    name: 'service-load-balancer',
    watches: [{ group: '', kind: 'Service' }],
    async reconcile(key) {
      const { namespace, name } = splitKey(key);
      const svc = services.find(namespace, name)?.object as Service | undefined;
      if (!svc) return;
      const ingress = svc.status?.loadBalancer?.ingress ?? [];
      const wants = wantsAddress(svc);
      if (wants === ingress.length > 0) return;
      let next: Service['status'] = { ...svc.status, loadBalancer: {} };
      if (wants) {
        const taken = new Set<string>();
        for (const other of services.cachedObjects()) for (const i of other.status?.loadBalancer?.ingress ?? []) if (i.ip) taken.add(i.ip);
        let ip: string | undefined;
        for (let n = POOL.first; n <= POOL.last && !ip; n++) if (!taken.has(`${POOL.prefix}${n}`)) ip = `${POOL.prefix}${n}`;
        if (!ip) {
          await events.record(svc, 'Warning', 'AllocationFailed', 'Failed to allocate IP for load balancer: no available IPs');
          return;
        }
        await events.record(svc, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer');
        next = { ...svc.status, loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } };
      }
      try {
        await services.guaranteedUpdate(namespace, name, (current) => ({ ...current, status: next }), { fieldManager: 'kube-controller-manager' }, 'status');
      } catch (err) {
        if (err instanceof StatusError && (err.code === 404 || err.code === 409)) return;
        throw err;
      }
      if (wants) await events.record(svc, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer');
    },
  };
}
