/**
 * Which pods back a Service, and on which ports: what the Endpoints and EndpointSlice reconcilers
 * both compute from the same rules (endpointsliceutil.ShouldPodBeInEndpoints, podutil.FindPort,
 * ShouldSetHostname).
 */
import type { KubeObject } from '../../../machinery/meta/types';
import { defaultListOptions } from '../../../registry/list-options';
import type { ResourceRegistry } from '../../../registry/registry';
import type { Pod } from '../pod/pod.types';
import { CLUSTER_IP_NONE } from './service.allocation';
import type { Service, ServicePort } from './service.types';

/** The `kubernetes` Service, whose endpoints are the API server's own address. */
export const API_SERVICE = { namespace: 'default', name: 'kubernetes' };
/** Where the simulated API server listens on its node (a kubeadm-made cluster's secure port). */
export const API_SERVER_PORT = 6443;
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
export const LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';

export interface PodReference {
  kind: 'Pod';
  namespace: string;
  name: string;
  uid: string;
}

/** One backing pod as both reconcilers see it. */
export interface Backend {
  ip: string;
  nodeName?: string;
  hostname?: string;
  ready: boolean;
  /** Ready enough to take traffic, terminating or not (EndpointConditions.serving). */
  serving: boolean;
  terminating: boolean;
  targetRef: PodReference;
  /** The service's ports resolved against this pod; ports it cannot resolve are left out. */
  ports: { name?: string; port: number; protocol: string; appProtocol?: string }[];
}

/** The simulated API server's address: the InternalIP of the first node (the control plane). */
export async function apiServerAddress(registry: ResourceRegistry): Promise<string | undefined> {
  const first = (await registry.forKind('', 'Node').list(undefined, defaultListOptions())).items[0]?.object as { status?: { addresses?: { type?: string; address?: string }[] } } | undefined;
  return first?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
}

export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

export function selectsPods(svc: Service): boolean {
  return svc.spec?.type !== 'ExternalName' && svc.spec?.selector !== undefined && svc.spec.selector !== null;
}

export function isHeadless(svc: Service): boolean {
  return !svc.spec?.clusterIP || svc.spec.clusterIP === CLUSTER_IP_NONE;
}

function matchesSelector(svc: Service, pod: Pod): boolean {
  const labels = pod.metadata.labels ?? {};
  return Object.entries(svc.spec?.selector ?? {}).every(([key, value]) => labels[key] === value);
}

/** FindPort: a number is used as it is; a name must match one of the pod's container ports. */
function findPort(pod: Pod, port: ServicePort): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  if (target === undefined) return undefined;
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP')) return p.containerPort;
  }
  return undefined;
}

/** The service's backing pods, sorted by address; `includeTerminating` as each reconciler asks. */
export function backendsOf(svc: Service, pods: Iterable<KubeObject>, includeTerminating: boolean): Backend[] {
  const backends: Backend[] = [];
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  for (const obj of pods) {
    const pod = obj as Pod;
    if (pod.metadata.namespace !== svc.metadata.namespace || !matchesSelector(svc, pod)) continue;
    const ip = pod.status?.podIP;
    if (isTerminal(pod) || !ip) continue;
    const terminating = !!pod.metadata.deletionTimestamp;
    if (terminating && !includeTerminating) continue;
    const podReady = isPodReady(pod);
    const ports = [];
    for (const port of svc.spec?.ports ?? []) {
      const number = findPort(pod, port);
      if (number === undefined) continue;
      ports.push({ ...(port.name ? { name: port.name } : {}), port: number, protocol: port.protocol ?? 'TCP', ...(port.appProtocol ? { appProtocol: port.appProtocol } : {}) });
    }
    const hostname = pod.spec?.hostname && pod.spec.subdomain === svc.metadata.name ? pod.spec.hostname : undefined;
    backends.push({
      ip,
      nodeName: pod.spec?.nodeName,
      hostname,
      // A terminating pod is never ready, unless the service publishes not-ready addresses.
      ready: publishNotReady || (podReady && !terminating),
      serving: publishNotReady || podReady,
      terminating,
      targetRef: { kind: 'Pod', namespace: pod.metadata.namespace!, name: pod.metadata.name!, uid: pod.metadata.uid! },
      ports,
    });
  }
  return backends.sort((a, b) => compareIPs(a.ip, b.ip) || (a.targetRef.uid < b.targetRef.uid ? -1 : a.targetRef.uid > b.targetRef.uid ? 1 : 0));
}

function compareIPs(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** The labels an endpoints object carries: the service's, plus the headless marker where it applies. */
export function endpointLabels(svc: Service): Record<string, string> {
  const labels = { ...(svc.metadata.labels ?? {}) };
  if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
  else delete labels[HEADLESS_LABEL];
  return labels;
}
