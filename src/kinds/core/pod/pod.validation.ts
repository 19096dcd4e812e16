/**
 * Pod rules of pkg/apis/core/validation (ValidatePodCreate → validatePodMetadataAndSpec →
 * ValidatePodSpec), written as class-validator rules classes. Paths, error types and texts follow the
 * real server, including its quirks (e.g. `volumeMounts.subPath` without an index).
 */
import { FieldError } from '../../../machinery/errors/status-error';
import {
  asFinding,
  Check,
  DnsLabel,
  DnsSubdomain,
  duplicate,
  Each,
  forbidden,
  Format,
  InRange,
  invalid,
  LabelMap,
  Nested,
  notFound,
  notSupported,
  OneOf,
  required,
  Required,
  ruleContext,
  UniqueBy,
  validateRules,
  type Finding,
} from '../../../machinery/validation/class-validation';
import { httpHeaderNameErrors, ipErrors, isObject, portNameErrors, portNumErrors, relaxedEnvVarNameErrors, unixIdErrors } from '../../../machinery/validation/common';
import { configMapKeyErrors, dns1123SubdomainErrors, labelValueErrors, qualifiedNameErrors } from '../../../machinery/validation/names';
import { maskTrailingDash } from '../../../machinery/validation/object-meta';
import { compareQuantities, formatQuantity, isMultipleOf, type Quantity } from '../../../machinery/quantity/quantity';
import {
  containerResourceNameErrors,
  hugePageSize,
  isHugePageResourceName,
  isOvercommitAllowed,
  quantityAt,
  resourceQuantityErrors,
} from '../../../machinery/validation/resources';
import { ENV_FIELD_PATHS, objectFieldSelectorFindings, resourceFieldSelectorFindings } from './pod.downward';
import type { Container, EnvFromSource, EnvVar, Handler, Pod, PodSpec, Probe, ResourceRequirements, SecurityContext, Toleration, VolumeMount } from './pod.types';
import { localDescendingPathFindings, validateVolumes, volumeKinds } from './pod.volumes';

/** What container rules need to know about the pod around them. */
interface PodContext {
  volumes: Map<string, string>;
  restartPolicy: string;
  gracePeriod: number | undefined;
  hostUsers: boolean;
}

const context = (): PodContext => ruleContext<PodContext>() ?? { volumes: new Map(), restartPolicy: 'Always', gracePeriod: 30, hostUsers: true };
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const MAX_INT32 = 2147483647;

// ---- handlers and probes ---------------------------------------------------------------------

function portNumOrName(port: unknown, at: string): Finding[] {
  if (typeof port === 'number') return portNumErrors(port).map((m) => invalid(port, m, at));
  if (typeof port === 'string') return portNameErrors(port).map((m) => invalid(port, m, at));
  return [];
}

const HANDLER_KINDS = ['exec', 'httpGet', 'tcpSocket', 'grpc', 'sleep'] as const;

/** validateHandler: exactly one action, each checked on its own. */
function handlerFindings(handler: Handler, allowed: readonly (typeof HANDLER_KINDS)[number][], at: string): Finding[] {
  const found: Finding[] = [];
  let count = 0;
  for (const kind of allowed) {
    const action: unknown = handler[kind];
    if (!isObject(action)) continue;
    if (count > 0) {
      found.push(forbidden('may not specify more than 1 handler type', `${at}.${kind}`));
      continue;
    }
    count++;
    const where = `${at}.${kind}`;
    if (kind === 'exec' && !(Array.isArray(action.command) && action.command.length)) found.push(required('', `${where}.command`));
    if (kind === 'httpGet') {
      if (!action.path) found.push(required('', `${where}.path`));
      found.push(...portNumOrName(action.port, `${where}.port`));
      if (!['HTTP', 'HTTPS'].includes(str(action.scheme))) found.push(notSupported(action.scheme ?? '', ['HTTP', 'HTTPS'], `${where}.scheme`));
      for (const header of Array.isArray(action.httpHeaders) ? action.httpHeaders : []) {
        const name = str(isObject(header) ? header.name : '');
        found.push(...httpHeaderNameErrors(name).map((m) => invalid(name, m, `${where}.httpHeaders`)));
      }
    }
    if (kind === 'tcpSocket') found.push(...portNumOrName(action.port, `${where}.port`));
    if (kind === 'grpc') found.push(...portNumOrName(typeof action.port === 'number' ? action.port : 0, `${where}.port`));
    if (kind === 'sleep') {
      const grace = context().gracePeriod;
      const seconds = typeof action.seconds === 'number' ? action.seconds : 0;
      if (grace !== undefined && (seconds < 0 || seconds > grace)) {
        found.push(invalid(seconds, `must be non-negative and less than terminationGracePeriodSeconds (${grace})`, where));
      }
    }
  }
  if (count === 0) found.push(required('must specify a handler type', at || undefined));
  return found;
}

