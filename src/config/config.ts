import { resolve } from 'node:path';

/** Typed settings from command-line flags, then KUBEMU_* environment variables, then defaults. */
export interface KubemuConfig {
  host: string;
  port: number;
  /** Directory of the SQLite file, or ":memory:". */
  dataDir: string;
  /** 1 = real time; 60 = a minute of cluster time per real second. */
  timeScale: number;
  /** Log requests and reconciler activity. */
  logLevel: 'silent' | 'error' | 'info' | 'debug';
  /** How many simulated nodes a new cluster registers. */
  nodes: number;
  /** SQLite synchronous pragma: FULL (default) survives power loss, NORMAL only process crashes. */
  sqliteSynchronous: 'NORMAL' | 'FULL';
  /** Where Service cluster IPs come from (IPv4 CIDR), as kube-apiserver's flag of the same name. */
  serviceClusterIPRange: string;
  /** Node ports of NodePort and LoadBalancer Services, both ends included. */
  serviceNodePortRange: { min: number; max: number };
}

export const KUBERNETES_VERSION = { major: '1', minor: '33', gitVersion: 'v1.33.1+kubemu' };

const FLAGS: Record<string, keyof KubemuConfig> = {
  '--host': 'host',
  '--port': 'port',
  '--data-dir': 'dataDir',
  '--time-scale': 'timeScale',
  '--log-level': 'logLevel',
  '--sqlite-synchronous': 'sqliteSynchronous',
  '--nodes': 'nodes',
  '--service-cluster-ip-range': 'serviceClusterIPRange',
  '--service-node-port-range': 'serviceNodePortRange',
};

export class ConfigError extends Error {}

export function loadConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): KubemuConfig {
  const raw: Partial<Record<keyof KubemuConfig, string>> = {
    host: env.KUBEMU_HOST,
    port: env.KUBEMU_PORT,
    dataDir: env.KUBEMU_DATA_DIR,
    timeScale: env.KUBEMU_TIME_SCALE,
    logLevel: env.KUBEMU_LOG_LEVEL,
    sqliteSynchronous: env.KUBEMU_SQLITE_SYNCHRONOUS,
    nodes: env.KUBEMU_NODES,
    serviceClusterIPRange: env.KUBEMU_SERVICE_CLUSTER_IP_RANGE,
    serviceNodePortRange: env.KUBEMU_SERVICE_NODE_PORT_RANGE,
  };
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const key = FLAGS[flag];
    if (!key) {
      problems.push(`unknown flag ${argv[i]}`);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) problems.push(`${flag} needs a value`);
    else raw[key] = value;
  }
  const port = Number(raw.port ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`port must be 0-65535, got ${raw.port}`);
  const timeScale = Number(raw.timeScale ?? 1);
  if (!(timeScale > 0)) problems.push(`time-scale must be a positive number, got ${raw.timeScale}`);
  const nodes = Number(raw.nodes ?? 3);
  if (!Number.isInteger(nodes) || nodes < 0 || nodes > 1000) problems.push(`nodes must be 0-1000, got ${raw.nodes}`);
  const logLevel = (raw.logLevel ?? 'error') as KubemuConfig['logLevel'];
  if (!['silent', 'error', 'info', 'debug'].includes(logLevel)) problems.push(`log-level must be silent, error, info or debug, got ${logLevel}`);
  const sqliteSynchronous = (raw.sqliteSynchronous ?? 'FULL').toUpperCase() as KubemuConfig['sqliteSynchronous'];
  if (sqliteSynchronous !== 'NORMAL' && sqliteSynchronous !== 'FULL') problems.push(`sqlite-synchronous must be NORMAL or FULL`);
  const serviceClusterIPRange = raw.serviceClusterIPRange ?? '10.96.0.0/12';
  const cidr = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(serviceClusterIPRange);
  // Like kube-apiserver: at most 2^20 addresses, and room for more than the network address.
  if (!cidr || cidr.slice(1, 5).some((octet) => Number(octet) > 255) || Number(cidr[5]) < 12 || Number(cidr[5]) > 30) {
    problems.push(`service-cluster-ip-range must be an IPv4 CIDR from /12 to /30, got ${serviceClusterIPRange}`);
  }
  const portRange = /^(\d+)-(\d+)$/.exec(raw.serviceNodePortRange ?? '30000-32767');
  const serviceNodePortRange = { min: Number(portRange?.[1] ?? 0), max: Number(portRange?.[2] ?? 0) };
  if (!portRange || serviceNodePortRange.min < 1 || serviceNodePortRange.max > 65535 || serviceNodePortRange.min > serviceNodePortRange.max) {
    problems.push(`service-node-port-range must be MIN-MAX within 1-65535, got ${raw.serviceNodePortRange}`);
  }
  if (problems.length) throw new ConfigError(problems.join('; '));
  const dataDir = raw.dataDir ?? '.kubemu';
  return {
    host: raw.host ?? '127.0.0.1',
    port,
    dataDir: dataDir === ':memory:' ? dataDir : resolve(dataDir),
    timeScale,
    logLevel,
    sqliteSynchronous,
    nodes,
    serviceClusterIPRange,
    serviceNodePortRange,
  };
}
