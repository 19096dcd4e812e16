/**
 * The simulated kubelets' heartbeats: each node's Lease in kube-node-lease (owned by its Node) is
 * renewed every 10 s, and the node's conditions report a fresh lastHeartbeatTime every five
 * minutes (nodeStatusReportFrequency) — what the node lifecycle controller and
 * `kubectl describe node` read to tell that a node is alive.
 */
import type { Reconciler } from '../controller-runtime/reconciler';
import { StatusError } from '../machinery/errors/status-error';
import type { KubeObject } from '../machinery/meta/types';
import type { ResourceRegistry } from '../registry/registry';
import { formatTime, type Clock } from './clock';
import { isKubeletStopped } from './kubelet';
import { simulatedConditions } from './nodes';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
const LEASE_DURATION_SECONDS = 40;
const RENEW_INTERVAL_MS = 10_000;
const STATUS_REPORT_MS = 5 * 60_000;

interface NodeObject extends KubeObject {
  status?: { conditions?: { type?: string; status?: string; lastHeartbeatTime?: string }[] };
}

interface LeaseObject extends KubeObject {
  spec?: { holderIdentity?: string; leaseDurationSeconds?: number; renewTime?: string };
}

/** metav1.MicroTime's wire form: six fractional digits. */
function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function nodeHeartbeats(registry: ResourceRegistry, clock: Clock, simulated: (nodeName: string) => boolean): Reconciler {
  const nodes = registry.forKind<NodeObject>('', 'Node');
  const leases = registry.forKind<LeaseObject>('coordination.k8s.io', 'Lease');
  return {
    name: 'node-heartbeat',
    watches: [
      { group: '', kind: 'Node', keysFor: (node) => (simulated(node.metadata.name!) ? [node.metadata.name!] : []) },
      { group: 'coordination.k8s.io', kind: 'Lease', keysFor: (lease) => (lease.metadata.namespace === NODE_LEASE_NAMESPACE && simulated(lease.metadata.name!) ? [lease.metadata.name!] : []) },
    ],
    async reconcile(name) {
      const node = nodes.find(undefined, name)?.object as NodeObject | undefined;
      if (!node || node.metadata.deletionTimestamp || isKubeletStopped(node) || !registry.forKind('', 'Namespace').find(undefined, NODE_LEASE_NAMESPACE)) return;
      const now = clock.now();
      try {
        const lease = leases.find(NODE_LEASE_NAMESPACE, name)?.object as LeaseObject | undefined;
        const renewedAt = Date.parse(lease?.spec?.renewTime ?? '') || 0;
        if (!lease) {
          await leases.create(NODE_LEASE_NAMESPACE, {
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: { name, namespace: NODE_LEASE_NAMESPACE, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid! }] },
            spec: { holderIdentity: name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime(now) },
          }, { fieldManager: 'kubelet' });
        } else if (now.getTime() - renewedAt >= RENEW_INTERVAL_MS) {
          await leases.guaranteedUpdate(NODE_LEASE_NAMESPACE, name, (current) => ({ ...current, spec: { ...current.spec, holderIdentity: name, renewTime: microTime(now) } }), { fieldManager: 'kubelet' });
        }
        const beat = Math.max(0, ...(node.status?.conditions ?? []).map((c) => Date.parse(c.lastHeartbeatTime ?? '') || 0));
        const healthy = simulatedConditions(now);
        const recovered = !(node.status?.conditions ?? []).every((c) => healthy.find((h) => h.type === c.type)?.status === c.status);
        if (recovered || now.getTime() - beat >= STATUS_REPORT_MS) {
          const time = formatTime(now);
          // A kubelet back after an outage reports its conditions afresh; otherwise only the heartbeat moves.
          await nodes.guaranteedUpdate(undefined, name, (current) => ({
            ...current,
            status: { ...current.status, conditions: recovered ? healthy : (current.status?.conditions ?? []).map((c) => ({ ...c, lastHeartbeatTime: time })) },
          }), { fieldManager: 'kubelet' }, 'status');
        }
        const nextRenew = RENEW_INTERVAL_MS - Math.min(RENEW_INTERVAL_MS, now.getTime() - (lease ? renewedAt : now.getTime()));
        return { requeueAfterMs: Math.max(1, nextRenew || RENEW_INTERVAL_MS) };
      } catch (err) {
        // Written meanwhile (the watch brings the key back) or the namespace is going away.
        if (err instanceof StatusError && [403, 404, 409].includes(err.code)) return;
        throw err;
      }
    },
  };
}
