/**
 * The ReplicaSet controller of the controller manager (pkg/controller/replicaset), parameterised by
 * kind so that ReplicationController can share it: keep exactly spec.replicas active pods from the
 * template, owned through a controller reference, and report what they are doing in the status.
 *
 * Reads come from the watch cache, writes go through the kinds' stores. A write is in the cache by
 * the time it resolves and one key is never reconciled twice at once, so a pass always sees the
 * pods the previous pass created: the upstream "expectations" bookkeeping has nothing to do here.
 */
import { claimDependents, CONTROLLER_WRITE, controllerOf, newControllerRef } from '../../../controller-runtime/controller-ref';
import { EventRecorder } from '../../../controller-runtime/event-recorder';
import { objectKey, splitKey, type Reconciler, type ReconcileResult } from '../../../controller-runtime/reconciler';
import { StatusError } from '../../../machinery/errors/status-error';
import { parseApiVersion, type KubeObject } from '../../../machinery/meta/types';
import { LabelSelector } from '../../../machinery/selectors/label-selector';
import { deepEqual } from '../../../registry/generic-store';
import { defaultListOptions } from '../../../registry/list-options';
import type { ResourceRegistry } from '../../../registry/registry';
import { formatTime, type Clock } from '../../../simulation/clock';
import type { Pod, PodCondition } from '../../core/pod/pod.types';
import type { PodTemplateSpec } from '../pod-template';
import type { ReplicaSetCondition } from './replicaset.types';

/** What differs between the kinds this controller runs for. */
export interface ReplicatedKind<T extends KubeObject> {
  group: string;
  kind: string;
  /** The reconciler's and the event source's name ("replicaset-controller"). */
  component: string;
  selectorOf(obj: T): LabelSelector;
  replicasOf(obj: T): number;
  minReadySecondsOf(obj: T): number;
  templateOf(obj: T): PodTemplateSpec | undefined;
}

export interface ReplicaStatus {
  replicas: number;
  fullyLabeledReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  observedGeneration?: number;
}

/** Upstream's burstReplicas: at most this many creations or deletions per pass. */
const BURST_REPLICAS = 500;
/** Creations start with one pod and double while they succeed (slowStartBatch). */
const SLOW_START_INITIAL_BATCH = 1;

// ---------------------------------------------------------------- pod state

export function readyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return readyCondition(pod)?.status === 'True';
}

/** podutil.IsPodAvailable: ready, and for at least minReadySeconds. */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: Date): boolean {
  const ready = readyCondition(pod);
  if (ready?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  const since = ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : NaN;
  return !Number.isNaN(since) && since + minReadySeconds * 1000 < now.getTime();
}

/** controller.FilterActivePods: neither finished nor being deleted. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * The order of ActivePodsWithRanks: pods to delete first come first — unscheduled, then pending
 * before running, not ready before ready, lower deletion cost, ready for less time, more restarts,
 * and finally the newest.
 */
export function comparePodsForDeletion(a: Pod, b: Pod): number {
  const assigned = (p: Pod) => (p.spec?.nodeName ? 1 : 0);
  if (assigned(a) !== assigned(b)) return assigned(a) - assigned(b);
  const phase = (p: Pod) => PHASE_RANK[p.status?.phase ?? ''] ?? 1;
  if (phase(a) !== phase(b)) return phase(a) - phase(b);
  const ready = (p: Pod) => (isPodReady(p) ? 1 : 0);
  if (ready(a) !== ready(b)) return ready(a) - ready(b);
  const cost = (p: Pod) => Number(p.metadata.annotations?.['controller.kubernetes.io/pod-deletion-cost'] ?? 0) || 0;
  if (cost(a) !== cost(b)) return cost(a) - cost(b);
  if (ready(a) && ready(b)) {
    const readySince = (p: Pod) => Date.parse(readyCondition(p)?.lastTransitionTime ?? '') || 0;
    if (readySince(a) !== readySince(b)) return readySince(b) - readySince(a);
  }
  const restarts = (p: Pod) => (p.status?.containerStatuses ?? []).reduce((sum, c) => sum + (c.restartCount ?? 0), 0);
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  const created = (p: Pod) => Date.parse(p.metadata.creationTimestamp ?? '') || 0;
  return created(b) - created(a);
}

/** The counts calculateStatus reports for the pods a controller owns. */
export function replicaStatusOf(pods: readonly Pod[], template: PodTemplateSpec | undefined, minReadySeconds: number, now: Date): ReplicaStatus {
  const templateLabels = Object.entries(template?.metadata?.labels ?? {});
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of pods) {
    const labels = pod.metadata.labels ?? {};
    if (templateLabels.every(([k, v]) => labels[k] === v)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReadySeconds, now)) available++;
    }
  }
  return { replicas: pods.length, fullyLabeledReplicas: fullyLabeled, readyReplicas: ready, availableReplicas: available };
}

