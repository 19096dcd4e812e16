/**
 * Simulated resource usage, as metrics-server would report it: every running container idles at
 * a few millicores and megabytes, busy loops (`yes`, `stress`, `while true; do :; done`) take a
 * core, and requests sent to a Service are shared by its ready pods. Requests come from pods
 * that loop over `wget`/`curl` against the Service (the HPA walkthrough's load generator: one
 * request per `sleep` interval, five millicore-seconds each), or from the annotation
 * `kubemu.io/simulated-cpu-load` on the Service (a CPU quantity spread over its pods). Usage never
 * exceeds a container's CPU limit.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../machinery/meta/types';
import { parseQuantity } from '../machinery/quantity/quantity';
import type { ResourceRegistry } from '../registry/registry';
import { backendsOf } from '../kinds/core/service/service.backends';
import type { Container, Pod } from '../kinds/core/pod/pod.types';
import type { Service } from '../kinds/core/service/service.types';
import { NODE_METRICS_SOURCE, POD_METRICS_SOURCE, type NodeMetrics, type PodMetrics } from '../kinds/metrics.k8s.io/metrics.types';
import { formatTime, type Clock } from './clock';
import { baseName, parseShell, shellScript } from './shell/shell-syntax';

export const SIMULATED_LOAD_ANNOTATION = 'kubemu.io/simulated-cpu-load';
/** CPU one request costs the pod that serves it, in millicore-seconds. */
const REQUEST_COST_MILLICORES = 5;
const MAX_REQUESTS_PER_SECOND = 100;
const BUSY_PROGRAMS = new Set(['yes', 'stress', 'stress-ng', 'sha1sum', 'md5sum']);
const LOOP_KEYWORDS = new Set(['do', 'then', 'else', '{']);
const POD_WINDOW = '15s';
const NODE_WINDOW = '20s';
/** What the node's own daemons use besides the pods. */
const NODE_SYSTEM = { cpu: 120, memory: 600 * 1024 * 1024 };

