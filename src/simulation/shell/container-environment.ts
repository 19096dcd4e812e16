/**
 * What a process in a simulated container sees, computed from the API objects as a kubelet
 * would set it up: the environment (service links, envFrom, env with downward API, ConfigMap
 * and Secret references and `$(VAR)` expansion) and the files (hosts, resolv.conf and the
 * mounted ConfigMap, Secret, downward API and projected volumes, read as they are now, so an
 * edited ConfigMap shows in its mounted files).
 */
import type { KubeObject } from '../../machinery/meta/types';
import type { ResourceRegistry } from '../../registry/registry';
import type { Container, EnvVar, Pod, Volume } from '../../kinds/core/pod/pod.types';
import type { Service } from '../../kinds/core/service/service.types';
import { dnsServiceIP } from '../addons';

export interface ContainerEnvironment {
  env: [string, string][];
  /** Absolute path → content. Directories are the prefixes of the paths. */
  files: Map<string, string>;
  hostname: string;
  /** The namespace's search domain, for DNS lookups. */
  namespace: string;
}

export const CLUSTER_DOMAIN = 'cluster.local';
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

interface DataObject extends KubeObject {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
}

function envName(serviceName: string): string {
  return serviceName.toUpperCase().replace(/-/g, '_');
}

/** The docker-links style variables of one Service (envvars.FromServices). */
export function serviceLinkVariables(svc: Service): [string, string][] {
  const ip = svc.spec?.clusterIP;
  const ports = svc.spec?.ports ?? [];
  if (!ip || ip === 'None' || !ports.length) return [];
  const name = envName(svc.metadata.name!);
  const vars: [string, string][] = [
    [`${name}_SERVICE_HOST`, ip],
    [`${name}_SERVICE_PORT`, String(ports[0].port)],
  ];
  for (const p of ports) if (p.name) vars.push([`${name}_SERVICE_PORT_${envName(p.name)}`, String(p.port)]);
  const first = ports[0];
  vars.push([`${name}_PORT`, `${(first.protocol ?? 'TCP').toLowerCase()}://${ip}:${first.port}`]);
  for (const p of ports) {
    const protocol = (p.protocol ?? 'TCP').toLowerCase();
    const prefix = `${name}_PORT_${p.port}_${protocol.toUpperCase()}`;
    vars.push([prefix, `${protocol}://${ip}:${p.port}`], [`${prefix}_PROTO`, protocol], [`${prefix}_PORT`, String(p.port)], [`${prefix}_ADDR`, ip]);
  }
  return vars;
}

/** `$(VAR)` references to variables defined earlier; `$$(VAR)` escapes. */
function expand(value: string, defined: Map<string, string>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) => {
    if (match === '$$') return '$';
    return name !== undefined && defined.has(name) ? defined.get(name)! : match;
  });
}

function subscripted(path: string): [string, string] | undefined {
  const m = /^(metadata\.(?:labels|annotations))\['(.+)'\]$/.exec(path);
  return m ? [m[1], m[2]] : undefined;
}

function quotedMap(map: Record<string, string> | undefined): string {
  return Object.entries(map ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join('\n');
}

/** A downward API field of the pod, as text. */
function podField(pod: Pod, path: string): string {
  const sub = subscripted(path);
  if (sub) return (sub[0] === 'metadata.labels' ? pod.metadata.labels : pod.metadata.annotations)?.[sub[1]] ?? '';
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'metadata.labels':
      return quotedMap(pod.metadata.labels);
    case 'metadata.annotations':
      return quotedMap(pod.metadata.annotations);
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
      return pod.status?.hostIP ?? '';
    case 'status.hostIPs':
      return (pod.status?.hostIPs ?? []).map((a) => a.ip).join(',');
    case 'status.podIP':
      return pod.status?.podIP ?? '';
    case 'status.podIPs':
      return (pod.status?.podIPs ?? []).map((a) => a.ip).join(',');
    default:
      return '';
  }
}

