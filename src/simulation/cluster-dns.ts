/**
 * Cluster DNS as CoreDNS's kubernetes plugin answers A queries, read from the API objects:
 * `<service>.<ns>.svc.<domain>` is the Service's cluster IP (a headless Service's ready pod IPs),
 * `<hostname>.<subdomain>.<ns>.svc.<domain>` a pod with that hostname and subdomain, and
 * `<a-b-c-d>.<ns>.pod.<domain>` the address written in its name.
 */
import { backendsOf, isHeadless } from '../kinds/core/service/service.backends';
import type { Pod } from '../kinds/core/pod/pod.types';
import type { Service } from '../kinds/core/service/service.types';
import type { ResourceRegistry } from '../registry/registry';
import { CLUSTER_DOMAIN } from './shell/container-environment';

export function resolveClusterName(registry: ResourceRegistry, fqdn: string): string[] | undefined {
  const name = fqdn.replace(/\.$/, '').toLowerCase();
  const suffix = `.${CLUSTER_DOMAIN}`;
  if (!name.endsWith(suffix)) return undefined;
  const labels = name.slice(0, -suffix.length).split('.');
  const services = registry.forKind<Service>('', 'Service');
  const pods = registry.forKind<Pod>('', 'Pod');
  if (labels.length === 3 && labels[2] === 'pod') {
    const ip = labels[0].replace(/-/g, '.');
    return /^\d+\.\d+\.\d+\.\d+$/.test(ip) ? [ip] : undefined;
  }
  if (labels[labels.length - 1] !== 'svc') return undefined;
  if (labels.length === 3) {
    const [serviceName, namespace] = labels;
    const svc = services.find(namespace, serviceName)?.object as Service | undefined;
    if (!svc) return undefined;
    if (svc.spec?.type === 'ExternalName') return undefined;
    if (!isHeadless(svc)) return [svc.spec!.clusterIP!];
    const ready = backendsOf(svc, pods.cachedObjects(namespace), false).filter((b) => b.serving);
    return ready.length ? ready.map((b) => b.ip) : undefined;
  }
  if (labels.length === 4) {
    const [hostname, subdomain, namespace] = labels;
    for (const pod of pods.cachedObjects(namespace)) {
      if (pod.spec?.hostname === hostname && pod.spec.subdomain === subdomain && pod.status?.podIP) return [pod.status.podIP];
    }
  }
  return undefined;
}

/**
 * Whether an address answers ICMP echo: pod IPs of running pods and node addresses do; a
 * Service's cluster IP is virtual (only kube-proxy's rules know it), so it never does.
 */
export function answersPing(registry: ResourceRegistry, ip: string): boolean {
  for (const pod of registry.forKind<Pod>('', 'Pod').cachedObjects()) {
    if (pod.status?.phase === 'Running' && (pod.status.podIPs ?? []).some((a) => a.ip === ip)) return true;
  }
  for (const node of registry.forKind('', 'Node').cachedObjects()) {
    const addresses = (node.status as { addresses?: { address?: string }[] } | undefined)?.addresses ?? [];
    if (addresses.some((a) => a.address === ip)) return true;
  }
  return false;
}
