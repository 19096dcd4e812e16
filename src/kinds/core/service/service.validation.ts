/**
 * Service rules of pkg/apis/core/validation (ValidateService, validateServicePort,
 * ValidateServiceClusterIPsRelatedFields and the update-only half of ValidateServiceUpdate), as a 1.33
 * server with default feature gates applies them. Metadata is validated generically elsewhere.
 *
 * Upstream reports errors in the order its code visits fields, and that order jumps back and forth
 * (ports, then clusterIPs, then ports again...). A rules class reports property by property, so
 * ValidateService is split into phases, each a rules class run in turn, which keeps the server's order.
 */
import { FieldError } from '../../../machinery/errors/status-error';
import {
  asFinding,
  Check,
  duplicate,
  Each,
  forbidden,
  invalid,
  isBlank,
  LabelMap,
  notSupported,
  OneOf,
  required,
  ruleContext,
  validateRules,
  type Finding,
} from '../../../machinery/validation/class-validation';
import { goStringer, portNameErrors, portNumErrors } from '../../../machinery/validation/common';
import { dns1123LabelErrors, dns1123SubdomainErrors, qualifiedNameErrors } from '../../../machinery/validation/names';
import type { Service, ServicePort, ServiceSpec, SessionAffinityConfig } from './service.types';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const AFFINITIES = ['ClientIP', 'None'];
const IP_FAMILIES = ['IPv4', 'IPv6'];
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
// PreferSameZone and PreferSameNode sit behind a gate that is off in 1.33.
const TRAFFIC_DISTRIBUTIONS = ['PreferClose'];
const MAX_AFFINITY_SECONDS = 86400;

const ONLY_LOAD_BALANCER = "may only be used when `type` is 'LoadBalancer'";
const NOT_FOR_EXTERNAL_NAME = 'may not be set for ExternalName services';
const MAY_NOT_CHANGE = 'may not change once set';
// netutils' sloppy parsers decide validity with the StrictIPCIDRValidation gate off (1.33's default), so
// these are checked here rather than with common.ts's ipErrors/cidrErrors, which use Node's stricter isIP.
const IP_INVALID = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const CIDR_INVALID = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const isSet = (v: unknown): boolean => v !== undefined && v !== null;

/** isHeadlessService looks at clusterIPs only: exactly ["None"]. */
function isHeadless(spec: ServiceSpec): boolean {
  return Array.isArray(spec.clusterIPs) && spec.clusterIPs.length === 1 && spec.clusterIPs[0] === 'None';
}

function externallyAccessible(spec: ServiceSpec): boolean {
  return spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && list(spec.externalIPs).length > 0);
}

function needsHealthCheck(spec: ServiceSpec): boolean {
  return spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
}

// ---- how a 1.33 server prints bad values -------------------------------------------------------

/** A slice printed with %#v, nil and empty told apart the way Go tells them apart. */
function goSlice(type: string, value: unknown): unknown {
  if (!Array.isArray(value)) return goStringer(`${type}(nil)`);
  return goStringer(`${type}{${value.map((v) => JSON.stringify(String(v))).join(', ')}}`);
}

const goStrings = (value: unknown): unknown => goSlice('[]string', value);
const goFamilies = (value: unknown): unknown => goSlice('[]core.IPFamily', value);

/** A nil pointer prints as the string "null" (quoted) in 1.33's field errors. */
const goPointer = (value: unknown): unknown => (isSet(value) ? value : 'null');

/** The (protocol, port) key of the duplicate-port check, printed with %#v as the internal type. */
function goServicePortKey(protocol: string, port: number): unknown {
  return goStringer(
    `core.ServicePort{Name:"", Protocol:${JSON.stringify(protocol)}, AppProtocol:(*string)(nil), Port:${port}, ` +
      'TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
  );
}

// ---- IP parsing as k8s.io/utils/net's sloppy parsers do it ---------------------------------------

/** Leading zeros are allowed in each part (read as decimal). */
function parseIPv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^[0-9]+$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    bytes.push(n);
  }
  return bytes;
}

