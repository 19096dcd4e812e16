/**
 * pods/eviction (pkg/registry/core/pod/storage/eviction.go): a delete that respects the pod's
 * PodDisruptionBudget. Declared by the pod kind as an action; kubectl drain posts policy/v1 Evictions.
 */
import { StatusError } from '../../../machinery/errors/status-error';
import type { KubeObject } from '../../../machinery/meta/types';
import { LabelSelector } from '../../../machinery/selectors/label-selector';
import type { DeleteOptions } from '../../../registry/generic-store';
import type { ActionContext, ActionTarget, SubresourceAction } from '../../../registry/resource-type';
import { formatTime } from '../../../simulation/clock';
import { isPodReady } from '../../apps/replicaset/replica-manager';
import { setPodCondition } from '../../core/pod/pod.binding';
import type { Pod } from '../../core/pod/pod.types';
import { POLICY_GROUP, setDisruptionAllowedCondition, type PodDisruptionBudget } from '../poddisruptionbudget/pdb.types';

interface Eviction extends KubeObject {
  deleteOptions?: DeleteOptions & { dryRun?: string[] | boolean };
}

/** Evictions approved but not yet seen carried out by the disruption reconciler, beyond which the server refuses more. */
const MAX_DISRUPTED_PODS = 2000;
const EVICTION_MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget.";

function tooManyRequests(cause: string, retryAfterSeconds: number): StatusError {
  return new StatusError(
    429,
    'TooManyRequests',
    EVICTION_MESSAGE,
    { causes: [{ reason: 'DisruptionBudget', message: cause }], ...(retryAfterSeconds ? { retryAfterSeconds } : {}) },
    retryAfterSeconds ? { 'Retry-After': String(retryAfterSeconds) } : {},
  );
}

const PDB_RESOURCE = { group: POLICY_GROUP, resource: 'poddisruptionbudget' };

/** Pods that have already disrupted (finished, not started, or going away) are deleted without asking their budget. */
function canIgnoreBudget(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata.deletionTimestamp;
}

function shouldEnforceResourceVersion(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return !(phase === 'Succeeded' || phase === 'Failed' || pod.metadata.deletionTimestamp);
}

/** The request's DeleteOptions, with the query's dryRun carried into them (propagateDryRun). */
function deleteOptionsOf(eviction: Eviction, dryRun: boolean): DeleteOptions {
  const { dryRun: bodyDryRun, ...rest } = eviction.deleteOptions ?? {};
  const bodyWantsDryRun = Array.isArray(bodyDryRun) ? bodyDryRun.includes('All') : !!bodyDryRun;
  return { ...rest, dryRun: dryRun || bodyWantsDryRun };
}

/**
 * addConditionAndDeletePod: a pod that is going away because of an eviction says so
 * (DisruptionTarget, EvictionByEvictionAPI) before it is deleted.
 */
