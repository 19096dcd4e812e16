/**
 * The Service IP and node-port allocators (pkg/registry/core/service/storage/alloc.go with the
 * ipallocator and portallocator it drives), for an IPv4 single-stack cluster. What is taken is
 * read from the other Services as they stand, so deleting a Service frees its values with it.
 */
import { FieldError, GoSyntax, StatusError } from '../../../machinery/errors/status-error';
import { ipv4ToNumber, numberToIpv4, parseCidr } from '../../../machinery/net/ipv4';
import type { AllocationContext, ClusterSettings } from '../../../registry/resource-type';
import type { Service, ServicePort, ServiceSpec } from './service.types';

export const CLUSTER_IP_NONE = 'None';

interface Ipv4Range {
  cidr: string;
  network: number;
  /** Usable addresses: the network and broadcast addresses are never handed out. */
  size: number;
}

export function serviceIPRange(settings: ClusterSettings): Ipv4Range {
  const { network, prefix, size } = parseCidr(settings.serviceClusterIPRange);
  return { cidr: `${numberToIpv4(network)}/${prefix}`, network, size: size - 2 };
}

/** The address the `kubernetes` Service takes: the first of the range. */
export function firstServiceIP(settings: ClusterSettings): string {
  return numberToIpv4(serviceIPRange(settings).network + 1);
}

/**
 * Dynamic allocation picks at random above a low band that is left for explicit requests
 * (calculateRangeOffset: size/step clamped to [min, max]), as both upstream allocators do.
 */
function pickFree(size: number, taken: (offset: number) => boolean, band: { min: number; max: number; step: number }): number | undefined {
  const offset = Math.min(Math.max(band.min, Math.floor(size / band.step)), band.max);
  const low = size > offset ? offset : 0;
  for (const [from, to] of [
    [low, size],
    [0, low],
  ]) {
    const span = to - from;
    if (span <= 0) continue;
    const start = Math.floor(Math.random() * span);
    for (let i = 0; i < span; i++) {
      const candidate = from + ((start + i) % span);
      if (!taken(candidate)) return candidate;
    }
  }
  return undefined;
}

const IP_BAND = { min: 16, max: 256, step: 16 };
const PORT_BAND = { min: 16, max: 128, step: 32 };

function needsClusterIP(spec: ServiceSpec): boolean {
  return spec.type !== 'ExternalName';
}

function needsNodePorts(spec: ServiceSpec): boolean {
  return spec.type === 'NodePort' || spec.type === 'LoadBalancer';
}

/** Whether new node ports are handed out; requested ones are honoured either way. */
function allocatesNodePorts(spec: ServiceSpec): boolean {
  if (spec.type === 'NodePort') return true;
  return spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false;
}

function needsHealthCheckNodePort(spec: ServiceSpec): boolean {
  return spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
}

function nodePortsOf(spec: ServiceSpec | undefined): number[] {
  const ports = (spec?.ports ?? []).map((p) => p.nodePort).filter((p): p is number => typeof p === 'number' && p > 0);
  if (spec?.healthCheckNodePort) ports.push(spec.healthCheckNodePort);
  return ports;
}

interface InUse {
  ips: Set<number>;
  ports: Set<number>;
}

function inUse(context: AllocationContext<Service>): InUse {
  const used: InUse = { ips: new Set(), ports: new Set() };
  for (const other of context.others()) {
    for (const ip of other.spec?.clusterIPs ?? (other.spec?.clusterIP ? [other.spec.clusterIP] : [])) {
      const n = ipv4ToNumber(ip);
      if (n !== undefined) used.ips.add(n);
    }
    for (const port of nodePortsOf(other.spec)) used.ports.add(port);
  }
  return used;
}

/** NormalizeClusterIPs: clusterIP and clusterIPs[0] say the same thing once either is given. */
function normalizeClusterIPs(spec: ServiceSpec, old: ServiceSpec | undefined): void {
  if (!old) {
    if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
    else if (!spec.clusterIP && spec.clusterIPs?.length) spec.clusterIP = spec.clusterIPs[0];
    return;
  }
  const clusterIPChanged = (spec.clusterIP ?? '') !== (old.clusterIP ?? '');
  const clusterIPsChanged = JSON.stringify(spec.clusterIPs ?? []) !== JSON.stringify(old.clusterIPs ?? []);
  if (clusterIPChanged && !clusterIPsChanged) {
    // The client changed the single field it knows: follow it (validation rejects what may not change).
    spec.clusterIPs = spec.clusterIP ? [spec.clusterIP, ...(old.clusterIPs ?? []).slice(1)] : [];
  } else if (!spec.clusterIP && spec.clusterIPs?.length) {
    spec.clusterIP = spec.clusterIPs[0];
  }
}