/** Eight 16-bit groups; an IPv4 tail counts as two. Zones are not accepted. */
function parseIPv6(s: string): number[] | undefined {
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string, mayEndInIPv4: boolean): number[] | undefined => {
    if (part === '') return [];
    const groups: number[] = [];
    const fields = part.split(':');
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i];
      if (mayEndInIPv4 && i === fields.length - 1 && field.includes('.')) {
        const v4 = parseIPv4(field);
        if (!v4) return undefined;
        groups.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
        continue;
      }
      if (!/^[0-9a-fA-F]+$/.test(field)) return undefined;
      const n = parseInt(field, 16);
      if (n > 0xffff) return undefined;
      groups.push(n);
    }
    return groups;
  };
  const head = groupsOf(halves[0], halves.length === 1);
  if (!head) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const tail = groupsOf(halves[1], true);
  // "::" stands for at least one zero group.
  if (!tail || head.length + tail.length > 7) return undefined;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** ParseIPSloppy as 16 bytes (IPv4 in its IPv4-mapped form), or undefined. */
function parseIP(s: string): number[] | undefined {
  const first = s.search(/[.:]/);
  if (first < 0) return undefined;
  if (s[first] === '.') {
    const v4 = parseIPv4(s);
    return v4 && [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4];
  }
  const groups = parseIPv6(s);
  return groups && groups.flatMap((g) => [g >> 8, g & 0xff]);
}

/** net.IP.To4() != nil. */
function isV4(ip: number[]): boolean {
  return ip.slice(0, 10).every((b) => b === 0) && ip[10] === 0xff && ip[11] === 0xff;
}

/** ParseCIDRSloppy succeeds. */
function isCIDR(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const addr = s.slice(0, slash);
  const mask = s.slice(slash + 1);
  const bits = parseIPv4(addr) ? 32 : parseIPv6(addr) ? 128 : 0;
  return bits > 0 && /^[0-9]+$/.test(mask) && Number(mask) <= bits;
}

