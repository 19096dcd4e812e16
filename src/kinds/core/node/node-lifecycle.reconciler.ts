/**
 * The node lifecycle and taint-eviction reconcilers of the controller manager, with pod garbage
 * collection for deleted nodes. A node whose kubelet has not renewed its Lease for the grace period
 * (50 s, the 1.32+ default) has its conditions set to Unknown, gets the unreachable taints, and its
 * pods are marked not ready; pods that tolerate the NoExecute taint for a while (300 s by default
 * admission) are deleted when that time is up, the others at once, so their controllers replace
 * them on other nodes. A node heard from again is untainted. Pods bound to a node that was deleted
 * are removed outright.
 */
import { EventRecorder } from '../../../controller-runtime/event-recorder';
import { defineReconciler, type Reconciler } from '../../../controller-runtime/reconciler';
import { StatusError } from '../../../machinery/errors/status-error';
import type { KubeObject } from '../../../machinery/meta/types';
import { toleratesTaint } from '../../../machinery/selectors/node-selector';
import type { ResourceRegistry } from '../../../registry/registry';
import { formatTime, type Clock } from '../../../simulation/clock';
import { setPodCondition } from '../pod/pod.binding';
import type { Pod } from '../pod/pod.types';
import type { NodeCondition, Taint } from './node.types';

export const NODE_MONITOR_GRACE_MS = 50_000;
const NODE_MONITOR_PERIOD_MS = 5_000;
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';
const NODE_LEASE_NAMESPACE = 'kube-node-lease';
const CONTROLLER_WRITE = { fieldManager: 'kube-controller-manager' };

interface NodeObject extends KubeObject {
  spec?: { taints?: Taint[]; unschedulable?: boolean };
  status?: { conditions?: NodeCondition[] };
}

const ms = (t: string | undefined) => (t ? Date.parse(t) || 0 : 0);

/** When a pod tolerating the taint must go: now for none, never for an unlimited toleration. */
function evictionTime(pod: Pod, taint: Taint): number {
  const matching = (pod.spec?.tolerations ?? []).filter((t) => toleratesTaint(t, taint));
  if (!matching.length) return ms(taint.timeAdded);
  if (matching.some((t) => t.tolerationSeconds === undefined)) return Infinity;
  return ms(taint.timeAdded) + Math.min(...matching.map((t) => Math.max(0, t.tolerationSeconds!))) * 1000;
}

