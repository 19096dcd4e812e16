/** Ingress, IngressClass and NetworkPolicy validation of pkg/apis/networking/validation, with its messages. */
import { isIP } from 'node:net';
import { FieldError, GoSyntax } from '../../machinery/errors/status-error';
import { labelSelectorFieldErrors } from '../../machinery/selectors/label-selector';
import { cidrErrors, immutableField, ipErrors, portNameErrors, portNumErrors } from '../../machinery/validation/common';
import { dns1035LabelErrors, dns1123LabelErrors, dns1123SubdomainErrors, maxLenError, regexError } from '../../machinery/validation/names';
import { pathSegmentNameErrors } from '../../machinery/validation/object-meta';
import {
  INGRESS_CLASS_ANNOTATION,
  type HTTPIngressPath,
  type Ingress,
  type IngressBackend,
  type IngressClass,
  type IngressClassParameters,
  type NetworkPolicy,
  type NetworkPolicyPeer,
  type NetworkPolicyPort,
  type TypedLocalObjectReference,
} from './networking.types';

const LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const WILDCARD_SUBDOMAIN_FMT = `\\*\\.${LABEL_FMT}(\\.${LABEL_FMT})*`;
const WILDCARD_SUBDOMAIN_RE = new RegExp(`^${WILDCARD_SUBDOMAIN_FMT}$`);
const WILDCARD_SUBDOMAIN_MSG =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character";

/** IsWildcardDNS1123Subdomain. */
export function wildcardSubdomainErrors(value: string): string[] {
  const errors: string[] = [];
  if (Buffer.byteLength(value) > 253) errors.push(maxLenError(253));
  if (!WILDCARD_SUBDOMAIN_RE.test(value)) errors.push(regexError(WILDCARD_SUBDOMAIN_MSG, WILDCARD_SUBDOMAIN_FMT, '*.example.com'));
  return errors;
}

function hostErrors(host: string, path: string): FieldError[] {
  const messages = host.includes('*') ? wildcardSubdomainErrors(host) : dns1123SubdomainErrors(host);
  return messages.map((m) => FieldError.invalid(path, host, m));
}

const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];
const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];

function typedReferenceErrors(ref: TypedLocalObjectReference, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (ref.apiGroup !== undefined && ref.apiGroup !== null) for (const m of dns1123SubdomainErrors(ref.apiGroup)) errors.push(FieldError.invalid(`${path}.apiGroup`, ref.apiGroup, m));
  if (!ref.kind) errors.push(FieldError.required(`${path}.kind`, 'kind is required'));
  else for (const m of pathSegmentNameErrors(ref.kind)) errors.push(FieldError.invalid(`${path}.kind`, ref.kind, m));
  if (!ref.name) errors.push(FieldError.required(`${path}.name`, 'name is required'));
  else for (const m of pathSegmentNameErrors(ref.name)) errors.push(FieldError.invalid(`${path}.name`, ref.name, m));
  return errors;
}

function backendErrors(backend: IngressBackend, path: string): FieldError[] {
  if (backend.resource && backend.service) return [FieldError.invalid(path, '', 'cannot set both resource and service backends')];
  if (backend.resource) return typedReferenceErrors(backend.resource, `${path}.resource`);
  const service = backend.service;
  if (!service) return [FieldError.invalid(path, '', 'resource or service backend is required')];
  const errors: FieldError[] = [];
  if (!service.name) errors.push(FieldError.required(`${path}.service.name`));
  else for (const m of dns1035LabelErrors(service.name)) errors.push(FieldError.invalid(`${path}.service.name`, service.name, m));
  const portName = service.port?.name ?? '';
  const portNumber = service.port?.number ?? 0;
  if (portName && portNumber) errors.push(FieldError.invalid(path, '', 'cannot set both port name & port number'));
  else if (portName) for (const m of portNameErrors(portName)) errors.push(FieldError.invalid(`${path}.service.port.name`, portName, m));
  else if (portNumber) for (const m of portNumErrors(portNumber)) errors.push(FieldError.invalid(`${path}.service.port.number`, portNumber, m));
  else errors.push(FieldError.required(path, 'port name or number is required'));
  return errors;
}

