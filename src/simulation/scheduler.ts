/**
 * The scheduler: binds each unassigned pod that names the default scheduler to a node. The filter
 * plugins of the default profile run in their upstream order (NodeUnschedulable, TaintToleration,
 * NodeAffinity, NodePorts, NodeResourcesFit), the fitting node with the most room left wins, and
 * a pod nothing fits gets the real FitError text on its PodScheduled condition and in a
 * FailedScheduling event. Pods are retried when nodes change or other pods go away.
 */
import { EventRecorder } from '../controller-runtime/event-recorder';
import { objectKey, splitKey, type Reconciler } from '../controller-runtime/reconciler';
import { StatusError } from '../machinery/errors/status-error';
import type { KubeObject } from '../machinery/meta/types';
import { parseQuantity, type Quantity } from '../machinery/quantity/quantity';
import { defaultListOptions } from '../registry/list-options';
import type { ResourceRegistry } from '../registry/registry';
import { setPodCondition } from '../kinds/core/pod/pod.binding';
import type { Container, Pod } from '../kinds/core/pod/pod.types';
import { nodeSelectorTermsMatch, tolerates, type NodeSelectorTerm, type TaintLike } from '../machinery/selectors/node-selector';
import type { Clock } from './clock';
import { podVolumes } from './volume-binding';

export const DEFAULT_SCHEDULER = 'default-scheduler';

export interface Node extends KubeObject {
  spec?: { unschedulable?: boolean; taints?: TaintLike[]; podCIDR?: string };
  status?: { allocatable?: Record<string, string>; addresses?: { type?: string; address?: string }[] };
}

/** A pod's demand: cpu in millicores, memory in bytes, the other extended resources by name. */
export type Demand = Map<string, number>;

/** Unscheduled pods are retried at least this often, as the scheduler flushes its unschedulable queue. */
const RETRY_UNSCHEDULABLE_MS = 5 * 60 * 1000;
/** Requests the scorer assumes for a container that asks for nothing (non-zero defaults). */
const DEFAULT_MILLI_CPU = 100;
const DEFAULT_MEMORY = 200 * 1024 * 1024;

function quantityNumber(q: Quantity, milli: boolean): number {
  const value = Number(q.numerator) / 10 ** q.scale;
  return (q.negative ? -value : value) * (milli ? 1000 : 1);
}

function addList(into: Demand, list: Record<string, unknown> | undefined, max = false): void {
  for (const [name, raw] of Object.entries(list ?? {})) {
    const q = parseQuantity(raw);
    if (!q) continue;
    const value = quantityNumber(q, name === 'cpu');
    into.set(name, max ? Math.max(into.get(name) ?? 0, value) : (into.get(name) ?? 0) + value);
  }
}

/** The pod's effective requests: the sum of its containers, or the largest init container, plus overhead. */
export function podRequests(pod: Pod): Demand {
  const sum: Demand = new Map();
  for (const c of pod.spec?.containers ?? []) addList(sum, c.resources?.requests);
  // Restartable init containers (sidecars) run alongside the rest and add up.
  for (const c of pod.spec?.initContainers ?? []) if (c.restartPolicy === 'Always') addList(sum, c.resources?.requests);
  const init: Demand = new Map();
  for (const c of pod.spec?.initContainers ?? []) if (c.restartPolicy !== 'Always') addList(init, c.resources?.requests, true);
  for (const [name, value] of init) sum.set(name, Math.max(sum.get(name) ?? 0, value));
  addList(sum, pod.spec?.overhead);
  return sum;
}

function nonZeroRequests(pod: Pod): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const c of pod.spec?.containers ?? []) {
    const requests: Demand = new Map();
    addList(requests, (c as Container).resources?.requests);
    cpu += requests.get('cpu') || DEFAULT_MILLI_CPU;
    memory += requests.get('memory') || DEFAULT_MEMORY;
  }
  return { cpu, memory };
}

/** NodeAffinity's filter: the nodeSelector and the required node-affinity terms (ORed). */
export function matchesNodeAffinity(pod: Pod, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [key, value] of Object.entries(pod.spec?.nodeSelector ?? {})) if (labels[key] !== value) return false;
  const affinity = pod.spec?.affinity as { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] } } } | undefined;
  const terms = affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  return !terms || nodeSelectorTermsMatch(terms, { name: node.metadata.name ?? '', labels });
}

