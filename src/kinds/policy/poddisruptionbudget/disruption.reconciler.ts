import { controllerOf, CONTROLLER_WRITE } from '../../../controller-runtime/controller-ref';
import { EventRecorder } from '../../../controller-runtime/event-recorder';
import { defineReconciler, objectKey, splitKey, type Reconciler } from '../../../controller-runtime/reconciler';
import { StatusError } from '../../../machinery/errors/status-error';
import type { KubeObject } from '../../../machinery/meta/types';
import { LabelSelector } from '../../../machinery/selectors/label-selector';
import { semanticEqual } from '../../../machinery/validation/common';
import type { ResourceRegistry } from '../../../registry/registry';
import { formatTime, type Clock } from '../../../simulation/clock';
import { isPodReady } from '../../apps/replicaset/replica-manager';
import type { Pod } from '../../core/pod/pod.types';
import { POLICY_GROUP, scaledValue, setDisruptionAllowedCondition, type PodDisruptionBudget, type PodDisruptionBudgetStatus } from './pdb.types';

const COMPONENT = 'controllermanager';
/** How long an eviction's entry in disruptedPods counts the pod as going away (DeletionTimeout). */
export const DELETION_TIMEOUT_MS = 2 * 60 * 1000;

/** The pods a budget covers: its namespace's pods its selector matches (none for a missing selector). */
export function podsOfBudget(pdb: PodDisruptionBudget, pods: Iterable<Pod>): Pod[] {
  if (!pdb.spec?.selector) return [];
  const selector = LabelSelector.fromObject(pdb.spec.selector);
  return [...pods].filter((pod) => selector.matches(pod.metadata.labels));
}

interface Scaled extends KubeObject {
  spec?: { replicas?: number };
}

/**
 * getExpectedScale: the replicas the pods' controllers want, each controller counted once (a
 * ReplicaSet of a Deployment counts as the Deployment). Pods without a controller are unmanaged.
 */
function expectedScale(registry: ResourceRegistry, pods: Pod[]): { expected: number; unmanaged: string[] } {
  const controllers = new Map<string, number>();
  const unmanaged: string[] = [];
  const lookup = (group: string, kind: string, namespace: string, name: string, uid: string): Scaled | undefined => {
    const found = registry.forKind<Scaled>(group, kind).find(namespace, name)?.object as Scaled | undefined;
    return found?.metadata.uid === uid ? found : undefined;
  };
  for (const pod of pods) {
    const ref = controllerOf(pod);
    if (!ref) {
      unmanaged.push(pod.metadata.name!);
      continue;
    }
    const namespace = pod.metadata.namespace!;
    let owner: Scaled | undefined;
    if (ref.kind === 'ReplicaSet' && ref.apiVersion.startsWith('apps/')) {
      const rs = lookup('apps', 'ReplicaSet', namespace, ref.name, ref.uid);
      const deploymentRef = rs && controllerOf(rs);
      owner = deploymentRef?.kind === 'Deployment' ? (lookup('apps', 'Deployment', namespace, deploymentRef.name, deploymentRef.uid) ?? rs) : rs;
    } else if (ref.kind === 'StatefulSet' && ref.apiVersion.startsWith('apps/')) {
      owner = lookup('apps', 'StatefulSet', namespace, ref.name, ref.uid);
    } else if (ref.kind === 'ReplicationController' && ref.apiVersion === 'v1') {
      owner = lookup('', 'ReplicationController', namespace, ref.name, ref.uid);
    } else {
      throw new Error(`found no controllers for pod "${pod.metadata.name}"`);
    }
    if (!owner) throw new Error(`found no controllers for pod "${pod.metadata.name}"`);
    controllers.set(owner.metadata.uid!, owner.spec?.replicas ?? 1);
  }
  let expected = 0;
  for (const replicas of controllers.values()) expected += replicas;
  return { expected, unmanaged };
}

/**
 * The disruption controller: each PodDisruptionBudget's status says how many of its pods are
 * healthy, how many must be, and so how many may be disrupted now, which the eviction subresource
 * reads. Evictions it has not seen carried out yet (disruptedPods) do not count as healthy.
 */