/** initIPFamilyFields for a cluster that serves IPv4 only. */
function initIPFamilies(svc: Service, old: Service | undefined): FieldError[] {
  const spec = svc.spec!;
  if (!needsClusterIP(spec)) return [];
  const headlessSelectorless = spec.clusterIP === CLUSTER_IP_NONE && Object.keys(spec.selector ?? {}).length === 0;
  if (!spec.ipFamilyPolicy) {
    if (old?.spec?.ipFamilyPolicy) spec.ipFamilyPolicy = old.spec.ipFamilyPolicy;
    else spec.ipFamilyPolicy = headlessSelectorless ? 'RequireDualStack' : 'SingleStack';
  }
  const errors: FieldError[] = [];
  if (spec.ipFamilyPolicy === 'SingleStack') {
    if (spec.clusterIPs?.length === 2) errors.push(FieldError.invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
    if (spec.ipFamilies?.length === 2) errors.push(FieldError.invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
  }
  const families = [...(spec.ipFamilies ?? [])];
  (spec.clusterIPs ?? []).some((ip, i) => {
    if (ip === CLUSTER_IP_NONE) return true;
    const family = ip.includes(':') ? 'IPv6' : 'IPv4';
    if (i >= families.length) {
      if (family === 'IPv4') families.push(family);
      else errors.push(FieldError.invalid(`spec.clusterIPs[${i}]`, GoSyntax.stringSlice(spec.clusterIPs ?? []), `${family} is not configured on this cluster`));
    }
    return false;
  });
  if (errors.length) return errors;
  if (headlessSelectorless) {
    if (!families.length) families.push('IPv4');
    if (families.length < 2 && spec.ipFamilyPolicy !== 'SingleStack') families.push(families[0] === 'IPv4' ? 'IPv6' : 'IPv4');
    spec.ipFamilies = families;
    return [];
  }
  if (spec.ipFamilyPolicy === 'RequireDualStack') {
    errors.push(FieldError.invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'));
  }
  families.forEach((family, i) => {
    if (family !== 'IPv4') errors.push(FieldError.invalid(`spec.ipFamilies[${i}]`, family, 'not configured on this cluster'));
  });
  if (errors.length) return errors;
  spec.ipFamilies = families.length ? families : ['IPv4'];
  return [];
}

function allocateClusterIP(svc: Service, settings: ClusterSettings, used: InUse): FieldError[] {
  const spec = svc.spec!;
  if (!needsClusterIP(spec) || spec.clusterIPs?.[0] === CLUSTER_IP_NONE) return [];
  const range = serviceIPRange(settings);
  const requested = spec.clusterIPs?.[0] ?? '';
  if (requested) {
    const n = ipv4ToNumber(requested);
    // Malformed addresses are left to validation, which names them precisely.
    if (n === undefined) return [];
    const offset = n - range.network - 1;
    let problem: string | undefined;
    if (offset < 0 || offset >= range.size) problem = `the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${range.cidr}`;
    else if (used.ips.has(n)) problem = 'provided IP is already allocated';
    if (problem) return [FieldError.invalid('spec.clusterIPs', GoSyntax.stringSlice(spec.clusterIPs ?? []), `failed to allocate IP ${requested}: ${problem}`)];
    return [];
  }
  const offset = pickFree(range.size, (o) => used.ips.has(range.network + 1 + o), IP_BAND);
  if (offset === undefined) throw exhausted('failed to allocate a serviceIP: range is full');
  const ip = numberToIpv4(range.network + 1 + offset);
  spec.clusterIPs = [ip, ...(spec.clusterIPs ?? []).slice(1)];
  spec.clusterIP = ip;
  used.ips.add(range.network + 1 + offset);
  return [];
}

/** Running out of addresses or ports is no field's fault: the real server answers 500 for it. */
function exhausted(message: string): StatusError {
  return StatusError.internal(message);
}

function nodePortProblem(port: number, settings: ClusterSettings, used: InUse): string | undefined {
  const { min, max } = settings.serviceNodePortRange;
  if (port < min || port > max) return `provided port is not in the valid range. The range of valid ports is ${min}-${max}`;
  if (used.ports.has(port)) return 'provided port is already allocated';
  return undefined;
}

function nextNodePort(settings: ClusterSettings, used: InUse, also: Set<number>): number {
  const { min, max } = settings.serviceNodePortRange;
  const offset = pickFree(max - min + 1, (o) => used.ports.has(min + o) || also.has(min + o), PORT_BAND);
  if (offset === undefined) throw exhausted('failed to allocate a nodePort: range is full');
  return min + offset;
}

/** initNodePorts / updateNodePorts: ports of the same number share one node port. */
function allocateNodePorts(svc: Service, old: Service | undefined, settings: ClusterSettings, used: InUse): FieldError[] {
  const spec = svc.spec!;
  const ports = spec.ports ?? [];
  const kept = new Set(old && needsNodePorts(old.spec ?? {}) ? nodePortsOf(old.spec) : []);
  const mine = new Set<number>();
  const byServicePort = new Map<number, number>();
  if (needsNodePorts(spec)) {
    for (let i = 0; i < ports.length; i++) {
      const port: ServicePort = ports[i];
      if (!port.nodePort && !allocatesNodePorts(spec)) continue;
      const shared = byServicePort.get(port.port ?? 0);
      if (port.nodePort) {
        if (port.nodePort !== shared && !kept.has(port.nodePort) && !mine.has(port.nodePort)) {
          const problem = nodePortProblem(port.nodePort, settings, used);
          if (problem) return [FieldError.invalid(`spec.ports[${i}].nodePort`, port.nodePort, problem)];
        }
      } else {
        port.nodePort = shared ?? nextNodePort(settings, used, new Set([...mine, ...kept]));
      }
      mine.add(port.nodePort);
      if (shared === undefined) byServicePort.set(port.port ?? 0, port.nodePort);
    }
  }
  if (needsHealthCheckNodePort(spec)) {
    const requested = spec.healthCheckNodePort;
    if (requested) {
      if (!kept.has(requested) && !mine.has(requested)) {
        const problem = nodePortProblem(requested, settings, used);
        if (problem) throw exhausted(`failed to allocate requested HealthCheck NodePort ${requested}: ${problem}`);
      }
    } else {
      spec.healthCheckNodePort = nextNodePort(settings, used, new Set([...mine, ...kept]));
    }
  }
  return [];
}

function samePorts(a: ServicePort[] | undefined, b: ServicePort[] | undefined, pick: (p: ServicePort) => unknown): boolean {
  const left = (a ?? []).map(pick);
  const right = (b ?? []).map(pick);
  return left.length === right.length && left.every((v, i) => v === right[i]);
}

/**
 * patchAllocatedValues: a client that writes back a Service without the values the server chose
 * (a PUT of an edited manifest) keeps them rather than getting new ones.
 */
function patchAllocatedValues(spec: ServiceSpec, old: ServiceSpec): void {
  if (needsClusterIP(old) && needsClusterIP(spec)) {
    if (!spec.clusterIP) spec.clusterIP = old.clusterIP;
    if (!spec.clusterIPs?.length && spec.clusterIP === old.clusterIP) spec.clusterIPs = old.clusterIPs;
  }
  if (needsNodePorts(old) && needsNodePorts(spec)) {
    const newPorts = new Set(nodePortsOf({ ports: spec.ports }));
    const used = new Set(nodePortsOf({ ports: old.ports }).filter((p) => newPorts.has(p)));
    const byName = new Map((old.ports ?? []).map((p) => [p.name ?? '', p.nodePort]));
    for (const port of spec.ports ?? []) {
      if (port.nodePort) continue;
      const previous = byName.get(port.name ?? '');
      if (previous && !used.has(previous)) port.nodePort = previous;
    }
  }
  if (needsHealthCheckNodePort(old) && needsHealthCheckNodePort(spec) && !spec.healthCheckNodePort) spec.healthCheckNodePort = old.healthCheckNodePort;
}

/** dropTypeDependentFields: a type change leaves behind only what the new type uses. */
function dropTypeDependentFields(spec: ServiceSpec, old: ServiceSpec): void {
  if (!needsClusterIP(spec)) {
    if ((spec.clusterIP ?? '') === (old.clusterIP ?? '') && JSON.stringify(spec.clusterIPs ?? []) === JSON.stringify(old.clusterIPs ?? [])) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (JSON.stringify(spec.ipFamilies ?? []) === JSON.stringify(old.ipFamilies ?? [])) delete spec.ipFamilies;
    if (spec.ipFamilyPolicy === old.ipFamilyPolicy) delete spec.ipFamilyPolicy;
  }
  if (!needsNodePorts(spec) && samePorts(spec.ports, old.ports, (p) => p.nodePort)) for (const port of spec.ports ?? []) delete port.nodePort;
  if (!needsHealthCheckNodePort(spec) && spec.healthCheckNodePort === old.healthCheckNodePort) delete spec.healthCheckNodePort;
  if (spec.type !== 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts === old.allocateLoadBalancerNodePorts) delete spec.allocateLoadBalancerNodePorts;
    if (spec.loadBalancerClass === old.loadBalancerClass) delete spec.loadBalancerClass;
  }
  if (!needsNodePorts(spec) && spec.externalTrafficPolicy === old.externalTrafficPolicy) delete spec.externalTrafficPolicy;
}

/** The Service kind's `allocate` hook. */
export function allocateService(svc: Service, old: Service | undefined, context: AllocationContext<Service>): FieldError[] {
  const spec = (svc.spec ??= {});
  if (old) {
    patchAllocatedValues(spec, old.spec ?? {});
    normalizeClusterIPs(spec, old.spec);
    dropTypeDependentFields(spec, old.spec ?? {});
  } else {
    normalizeClusterIPs(spec, undefined);
  }
  const familyErrors = initIPFamilies(svc, old);
  if (familyErrors.length) return familyErrors;
  const used = inUse(context);
  // An IP is only handed out on create or when the Service starts needing one (from ExternalName).
  const wantsIP = !old || !needsClusterIP(old.spec ?? {});
  const ipErrors = wantsIP ? allocateClusterIP(svc, context.settings, used) : [];
  if (ipErrors.length) return ipErrors;
  return allocateNodePorts(svc, old, context.settings, used);
}