function hostPorts(pod: Pod): string[] {
  const ports: string[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) if (p.hostPort) ports.push(`${p.protocol ?? 'TCP'}/${p.hostPort}`);
  }
  return ports;
}

/** What the pods already on a node take. */
interface NodeUsage {
  requested: Demand;
  pods: number;
  ports: Set<string>;
  nonZero: { cpu: number; memory: number };
}

function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** One filter pass over a node: the reasons it cannot take the pod, and whether preemption could help. */
interface NodeVerdict {
  reasons: string[];
  resolvable: boolean;
}

function filterNode(pod: Pod, node: Node, usage: NodeUsage): NodeVerdict {
  const tolerations = pod.spec?.tolerations;
  if (node.spec?.unschedulable && !tolerates(tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) {
    return { reasons: ['node(s) were unschedulable'], resolvable: false };
  }
  const taint = (node.spec?.taints ?? []).find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tolerations, t));
  if (taint) return { reasons: [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`], resolvable: false };
  if (!matchesNodeAffinity(pod, node)) return { reasons: ["node(s) didn't match Pod's node affinity/selector"], resolvable: false };
  if (hostPorts(pod).some((p) => usage.ports.has(p))) return { reasons: ["node(s) didn't have free ports for the requested pod ports"], resolvable: true };
  const reasons: string[] = [];
  const allocatable: Demand = new Map();
  addList(allocatable, node.status?.allocatable);
  if (usage.pods + 1 > (allocatable.get('pods') ?? 0)) reasons.push('Too many pods');
  for (const [name, want] of podRequests(pod)) {
    if (want <= 0) continue;
    if (want > (allocatable.get(name) ?? 0) - (usage.requested.get(name) ?? 0)) reasons.push(`Insufficient ${name}`);
  }
  return { reasons, resolvable: true };
}

/** LeastAllocated over cpu and memory with the scorer's non-zero requests: the emptiest node wins. */
function score(pod: Pod, node: Node, usage: NodeUsage): number {
  const allocatable: Demand = new Map();
  addList(allocatable, node.status?.allocatable);
  const want = nonZeroRequests(pod);
  const free = (have: number, used: number) => (have > 0 ? Math.max(0, have - used) / have : 0);
  return (free(allocatable.get('cpu') ?? 0, usage.nonZero.cpu + want.cpu) + free(allocatable.get('memory') ?? 0, usage.nonZero.memory + want.memory)) / 2;
}

/** FitError.Error(): the per-reason node counts, then what preemption found. */
export function fitErrorMessage(verdicts: NodeVerdict[]): string {
  const histogram = (entries: string[]) => {
    const counts = new Map<string, number>();
    for (const entry of entries) counts.set(entry, (counts.get(entry) ?? 0) + 1);
    return [...counts].map(([reason, count]) => `${count} ${reason}`).sort();
  };
  const total = verdicts.length;
  let message = `0/${total} nodes are available`;
  const reasons = histogram(verdicts.flatMap((v) => v.reasons));
  message += reasons.length ? `: ${reasons.join(', ')}.` : ':';
  const preemption = histogram(verdicts.map((v) => (v.resolvable ? 'No preemption victims found for incoming pod' : 'Preemption is not helpful for scheduling')));
  return `${message} preemption: 0/${total} nodes are available: ${preemption.join(', ')}.`;
}

/** FitError.Error() when a PreFilter plugin rejected the pod before any node was looked at. */
function preFilterFailure(total: number, message: string): string {
  return `0/${total} nodes are available: ${message}. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
}

function wantsScheduling(pod: Pod): boolean {
  return !pod.spec?.nodeName && (pod.spec?.schedulerName ?? DEFAULT_SCHEDULER) === DEFAULT_SCHEDULER && !pod.metadata.deletionTimestamp && !pod.spec?.schedulingGates?.length;
}

export function scheduler(registry: ResourceRegistry, clock: Clock): Reconciler {
  const pods = registry.forKind<Pod>('', 'Pod');
  const nodes = registry.forKind<Node>('', 'Node');
  const events = new EventRecorder(registry, clock, { component: DEFAULT_SCHEDULER });
  const waiting = new Set<string>();
  const everyWaiting = () => [...waiting];

  async function usageByNode(): Promise<Map<string, NodeUsage>> {
    const usage = new Map<string, NodeUsage>();
    for (const { object } of (await pods.list(undefined, defaultListOptions())).items) {
      const pod = object as Pod;
      const nodeName = pod.spec?.nodeName;
      if (!nodeName || isTerminal(pod)) continue;
      let entry = usage.get(nodeName);
      if (!entry) usage.set(nodeName, (entry = { requested: new Map(), pods: 0, ports: new Set(), nonZero: { cpu: 0, memory: 0 } }));
      entry.pods += 1;
      for (const [name, value] of podRequests(pod)) entry.requested.set(name, (entry.requested.get(name) ?? 0) + value);
      for (const port of hostPorts(pod)) entry.ports.add(port);
      const nonZero = nonZeroRequests(pod);
      entry.nonZero.cpu += nonZero.cpu;
      entry.nonZero.memory += nonZero.memory;
    }
    return usage;
  }

  return {
    name: 'scheduler',
    watches: [
      {
        group: '',
        kind: 'Pod',
        // A pod that leaves a node (deleted, or finished) frees room for the ones still waiting.
        keysFor: (obj) => {
          const pod = obj as Pod;
          if (wantsScheduling(pod)) return [objectKey(pod)];
          return isTerminal(pod) ? everyWaiting() : [];
        },
        keysForDeleted: (obj) => ((obj as Pod).spec?.nodeName ? everyWaiting() : []),
      },
      { group: '', kind: 'Node', keysFor: everyWaiting },
      // Pods wait for their claims to be bound (or to exist).
      { group: '', kind: 'PersistentVolumeClaim', keysFor: everyWaiting },
    ],
    async reconcile(key) {
      const { namespace, name } = splitKey(key);
      const pod = pods.find(namespace, name)?.object as Pod | undefined;
      if (!pod || !wantsScheduling(pod)) {
        waiting.delete(key);
        return;
      }
      const usage = await usageByNode();
      const candidates = (await nodes.list(undefined, defaultListOptions())).items.map((e) => e.object as Node).filter((n) => !n.metadata.deletionTimestamp);
      const empty: NodeUsage = { requested: new Map(), pods: 0, ports: new Set(), nonZero: { cpu: 0, memory: 0 } };
      const verdicts: NodeVerdict[] = [];
      const volumes = podVolumes(registry, pod);
      let best: { node: Node; score: number; ties: number } | undefined;
      for (const node of volumes.preFilterMessage ? [] : candidates) {
        const nodeUsage = usage.get(node.metadata.name!) ?? empty;
        const verdict = filterNode(pod, node, nodeUsage);
        const volumeReason = verdict.reasons.length ? undefined : volumes.nodeReason(node);
        if (volumeReason) Object.assign(verdict, { reasons: [volumeReason], resolvable: false });
        verdicts.push(verdict);
        if (verdict.reasons.length) continue;
        const s = score(pod, node, nodeUsage);
        // Equal scores are broken at random (reservoir sampling), as the real scheduler does.
        if (!best || s > best.score) best = { node, score: s, ties: 1 };
        else if (s === best.score && Math.random() * ++best.ties < 1) best.node = node;
      }
      if (!best) {
        waiting.add(key);
        const message = volumes.preFilterMessage ? preFilterFailure(candidates.length, volumes.preFilterMessage) : fitErrorMessage(verdicts);
        const condition = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
        if (condition?.status !== 'False' || condition.message !== message) {
          await pods.guaranteedUpdate(namespace, name, (current) => {
            setPodCondition(current, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }, clock.now());
            return current;
          }, { fieldManager: DEFAULT_SCHEDULER }, 'status');
          await events.record(pod, 'Warning', 'FailedScheduling', message);
        }
        return { requeueAfterMs: RETRY_UNSCHEDULABLE_MS };
      }
      // The claims are bound first; the claim's change brings the pod back here.
      if (!(await volumes.prepare(best.node))) {
        waiting.add(key);
        return { requeueAfterMs: RETRY_UNSCHEDULABLE_MS };
      }
      waiting.delete(key);
      const nodeName = best.node.metadata.name!;
      try {
        await pods.act(namespace, name, 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace, uid: pod.metadata.uid }, target: { kind: 'Node', name: nodeName } });
      } catch (err) {
        // Bound or deleted meanwhile: nothing left to do for this pod.
        if (err instanceof StatusError && (err.code === 409 || err.code === 404)) return;
        throw err;
      }
      await events.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${nodeName}`);
    },
  };
}