/** ValidateNonSpecialIP for an address that parsed. */
function nonSpecialIPFindings(value: string, ip: number[]): Finding[] {
  const v4 = isV4(ip);
  const found: Finding[] = [];
  if (v4 ? ip.slice(12).every((b) => b === 0) : ip.every((b) => b === 0)) found.push(invalid(value, `may not be unspecified (${value})`));
  if (v4 ? ip[12] === 127 : ip.slice(0, 15).every((b) => b === 0) && ip[15] === 1) {
    found.push(invalid(value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  }
  if (v4 ? ip[12] === 169 && ip[13] === 254 : ip[0] === 0xfe && (ip[1] & 0xc0) === 0x80) {
    found.push(invalid(value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  }
  if (v4 ? ip[12] === 224 && ip[13] === 0 && ip[14] === 0 : ip[0] === 0xff && (ip[1] & 0x0f) === 0x02) {
    found.push(invalid(value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  }
  return found;
}

// ---- phase 1: ports present, and what the type rules out ----------------------------------------

class ServiceTypeRules {
  @Check<unknown, ServiceSpec>((ports, spec) => (isBlank(ports) && !isHeadless(spec) && spec.type !== 'ExternalName' ? required() : undefined))
  ports?: ServicePort[];

  @Check<unknown, ServiceSpec>((ips, spec) => {
    if ((spec.type === 'LoadBalancer' || spec.type === 'NodePort') && isHeadless(spec)) {
      return invalid('None', `may not be set to 'None' for ${spec.type} services`, '[0]');
    }
    return spec.type === 'ExternalName' && !isBlank(ips) ? forbidden(NOT_FOR_EXTERNAL_NAME) : undefined;
  })
  clusterIPs?: string[];

  @Check<unknown, ServiceSpec>((families, spec) => (spec.type === 'ExternalName' && !isBlank(families) ? forbidden(NOT_FOR_EXTERNAL_NAME) : undefined))
  ipFamilies?: string[];

  @Check<unknown, ServiceSpec>((policy, spec) => (spec.type === 'ExternalName' && isSet(policy) ? forbidden(NOT_FOR_EXTERNAL_NAME) : undefined))
  ipFamilyPolicy?: string;

  // A trailing dot marks the CNAME as fully qualified and is not part of the name checked.
  @Check<unknown, ServiceSpec>((name, spec) => {
    if (spec.type !== 'ExternalName') return undefined;
    const cname = str(name).replace(/\.$/, '');
    return cname ? dns1123SubdomainErrors(cname).map((m) => invalid(cname, m)) : required();
  })
  externalName?: string;
}

// ---- phase 2: each port, selector, session affinity ---------------------------------------------

interface PortContext {
  requireName: boolean;
  /** Names taken by earlier ports of the list. */
  names: Set<string>;
}

class ServicePortRules {
  @Check<unknown>((name) => {
    const ctx = ruleContext<PortContext>() ?? { requireName: false, names: new Set<string>() };
    const value = str(name);
    if (!value) return ctx.requireName ? required() : undefined;
    const found = dns1123LabelErrors(value).map((m) => invalid(value, m));
    if (ctx.names.has(value)) found.push(duplicate(value));
    else ctx.names.add(value);
    return found;
  })
  name?: string;

  @Check<unknown>((port) => portNumErrors(num(port)).map((m) => invalid(num(port), m)))
  port?: number;

  @OneOf(PROTOCOLS, { required: true }) protocol?: string;

  // An unset int-or-string is the integer 0.
  @Check<unknown>((target) =>
    typeof target === 'string' ? portNameErrors(target).map((m) => invalid(target, m)) : portNumErrors(num(target)).map((m) => invalid(num(target), m)),
  )
  targetPort?: number | string;

  @Check<unknown>((appProtocol) => (isSet(appProtocol) ? qualifiedNameErrors(str(appProtocol)).map((m) => invalid(str(appProtocol), m)) : undefined))
  appProtocol?: string;
}

function clientIPAffinityFindings(config: SessionAffinityConfig | undefined): Finding[] {
  const detail = 'when session affinity type is ClientIP';
  if (!isSet(config)) return [required(detail)];
  const clientIP = config!.clientIP;
  if (!isSet(clientIP)) return [required(detail, '.clientIP')];
  const timeout = clientIP!.timeoutSeconds;
  if (!isSet(timeout)) return [required(detail, '.clientIP.timeoutSeconds')];
  return num(timeout) <= 0 || num(timeout) > MAX_AFFINITY_SECONDS
    ? [invalid(timeout, `must be greater than 0 and less than ${MAX_AFFINITY_SECONDS}`, '.clientIP.timeoutSeconds')]
    : [];
}

class ServiceSpecRules {
  // Ports are checked one by one with the names seen so far, so a repeated name is reported with its
  // port, in list order, as upstream does (not after the whole list).
  @Check<unknown>((ports) => {
    if (!Array.isArray(ports)) return undefined;
    const ctx: PortContext = { requireName: ports.length > 1, names: new Set() };
    return ports.flatMap((port: unknown, i) => validateRules(ServicePortRules, port, `[${i}]`, ctx).map(asFinding));
  })
  ports?: ServicePort[];

  @LabelMap() selector?: Record<string, string>;

  @OneOf(AFFINITIES, { required: true }) sessionAffinity?: string;

  @Check<SessionAffinityConfig | undefined, ServiceSpec>((config, spec) => {
    if (spec.sessionAffinity === 'ClientIP') return clientIPAffinityFindings(config);
    return spec.sessionAffinity === 'None' && isSet(config) ? forbidden('must not be set when session affinity is None') : undefined;
  })
  sessionAffinityConfig?: SessionAffinityConfig;
}

// ---- phase 3: clusterIP(s) and IP families (not run for ExternalName) ------------------------------

function clusterIPsFindings(spec: ServiceSpec): Finding[] {
  const ips = list(spec.clusterIPs).map(str);
  const found: Finding[] = [];
  let hasInvalidIPs = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        hasInvalidIPs = true;
        found.push(invalid(goStrings(spec.clusterIPs), "'None' must be the first and only value"));
      }
      return;
    }
    if (!parseIP(ip)) {
      hasInvalidIPs = true;
      found.push(invalid(ip, IP_INVALID, `[${i}]`));
    }
  });
  if (ips.length > 2) found.push(invalid(goStrings(spec.clusterIPs), 'may only hold up to 2 values'));
  // A bad address would make the family checks below report nonsense.
  if (hasInvalidIPs) return found;

  if (ips.length > 1) {
    const v4 = ips.map((ip) => isV4(parseIP(ip)!));
    if (!(v4.includes(true) && v4.includes(false))) found.push(invalid(goStrings(spec.clusterIPs), 'may specify no more than one IP for each IP family'));
  }
  const families = list(spec.ipFamilies);
  if (!isHeadless(spec) && ips.length > 0 && families.length > 0) {
    ips.slice(0, families.length).forEach((ip, i) => {
      const v6 = !isV4(parseIP(ip)!);
      if (families[i] === 'IPv4' && v6) found.push(invalid(ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``, `[${i}]`));
      if (families[i] === 'IPv6' && !v6) found.push(invalid(ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``, `[${i}]`));
    });
  }
  return found;
}

class ClusterIPsRules {
  // clusterIP itself is only checked through clusterIPs[0], which must mirror it.
  @Check<unknown, ServiceSpec>((clusterIP, spec) => {
    const ips = list(spec.clusterIPs);
    let finding: Finding | undefined;
    if (str(clusterIP) !== '') {
      if (ips.length === 0) finding = required();
      else if (ips[0] !== clusterIP) finding = invalid(goStrings(spec.clusterIPs), 'first value must match `clusterIP`');
    } else if (ips.length > 0) {
      finding = invalid(goStrings(spec.clusterIPs), 'must be empty when `clusterIP` is not specified');
    }
    return finding && { ...finding, as: 'clusterIPs' };
  })
  clusterIP?: string;

  @Check<unknown>((families) => {
    const seen = new Set<unknown>();
    return list(families).flatMap((family, i) => {
      const found: Finding[] = [];
      if (!IP_FAMILIES.includes(str(family))) found.push(notSupported(family, IP_FAMILIES, `[${i}]`));
      if (seen.has(family)) found.push(duplicate(family, `[${i}]`));
      seen.add(family);
      return found;
    });
  })
  ipFamilies?: string[];

  @Check<unknown>((policy) => (isSet(policy) && !IP_FAMILY_POLICIES.includes(str(policy)) ? notSupported(policy, IP_FAMILY_POLICIES) : undefined))
  ipFamilyPolicy?: string;

  @Check<unknown, ServiceSpec>((_ips, spec) => clusterIPsFindings(spec))
  clusterIPs?: string[];
}

// ---- phase 4: external IPs, type, port clashes, load balancer fields ------------------------------

function portClashFindings(ports: unknown, spec: ServiceSpec): Finding[] {
  const items = list(ports).map((p) => (typeof p === 'object' && p !== null ? (p as ServicePort) : {}));
  const found: Finding[] = [];
  if (spec.type === 'ClusterIP') {
    items.forEach((p, i) => {
      if (num(p.nodePort) !== 0) found.push(forbidden("may not be used when `type` is 'ClusterIP'", `[${i}].nodePort`));
    });
  }
  const nodePorts = new Set<string>();
  items.forEach((p, i) => {
    const nodePort = num(p.nodePort);
    if (nodePort === 0) return;
    const key = JSON.stringify([str(p.protocol), nodePort]);
    if (nodePorts.has(key)) found.push(duplicate(nodePort, `[${i}].nodePort`));
    nodePorts.add(key);
  });
  const seen = new Set<string>();
  items.forEach((p, i) => {
    const key = JSON.stringify([str(p.protocol), num(p.port)]);
    if (seen.has(key)) found.push(duplicate(goServicePortKey(str(p.protocol), num(p.port)), `[${i}]`));
    seen.add(key);
  });
  return found;
}

class ServiceExposureRules {
  @Each<unknown>((value) => {
    const ip = str(value);
    const parsed = parseIP(ip);
    return parsed ? nonSpecialIPFindings(ip, parsed) : invalid(ip, IP_INVALID);
  })
  externalIPs?: string[];

  @OneOf(SERVICE_TYPES, { required: true }) type?: string;

  @Check<unknown, ServiceSpec>((ports, spec) => portClashFindings(ports, spec))
  ports?: ServicePort[];

  // Upstream names this field with a capital L in its errors; values may carry padding spaces.
  @Check<unknown, ServiceSpec>((ranges, spec) => {
    const items = list(ranges);
    if (items.length === 0) return undefined;
    const found: Finding[] = spec.type === 'LoadBalancer' ? [] : [forbidden(ONLY_LOAD_BALANCER)];
    items.forEach((range, i) => {
      const value = str(range).trim();
      if (!isCIDR(value)) found.push(invalid(value, CIDR_INVALID, `[${i}]`));
    });
    return found.map((f) => ({ ...f, as: 'LoadBalancerSourceRanges' }));
  })
  loadBalancerSourceRanges?: string[];

  @Check<unknown, ServiceSpec>((allocate, spec) => (isSet(allocate) && spec.type !== 'LoadBalancer' ? forbidden(ONLY_LOAD_BALANCER) : undefined))
  allocateLoadBalancerNodePorts?: boolean;
}

// ---- phase 5: load balancer class and traffic policies --------------------------------------------

function loadBalancerClassFindings(cls: unknown, spec: ServiceSpec): Finding[] {
  if (!isSet(cls)) return [];
  if (spec.type !== 'LoadBalancer') return [forbidden(ONLY_LOAD_BALANCER)];
  return qualifiedNameErrors(str(cls)).map((m) => invalid(str(cls), m));
}

class ServiceTrafficRules {
  @Check<unknown, ServiceSpec>((cls, spec) => loadBalancerClassFindings(cls, spec))
  loadBalancerClass?: string;

  @Check<unknown, ServiceSpec>((policy, spec) => {
    const value = str(policy);
    if (!externallyAccessible(spec)) return value ? invalid(value, 'may only be set for externally-accessible services') : undefined;
    if (!value) return required();
    return TRAFFIC_POLICIES.includes(value) ? undefined : notSupported(value, TRAFFIC_POLICIES);
  })
  externalTrafficPolicy?: string;

  @Check<unknown, ServiceSpec>((port, spec) => {
    const value = num(port);
    if (!needsHealthCheck(spec)) {
      return value !== 0 ? invalid(value, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'") : undefined;
    }
    return value === 0 ? required() : portNumErrors(value).map((m) => invalid(value, m));
  })
  healthCheckNodePort?: number;

  // Not required for ExternalName: older stored objects lack it.
  @Check<unknown, ServiceSpec>((policy, spec) => {
    if (!isSet(policy)) return ['ClusterIP', 'NodePort', 'LoadBalancer'].includes(str(spec.type)) ? required() : undefined;
    return TRAFFIC_POLICIES.includes(str(policy)) ? undefined : notSupported(policy, TRAFFIC_POLICIES);
  })
  internalTrafficPolicy?: string;

  @Check<unknown>((distribution) =>
    isSet(distribution) && !TRAFFIC_DISTRIBUTIONS.includes(str(distribution)) ? notSupported(distribution, TRAFFIC_DISTRIBUTIONS) : undefined,
  )
  trafficDistribution?: string;
}

/** ValidateService, minus ObjectMeta and the annotation checks. */
export function validateService(svc: Service): FieldError[] {
  const spec: ServiceSpec = svc.spec ?? {};
  const errors = [...validateRules(ServiceTypeRules, spec, 'spec'), ...validateRules(ServiceSpecRules, spec, 'spec')];
  // ExternalName services were already held to having no clusterIPs or families in phase 1.
  if (spec.type !== 'ExternalName') errors.push(...validateRules(ClusterIPsRules, spec, 'spec'));
  errors.push(...validateRules(ServiceExposureRules, spec, 'spec'));
  // Upstream builds this path without the "spec" prefix.
  if (spec.type === 'LoadBalancer' && !isSet(spec.allocateLoadBalancerNodePorts)) errors.push(FieldError.required('allocateLoadBalancerNodePorts'));
  errors.push(...validateRules(ServiceTrafficRules, spec, 'spec'));
  return errors;
}

// ---- update ---------------------------------------------------------------------------------------

interface UpdateContext {
  old: ServiceSpec;
}

const oldSpec = (): ServiceSpec => ruleContext<UpdateContext>()?.old ?? {};

/** validateUpgradeDowngradeClusterIPs: a secondary IP may come and go, the primary stays. */
function clusterIPsUpdateFindings(spec: ServiceSpec, old: ServiceSpec): Finding[] {
  if (spec.type === 'ExternalName' || old.type === 'ExternalName') return [];
  if (isHeadless(spec) && isHeadless(old)) return [];
  const next = list(spec.clusterIPs);
  const prev = list(old.clusterIPs);
  const value = goStrings(spec.clusterIPs);
  const found: Finding[] = [];
  if (prev.length === next.length) {
    prev.forEach((ip, i) => {
      if (ip !== next[i]) found.push(invalid(value, MAY_NOT_CHANGE, `[${i}]`));
    });
  } else if (prev.length > next.length) {
    if (next.length === 0) found.push(invalid(value, 'primary clusterIP can not be unset', '[0]'));
    if (prev.length > 0 && next.length > 0 && next[0] !== prev[0]) found.push(invalid(value, MAY_NOT_CHANGE, '[0]'));
    if (next.length === 1 && spec.ipFamilyPolicy !== 'SingleStack') {
      found.push({ ...invalid(goPointer(spec.ipFamilyPolicy), "must be set to 'SingleStack' when releasing the secondary clusterIP"), as: 'ipFamilyPolicy' });
    }
  } else if (prev.length > 0 && next[0] !== prev[0]) {
    found.push(invalid(value, MAY_NOT_CHANGE, '[0]'));
  }
  return found;
}

/**
 * validateUpgradeDowngradeIPFamilies, quirks kept: every change is reported at ipFamilies[0], the
 * "unset" test looks at clusterIPs, and some errors print clusterIPs as the bad value.
 */
function ipFamiliesUpdateFindings(spec: ServiceSpec, old: ServiceSpec): Finding[] {
  if (spec.type === 'ExternalName' || old.type === 'ExternalName') return [];
  if (isHeadless(spec) || isHeadless(old)) return [];
  const next = list(spec.ipFamilies);
  const prev = list(old.ipFamilies);
  const found: Finding[] = [];
  if (prev.length === next.length) {
    prev.forEach((family, i) => {
      if (family !== next[i]) found.push(invalid(goFamilies(spec.ipFamilies), MAY_NOT_CHANGE, '[0]'));
    });
  } else if (prev.length > next.length) {
    if (list(spec.clusterIPs).length === 0) found.push(invalid(goFamilies(spec.ipFamilies), 'primary ipFamily can not be unset', '[0]'));
    if (next.length > 0 && next[0] !== prev[0]) found.push(invalid(goStrings(spec.clusterIPs), MAY_NOT_CHANGE, '[0]'));
    if (next.length === 1 && spec.ipFamilyPolicy !== 'SingleStack') {
      found.push({ ...invalid(goPointer(spec.ipFamilyPolicy), "must be set to 'SingleStack' when releasing the secondary ipFamily"), as: 'ipFamilyPolicy' });
    }
  } else if (prev.length > 0 && next.length > 0 && next[0] !== prev[0]) {
    found.push(invalid(goStrings(spec.clusterIPs), MAY_NOT_CHANGE, '[0]'));
  }
  return found;
}

class ServiceUpdateRules {
  @Check<unknown, ServiceSpec>((_ips, spec) => clusterIPsUpdateFindings(spec, oldSpec()))
  clusterIPs?: string[];

  @Check<unknown, ServiceSpec>((_families, spec) => ipFamiliesUpdateFindings(spec, oldSpec()))
  ipFamilies?: string[];

  // Upstream's validateLoadBalancerClassField runs its create checks again here, so on update a bad
  // class is reported twice (here and by validateService); that is what a real server returns.
  @Check<unknown, ServiceSpec>((cls, spec) => {
    const old = oldSpec();
    const found: Finding[] = [];
    const same = isSet(cls) === isSet(old.loadBalancerClass) && (!isSet(cls) || cls === old.loadBalancerClass);
    if (old.type === 'LoadBalancer' && spec.type === 'LoadBalancer' && !same) found.push(invalid(goPointer(cls), MAY_NOT_CHANGE));
    return [...found, ...loadBalancerClassFindings(cls, spec)];
  })
  loadBalancerClass?: string;

  @Check<unknown, ServiceSpec>((port, spec) => {
    const old = oldSpec();
    return needsHealthCheck(old) && needsHealthCheck(spec) && num(port) !== num(old.healthCheckNodePort) ? forbidden('field is immutable') : undefined;
  })
  healthCheckNodePort?: number;
}

/** The update-only half of ValidateServiceUpdate; callers run validateService on the new object too. */
export function validateServiceUpdate(svc: Service, old: Service): FieldError[] {
  return validateRules(ServiceUpdateRules, svc.spec ?? {}, 'spec', { old: old.spec ?? {} } satisfies UpdateContext);
}
