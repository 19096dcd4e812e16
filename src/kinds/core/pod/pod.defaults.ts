/**
 * The Pod defaults of pkg/apis/core/v1/defaults.go that depend on other fields (the constant ones are
 * the schema's), and the QoS class the apiserver computes on create (pkg/apis/core/helper/qos).
 * Everything here is idempotent: it runs on every create and update.
 */
import { isObject } from '../../../machinery/validation/common';
import { addQuantities, canonicalizeResourceList, compareQuantities, isZero, parseQuantity, type Quantity } from '../../../machinery/quantity/quantity';
import type { Container, Pod, PodSpec, Probe, ResourceList, Volume } from './pod.types';

/** The image's tag as parsers.ParseImageName sees it: "latest" when neither tag nor digest is given. */
export function imageTag(image: string): string {
  if (!image) return '';
  if (image.includes('@')) {
    const name = image.slice(0, image.indexOf('@'));
    const lastPart = name.slice(name.lastIndexOf('/') + 1);
    return lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : '';
  }
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  return lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : 'latest';
}

/** SetDefaults_Container's pull policy: Always for ":latest" (or no tag), IfNotPresent otherwise. */
export function defaultPullPolicy(image: string | undefined): string {
  return imageTag(image ?? '') === 'latest' ? 'Always' : 'IfNotPresent';
}

/** A non-null object, without narrowing typed values to Record<string, unknown>. */
function present<T>(value: T | null | undefined): value is T {
  return typeof value === 'object' && value !== null;
}

function defaultProbe(probe: Probe | undefined): void {
  if (!present(probe)) return;
  probe.timeoutSeconds ||= 1;
  probe.periodSeconds ||= 10;
  probe.successThreshold ||= 1;
  probe.failureThreshold ||= 3;
  defaultHttpGet(probe);
}

function defaultHttpGet(handler: { httpGet?: { path?: string; scheme?: string } } | undefined): void {
  if (!present(handler) || !present(handler.httpGet)) return;
  handler.httpGet.path ||= '/';
  handler.httpGet.scheme ||= 'HTTP';
}