async function markAndDelete(target: ActionTarget<Pod>, options: DeleteOptions, now: Date): Promise<void> {
  const { store, namespace, name } = target;
  if (!options.dryRun) {
    const wanted = options.preconditions?.resourceVersion;
    const { object } = await store.guaranteedUpdate(
      namespace,
      name,
      (pod) => {
        if (options.preconditions?.uid && options.preconditions.uid !== pod.metadata.uid) {
          throw StatusError.conflict({ group: '', resource: 'Pod' }, name, `the UID in the precondition (${options.preconditions.uid}) does not match the UID in record (${pod.metadata.uid}). The object might have been modified`);
        }
        if (wanted && wanted !== pod.metadata.resourceVersion) {
          throw StatusError.conflict({ group: '', resource: 'Pod' }, name, `the ResourceVersion in the precondition (${wanted}) does not match the ResourceVersion in record (${pod.metadata.resourceVersion}). The object might have been modified`);
        }
        setPodCondition(pod, { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' }, now);
        return pod;
      },
      { fieldManager: 'kube-apiserver' },
      'status',
    );
    // The condition is our own write: the delete's precondition moves on to it.
    if (wanted) options = { ...options, preconditions: { ...options.preconditions, resourceVersion: object.metadata.resourceVersion } };
  }
  await store.delete(namespace, name, options);
}

/** checkAndDecrement: take one disruption from the budget, or refuse with 429. */
async function checkAndDecrement(budgets: ReturnType<ActionContext['storeOf']>, pdb: PodDisruptionBudget, podName: string, dryRun: boolean, now: Date): Promise<void> {
  const status = pdb.status ?? {};
  if ((status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) throw tooManyRequests(`The disruption budget ${pdb.metadata.name} is still being processed by the server.`, 10);
  const allowed = status.disruptionsAllowed ?? 0;
  if (allowed < 0) throw StatusError.forbidden(PDB_RESOURCE, pdb.metadata.name!, 'pdb disruptions allowed is negative');
  if (Object.keys(status.disruptedPods ?? {}).length > MAX_DISRUPTED_PODS) {
    throw StatusError.forbidden(PDB_RESOURCE, pdb.metadata.name!, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller');
  }
  if (allowed === 0) {
    throw tooManyRequests(`The disruption budget ${pdb.metadata.name} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`, 0);
  }
  if (dryRun) return;
  await budgets.guaranteedUpdate(
    pdb.metadata.namespace,
    pdb.metadata.name!,
    (current) => {
      const next = current as PodDisruptionBudget;
      // Someone wrote the budget since it was read: look again rather than decrement a stale count.
      if (next.metadata.resourceVersion !== pdb.metadata.resourceVersion) throw StatusError.optimisticLock({ group: POLICY_GROUP, resource: 'poddisruptionbudgets' }, pdb.metadata.name!);
      const nextStatus = (next.status ??= {});
      nextStatus.disruptionsAllowed = allowed - 1;
      if (nextStatus.disruptionsAllowed === 0) setDisruptionAllowedCondition(nextStatus, formatTime(now));
      nextStatus.disruptedPods = { ...nextStatus.disruptedPods, [podName]: formatTime(now) };
      return next;
    },
    { fieldManager: 'kube-apiserver' },
    'status',
  );
}

const CONFLICT_RETRIES = 20;

/** A budget with a missing or empty selector covers no pod here, unlike in the disruption reconciler. */
function budgetCovers(pdb: PodDisruptionBudget, pod: Pod): boolean {
  if (!pdb.spec?.selector) return false;
  try {
    const selector = LabelSelector.fromObject(pdb.spec.selector);
    return !selector.isEmpty() && selector.matches(pod.metadata.labels);
  } catch {
    return false;
  }
}

async function evict(target: ActionTarget<Pod>, request: KubeObject, context: ActionContext): Promise<KubeObject> {
  const eviction = request as Eviction;
  if (eviction.metadata?.name !== target.name) throw StatusError.badRequest('name in URL does not match name in Eviction object');
  const original = deleteOptionsOf(eviction, context.dryRun);
  const success: KubeObject = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } as KubeObject;
  const budgets = context.storeOf<PodDisruptionBudget>(POLICY_GROUP, 'PodDisruptionBudget');

  for (let attempt = 0; ; attempt++) {
    // Once the budget has given up a disruption, the delete is tried once, as upstream does.
    let decremented = false;
    try {
      const pod = target.store.get(target.namespace, target.name) as Pod;
      if (canIgnoreBudget(pod)) {
        const options = shouldEnforceResourceVersion(pod) && !original.preconditions?.resourceVersion ? { ...original, preconditions: { ...original.preconditions, resourceVersion: pod.metadata.resourceVersion } } : original;
        await markAndDelete(target, options, context.now);
        return success;
      }
      const matching = [...budgets.cachedObjects(target.namespace)].filter((pdb) => budgetCovers(pdb, pod));
      if (matching.length > 1) throw new StatusError(500, '', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
      let enforceVersion = false;
      if (matching.length === 1) {
        const pdb = matching[0];
        const status = pdb.status ?? {};
        const unhealthyMayGo =
          !isPodReady(pod) &&
          (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow' || ((status.currentHealthy ?? 0) >= (status.desiredHealthy ?? 0) && (status.desiredHealthy ?? 0) > 0));
        if (unhealthyMayGo) enforceVersion = true;
        else {
          await checkAndDecrement(budgets, pdb, pod.metadata.name!, original.dryRun ?? false, context.now);
          decremented = true;
        }
      }
      const options = enforceVersion ? { ...original, preconditions: { ...original.preconditions, resourceVersion: pod.metadata.resourceVersion } } : original;
      try {
        await markAndDelete(target, options, context.now);
      } catch (err) {
        if (err instanceof StatusError && err.reason === 'Conflict' && enforceVersion && !original.preconditions?.resourceVersion) {
          throw tooManyRequests(`The disruption budget ${matching[0].metadata.name} is still being processed by the server.`, 10);
        }
        throw err;
      }
      return success;
    } catch (err) {
      // Conflicts are retried as upstream does, unless the client pinned a resourceVersion itself.
      const retry = err instanceof StatusError && err.reason === 'Conflict' && !decremented && !original.preconditions?.resourceVersion && attempt < CONFLICT_RETRIES;
      if (!retry) throw err;
    }
  }
}

export const evictionAction: SubresourceAction<Pod> = {
  apiVersion: 'policy/v1',
  kind: 'Eviction',
  definition: 'io.k8s.api.policy.v1.Eviction',
  perform: evict,
};