function stableNumber(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

function argv(c: Container): string[] {
  return [...(c.command ?? []), ...(c.args ?? [])];
}

function isBusy(c: Container): boolean {
  const words = argv(c);
  const script = shellScript(words) ?? words.join(' ');
  if (/while\s+(true|:)\s*;\s*do\s*:?\s*;?\s*done/.test(script)) return true;
  return words.length > 0 && BUSY_PROGRAMS.has(baseName(words[0]));
}

/** A container that loops over HTTP requests: where they go and how many a second. */
export function loadGenerator(c: Container): { target: string; requestsPerSecond: number } | undefined {
  const words = argv(c);
  const script = shellScript(words);
  if (!script || !/\b(while|until|for)\b/.test(script)) return undefined;
  let target: string | undefined;
  let sleep: number | undefined;
  for (const { pipeline } of parseShell(script)) {
    for (let command of pipeline) {
      while (command.length && LOOP_KEYWORDS.has(command[0])) command = command.slice(1);
      if (command[0] === 'while' || command[0] === 'until') command = command.slice(1);
      const name = baseName(command[0] ?? '');
      if ((name === 'wget' || name === 'curl') && !target) target = [...command.slice(1)].reverse().find((w) => !w.startsWith('-'));
      if (name === 'sleep' && Number(command[1]) > 0) sleep = Number(command[1]);
    }
  }
  if (!target) return undefined;
  return { target, requestsPerSecond: Math.min(MAX_REQUESTS_PER_SECOND, sleep ? 1 / sleep : MAX_REQUESTS_PER_SECOND) };
}

/** The Service a URL's host names, seen from a pod in `namespace`. */
function serviceOf(registry: ResourceRegistry, url: string, namespace: string): Service | undefined {
  const host = url.replace(/^[a-z]+:\/\//, '').split('/')[0].split(':')[0].toLowerCase();
  const services = registry.forKind<Service>('', 'Service');
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) {
    for (const svc of services.cachedObjects()) if (svc.spec?.clusterIP === host) return svc;
    return undefined;
  }
  const [name, ns] = host.split('.');
  return services.find(ns ?? namespace, name)?.object as Service | undefined;
}

function cpuLimit(c: Container): number {
  const q = parseQuantity(c.resources?.limits?.cpu);
  return q ? (Number(q.numerator) / 10 ** q.scale) * 1000 : Infinity;
}

function running(pod: Pod): boolean {
  return pod.status?.phase === 'Running' && !pod.metadata.deletionTimestamp;
}

/** Millicores and bytes per container of every running pod, computed for one moment. */
export class UsageSnapshot {
  private readonly byPod = new Map<string, { name: string; cpu: number; memory: number }[]>();

  constructor(registry: ResourceRegistry) {
    const pods = [...registry.forKind<Pod>('', 'Pod').cachedObjects()].filter(running);
    const extra = new Map<string, number>();
    const addLoad = (svc: Service, millicores: number) => {
      const ready = backendsOf(svc, pods, false).filter((b) => b.ready);
      for (const b of ready) extra.set(b.targetRef.uid, (extra.get(b.targetRef.uid) ?? 0) + millicores / ready.length);
    };
    for (const svc of registry.forKind<Service>('', 'Service').cachedObjects()) {
      const q = parseQuantity(svc.metadata.annotations?.[SIMULATED_LOAD_ANNOTATION]);
      if (q) addLoad(svc, (Number(q.numerator) / 10 ** q.scale) * 1000);
    }
    for (const pod of pods) {
      for (const c of pod.spec?.containers ?? []) {
        const generator = loadGenerator(c);
        const svc = generator && serviceOf(registry, generator.target, pod.metadata.namespace ?? 'default');
        if (generator && svc) addLoad(svc, generator.requestsPerSecond * REQUEST_COST_MILLICORES);
      }
    }
    for (const pod of pods) {
      const uid = pod.metadata.uid!;
      const containers = (pod.spec?.containers ?? []).filter((c) => pod.status?.containerStatuses?.find((s) => s.name === c.name)?.state?.running);
      const usage = containers.map((c, i) => {
        const seed = stableNumber(`${uid}/${c.name}`);
        const idle = 1 + (seed % 4);
        const served = i === 0 ? (extra.get(uid) ?? 0) : 0;
        const cpu = Math.min(cpuLimit(c), isBusy(c) ? 1000 : idle + served);
        const memory = (4 + (seed % 36)) * 1024 * 1024 + Math.round(served * 64 * 1024);
        return { name: c.name ?? '', cpu, memory };
      });
      this.byPod.set(uid, usage);
    }
  }

  containers(pod: KubeObject): { name: string; cpu: number; memory: number }[] | undefined {
    return this.byPod.get(pod.metadata.uid!);
  }
}

const cpuText = (millicores: number) => `${Math.round(millicores * 1e6)}n`;
const memoryText = (bytes: number) => `${Math.round(bytes / 1024)}Ki`;

/** Registers the metrics.k8s.io sources: PodMetrics and NodeMetrics computed on every read. */
export function serveResourceMetrics(registry: ResourceRegistry, clock: Clock): void {
  registry.provide(POD_METRICS_SOURCE, (namespace) => {
    const snapshot = new UsageSnapshot(registry);
    const now = formatTime(clock.now());
    const out: PodMetrics[] = [];
    for (const pod of registry.forKind<Pod>('', 'Pod').cachedObjects(namespace)) {
      const usage = snapshot.containers(pod);
      if (!usage) continue;
      out.push({
        apiVersion: 'metrics.k8s.io/v1beta1',
        kind: 'PodMetrics',
        metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, creationTimestamp: now, ...(pod.metadata.labels ? { labels: pod.metadata.labels } : {}) },
        timestamp: now,
        window: POD_WINDOW,
        containers: usage.map((u) => ({ name: u.name, usage: { cpu: cpuText(u.cpu), memory: memoryText(u.memory) } })),
      });
    }
    return out;
  });
  registry.provide(NODE_METRICS_SOURCE, () => {
    const snapshot = new UsageSnapshot(registry);
    const now = formatTime(clock.now());
    const totals = new Map<string, { cpu: number; memory: number }>();
    for (const pod of registry.forKind<Pod>('', 'Pod').cachedObjects()) {
      const node = pod.spec?.nodeName;
      const usage = snapshot.containers(pod);
      if (!node || !usage) continue;
      const t = totals.get(node) ?? { ...NODE_SYSTEM };
      for (const u of usage) {
        t.cpu += u.cpu;
        t.memory += u.memory;
      }
      totals.set(node, t);
    }
    const out: NodeMetrics[] = [];
    for (const node of registry.forKind('', 'Node').cachedObjects()) {
      const t = totals.get(node.metadata.name!) ?? NODE_SYSTEM;
      out.push({
        apiVersion: 'metrics.k8s.io/v1beta1',
        kind: 'NodeMetrics',
        metadata: { name: node.metadata.name, creationTimestamp: now, ...(node.metadata.labels ? { labels: node.metadata.labels } : {}) },
        timestamp: now,
        window: NODE_WINDOW,
        usage: { cpu: cpuText(t.cpu), memory: memoryText(t.memory) },
      });
    }
    return out;
  });
}
