/**
 * The add-ons a kubeadm-made cluster starts with: CoreDNS (its ConfigMap, ServiceAccount and a
 * two-replica Deployment in kube-system) behind the `kube-dns` Service on the tenth address of the
 * service range — the nameserver every pod's resolv.conf names. Installed through the API like
 * anything else, once, when the cluster is new; like kubeadm's, they are not put back if removed.
 */
import { StatusError } from '../machinery/errors/status-error';
import { parseApiVersion, type KubeObject } from '../machinery/meta/types';
import { numberToIpv4 } from '../machinery/net/ipv4';
import { serviceIPRange } from '../kinds/core/service/service.allocation';
import type { ClusterSettings } from '../registry/resource-type';
import type { ResourceRegistry } from '../registry/registry';

const NAMESPACE = 'kube-system';
const DNS_LABELS = { 'k8s-app': 'kube-dns' };
export const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.12.0';

/** The cluster DNS Service's address: the tenth of the service range, as kubeadm picks it. */
export function dnsServiceIP(settings: ClusterSettings): string {
  return numberToIpv4(serviceIPRange(settings).network + 10);
}

const COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
`;

function addons(settings: ClusterSettings): KubeObject[] {
  const meta = (name: string, labels?: Record<string, string>) => ({ name, namespace: NAMESPACE, ...(labels ? { labels } : {}) });
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('coredns') },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('coredns'), data: { Corefile: COREFILE } },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        ...meta('kube-dns', { ...DNS_LABELS, 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' }),
        annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
      },
      spec: {
        clusterIP: dnsServiceIP(settings),
        selector: DNS_LABELS,
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
          { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
        ],
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('coredns', DNS_LABELS),
      spec: {
        replicas: 2,
        selector: { matchLabels: DNS_LABELS },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
        template: {
          metadata: { labels: DNS_LABELS },
          spec: {
            priorityClassName: 'system-cluster-critical',
            serviceAccountName: 'coredns',
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            tolerations: [
              { key: 'CriticalAddonsOnly', operator: 'Exists' },
              { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
            ],
            containers: [
              {
                name: 'coredns',
                image: COREDNS_IMAGE,
                imagePullPolicy: 'IfNotPresent',
                args: ['-conf', '/etc/coredns/Corefile'],
                ports: [
                  { name: 'dns', containerPort: 53, protocol: 'UDP' },
                  { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                  { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
                ],
                resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
                livenessProbe: { httpGet: { path: '/health', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 60, timeoutSeconds: 5, failureThreshold: 5 },
                readinessProbe: { httpGet: { path: '/ready', port: 8181, scheme: 'HTTP' } },
                securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, readOnlyRootFilesystem: true },
                volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
              },
            ],
            dnsPolicy: 'Default',
            volumes: [{ name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] } }],
          },
        },
      },
    },
  ];
}

/** Installs the add-ons into a new cluster: one that has no kube-dns Service yet. */
export async function installAddons(registry: ResourceRegistry): Promise<void> {
  if (registry.forKind('', 'Service').find(NAMESPACE, 'kube-dns')) return;
  for (const obj of addons(registry.settings)) {
    try {
      await registry.forKind(parseApiVersion(obj.apiVersion!).group, obj.kind!).create(NAMESPACE, obj, { fieldManager: 'kubeadm' });
    } catch (err) {
      if (!(err instanceof StatusError && err.reason === 'AlreadyExists')) throw err;
    }
  }
}