/** When the container started, and the Services the runtime recorded then (when it knows). */
export interface ContainerStart {
  at: number;
  serviceUids?: Set<string>;
}

export function containerEnvironment(registry: ResourceRegistry, pod: Pod, container: Container, start: ContainerStart): ContainerEnvironment {
  const namespace = pod.metadata.namespace ?? 'default';
  const lookup = (kind: 'ConfigMap' | 'Secret', name: string | undefined) => (name ? (registry.forKind('', kind).find(namespace, name)?.object as DataObject | undefined) : undefined);
  const dataOf = (obj: DataObject | undefined, kind: 'ConfigMap' | 'Secret'): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(obj?.data ?? {})) out[k] = kind === 'Secret' ? Buffer.from(v, 'base64').toString('utf8') : v;
    for (const [k, v] of Object.entries(obj?.binaryData ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8');
    return out;
  };
  const hostname = pod.spec?.hostname || pod.metadata.name || '';

  const defined = new Map<string, string>();
  const env: [string, string][] = [];
  // Only what the kubelet itself defines can be referred to by $(VAR); PATH and HOSTNAME come from the image and runtime.
  const set = (name: string, value: string, referable = true) => {
    const at = env.findIndex(([n]) => n === name);
    if (at >= 0) env[at] = [name, value];
    else env.push([name, value]);
    if (referable) defined.set(name, value);
  };
  set('PATH', DEFAULT_PATH, false);
  set('HOSTNAME', hostname, false);

  // Service links: the Services that existed when the container started, and always the API server's.
  const services = registry.forKind<Service>('', 'Service');
  const linked: Service[] = [];
  const existedAtStart = (svc: Service) => (start.serviceUids ? start.serviceUids.has(svc.metadata.uid!) : Date.parse(svc.metadata.creationTimestamp ?? '') <= start.at);
  if (pod.spec?.enableServiceLinks !== false) for (const svc of services.cachedObjects(namespace)) if (existedAtStart(svc)) linked.push(svc);
  const master = services.find('default', 'kubernetes')?.object as Service | undefined;
  if (master && !linked.some((s) => s.metadata.uid === master.metadata.uid)) linked.push(master);
  for (const svc of linked.sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1))) for (const [k, v] of serviceLinkVariables(svc)) set(k, v);

  for (const source of container.envFrom ?? []) {
    const kind = source.configMapRef ? 'ConfigMap' : 'Secret';
    const ref = source.configMapRef ?? source.secretRef;
    for (const [k, v] of Object.entries(dataOf(lookup(kind, ref?.name), kind))) {
      const name = `${source.prefix ?? ''}${k}`;
      if (/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name)) set(name, v);
    }
  }
  for (const variable of container.env ?? []) set(variable.name ?? '', envValue(variable, pod, container, defined, lookup, dataOf));
  if (!defined.has('HOME')) set('HOME', '/root', false);

  const files = new Map<string, string>();
  files.set('/etc/hostname', `${hostname}\n`);
  const podIP = pod.status?.podIP;
  files.set(
    '/etc/hosts',
    ['# Kubernetes-managed hosts file.', '127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', 'fe00::0\tip6-localnet', 'fe00::0\tip6-mcastprefix', 'fe00::1\tip6-allnodes', 'fe00::2\tip6-allrouters', ...(podIP ? [`${podIP}\t${hostname}`] : []), ''].join('\n'),
  );
  files.set('/etc/resolv.conf', `search ${namespace}.svc.${CLUSTER_DOMAIN} svc.${CLUSTER_DOMAIN} ${CLUSTER_DOMAIN}\nnameserver ${dnsServer(registry)}\noptions ndots:5\n`);
  for (const mount of container.volumeMounts ?? []) {
    const volume = (pod.spec?.volumes ?? []).find((v) => v.name === mount.name);
    if (!volume || !mount.mountPath) continue;
    const root = mount.mountPath.replace(/\/+$/, '');
    for (const [path, content] of volumeFiles(volume, pod, lookup, dataOf)) {
      if (mount.subPath) {
        if (path === mount.subPath) files.set(root, content);
        else if (path.startsWith(`${mount.subPath}/`)) files.set(`${root}/${path.slice(mount.subPath.length + 1)}`, content);
      } else files.set(`${root}/${path}`, content);
    }
    // An empty volume still makes its directory.
    files.set(`${root}/.`, '');
  }
  return { env, files, hostname, namespace };
}

