/** printIngress of pkg/printers/internalversion: NAME CLASS HOSTS ADDRESS PORTS AGE. */
import { AGE_COLUMN, ageCell, NAME_COLUMN, NONE } from '../../../machinery/table/table';
import type { TableDeclaration } from '../../../registry/resource-type';
import type { Ingress, IngressRule, LoadBalancerIngress } from '../networking.types';

const MAX_HOSTS = 3;

/** formatHosts: the first three hosts, then how many rules more; "*" when no rule names a host. */
export function formatHosts(rules: IngressRule[] | null | undefined): string {
  const list: string[] = [];
  let more = false;
  for (const rule of rules ?? []) {
    if (list.length === MAX_HOSTS) more = true;
    if (!more && rule.host) list.push(rule.host);
  }
  if (!list.length) return '*';
  const text = list.join(',');
  return more ? `${text} + ${(rules ?? []).length - MAX_HOSTS} more...` : text;
}

/**
 * ingressLoadBalancerStatusStringer. The server prints its Tables in the wide form, so the
 * addresses are never cut short (only kubectl's own printer would cut them).
 */
export function formatAddresses(ingress: LoadBalancerIngress[] | undefined): string {
  return (ingress ?? []).flatMap((i) => [i.ip, i.hostname].filter((v): v is string => !!v)).join(',');
}

export const ingressTable: TableDeclaration<Ingress> = {
  columns: [
    NAME_COLUMN,
    { name: 'Class', type: 'string', description: 'The IngressClass that serves this Ingress.' },
    { name: 'Hosts', type: 'string', description: 'Hosts the rules route.' },
    { name: 'Address', type: 'string', description: 'Where the load balancer serving the Ingress is reached.' },
    { name: 'Ports', type: 'string', description: 'Ports served: 80, and 443 with TLS.' },
    AGE_COLUMN,
  ],
  cells: (ingress, now) => [
    ingress.metadata.name,
    ingress.spec?.ingressClassName ?? NONE,
    formatHosts(ingress.spec?.rules),
    formatAddresses(ingress.status?.loadBalancer?.ingress),
    ingress.spec?.tls?.length ? '80, 443' : '80',
    ageCell(ingress.metadata.creationTimestamp, now),
  ],
};