export const disruptionReconciler = defineReconciler((registry: ResourceRegistry, clock: Clock): Reconciler => {
  const budgets = registry.forKind<PodDisruptionBudget>(POLICY_GROUP, 'PodDisruptionBudget');
  const pods = registry.forKind<Pod>('', 'Pod');
  const events = new EventRecorder(registry, clock, { component: COMPONENT });

  const budgetsOfPod = (obj: KubeObject): string[] =>
    [...budgets.cachedObjects(obj.metadata.namespace)].filter((pdb) => podsOfBudget(pdb, [obj as Pod]).length > 0).map(objectKey);
  const budgetsOfNamespace = (obj: KubeObject): string[] => [...budgets.cachedObjects(obj.metadata.namespace)].map(objectKey);

  async function writeStatus(pdb: PodDisruptionBudget, status: PodDisruptionBudgetStatus): Promise<void> {
    if (semanticEqual(status, pdb.status ?? {})) return;
    await budgets.guaranteedUpdate(pdb.metadata.namespace, pdb.metadata.name!, (current) => ({ ...current, status }), CONTROLLER_WRITE, 'status');
  }

  return {
    name: 'disruption',
    watches: [
      { group: POLICY_GROUP, kind: 'PodDisruptionBudget' },
      { group: '', kind: 'Pod', keysFor: budgetsOfPod },
      { group: 'apps', kind: 'ReplicaSet', keysFor: budgetsOfNamespace },
      { group: 'apps', kind: 'Deployment', keysFor: budgetsOfNamespace },
      { group: 'apps', kind: 'StatefulSet', keysFor: budgetsOfNamespace },
      { group: '', kind: 'ReplicationController', keysFor: budgetsOfNamespace },
    ],
    async reconcile(key) {
      const { namespace, name } = splitKey(key);
      const pdb = budgets.find(namespace, name)?.object as PodDisruptionBudget | undefined;
      if (!pdb || pdb.metadata.deletionTimestamp) return;
      const now = clock.now();
      const nowText = formatTime(now);
      const covered = podsOfBudget(pdb, pods.cachedObjects(namespace));
      const spec = pdb.spec ?? {};
      try {
        if (!covered.length) await events.record(pdb, 'Normal', 'NoPods', 'No matching pods found');
        let expectedCount: number;
        let desiredHealthy: number;
        const percentMin = typeof spec.minAvailable === 'string';
        if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
          const { expected, unmanaged } = expectedScale(registry, covered);
          if (unmanaged.length) await events.record(pdb, 'Warning', 'UnmanagedPods', unmanagedMessage(pdb));
          expectedCount = expected;
          desiredHealthy = Math.max(0, expectedCount - scaledValue(spec.maxUnavailable, expectedCount, true));
        } else if (percentMin) {
          const { expected, unmanaged } = expectedScale(registry, covered);
          if (unmanaged.length) await events.record(pdb, 'Warning', 'UnmanagedPods', unmanagedMessage(pdb));
          expectedCount = expected;
          desiredHealthy = scaledValue(spec.minAvailable!, expectedCount, true);
        } else {
          expectedCount = covered.length;
          desiredHealthy = typeof spec.minAvailable === 'number' ? spec.minAvailable : 0;
        }

        // buildDisruptedPodMap: evictions of pods that still exist, are not yet being deleted, and are recent.
        const disrupted: Record<string, string> = {};
        let recheckMs: number | undefined;
        const byName = new Map(covered.map((p) => [p.metadata.name!, p]));
        for (const [podName, at] of Object.entries(pdb.status?.disruptedPods ?? {})) {
          const pod = byName.get(podName);
          if (!pod || pod.metadata.deletionTimestamp) continue;
          const expiresAt = Date.parse(at) + DELETION_TIMEOUT_MS;
          if (expiresAt < now.getTime()) continue;
          disrupted[podName] = at;
          recheckMs = Math.min(recheckMs ?? Infinity, expiresAt - now.getTime());
        }
        const currentHealthy = covered.filter((p) => !p.metadata.deletionTimestamp && !(p.metadata.name! in disrupted) && isPodReady(p)).length;
        let disruptionsAllowed = currentHealthy - desiredHealthy;
        if (expectedCount <= 0 || disruptionsAllowed <= 0) disruptionsAllowed = 0;
        const status: PodDisruptionBudgetStatus = {
          observedGeneration: pdb.metadata.generation,
          ...(Object.keys(disrupted).length ? { disruptedPods: disrupted } : {}),
          disruptionsAllowed,
          currentHealthy,
          desiredHealthy,
          expectedPods: expectedCount,
          conditions: structuredClone(pdb.status?.conditions ?? []),
        };
        setDisruptionAllowedCondition(status, nowText);
        await writeStatus(pdb, status);
        return recheckMs !== undefined ? { requeueAfterMs: recheckMs + 1000 } : undefined;
      } catch (err) {
        if (err instanceof StatusError) {
          if ([404, 409].includes(err.code)) return;
          throw err;
        }
        // failSafe: a budget that cannot be computed allows no disruption.
        const message = (err as Error).message;
        await events.record(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${message}`);
        const status: PodDisruptionBudgetStatus = { ...structuredClone(pdb.status ?? {}), observedGeneration: pdb.metadata.generation, disruptionsAllowed: 0 };
        setDisruptionAllowedCondition(status, nowText, { reason: 'SyncFailed', message });
        await writeStatus(pdb, status);
        return undefined;
      }
    },
  };
});

function unmanagedMessage(pdb: PodDisruptionBudget): string {
  const selector = LabelSelector.fromObject(pdb.spec?.selector ?? null).toString();
  return `Pods selected by this PodDisruptionBudget (selector: ${selector}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`;
}