/** The cluster DNS address: kube-dns's, or the tenth of the service range as kubeadm picks it. */
function dnsServer(registry: ResourceRegistry): string {
  const dns = registry.forKind<Service>('', 'Service').find('kube-system', 'kube-dns')?.object as Service | undefined;
  return dns?.spec?.clusterIP || dnsServiceIP(registry.settings);
}

type Lookup = (kind: 'ConfigMap' | 'Secret', name: string | undefined) => DataObject | undefined;
type DataOf = (obj: DataObject | undefined, kind: 'ConfigMap' | 'Secret') => Record<string, string>;

function envValue(variable: EnvVar, pod: Pod, container: Container, defined: Map<string, string>, lookup: Lookup, dataOf: DataOf): string {
  const from = variable.valueFrom;
  if (!from) return expand(variable.value ?? '', defined);
  if (from.fieldRef?.fieldPath) return podField(pod, from.fieldRef.fieldPath);
  if (from.configMapKeyRef) return dataOf(lookup('ConfigMap', from.configMapKeyRef.name), 'ConfigMap')[from.configMapKeyRef.key ?? ''] ?? '';
  if (from.secretKeyRef) return dataOf(lookup('Secret', from.secretKeyRef.name), 'Secret')[from.secretKeyRef.key ?? ''] ?? '';
  if (from.resourceFieldRef?.resource) {
    const [kind, resource] = from.resourceFieldRef.resource.split('.');
    const value = (kind === 'limits' ? container.resources?.limits : container.resources?.requests)?.[resource];
    return value === undefined ? '' : String(value);
  }
  return '';
}

/** The files a volume holds, by path inside the volume. */
function volumeFiles(volume: Volume, pod: Pod, lookup: Lookup, dataOf: DataOf): [string, string][] {
  type Items = { key?: string; path?: string }[] | undefined;
  const fromData = (data: Record<string, string>, items: Items): [string, string][] =>
    items?.length ? items.filter((i) => i.key! in data).map((i) => [i.path ?? i.key!, data[i.key!]]) : Object.entries(data);
  const source = volume as Record<string, unknown>;
  const configMap = source.configMap as { name?: string; items?: Items } | undefined;
  if (configMap) return fromData(dataOf(lookup('ConfigMap', configMap.name), 'ConfigMap'), configMap.items);
  const secret = source.secret as { secretName?: string; items?: Items } | undefined;
  if (secret) return fromData(dataOf(lookup('Secret', secret.secretName), 'Secret'), secret.items);
  const downward = source.downwardAPI as { items?: { path?: string; fieldRef?: { fieldPath?: string } }[] } | undefined;
  if (downward) return (downward.items ?? []).map((i) => [i.path ?? '', podField(pod, i.fieldRef?.fieldPath ?? '')]);
  const projected = source.projected as { sources?: Record<string, unknown>[] } | undefined;
  if (projected) {
    const files: [string, string][] = [];
    for (const s of projected.sources ?? []) {
      if (s.configMap) files.push(...volumeFiles({ name: volume.name, configMap: s.configMap }, pod, lookup, dataOf));
      if (s.secret) files.push(...volumeFiles({ name: volume.name, secret: { ...(s.secret as object), secretName: (s.secret as { name?: string }).name } }, pod, lookup, dataOf));
      if (s.downwardAPI) files.push(...volumeFiles({ name: volume.name, downwardAPI: s.downwardAPI }, pod, lookup, dataOf));
    }
    return files;
  }
  return [];
}