function httpPathErrors(httpPath: HTTPIngressPath, path: string): FieldError[] {
  if (httpPath.pathType === undefined || httpPath.pathType === null) return [FieldError.required(`${path}.pathType`, 'pathType must be specified')];
  const errors: FieldError[] = [];
  const value = httpPath.path ?? '';
  switch (httpPath.pathType) {
    case 'Exact':
    case 'Prefix':
      if (!value.startsWith('/')) errors.push(FieldError.invalid(`${path}.path`, value, 'must be an absolute path'));
      if (value) {
        for (const seq of INVALID_PATH_SEQUENCES) if (value.includes(seq)) errors.push(FieldError.invalid(`${path}.path`, value, `must not contain '${seq}'`));
        for (const suffix of INVALID_PATH_SUFFIXES) if (value.endsWith(suffix)) errors.push(FieldError.invalid(`${path}.path`, value, `cannot end with '${suffix}'`));
      }
      break;
    case 'ImplementationSpecific':
      if (value && !value.startsWith('/')) errors.push(FieldError.invalid(`${path}.path`, value, 'must be an absolute path'));
      break;
    default:
      errors.push(FieldError.notSupported(`${path}.pathType`, httpPath.pathType, PATH_TYPES));
  }
  errors.push(...backendErrors(httpPath.backend ?? {}, `${path}.backend`));
  return errors;
}

/** ValidateIngressSpec (on create: no invalid secret names or wildcard rules tolerated). */
export function validateIngressSpec(ingress: Ingress): FieldError[] {
  const spec = ingress.spec ?? {};
  const errors: FieldError[] = [];
  const rules = spec.rules ?? [];
  if (!rules.length && !spec.defaultBackend) {
    errors.push(FieldError.invalid('spec', new GoSyntax(rules.length === 0 && !spec.rules ? '[]networking.IngressRule(nil)' : '[]networking.IngressRule{}'), 'either `defaultBackend` or `rules` must be specified'));
  }
  if (spec.defaultBackend) errors.push(...backendErrors(spec.defaultBackend, 'spec.defaultBackend'));
  rules.forEach((rule, i) => {
    const at = `spec.rules[${i}]`;
    if (rule.host) {
      if (isIP(rule.host) !== 0) errors.push(FieldError.invalid(`${at}.host`, rule.host, 'must be a DNS name, not an IP address'));
      errors.push(...hostErrors(rule.host, `${at}.host`));
    }
    if (rule.http) {
      const paths = rule.http.paths ?? [];
      if (!paths.length) errors.push(FieldError.required(`${at}.http.paths`));
      paths.forEach((p, j) => errors.push(...httpPathErrors(p, `${at}.http.paths[${j}]`)));
    }
  });
  (spec.tls ?? []).forEach((tls, i) => {
    (tls.hosts ?? []).forEach((host, j) => errors.push(...hostErrors(host, `spec.tls[${i}].hosts[${j}]`)));
    if (tls.secretName) for (const m of dns1123SubdomainErrors(tls.secretName)) errors.push(FieldError.invalid(`spec.tls[${i}].secretName`, tls.secretName, m));
  });
  if (spec.ingressClassName !== undefined && spec.ingressClassName !== null) {
    for (const m of dns1123SubdomainErrors(spec.ingressClassName)) errors.push(FieldError.invalid('spec.ingressClassName', spec.ingressClassName, m));
  }
  return errors;
}

/** ValidateIngressLoadBalancerStatus: addresses are IPs, hostnames DNS names. */
export function validateIngressStatus(ingress: Ingress): FieldError[] {
  const errors: FieldError[] = [];
  (ingress.status?.loadBalancer?.ingress ?? []).forEach((lb, i) => {
    const at = `status.loadBalancer.ingress[${i}]`;
    if (lb.ip) errors.push(...ipErrors(`${at}.ip`, lb.ip));
    if (lb.hostname) {
      for (const m of dns1123SubdomainErrors(lb.hostname)) errors.push(FieldError.invalid(`${at}.hostname`, lb.hostname, m));
      if (isIP(lb.hostname) !== 0) errors.push(FieldError.invalid(`${at}.hostname`, lb.hostname, 'must be a DNS name, not an IP address'));
    }
  });
  return errors;
}

/** ValidateIngressCreate: the spec, and a class annotation that agrees with ingressClassName. */
export function validateIngressCreate(ingress: Ingress): FieldError[] {
  const errors = validateIngressSpec(ingress);
  const annotation = ingress.metadata.annotations?.[INGRESS_CLASS_ANNOTATION];
  const className = ingress.spec?.ingressClassName;
  if (annotation !== undefined && className !== undefined && className !== null && annotation !== className) {
    errors.push(FieldError.invalid(`annotations.${INGRESS_CLASS_ANNOTATION}`, annotation, 'must match `ingressClassName` when both are specified'));
  }
  return errors;
}