export const nodeLifecycleReconciler = defineReconciler((registry: ResourceRegistry, clock: Clock): Reconciler => {
  const nodes = registry.forKind<NodeObject>('', 'Node');
  const pods = registry.forKind<Pod>('', 'Pod');
  const leases = registry.forKind('coordination.k8s.io', 'Lease');
  const nodeEvents = new EventRecorder(registry, clock, { component: 'node-controller' });
  const evictionEvents = new EventRecorder(registry, clock, { component: 'taint-eviction-controller' });
  const observed = new Map<string, { signal: string; at: number }>();
  const podsOn = (name: string) => [...pods.cachedObjects()].filter((p) => p.spec?.nodeName === name);

  async function markUnreachable(node: NodeObject, now: Date): Promise<void> {
    const name = node.metadata.name!;
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    const time = formatTime(now);
    if (ready?.status !== 'Unknown') {
      await nodes.guaranteedUpdate(undefined, name, (current) => ({
        ...current,
        status: {
          ...current.status,
          conditions: (current.status?.conditions ?? []).map((c) => ({ ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: time })),
        },
      }), CONTROLLER_WRITE, 'status');
      await nodeEvents.record(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
      for (const pod of podsOn(name)) {
        if (!pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
        await pods.guaranteedUpdate(pod.metadata.namespace, pod.metadata.name!, (current) => {
          setPodCondition(current, { type: 'Ready', status: 'False' }, now);
          return current;
        }, CONTROLLER_WRITE, 'status');
        await nodeEvents.record(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
      }
    }
    const taints = node.spec?.taints ?? [];
    if (!taints.some((t) => t.key === UNREACHABLE_TAINT && t.effect === 'NoExecute')) {
      await nodes.guaranteedUpdate(undefined, name, (current) => ({
        ...current,
        spec: {
          ...current.spec,
          taints: [...(current.spec?.taints ?? []).filter((t) => t.key !== UNREACHABLE_TAINT), { key: UNREACHABLE_TAINT, effect: 'NoSchedule', timeAdded: time }, { key: UNREACHABLE_TAINT, effect: 'NoExecute', timeAdded: time }],
        },
      }), CONTROLLER_WRITE);
    }
  }

  /** Taint eviction: deletes the pods whose toleration of a NoExecute taint has run out; answers when to look again. */
  async function evict(node: NodeObject, now: number): Promise<number> {
    let next = Infinity;
    const noExecute = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
    if (!noExecute.length) return next;
    for (const pod of podsOn(node.metadata.name!)) {
      if (pod.metadata.deletionTimestamp) continue;
      const due = Math.min(...noExecute.map((t) => evictionTime(pod, t)));
      if (due > now) {
        next = Math.min(next, due);
        continue;
      }
      await evictionEvents.record(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`);
      await pods.delete(pod.metadata.namespace, pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } });
    }
    return next;
  }

  return {
    name: 'node-lifecycle',
    watches: [
      { group: '', kind: 'Node' },
      { group: 'coordination.k8s.io', kind: 'Lease', keysFor: (lease) => (lease.metadata.namespace === NODE_LEASE_NAMESPACE ? [lease.metadata.name!] : []) },
    ],
    async reconcile(name) {
      const node = nodes.find(undefined, name)?.object as NodeObject | undefined;
      try {
        if (!node) {
          observed.delete(name);
          // Pod garbage collection: pods bound to a node that no longer exists go at once.
          for (const pod of podsOn(name)) await pods.delete(pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0 });
          return;
        }
        const now = clock.now().getTime();
        // Like the real controller, time is counted from when this reconciler saw the kubelet's last
        // sign of life change, not from the timestamps it wrote (kubemu may have been stopped meanwhile).
        const lease = leases.find(NODE_LEASE_NAMESPACE, name)?.object as { spec?: { renewTime?: string } } | undefined;
        const signal = [lease?.spec?.renewTime, ...(node.status?.conditions ?? []).map((c) => c.lastHeartbeatTime)].join('|');
        let seen = observed.get(name);
        if (!seen || seen.signal !== signal) observed.set(name, (seen = { signal, at: now }));
        const lastSeen = seen.at;
        if (now - lastSeen < NODE_MONITOR_GRACE_MS) {
          if ((node.spec?.taints ?? []).some((t) => t.key === UNREACHABLE_TAINT)) {
            await nodes.guaranteedUpdate(undefined, name, (current) => {
              const taints = (current.spec?.taints ?? []).filter((t) => t.key !== UNREACHABLE_TAINT);
              const { taints: _removed, ...rest } = current.spec ?? {};
              return { ...current, spec: taints.length ? { ...rest, taints } : rest };
            }, CONTROLLER_WRITE);
          }
          return { requeueAfterMs: lastSeen + NODE_MONITOR_GRACE_MS - now + NODE_MONITOR_PERIOD_MS };
        }
        await markUnreachable(node, new Date(now));
        const current = nodes.find(undefined, name)?.object as NodeObject;
        const next = await evict(current, now);
        return { requeueAfterMs: Number.isFinite(next) ? Math.max(1, next - now) : NODE_MONITOR_PERIOD_MS };
      } catch (err) {
        if (err instanceof StatusError && [404, 409].includes(err.code)) return { requeueAfterMs: NODE_MONITOR_PERIOD_MS };
        throw err;
      }
    },
  };
});