/** The pod a controller makes from its template (controller.GetPodFromTemplate). */
export function podFromTemplate(owner: KubeObject, template: PodTemplateSpec | undefined): Pod {
  const meta = template?.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${owner.metadata.name}-`,
      namespace: owner.metadata.namespace,
      ...(meta.labels ? { labels: { ...meta.labels } } : {}),
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(Array.isArray(meta.finalizers) && meta.finalizers.length ? { finalizers: [...(meta.finalizers as string[])] } : {}),
      ownerReferences: [newControllerRef(owner)],
    },
    spec: structuredClone(template?.spec ?? {}),
  };
}

// ---------------------------------------------------------------- the reconciler

export function replicaManager<T extends KubeObject & { status?: unknown }>(registry: ResourceRegistry, clock: Clock, target: ReplicatedKind<T>): Reconciler {
  const owners = registry.forKind<T>(target.group, target.kind);
  const pods = registry.forKind<Pod>('', 'Pod');
  const events = new EventRecorder(registry, clock, { component: target.component });
  /** namespace → owner name → selector, to find the owners an orphan pod may belong to. */
  const selectors = new Map<string, Map<string, LabelSelector>>();

  const index = (owner: T, removed: boolean): string[] => {
    const namespace = owner.metadata.namespace ?? '';
    let byName = selectors.get(namespace);
    if (removed) {
      byName?.delete(owner.metadata.name!);
    } else {
      if (!byName) selectors.set(namespace, (byName = new Map()));
      byName.set(owner.metadata.name!, safeSelector(() => target.selectorOf(owner)));
    }
    return [objectKey(owner)];
  };

  /** A pod change concerns its controller, or (an orphan) every owner whose selector matches it. */
  const ownersOfPod = (pod: KubeObject): string[] => {
    const ref = controllerOf(pod);
    const namespace = pod.metadata.namespace ?? '';
    if (ref) return ref.kind === target.kind && parseApiVersion(ref.apiVersion).group === target.group ? [`${namespace}/${ref.name}`] : [];
    const keys: string[] = [];
    for (const [name, selector] of selectors.get(namespace) ?? []) if (selector.matches(pod.metadata.labels)) keys.push(`${namespace}/${name}`);
    return keys;
  };

  const createPods = async (owner: T, count: number): Promise<void> => {
    let remaining = Math.min(count, BURST_REPLICAS);
    for (let batch = SLOW_START_INITIAL_BATCH; remaining > 0; batch *= 2) {
      const size = Math.min(batch, remaining);
      const results = await Promise.allSettled(
        Array.from({ length: size }, () => pods.create(owner.metadata.namespace, podFromTemplate(owner, target.templateOf(owner)), CONTROLLER_WRITE)),
      );
      let failed: unknown;
      for (const result of results) {
        if (result.status === 'fulfilled') {
          await events.record(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${result.value.object.metadata.name}`);
        } else {
          failed ??= result.reason;
          const message = result.reason instanceof Error ? result.reason.message : String(result.reason);
          await events.record(owner, 'Warning', 'FailedCreate', `Error creating: ${message}`);
        }
      }
      // The rest of this pass is skipped after a failure, as upstream's slow start does.
      if (failed) throw failed;
      remaining -= size;
    }
  };

  const deletePods = async (owner: T, victims: readonly Pod[]): Promise<void> => {
    for (const pod of victims) {
      try {
        await pods.delete(pod.metadata.namespace, pod.metadata.name!);
        await events.record(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
      } catch (err) {
        if (err instanceof StatusError && err.code === 404) continue;
        await events.record(owner, 'Warning', 'FailedDelete', `Error deleting: ${(err as Error).message}`);
        throw err;
      }
    }
  };

  return {
    name: target.component,
    watches: [
      { group: target.group, kind: target.kind, keysFor: (obj) => index(obj as T, false), keysForDeleted: (obj) => index(obj as T, true) },
      { group: '', kind: 'Pod', keysFor: ownersOfPod },
    ],

    async reconcile(key): Promise<ReconcileResult | void> {
      const { namespace, name } = splitKey(key);
      const owner = owners.find(namespace, name)?.object as T | undefined;
      if (!owner) return;
      let selector: LabelSelector;
      try {
        selector = target.selectorOf(owner);
      } catch {
        return; // An invalid selector cannot be acted on; validation keeps them out.
      }
      const { items } = await pods.list(namespace, defaultListOptions());
      const active = items.map((entry) => entry.object as Pod).filter(isPodActive);
      const owned = await claimDependents(owner, (pod) => selector.matches(pod.metadata.labels), active, pods);

      let manageError: unknown;
      const diff = owned.length - target.replicasOf(owner);
      if (!owner.metadata.deletionTimestamp) {
        try {
          if (diff < 0) await createPods(owner, -diff);
          else if (diff > 0) await deletePods(owner, [...owned].sort(comparePodsForDeletion).slice(0, Math.min(diff, BURST_REPLICAS)));
        } catch (err) {
          manageError = err;
        }
      }

      // The status reflects the pods as they are after this pass's creations and deletions.
      const now = clock.now();
      const current = (await pods.list(namespace, defaultListOptions())).items
        .map((entry) => entry.object as Pod)
        .filter((pod) => isPodActive(pod) && controllerOf(pod)?.uid === owner.metadata.uid && selector.matches(pod.metadata.labels));
      const minReadySeconds = target.minReadySecondsOf(owner);
      const status = { ...replicaStatusOf(current, target.templateOf(owner), minReadySeconds, now), observedGeneration: owner.metadata.generation };
      const previous = (owner.status ?? {}) as { conditions?: ReplicaSetCondition[] };
      const conditions = failureConditions(previous.conditions ?? [], manageError, diff, formatTime(now));
      const wire = wireStatus(status, conditions);
      if (!deepEqual(wire, owner.status ?? {})) {
        try {
          await owners.guaranteedUpdate(namespace, name, (latest) => ({ ...latest, status: wire }), CONTROLLER_WRITE, 'status');
        } catch (err) {
          if (!(err instanceof StatusError && err.code === 404)) throw err;
        }
      }
      if (manageError) throw manageError;
      // Pods ready but not yet available become available without any event: look again then.
      if (minReadySeconds > 0 && status.readyReplicas === target.replicasOf(owner) && status.availableReplicas !== status.readyReplicas) {
        return { requeueAfterMs: minReadySeconds * 1000 };
      }
    },
  };
}