const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const HTTP_PATH_RE = new RegExp(`^${HTTP_PATH_FMT}$`);

/** IsDomainPrefixedPath: an IngressClass's controller ("example.com/ingress-nginx"). */
function domainPrefixedPathErrors(value: string, path: string): FieldError[] {
  if (!value) return [FieldError.required(path)];
  const slash = value.indexOf('/');
  const host = slash < 0 ? value : value.slice(0, slash);
  const rest = slash < 0 ? '' : value.slice(slash + 1);
  if (slash < 0 || !host || !rest) return [FieldError.invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const errors = dns1123SubdomainErrors(host).map((m) => FieldError.invalid(path, host, m));
  if (!HTTP_PATH_RE.test(rest)) errors.push(FieldError.invalid(path, rest, regexError('Invalid path', HTTP_PATH_FMT)));
  return errors;
}

function parametersErrors(params: IngressClassParameters, path: string): FieldError[] {
  const errors = typedReferenceErrors(params, path);
  if (params.scope === undefined || params.scope === null) return [...errors, FieldError.required(`${path}.scope`)];
  if (params.scope !== 'Cluster' && params.scope !== 'Namespace') return [...errors, FieldError.notSupported(`${path}.scope`, params.scope, ['Cluster', 'Namespace'])];
  const namespaceSet = params.namespace !== undefined && params.namespace !== null;
  if (params.scope === 'Namespace') {
    if (!namespaceSet) errors.push(FieldError.required(`${path}.namespace`, "`parameters.scope` is set to 'Namespace'"));
    else for (const m of dns1123LabelErrors(params.namespace!)) errors.push(FieldError.invalid(`${path}.namespace`, params.namespace, m));
  }
  if (params.scope === 'Cluster' && namespaceSet) errors.push(FieldError.forbidden(`${path}.namespace`, "`parameters.scope` is set to 'Cluster'"));
  return errors;
}

const MAX_CONTROLLER_LENGTH = 250;

export function validateIngressClass(ingressClass: IngressClass): FieldError[] {
  const spec = ingressClass.spec ?? {};
  const controller = spec.controller ?? '';
  const errors: FieldError[] = [];
  if (controller.length > MAX_CONTROLLER_LENGTH) errors.push(FieldError.tooLong('spec.controller', MAX_CONTROLLER_LENGTH));
  errors.push(...domainPrefixedPathErrors(controller, 'spec.controller'));
  if (spec.parameters) errors.push(...parametersErrors(spec.parameters, 'spec.parameters'));
  return errors;
}

export function validateIngressClassUpdate(ingressClass: IngressClass, old: IngressClass): FieldError[] {
  return [...immutableField(ingressClass.spec?.controller, old.spec?.controller, 'spec.controller'), ...validateIngressClass(ingressClass)];
}

function policyPortErrors(port: NetworkPolicyPort, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (port.protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(port.protocol)) errors.push(FieldError.notSupported(`${path}.protocol`, port.protocol, ['TCP', 'UDP', 'SCTP']));
  if (port.port === undefined || port.port === null) {
    if (port.endPort !== undefined) errors.push(FieldError.invalid(`${path}.endPort`, port.endPort, 'may not be specified when `port` is not specified'));
  } else if (typeof port.port === 'number') {
    for (const m of portNumErrors(port.port)) errors.push(FieldError.invalid(`${path}.port`, port.port, m));
    if (port.endPort !== undefined) {
      if (port.endPort < port.port) errors.push(FieldError.invalid(`${path}.endPort`, port.port, 'must be greater than or equal to `port`'));
      for (const m of portNumErrors(port.endPort)) errors.push(FieldError.invalid(`${path}.endPort`, port.endPort, m));
    }
  } else {
    if (port.endPort !== undefined) errors.push(FieldError.invalid(`${path}.endPort`, port.endPort, 'may not be specified when `port` is non-numeric'));
    for (const m of portNameErrors(port.port)) errors.push(FieldError.invalid(`${path}.port`, port.port, m));
  }
  return errors;
}

/** The network and prefix length of a CIDR as a big integer range, for the subset check. */
function cidrRange(cidr: string): { family: number; start: bigint; bits: number } | undefined {
  const [ip, bitsText] = cidr.split('/');
  const family = isIP(ip);
  if (!family || bitsText === undefined) return undefined;
  const bits = Number(bitsText);
  const width = family === 4 ? 32 : 128;
  let value = 0n;
  if (family === 4) for (const part of ip.split('.')) value = (value << 8n) + BigInt(Number(part));
  else {
    const [head, tail] = ip.split('::');
    const groups = (text: string | undefined) => (text ? text.split(':') : []);
    const all = tail === undefined ? groups(head) : [...groups(head), ...Array<string>(8 - groups(head).length - groups(tail).length).fill('0'), ...groups(tail)];
    for (const g of all) value = (value << 16n) + BigInt(parseInt(g || '0', 16));
  }
  const hostBits = BigInt(width - bits);
  return { family, start: (value >> hostBits) << hostBits, bits };
}

function ipBlockErrors(block: NonNullable<NetworkPolicyPeer['ipBlock']>, path: string): FieldError[] {
  if (!block.cidr) return [FieldError.required(`${path}.cidr`)];
  const errors = cidrErrors(`${path}.cidr`, block.cidr);
  const outer = cidrRange(block.cidr);
  if (errors.length || !outer) return errors;
  (block.except ?? []).forEach((except, i) => {
    const at = `${path}.except[${i}]`;
    const exceptErrors = cidrErrors(at, except);
    errors.push(...exceptErrors);
    const inner = cidrRange(except);
    if (exceptErrors.length || !inner) return;
    const width = outer.family === 4 ? 32 : 128;
    const contained = inner.family === outer.family && inner.start >> BigInt(width - outer.bits) === outer.start >> BigInt(width - outer.bits);
    if (!contained || outer.bits >= inner.bits) errors.push(FieldError.invalid(at, except, 'must be a strict subset of `cidr`'));
  });
  return errors;
}

function peerErrors(peer: NetworkPolicyPeer, path: string): FieldError[] {
  const errors: FieldError[] = [];
  let peers = 0;
  if (peer.podSelector) {
    peers++;
    errors.push(...labelSelectorFieldErrors(peer.podSelector, `${path}.podSelector`));
  }
  if (peer.namespaceSelector) {
    peers++;
    errors.push(...labelSelectorFieldErrors(peer.namespaceSelector, `${path}.namespaceSelector`));
  }
  if (peer.ipBlock) {
    peers++;
    errors.push(...ipBlockErrors(peer.ipBlock, `${path}.ipBlock`));
  }
  if (peers === 0) errors.push(FieldError.required(path, 'must specify a peer'));
  else if (peers > 1 && peer.ipBlock) errors.push(FieldError.forbidden(path, 'may not specify both ipBlock and another peer'));
  return errors;
}

export function validateNetworkPolicy(policy: NetworkPolicy): FieldError[] {
  const spec = policy.spec ?? {};
  const errors = labelSelectorFieldErrors(spec.podSelector ?? {}, 'spec.podSelector');
  (spec.ingress ?? []).forEach((rule, i) => {
    (rule.ports ?? []).forEach((port, j) => errors.push(...policyPortErrors(port, `spec.ingress[${i}].ports[${j}]`)));
    (rule.from ?? []).forEach((peer, j) => errors.push(...peerErrors(peer, `spec.ingress[${i}].from[${j}]`)));
  });
  (spec.egress ?? []).forEach((rule, i) => {
    (rule.ports ?? []).forEach((port, j) => errors.push(...policyPortErrors(port, `spec.egress[${i}].ports[${j}]`)));
    (rule.to ?? []).forEach((peer, j) => errors.push(...peerErrors(peer, `spec.egress[${i}].to[${j}]`)));
  });
  const types = spec.policyTypes ?? [];
  if (types.length > 2) {
    errors.push(FieldError.invalid('spec.policyTypes', new GoSyntax(`&[]networking.PolicyType{${types.map((t) => JSON.stringify(t)).join(', ')}}`), 'may not specify more than two policyTypes'));
    return errors;
  }
  types.forEach((type, i) => {
    if (type !== 'Ingress' && type !== 'Egress') errors.push(FieldError.notSupported(`spec.policyTypes[${i}]`, type, ['Ingress', 'Egress']));
  });
  return errors;
}
