/** printService: the columns `kubectl get services` shows. */
import { AGE_COLUMN, ageCell, NAME_COLUMN, NONE } from '../../../machinery/table/table';
import type { TableDeclaration } from '../../../registry/resource-type';
import type { Service } from './service.types';

function externalIP(svc: Service): string {
  const spec = svc.spec ?? {};
  const external = spec.externalIPs ?? [];
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return external.length ? external.join(',') : NONE;
    case 'LoadBalancer': {
      // A sorted set of ingress addresses; the server prints tables wide, so nothing is cut short.
      const ingress = [...new Set((svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter((a) => a))].sort();
      if (external.length) return [...ingress, ...external].join(',');
      return ingress.length ? ingress.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

function ports(svc: Service): string {
  const list = (svc.spec?.ports ?? []).map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`));
  return list.length ? list.join(',') : NONE;
}

/** labels.FormatLabels: sorted key=value pairs, "<none>" for none. */
function selector(svc: Service): string {
  const entries = Object.entries(svc.spec?.selector ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : NONE;
}

export const serviceTable: TableDeclaration<Service> = {
  columns: [
    NAME_COLUMN,
    { name: 'Type', type: 'string', description: 'How the Service is exposed (spec.type).' },
    { name: 'Cluster-IP', type: 'string', description: 'The virtual IP inside the cluster (spec.clusterIP).' },
    { name: 'External-IP', type: 'string', description: 'Addresses reachable from outside: external IPs, load-balancer ingress or the external name.' },
    { name: 'Port(s)', type: 'string', description: 'The ports served, with their node ports.' },
    AGE_COLUMN,
    { name: 'Selector', type: 'string', priority: 1, description: 'Pods whose labels match are the endpoints.' },
  ],
  cells: (svc, now) => [
    svc.metadata.name,
    svc.spec?.type ?? '',
    svc.spec?.clusterIP || NONE,
    externalIP(svc),
    ports(svc),
    ageCell(svc.metadata.creationTimestamp, now),
    selector(svc),
  ],
};