function probeFindings(probe: Probe | undefined, kind: 'liveness' | 'readiness' | 'startup'): Finding[] {
  if (!isObject(probe)) return [];
  const found = handlerFindings(probe, ['exec', 'httpGet', 'tcpSocket', 'grpc'], '');
  for (const field of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    const v = probe[field];
    if (typeof v === 'number' && v < 0) found.push(invalid(v, 'must be greater than or equal to 0', `.${field}`));
  }
  const grace = probe.terminationGracePeriodSeconds;
  if (typeof grace === 'number' && grace <= 0) found.push(invalid(grace, 'must be greater than 0', '.terminationGracePeriodSeconds'));
  if (kind !== 'readiness' && typeof probe.successThreshold === 'number' && probe.successThreshold !== 1) {
    found.push(invalid(probe.successThreshold, 'must be 1', '.successThreshold'));
  }
  if (kind === 'readiness' && grace !== undefined && grace !== null) found.push(invalid(grace, 'must not be set for readinessProbes', '.terminationGracePeriodSeconds'));
  return found;
}

function lifecycleFindings(lifecycle: Container['lifecycle']): Finding[] {
  if (!isObject(lifecycle)) return [];
  const found: Finding[] = [];
  for (const hook of ['postStart', 'preStop'] as const) {
    const handler = lifecycle[hook];
    if (isObject(handler)) found.push(...handlerFindings(handler, ['exec', 'httpGet', 'tcpSocket', 'sleep'], `.${hook}`));
  }
  return found;
}

// ---- resources -------------------------------------------------------------------------------

/** validateResourceRequirements for a container: names, quantities, requests ≤ limits, hugepages. */
function resourceFindings(resources: ResourceRequirements | undefined): Finding[] {
  if (!isObject(resources)) return [];
  const found: Finding[] = [];
  const qos = ['cpu', 'memory'];
  const limits = new Map<string, Quantity>();
  let limitsCpuMemory = false;
  let requestsCpuMemory = false;
  let hugePages = false;
  const check = (list: 'limits' | 'requests', name: string, value: unknown): Quantity | undefined => {
    const at = `.${list}[${name}]`;
    found.push(...containerResourceNameErrors(name, at).map(asFinding));
    const q = quantityAt(value, at);
    if (q instanceof FieldError) {
      found.push(asFinding(q));
      return undefined;
    }
    found.push(...resourceQuantityErrors(name, q, at).map(asFinding));
    if (isHugePageResourceName(name)) {
      hugePages = true;
      const page = hugePageSize(name);
      if (!page || q.negative || q.numerator === 0n || !isMultipleOf(q, page)) {
        found.push(invalid(formatQuantity(q), `${formatQuantity(q)} is not positive integer multiple of ${name}`, at));
      }
    }
    return q;
  };
  for (const [name, value] of Object.entries(isObject(resources.limits) ? resources.limits : {})) {
    const q = check('limits', name, value);
    if (q) limits.set(name, q);
    if (qos.includes(name)) limitsCpuMemory = true;
  }
  for (const [name, value] of Object.entries(isObject(resources.requests) ? resources.requests : {})) {
    const q = check('requests', name, value);
    if (qos.includes(name)) requestsCpuMemory = true;
    if (!q) continue;
    const limit = limits.get(name);
    if (limit) {
      const cmp = compareQuantities(q, limit);
      if (cmp !== 0 && !isOvercommitAllowed(name)) {
        found.push(invalid(formatQuantity(q), `must be equal to ${name} limit of ${formatQuantity(limit)}`, '.requests'));
      } else if (cmp > 0) {
        found.push(invalid(formatQuantity(q), `must be less than or equal to ${name} limit of ${formatQuantity(limit)}`, '.requests'));
      }
    } else if (!isOvercommitAllowed(name)) {
      found.push(required('Limit must be set for non overcommitable resources', '.limits'));
    }
  }
  if (hugePages && !limitsCpuMemory && !requestsCpuMemory) found.push(forbidden('HugePages require cpu or memory'));
  return found;
}