function defaultContainer(c: Container, hostNetwork: boolean, requestsFromLimits: boolean): void {
  if (!present(c)) return;
  c.imagePullPolicy ||= defaultPullPolicy(c.image);
  c.terminationMessagePath ||= '/dev/termination-log';
  c.terminationMessagePolicy ||= 'File';
  for (const port of c.ports ?? []) {
    if (!present(port)) continue;
    port.protocol ||= 'TCP';
    // With host networking every container port is a host port.
    if (hostNetwork && !port.hostPort) port.hostPort = port.containerPort;
  }
  for (const env of c.env ?? []) {
    const fieldRef = env?.valueFrom?.fieldRef;
    if (present(fieldRef)) fieldRef.apiVersion ||= 'v1';
  }
  if (present(c.resources)) {
    canonicalizeResourceList(c.resources.limits);
    canonicalizeResourceList(c.resources.requests);
    // SetDefaults_Pod: limits without requests also set the requests (pods only, not templates).
    if (requestsFromLimits && present(c.resources.limits)) {
      const requests: ResourceList = (c.resources.requests ??= {});
      for (const [name, value] of Object.entries(c.resources.limits)) if (!(name in requests)) requests[name] = value;
    }
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  defaultHttpGet(c.lifecycle?.postStart);
  defaultHttpGet(c.lifecycle?.preStop);
}

const FILE_MODE_DEFAULT = 0o644;

function defaultVolume(volume: Volume): void {
  if (!isObject(volume)) return;
  const sources = Object.keys(volume).filter((k) => k !== 'name' && volume[k] !== undefined && volume[k] !== null);
  if (sources.length === 0) volume.emptyDir = {};
  for (const kind of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const source = volume[kind];
    if (isObject(source) && source.defaultMode === undefined) source.defaultMode = FILE_MODE_DEFAULT;
  }
  if (isObject(volume.hostPath) && volume.hostPath.type === undefined) volume.hostPath.type = '';
  for (const item of (isObject(volume.downwardAPI) && Array.isArray(volume.downwardAPI.items) ? volume.downwardAPI.items : []) as Record<string, unknown>[]) {
    if (isObject(item?.fieldRef)) item.fieldRef.apiVersion ||= 'v1';
  }
  const projected = isObject(volume.projected) && Array.isArray(volume.projected.sources) ? (volume.projected.sources as Record<string, unknown>[]) : [];
  for (const source of projected) {
    if (isObject(source?.serviceAccountToken)) source.serviceAccountToken.expirationSeconds ??= 3600;
  }
}

/**
 * SetDefaults_PodSpec and the container defaults. `inPod` adds what SetDefaults_Pod alone does
 * (enableServiceLinks, requests copied from limits), which a workload's pod template never gets.
 */
export function applyPodSpecDefaults(spec: PodSpec, inPod: boolean): void {
  spec.dnsPolicy ||= 'ClusterFirst';
  spec.restartPolicy ||= 'Always';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ||= 'default-scheduler';
  if (inPod) spec.enableServiceLinks ??= true;
  // serviceAccount is the deprecated alias of serviceAccountName; the conversion keeps them equal.
  if (spec.serviceAccountName && !spec.serviceAccount) spec.serviceAccount = spec.serviceAccountName;
  else if (spec.serviceAccount && !spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount;
  const hostNetwork = spec.hostNetwork === true;
  for (const c of spec.containers ?? []) defaultContainer(c, hostNetwork, inPod);
  for (const c of spec.initContainers ?? []) defaultContainer(c, hostNetwork, inPod);
  for (const c of spec.ephemeralContainers ?? []) defaultContainer(c, false, false);
  for (const v of spec.volumes ?? []) defaultVolume(v);
  canonicalizeResourceList(spec.overhead);
}

/**
 * The v1 ↔ internal conversion keeps podIP/podIPs (and hostIP/hostIPs) in step: a single IP that
 * disagrees with the list wins, and the single field always shows the first of the list.
 */
function syncIPs(status: Record<string, unknown>, single: 'podIP' | 'hostIP', list: 'podIPs' | 'hostIPs'): void {
  const ip = typeof status[single] === 'string' ? (status[single] as string) : '';
  const ips = Array.isArray(status[list]) ? (status[list] as { ip?: string }[]) : [];
  if (ip && ips[0]?.ip !== ip) status[list] = [{ ip }];
  else if (!ip && ips[0]?.ip) status[single] = ips[0].ip;
}

export function applyPodDefaults(pod: Pod): void {
  // The spec is a struct in Go, so its defaults apply even when the client sent none.
  if (pod.spec === undefined || pod.spec === null) pod.spec = {};
  if (isObject(pod.spec)) applyPodSpecDefaults(pod.spec, true);
  if (isObject(pod.status)) {
    syncIPs(pod.status, 'podIP', 'podIPs');
    syncIPs(pod.status, 'hostIP', 'hostIPs');
  }
}

const QOS_RESOURCES = ['cpu', 'memory'];

/** ComputePodQOS: BestEffort, Burstable or Guaranteed from the containers' cpu/memory requests and limits. */
export function computeQosClass(spec: PodSpec | undefined): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const requests = new Map<string, Quantity[]>();
  const limits = new Map<string, Quantity[]>();
  let guaranteed = true;
  const add = (into: Map<string, Quantity[]>, list: ResourceList | undefined): Set<string> => {
    const found = new Set<string>();
    for (const [name, value] of Object.entries(list ?? {})) {
      const q = parseQuantity(value);
      if (!QOS_RESOURCES.includes(name) || !q || isZero(q) || q.negative) continue;
      into.set(name, [...(into.get(name) ?? []), q]);
      found.add(name);
    }
    return found;
  };
  for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
    add(requests, c?.resources?.requests);
    const limited = add(limits, c?.resources?.limits);
    if (!QOS_RESOURCES.every((r) => limited.has(r))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, qs] of requests) {
      const limit = limits.get(name);
      // Summed as Quantity.Add does, so a lone container's value is compared as is, never expanded.
      if (!limit || compareQuantities(qs.reduce(addQuantities), limit.reduce(addQuantities)) !== 0) guaranteed = false;
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