/** The status as Go encodes it: counts other than replicas are omitted when zero. */
function wireStatus(status: ReplicaStatus, conditions: ReplicaSetCondition[]): Record<string, unknown> {
  const wire: Record<string, unknown> = { replicas: status.replicas };
  for (const field of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'] as const) if (status[field]) wire[field] = status[field];
  if (conditions.length) wire.conditions = conditions;
  return wire;
}

/**
 * calculateStatus's ReplicaFailure condition: set when creating or deleting pods failed (and not
 * already shown), removed once a pass manages its pods without error.
 */
function failureConditions(conditions: ReplicaSetCondition[], manageError: unknown, diff: number, now: string): ReplicaSetCondition[] {
  const failure = conditions.find((c) => c.type === REPLICA_FAILURE);
  if (manageError && !failure) {
    const message = manageError instanceof Error ? manageError.message : String(manageError);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    return [...conditions, { type: REPLICA_FAILURE, status: 'True', lastTransitionTime: now, reason, message }];
  }
  if (!manageError && failure) return conditions.filter((c) => c.type !== REPLICA_FAILURE);
  return conditions;
}

export const REPLICA_FAILURE = 'ReplicaFailure';

function safeSelector(selectorOf: () => LabelSelector): LabelSelector {
  try {
    return selectorOf();
  } catch {
    return LabelSelector.nothing();
  }
}