// ---- env, mounts, security context -----------------------------------------------------------

function keySelectorFindings(ref: Record<string, unknown>, at: string): Finding[] {
  const name = str(ref.name);
  const key = str(ref.key);
  const found = dns1123SubdomainErrors(name).map((m) => invalid(name, m, `${at}.name`));
  if (!key) found.push(required('', `${at}.key`));
  else found.push(...configMapKeyErrors(key).map((m) => invalid(key, m, `${at}.key`)));
  return found;
}

function valueFromFindings(valueFrom: EnvVar['valueFrom'], env: EnvVar): Finding[] {
  if (!isObject(valueFrom)) return [];
  const found: Finding[] = [];
  let count = 0;
  if (isObject(valueFrom.fieldRef)) {
    count++;
    found.push(...objectFieldSelectorFindings(valueFrom.fieldRef, ENV_FIELD_PATHS, '.fieldRef'));
  }
  if (isObject(valueFrom.resourceFieldRef)) {
    count++;
    found.push(...resourceFieldSelectorFindings(valueFrom.resourceFieldRef, false, '.resourceFieldRef'));
  }
  for (const kind of ['configMapKeyRef', 'secretKeyRef'] as const) {
    const ref = valueFrom[kind];
    if (!isObject(ref)) continue;
    count++;
    found.push(...keySelectorFindings(ref, `.${kind}`));
  }
  if (count === 0) found.push(invalid('', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  else if (env.value) found.push(invalid('', 'may not be specified when `value` is not empty'));
  else if (count > 1) found.push(invalid('', 'may not have more than one field specified at a time'));
  return found;
}

class EnvVarRules {
  @Required() @Format(relaxedEnvVarNameErrors) name?: string;
  @Check<EnvVar['valueFrom'], EnvVar>((valueFrom, env) => valueFromFindings(valueFrom, env)) valueFrom?: EnvVar['valueFrom'];
}

/** ValidateEnvFrom; a missing or doubled source is reported against the whole list. */
function envFromFindings(list: unknown): Finding[] {
  if (!Array.isArray(list)) return [];
  const found: Finding[] = [];
  (list as EnvFromSource[]).forEach((ev, i) => {
    if (!isObject(ev)) return;
    const prefix = str(ev.prefix);
    if (prefix) found.push(...relaxedEnvVarNameErrors(prefix).map((m) => invalid(prefix, m, `[${i}].prefix`)));
    let count = 0;
    for (const kind of ['configMapRef', 'secretRef'] as const) {
      const ref = ev[kind];
      if (!isObject(ref)) continue;
      count++;
      const name = str(ref.name);
      if (!name) found.push(required('', `[${i}].${kind}.name`));
      else found.push(...dns1123SubdomainErrors(maskTrailingDash(name)).map((m) => invalid(name, m, `[${i}].${kind}.name`)));
    }
    if (count === 0) found.push(invalid('', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (count > 1) found.push(invalid('', 'may not have more than one field specified at a time'));
  });
  return found;
}

const PROPAGATION_MODES = ['Bidirectional', 'HostToContainer', 'None'];
const RECURSIVE_READ_ONLY = ['Disabled', 'Enabled', 'IfPossible'];

/** ValidateVolumeMounts; several upstream paths leave out the mount's index. */
function volumeMountFindings(mounts: unknown, container: Container): Finding[] {
  if (!Array.isArray(mounts)) return [];
  const { volumes } = context();
  const found: Finding[] = [];
  const mountPoints = new Set<string>();
  (mounts as VolumeMount[]).forEach((m, i) => {
    if (typeof m !== 'object' || m === null) return;
    const name = str(m.name);
    const mountPath = str(m.mountPath);
    if (!name) found.push(required('', `[${i}].name`));
    if (!volumes.has(name)) found.push(notFound(name, `[${i}].name`));
    if (!mountPath) found.push(required('', `[${i}].mountPath`));
    if (mountPoints.has(mountPath)) found.push(invalid(mountPath, 'must be unique', `[${i}].mountPath`));
    mountPoints.add(mountPath);
    if (m.subPath) found.push(...localDescendingPathFindings(m.subPath, '.subPath'));
    if (m.subPathExpr) {
      if (m.subPath) found.push(invalid(m.subPathExpr, 'subPathExpr and subPath are mutually exclusive', `[${i}].subPathExpr`));
      found.push(...localDescendingPathFindings(m.subPathExpr, '.subPathExpr'));
    }
    if (m.mountPropagation !== undefined && m.mountPropagation !== null) {
      if (!PROPAGATION_MODES.includes(m.mountPropagation)) found.push(notSupported(m.mountPropagation, PROPAGATION_MODES, '.mountPropagation'));
      else if (m.mountPropagation === 'Bidirectional' && container.securityContext?.privileged !== true) {
        found.push(forbidden('Bidirectional mount propagation is available only to privileged containers', '.mountPropagation'));
      }
    }
    const rro = m.recursiveReadOnly;
    if (rro !== undefined && rro !== null && rro !== 'Disabled') {
      if (!RECURSIVE_READ_ONLY.includes(rro)) found.push(notSupported(rro, RECURSIVE_READ_ONLY, '.recursiveReadOnly'));
      else {
        if (!m.readOnly) found.push(forbidden('may only be specified when readOnly is true', '.recursiveReadOnly'));
        if (m.mountPropagation && m.mountPropagation !== 'None') {
          found.push(forbidden('may only be specified when mountPropagation is None or not specified', '.recursiveReadOnly'));
        }
      }
    }
  });
  return found;
}

const SECCOMP_TYPES = ['Localhost', 'RuntimeDefault', 'Unconfined'];

export function seccompFindings(profile: unknown, at: string): Finding[] {
  if (!isObject(profile)) return [];
  const type = str(profile.type);
  const found: Finding[] = [];
  if (!type) found.push(required('type is required when seccompProfile is set', `${at}.type`));
  else if (!SECCOMP_TYPES.includes(type)) found.push(notSupported(type, SECCOMP_TYPES, `${at}.type`));
  if (type === 'Localhost') {
    if (profile.localhostProfile === undefined || profile.localhostProfile === null) {
      found.push(required('must be set when seccomp type is Localhost', `${at}.localhostProfile`));
    } else {
      found.push(...localDescendingPathFindings(str(profile.localhostProfile), `${at}.localhostProfile`));
    }
  } else if (profile.localhostProfile !== undefined && profile.localhostProfile !== null) {
    found.push(invalid(profile, 'can only be set when seccomp type is Localhost', `${at}.localhostProfile`));
  }
  return found;
}

/** ValidateSecurityContext (container). Privileged containers are allowed, as on most clusters. */
function securityContextFindings(sc: SecurityContext | undefined): Finding[] {
  if (!isObject(sc)) return [];
  const found: Finding[] = [];
  for (const field of ['runAsUser', 'runAsGroup'] as const) {
    const id = sc[field];
    if (typeof id === 'number') found.push(...unixIdErrors(id).map((m) => invalid(id, m, `.${field}`)));
  }
  if (sc.procMount !== undefined && sc.procMount !== null) {
    if (!['Default', 'Unmasked'].includes(sc.procMount)) found.push(notSupported(sc.procMount, ['Default', 'Unmasked'], '.procMount'));
    else if (sc.procMount === 'Unmasked' && context().hostUsers) found.push(invalid(sc.procMount, '`hostUsers` must be false to use `Unmasked`', '.procMount'));
  }
  found.push(...seccompFindings(sc.seccompProfile, '.seccompProfile'));
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true) found.push(invalid(sc, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    if ((sc.capabilities?.add ?? []).includes('CAP_SYS_ADMIN')) {
      found.push(invalid(sc, 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
    }
  }
  return found;
}

// ---- containers ------------------------------------------------------------------------------

class ContainerPortRules {
  @Format(portNameErrors) name?: string;
  @Required('', { zero: true }) @InRange(1, 65535, { zeroIsUnset: true }) containerPort?: number;
  @InRange(1, 65535, { zeroIsUnset: true }) hostPort?: number;
  @OneOf(['SCTP', 'TCP', 'UDP'], { required: true }) protocol?: string;
}

/** validateContainerCommon: what every kind of container must satisfy. */
export class ContainerRules {
  @Required() @DnsLabel() name?: string;
  @Required()
  @Check<string | undefined>((image) => (image && image.trim() !== image ? invalid(image, 'must not have leading or trailing whitespace') : undefined))
  image?: string;
  @OneOf(['File', 'FallbackToLogsOnError'], { required: true }) terminationMessagePolicy?: string;
  @Nested(() => ContainerPortRules) @UniqueBy('name') ports?: ContainerPortRules[];
  @Nested(() => EnvVarRules) env?: EnvVarRules[];
  @Check((list) => envFromFindings(list)) envFrom?: EnvFromSource[];
  @Check<unknown, Container>((mounts, c) => volumeMountFindings(mounts, c)) volumeMounts?: VolumeMount[];
  @OneOf(['Always', 'IfNotPresent', 'Never'], { required: true }) imagePullPolicy?: string;
  @Check<ResourceRequirements | undefined>((r) => resourceFindings(r)) resources?: ResourceRequirements;
  @Check<SecurityContext | undefined>((sc) => securityContextFindings(sc)) securityContext?: SecurityContext;
}

export class RegularContainerRules extends ContainerRules {
  @Check<Container['lifecycle']>((l) => lifecycleFindings(l)) lifecycle?: Container['lifecycle'];
  @Check<Probe | undefined>((p) => probeFindings(p, 'liveness')) livenessProbe?: Probe;
  @Check<Probe | undefined>((p) => probeFindings(p, 'readiness')) readinessProbe?: Probe;
  @Check<Probe | undefined>((p) => probeFindings(p, 'startup')) startupProbe?: Probe;
  @Check((policy) => (policy !== undefined && policy !== null ? forbidden('may not be set for non-init containers') : undefined)) restartPolicy?: string;
}

const INIT_ONLY_WITH_ALWAYS = 'may not be set for init containers without restartPolicy=Always';
const sidecarOrForbidden = (fn: (v: never) => Finding[]) => (value: unknown, c: Container) =>
  value === undefined || value === null ? [] : c.restartPolicy === 'Always' ? fn(value as never) : [forbidden(INIT_ONLY_WITH_ALWAYS)];

export class InitContainerRules extends ContainerRules {
  @Check<unknown>((policy) => (policy !== undefined && policy !== null && policy !== 'Always' ? notSupported(policy, ['Always']) : undefined)) restartPolicy?: string;
  @Check<unknown, Container>(sidecarOrForbidden((l: Container['lifecycle']) => lifecycleFindings(l))) lifecycle?: Container['lifecycle'];
  @Check<unknown, Container>(sidecarOrForbidden((p: Probe) => probeFindings(p, 'liveness'))) livenessProbe?: Probe;
  @Check<unknown, Container>(sidecarOrForbidden((p: Probe) => probeFindings(p, 'readiness'))) readinessProbe?: Probe;
  @Check<unknown, Container>(sidecarOrForbidden((p: Probe) => probeFindings(p, 'startup'))) startupProbe?: Probe;
}

/** AccumulateUniqueHostPorts: protocol/hostIP/hostPort may be taken once. */
function hostPortConflicts(containers: Container[], at: (i: number, j: number) => string, shared: Set<string>): Finding[] {
  const found: Finding[] = [];
  containers.forEach((c, i) =>
    (isObject(c) && Array.isArray(c.ports) ? c.ports : []).forEach((p, j) => {
      if (!isObject(p) || !p.hostPort) return;
      const key = `${p.protocol ?? ''}/${p.hostIP ?? ''}/${p.hostPort}`;
      if (shared.has(key)) found.push(duplicate(key, at(i, j)));
      shared.add(key);
    }),
  );
  return found;
}

// ---- the pod spec ----------------------------------------------------------------------------

const TOLERATION_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export function tolerationFindings(tolerations: unknown): Finding[] {
  if (!Array.isArray(tolerations)) return [];
  const found: Finding[] = [];
  (tolerations as Toleration[]).forEach((t, i) => {
    if (typeof t !== 'object' || t === null) return;
    const at = `[${i}]`;
    const key = str(t.key);
    const operator = str(t.operator);
    if (key) found.push(...qualifiedNameErrors(key).map((m) => invalid(key, m, `${at}.key`)));
    if (!key && operator !== 'Exists') {
      found.push(invalid(operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"', `${at}.operator`));
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute') {
      found.push(invalid(str(t.effect), "effect must be 'NoExecute' when `tolerationSeconds` is set", `${at}.effect`));
    }
    if (operator === 'Equal' || operator === '') {
      const errs = labelValueErrors(str(t.value));
      if (errs.length) found.push(invalid(str(t.value), errs.join(';'), `${at}.operator`));
    } else if (operator === 'Exists') {
      if (t.value) found.push(invalid(t.value, "value must be empty when `operator` is 'Exists'", `${at}.operator`));
    } else {
      found.push(notSupported(operator, ['Equal', 'Exists'], `${at}.operator`));
    }
    const effect = str(t.effect);
    if (effect && !TOLERATION_EFFECTS.includes(effect)) found.push(notSupported(effect, TOLERATION_EFFECTS, `${at}.effect`));
  });
  return found;
}

const SYSCTL_REGEX = '^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$';
const SYSCTL_RE = new RegExp(SYSCTL_REGEX);

/** validatePodSpecSecurityContext; v1's spec-level hostPID/shareProcessNamespace live here internally. */
function podSecurityContextFindings(sc: unknown, spec: PodSpec): Finding[] {
  if (!isObject(sc)) return [];
  const found: Finding[] = [];
  for (const field of ['fsGroup', 'runAsUser', 'runAsGroup'] as const) {
    const id = sc[field];
    if (typeof id === 'number') found.push(...unixIdErrors(id).map((m) => invalid(id, m, `.${field}`)));
  }
  (Array.isArray(sc.supplementalGroups) ? sc.supplementalGroups : []).forEach((gid: unknown, i: number) => {
    if (typeof gid === 'number') found.push(...unixIdErrors(gid).map((m) => invalid(gid, m, `.supplementalGroups[${i}]`)));
  });
  if (spec.shareProcessNamespace === true && spec.hostPID === true) {
    found.push(invalid(true, 'ShareProcessNamespace and HostPID cannot both be enabled', '.shareProcessNamespace'));
  }
  const seen = new Set<string>();
  (Array.isArray(sc.sysctls) ? sc.sysctls : []).forEach((sysctl: unknown, i: number) => {
    const name = isObject(sysctl) ? str(sysctl.name) : '';
    const at = `.sysctls[${i}].name`;
    if (!name) found.push(required('', at));
    else if (name.length > 253 || !SYSCTL_RE.test(name)) found.push(invalid(name, `must have at most 253 characters and match regex ${SYSCTL_REGEX}`, at));
    else if (seen.has(name)) found.push(duplicate(name, at));
    seen.add(name);
  });
  const policy = sc.fsGroupChangePolicy;
  if (policy !== undefined && policy !== null && !['Always', 'OnRootMismatch'].includes(str(policy))) {
    found.push(notSupported(policy, ['Always', 'OnRootMismatch'], '.fsGroupChangePolicy'));
  }
  found.push(...seccompFindings(sc.seccompProfile, '.seccompProfile'));
  return found;
}

const MAX_DNS_NAMESERVERS = 3;
const MAX_DNS_SEARCH_PATHS = 32;
const MAX_DNS_SEARCH_CHARS = 2048;

/** validatePodDNSConfig (with the relaxed search-domain rule that is on by default since 1.33). */
function dnsConfigFindings(dnsConfig: PodSpec['dnsConfig'], spec: PodSpec): Finding[] {
  const found: Finding[] = [];
  if (spec.dnsPolicy === 'None') {
    if (!isObject(dnsConfig)) return [required('must provide `dnsConfig` when `dnsPolicy` is None')];
    if (!dnsConfig.nameservers?.length) return [required('must provide at least one DNS nameserver when `dnsPolicy` is None', '.nameservers')];
  }
  if (!isObject(dnsConfig)) return found;
  const nameservers = dnsConfig.nameservers ?? [];
  if (nameservers.length > MAX_DNS_NAMESERVERS) found.push(invalid(nameservers, `must not have more than ${MAX_DNS_NAMESERVERS} nameservers`, '.nameservers'));
  nameservers.forEach((ns, i) => found.push(...ipErrors(`.nameservers[${i}]`, str(ns)).map(asFinding)));
  const searches = dnsConfig.searches ?? [];
  if (searches.length > MAX_DNS_SEARCH_PATHS) found.push(invalid(searches, `must not have more than ${MAX_DNS_SEARCH_PATHS} search paths`, '.searches'));
  if (searches.join(' ').length > MAX_DNS_SEARCH_CHARS) {
    found.push(invalid(searches, `must not have more than ${MAX_DNS_SEARCH_CHARS} characters (including spaces) in the search list`, '.searches'));
  }
  searches.forEach((search, i) => {
    if (search === '.') return;
    const domain = str(search).replace(/\.$/, '');
    // Underscores are accepted in search domains (RelaxedDNSSearchValidation).
    const errors = dns1123SubdomainErrors(domain.replace(/_/g, 'a'));
    found.push(...errors.map((m) => invalid(domain, m, `.searches[${i}]`)));
  });
  (dnsConfig.options ?? []).forEach((option, i) => {
    if (!isObject(option) || !option.name) found.push(required('must not be empty', `.options[${i}]`));
  });
  return found;
}

export class PodSpecRules {
  @Check((grace) => (grace === undefined || grace === null ? required() : undefined)) terminationGracePeriodSeconds?: number;

  @Check<unknown>((volumes) => validateVolumes(volumes, '').map(asFinding)) volumes?: unknown[];

  @Required()
  @Nested(() => RegularContainerRules)
  @UniqueBy('name')
  @Check<unknown>((containers) => (Array.isArray(containers) ? hostPortConflicts(containers, (i, j) => `[${i}].ports[${j}].hostPort`, new Set()) : undefined), {
    afterNested: true,
  })
  containers?: Container[];

  @Nested(() => InitContainerRules)
  @Check<unknown, PodSpec>(
    (inits, spec) => {
      if (!Array.isArray(inits)) return undefined;
      const names = new Set((spec.containers ?? []).map((c) => str(c?.name)));
      const found: Finding[] = [];
      (inits as Container[]).forEach((c, i) => {
        const name = str(c?.name);
        if (names.has(name)) found.push(duplicate(name, `[${i}].name`));
        else if (name) names.add(name);
        found.push(...hostPortConflicts([c], (_, j) => `[${i}].ports[${j}].hostPort`, new Set()));
      });
      return found;
    },
    { afterNested: true },
  )
  initContainers?: Container[];

  // With host networking the pod's ports are the node's, so a differing hostPort cannot work.
  @Check<boolean | undefined, PodSpec>((hostNetwork, spec) =>
    hostNetwork === true
      ? (spec.containers ?? []).flatMap((c, i) =>
          (c?.ports ?? []).flatMap((p, j) =>
            isObject(p) && p.hostPort !== p.containerPort
              ? [{ ...invalid(p.hostPort ?? 0, 'must match `containerPort` when `hostNetwork` is true', `[${i}].ports[${j}].hostPort`), as: 'containers' }]
              : [],
          ),
        )
      : undefined,
  )
  hostNetwork?: boolean;

  @OneOf(['Always', 'OnFailure', 'Never'], { required: true }) restartPolicy?: string;
  @OneOf(['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'], { required: true }) dnsPolicy?: string;
  @LabelMap() nodeSelector?: Record<string, string>;
  @Check<unknown, PodSpec>((sc, spec) => podSecurityContextFindings(sc, spec)) securityContext?: Record<string, unknown>;
  @Each<unknown>((ref) => (isObject(ref) && Object.keys(ref).some((k) => k !== 'name') ? invalid(ref, 'only name may be set') : undefined))
  imagePullSecrets?: Record<string, unknown>[];
  @Check<PodSpec['dnsConfig'], PodSpec>((dnsConfig, spec) => dnsConfigFindings(dnsConfig, spec)) dnsConfig?: PodSpec['dnsConfig'];
  @Each<unknown>((gate) => {
    const type = isObject(gate) ? str(gate.conditionType) : '';
    return qualifiedNameErrors(type).map((m) => invalid(type, m, '.conditionType'));
  })
  readinessGates?: { conditionType?: string }[];
  @Check<unknown>((gates) => {
    if (!Array.isArray(gates)) return undefined;
    const seen = new Set<string>();
    return gates.flatMap((gate: unknown, i) => {
      const name = isObject(gate) ? str(gate.name) : '';
      const found = qualifiedNameErrors(name).map((m) => invalid(name, m, `[${i}]`));
      if (seen.has(name)) found.push(duplicate(name, `[${i}]`));
      seen.add(name);
      return found;
    });
  })
  schedulingGates?: { name?: string }[];
  @DnsSubdomain() serviceAccountName?: string;
  @DnsSubdomain() nodeName?: string;
  @InRange(1, MAX_INT32) activeDeadlineSeconds?: number;
  @DnsLabel() hostname?: string;
  @DnsLabel() subdomain?: string;
  @Check((t) => tolerationFindings(t)) tolerations?: Toleration[];
  @Each<unknown>((alias) => {
    if (!isObject(alias)) return undefined;
    const found: Finding[] = ipErrors('.ip', str(alias.ip)).map(asFinding);
    (Array.isArray(alias.hostnames) ? alias.hostnames : []).forEach((h: unknown, j: number) =>
      found.push(...dns1123SubdomainErrors(str(h)).map((m) => invalid(str(h), m, `.hostnames[${j}]`))),
    );
    return found;
  })
  hostAliases?: PodSpec['hostAliases'];
  @DnsSubdomain() priorityClassName?: string;
  @DnsSubdomain() runtimeClassName?: string;
  @OneOf(['PreemptLowerPriority', 'Never']) preemptionPolicy?: string;
  @Check<unknown>((os) => {
    if (!isObject(os)) return undefined;
    const name = str(os.name);
    if (!name) return required('', '.name');
    return ['linux', 'windows'].includes(name) ? undefined : notSupported(name, ['linux', 'windows'], '.name');
  })
  os?: { name?: string };
}

/** ValidatePodSpecificAnnotations (the checks that apply to kubemu's pods). */
function podAnnotationErrors(pod: Pod): FieldError[] {
  const errors: FieldError[] = [];
  const annotations = pod.metadata.annotations ?? {};
  const mirror = annotations['kubernetes.io/config.mirror'];
  if (mirror !== undefined && !pod.spec?.nodeName) {
    errors.push(FieldError.invalid('metadata.annotations[kubernetes.io/config.mirror]', mirror, 'must set spec.nodeName if mirror pod annotation is set'));
  }
  const cost = annotations['controller.kubernetes.io/pod-deletion-cost'];
  if (cost !== undefined && (!/^[+-]?[0-9]+$/.test(cost) || Number(cost) > MAX_INT32 || Number(cost) < -MAX_INT32 - 1)) {
    errors.push(FieldError.invalid('metadata.annotations[controller.kubernetes.io/pod-deletion-cost]', cost, 'must be a 32bit integer'));
  }
  return errors;
}

/** Projected service account tokens need a service account to be issued for. */
function serviceAccountTokenErrors(spec: PodSpec, path: string): FieldError[] {
  if (spec.serviceAccountName) return [];
  const errors: FieldError[] = [];
  (spec.volumes ?? []).forEach((v, i) => {
    const sources = isObject(v?.projected) && Array.isArray(v.projected.sources) ? v.projected.sources : [];
    sources.forEach((s: unknown, j: number) => {
      if (isObject(s) && isObject(s.serviceAccountToken)) {
        errors.push(FieldError.forbidden(`${path}.volumes[${i}].projected.sources[${j}].serviceAccountToken`, 'must not be specified when serviceAccountName is not set'));
      }
    });
  });
  return errors;
}

/** validatePodMetadataAndSpec, minus the ObjectMeta part the store runs generically. */
export function validatePodSpec(pod: Pod): FieldError[] {
  return [...podAnnotationErrors(pod), ...validatePodSpecAt(pod.spec, 'spec')];
}

/** ValidatePodSpec of a spec found at `path` (a pod's `spec`, a workload's `spec.template.spec`). */
export function validatePodSpecAt(value: unknown, path: string): FieldError[] {
  const spec = (isObject(value) ? value : {}) as PodSpec;
  const ctx: PodContext = {
    volumes: volumeKinds(spec.volumes),
    restartPolicy: str(spec.restartPolicy),
    gracePeriod: typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : undefined,
    hostUsers: !(isObject(spec.securityContext) && spec.securityContext.hostUsers === false),
  };
  return [...validateRules(PodSpecRules, spec, path, ctx), ...serviceAccountTokenErrors(spec, path)];
}

/** ValidatePodCreate. */
export function validatePodCreate(pod: Pod): FieldError[] {
  const errors = validatePodSpec(pod);
  if (pod.spec?.ephemeralContainers?.length) errors.push(FieldError.forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  if (pod.spec?.nodeName && pod.spec.schedulingGates?.length) {
    errors.push(FieldError.forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  }
  return errors;
}
