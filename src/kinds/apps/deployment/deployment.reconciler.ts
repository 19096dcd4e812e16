/**
 * The deployment controller (pkg/controller/deployment): a Deployment owns one ReplicaSet per pod
 * template it has had, named `<deployment>-<pod-template-hash>`; the newest is scaled up and the
 * older ones down within maxSurge / maxUnavailable (RollingUpdate), or all old ones to zero first
 * (Recreate). Scaling the Deployment alone resizes ReplicaSets in proportion; a paused one only
 * scales. Revisions, history cleanup, conditions and events follow the real controller.
 */
import { claimDependents, CONTROLLER_WRITE, controllerOf, isControlledBy, newControllerRef } from '../../../controller-runtime/controller-ref';
import { EventRecorder } from '../../../controller-runtime/event-recorder';
import { defineReconciler, objectKey, splitKey, type ReconcileResult } from '../../../controller-runtime/reconciler';
import { StatusError } from '../../../machinery/errors/status-error';
import { parseApiVersion, type KubeObject } from '../../../machinery/meta/types';
import { LabelSelector } from '../../../machinery/selectors/label-selector';
import { deepEqual } from '../../../registry/generic-store';
import { defaultListOptions } from '../../../registry/list-options';
import { formatTime } from '../../../simulation/clock';
import type { Pod } from '../../core/pod/pod.types';
import { REPLICA_FAILURE } from '../replicaset/replica-manager';
import type { ReplicaSet } from '../replicaset/replicaset.types';
import {
  activeReplicaSets,
  byCreation,
  calculateStatus,
  condition,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  desiredReplicasAnnotation,
  equalIgnoringHash,
  hasProgressDeadline,
  MAX_REPLICAS_ANNOTATION,
  maxRevision,
  maxSurge,
  maxUnavailable,
  newCondition,
  newReplicaSetReplicas,
  POD_TEMPLATE_HASH_LABEL,
  podTemplateHash,
  REASONS,
  removeCondition,
  replicasAnnotationsNeedUpdate,
  revisionOf,
  REVISION_ANNOTATION,
  setCondition,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  specReplicas,
  sumAvailableReplicas,
  sumSpecReplicas,
} from './deployment.rollout';
import type { Deployment, DeploymentCondition, DeploymentStatus } from './deployment.types';

const COMPONENT = 'deployment-controller';

export const deploymentReconciler = defineReconciler((registry, clock) => {
  const deployments = registry.forKind<Deployment>('apps', 'Deployment');
  const replicaSets = registry.forKind<ReplicaSet>('apps', 'ReplicaSet');
  const pods = registry.forKind<Pod>('', 'Pod');
  const events = new EventRecorder(registry, clock, { component: COMPONENT });
  /** namespace → deployment name → selector, to find the deployments an orphan ReplicaSet may belong to. */
  const selectors = new Map<string, Map<string, LabelSelector>>();
  const now = () => formatTime(clock.now());

  const index = (d: Deployment, removed: boolean): string[] => {
    const namespace = d.metadata.namespace ?? '';
    let byName = selectors.get(namespace);
    if (removed) byName?.delete(d.metadata.name!);
    else {
      if (!byName) selectors.set(namespace, (byName = new Map()));
      byName.set(d.metadata.name!, selectorOf(d));
    }
    return [objectKey(d)];
  };

  const deploymentsOfReplicaSet = (rs: KubeObject): string[] => {
    const namespace = rs.metadata.namespace ?? '';
    const ref = controllerOf(rs);
    if (ref) return ref.kind === 'Deployment' && parseApiVersion(ref.apiVersion).group === 'apps' ? [`${namespace}/${ref.name}`] : [];
    return [...(selectors.get(namespace) ?? [])].filter(([, selector]) => selector.matches(rs.metadata.labels)).map(([name]) => `${namespace}/${name}`);
  };

  // ---------------------------------------------------------------- writes

  /** Status (and the revision annotation, which the status strategy lets through) of `d`. */
  const writeStatus = async (d: Deployment): Promise<void> => {
    const revision = d.metadata.annotations?.[REVISION_ANNOTATION];
    await deployments.guaranteedUpdate(
      d.metadata.namespace,
      d.metadata.name!,
      (latest) => {
        const annotations = { ...latest.metadata.annotations };
        if (revision !== undefined) annotations[REVISION_ANNOTATION] = revision;
        return { ...latest, metadata: { ...latest.metadata, annotations }, status: d.status };
      },
      CONTROLLER_WRITE,
      'status',
    );
  };

  /** The ReplicaSet's desired size, min-ready seconds and annotations as `rs` has them. */
  const writeReplicaSet = async (rs: ReplicaSet): Promise<ReplicaSet> => {
    const { object } = await replicaSets.guaranteedUpdate(rs.metadata.namespace, rs.metadata.name!, (latest) => ({
      ...latest,
      metadata: { ...latest.metadata, annotations: rs.metadata.annotations },
      spec: { ...latest.spec, replicas: rs.spec?.replicas, minReadySeconds: rs.spec?.minReadySeconds },
    }), CONTROLLER_WRITE);
    return object as ReplicaSet;
  };

  /** scaleReplicaSet: resize (and re-annotate) one ReplicaSet, with the event a resize records. */
  const scaleReplicaSet = async (rs: ReplicaSet, newScale: number, d: Deployment): Promise<{ scaled: boolean; rs: ReplicaSet }> => {
    const desired = d.spec?.replicas ?? 1;
    const sizeChanges = specReplicas(rs) !== newScale;
    if (!sizeChanges && !replicasAnnotationsNeedUpdate(rs, desired, desired + maxSurge(d))) return { scaled: false, rs };
    const oldScale = specReplicas(rs);
    const copy = structuredClone(rs);
    copy.spec = { ...copy.spec, replicas: newScale };
    setReplicasAnnotations(copy, desired, desired + maxSurge(d));
    const updated = await writeReplicaSet(copy);
    if (sizeChanges) {
      await events.record(d, 'Normal', 'ScalingReplicaSet', `Scaled ${oldScale < newScale ? 'up' : 'down'} replica set ${rs.metadata.name} from ${oldScale} to ${newScale}`);
    }
    return { scaled: true, rs: updated };
  };

  const scaleAndRecord = async (rs: ReplicaSet, newScale: number, d: Deployment): Promise<{ scaled: boolean; rs: ReplicaSet }> =>
    specReplicas(rs) === newScale ? { scaled: false, rs } : scaleReplicaSet(rs, newScale, d);

  // ---------------------------------------------------------------- ReplicaSets of a deployment

  /** getReplicaSetsForDeployment: the namespace's ReplicaSets this deployment controls, adopting matching orphans. */
  const replicaSetsOf = async (d: Deployment): Promise<ReplicaSet[]> => {
    const { items } = await replicaSets.list(d.metadata.namespace, defaultListOptions());
    const selector = selectorOf(d);
    return claimDependents(d, (rs) => selector.matches(rs.metadata.labels), items.map((e) => e.object as ReplicaSet), replicaSets);
  };

  /** FindNewReplicaSet: the oldest ReplicaSet whose template is the deployment's. */
  const findNewReplicaSet = (d: Deployment, all: readonly ReplicaSet[]): ReplicaSet | undefined =>
    [...all].sort(byCreation).find((rs) => equalIgnoringHash(rs.spec?.template, d.spec?.template));

  const setDeploymentRevision = (d: Deployment, revision: string): boolean => {
    if (d.metadata.annotations?.[REVISION_ANNOTATION] === revision) return false;
    d.metadata.annotations = { ...d.metadata.annotations, [REVISION_ANNOTATION]: revision };
    return true;
  };

  /**
   * getNewReplicaSet: the ReplicaSet of the current template with its revision brought up to date,
   * created (with as many replicas as the strategy allows) when asked and missing.
   */
  const getNewReplicaSet = async (d: Deployment, all: ReplicaSet[], oldSets: ReplicaSet[], create: boolean): Promise<ReplicaSet | undefined> => {
    const existing = findNewReplicaSet(d, all);
    const newRevision = maxRevision(oldSets) + 1;
    if (existing) {
      const copy = structuredClone(existing);
      const annotationsChanged = setNewReplicaSetAnnotations(d, copy, newRevision, true);
      const minReadySeconds = d.spec?.minReadySeconds ?? 0;
      if (annotationsChanged || (copy.spec?.minReadySeconds ?? 0) !== minReadySeconds) {
        copy.spec = { ...copy.spec, minReadySeconds };
        return writeReplicaSet(copy);
      }
      let needsUpdate = setDeploymentRevision(d, copy.metadata.annotations?.[REVISION_ANNOTATION] ?? '');
      d.status ??= {};
      if (hasProgressDeadline(d) && !condition(d.status, 'Progressing')) {
        setCondition(d.status, newCondition('Progressing', 'True', REASONS.foundNewRS, `Found new replica set "${copy.metadata.name}"`, now()));
        needsUpdate = true;
      }
      if (needsUpdate) await writeStatus(d);
      return copy;
    }
    if (!create) return undefined;

    const hash = podTemplateHash(d.spec?.template, d.status?.collisionCount);
    const template = structuredClone(d.spec?.template ?? {});
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash } };
    const selector = structuredClone(d.spec?.selector ?? {});
    selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash };
    const fresh: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        labels: { ...template.metadata.labels },
        ownerReferences: [newControllerRef(d)],
      },
      spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
    };
    const replicas = newReplicaSetReplicas(d, [...oldSets, fresh], fresh);
    fresh.spec!.replicas = replicas;
    setNewReplicaSetAnnotations(d, fresh, newRevision, false);

    let created: ReplicaSet;
    let alreadyExists = false;
    try {
      created = (await replicaSets.create(d.metadata.namespace, fresh, CONTROLLER_WRITE)).object as ReplicaSet;
    } catch (err) {
      if (!(err instanceof StatusError && err.reason === 'AlreadyExists')) {
        await events.record(d, 'Warning', 'FailedCreate', `Failed to create new replica set "${fresh.metadata.name}": ${(err as Error).message}`);
        throw err;
      }
      const clash = replicaSets.find(d.metadata.namespace, fresh.metadata.name!)?.object as ReplicaSet | undefined;
      if (!clash || !isControlledBy(clash, d) || !equalIgnoringHash(clash.spec?.template, d.spec?.template)) {
        // A hash collision: the next name is tried with a bumped collision count.
        d.status = { ...d.status, collisionCount: (d.status?.collisionCount ?? 0) + 1 };
        await writeStatus(d);
        throw err;
      }
      created = clash;
      alreadyExists = true;
    }
    if (!alreadyExists && replicas > 0) {
      await events.record(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${replicas}`);
    }
    let needsUpdate = setDeploymentRevision(d, String(newRevision));
    if (!alreadyExists && hasProgressDeadline(d)) {
      d.status ??= {};
      setCondition(d.status, newCondition('Progressing', 'True', REASONS.newRSCreated, `Created new replica set "${created.metadata.name}"`, now()));
      needsUpdate = true;
    }
    if (needsUpdate) await writeStatus(d);
    return created;
  };

  /** getAllReplicaSetsAndSyncRevision: the new ReplicaSet (maybe created) and every other one. */
  const newAndOld = async (d: Deployment, all: ReplicaSet[], create: boolean): Promise<{ newRS: ReplicaSet | undefined; oldSets: ReplicaSet[] }> => {
    const current = findNewReplicaSet(d, all);
    const oldSets = all.filter((rs) => rs !== current);
    const newRS = await getNewReplicaSet(d, all, oldSets, create);
    return { newRS, oldSets };
  };

  // ---------------------------------------------------------------- status

  const syncDeploymentStatus = async (all: ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment): Promise<void> => {
    const status = calculateStatus(all, newRS, d, now());
    if (deepEqual(status, d.status ?? {})) return;
    d.status = status;
    await writeStatus(d);
  };

  /** syncRolloutStatus: the status, the Progressing condition, and when to look again for the deadline. */
  const syncRolloutStatus = async (all: ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment): Promise<ReconcileResult | void> => {
    const time = now();
    const status = calculateStatus(all, newRS, d, time);
    if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
    const current = condition(status, 'Progressing');
    const complete = (status.replicas ?? 0) === (status.updatedReplicas ?? 0) && current?.reason === REASONS.newRSAvailable;
    if (hasProgressDeadline(d) && !complete) {
      const name = newRS?.metadata.name;
      if (deploymentComplete(d, status)) {
        if (newRS) setCondition(status, newCondition('Progressing', 'True', REASONS.newRSAvailable, `ReplicaSet "${name}" has successfully progressed.`, time));
      } else if (deploymentProgressing(d, status)) {
        if (newRS) {
          const next = newCondition('Progressing', 'True', REASONS.rsUpdated, `ReplicaSet "${name}" is progressing.`, time);
          // Progress refreshes lastUpdateTime; an unchanged True status keeps its transition time.
          if (current?.status === 'True') next.lastTransitionTime = current.lastTransitionTime;
          removeCondition(status, 'Progressing');
          setCondition(status, next);
        }
      } else if (deploymentTimedOut(d, status, clock.now())) {
        const message = newRS ? `ReplicaSet "${name}" has timed out progressing.` : `Deployment "${d.metadata.name}" has timed out progressing.`;
        setCondition(status, newCondition('Progressing', 'False', REASONS.timedOut, message, time));
      }
    }
    // getReplicaFailures: a ReplicaSet failing to create or delete pods shows on the deployment.
    const failure = replicaFailureOf(all, newRS);
    if (failure) setCondition(status, failure);
    else removeCondition(status, REPLICA_FAILURE);
    if (!deepEqual(status, d.status ?? {})) {
      d.status = status;
      await writeStatus(d);
    }
    return requeueForDeadline(d, status);
  };

  /** requeueStuckDeployment: look again when the progress deadline would pass without news. */
  const requeueForDeadline = (d: Deployment, status: DeploymentStatus): ReconcileResult | void => {
    const progressing = condition(status, 'Progressing');
    if (!hasProgressDeadline(d) || !progressing) return;
    if (deploymentComplete(d, status) || progressing.reason === REASONS.timedOut) return;
    const from = Date.parse(progressing.lastUpdateTime ?? '');
    if (Number.isNaN(from)) return;
    const after = from + d.spec!.progressDeadlineSeconds! * 1000 - clock.now().getTime();
    // A second past the deadline, so the next pass sees it passed (upstream re-adds at once when
    // under a second is left, which spins until then).
    return { requeueAfterMs: Math.max(after, 0) + 1000 };
  };

  // ---------------------------------------------------------------- scaling

  /** scale: a resize of the deployment spread over its ReplicaSets, in proportion during a rollout. */
  const scale = async (d: Deployment, newRS: ReplicaSet | undefined, oldSets: ReplicaSet[]): Promise<void> => {
    const desired = d.spec?.replicas ?? 1;
    const sortedOld = [...oldSets].sort(byCreation);
    const active = activeReplicaSets([...sortedOld, newRS]);
    const activeOrLatest = active.length === 1 ? active[0] : active.length === 0 ? (newRS ?? sortedOld[sortedOld.length - 1]) : undefined;
    if (activeOrLatest) {
      if (specReplicas(activeOrLatest) !== desired) await scaleAndRecord(activeOrLatest, desired, d);
      return;
    }
    const saturated = newRS && desiredReplicasAnnotation(newRS) === desired && (newRS.status?.availableReplicas ?? 0) === desired && specReplicas(newRS) === desired;
    if (saturated) {
      for (const old of activeReplicaSets(oldSets)) await scaleAndRecord(old, 0, d);
      return;
    }
    if (d.spec?.strategy?.type !== 'RollingUpdate') return;
    const allowed = desired > 0 ? desired + maxSurge(d) : 0;
    const toAdd = allowed - sumSpecReplicas(active);
    // Additions go to the biggest (newest first), removals come from the biggest (oldest first).
    const ordered = [...active].sort((a, b) => specReplicas(b) - specReplicas(a) || (toAdd > 0 ? -byCreation(a, b) : byCreation(a, b)));
    const sizes = new Map<ReplicaSet, number>();
    let added = 0;
    for (const rs of ordered) {
      const proportion = toAdd !== 0 ? replicaSetProportion(rs, d, toAdd, added) : 0;
      sizes.set(rs, specReplicas(rs) + proportion);
      added += proportion;
    }
    if (added !== toAdd && ordered.length > 0) sizes.set(ordered[0], Math.max(sizes.get(ordered[0])! + toAdd - added, 0));
    for (const rs of ordered) await scaleReplicaSet(rs, sizes.get(rs)!, d);
  };

  /** isScalingEvent: some active ReplicaSet was sized for another replica count than the deployment's now. */
  const isScalingEvent = async (d: Deployment, all: ReplicaSet[]): Promise<boolean> => {
    const { newRS, oldSets } = await newAndOld(d, all, false);
    for (const rs of activeReplicaSets([...oldSets, newRS])) {
      const desired = desiredReplicasAnnotation(rs);
      if (desired !== undefined && desired !== (d.spec?.replicas ?? 1)) return true;
    }
    return false;
  };

  /** cleanupDeployment: delete the oldest scaled-down ReplicaSets beyond revisionHistoryLimit. */
  const cleanup = async (oldSets: ReplicaSet[], d: Deployment): Promise<void> => {
    const limit = d.spec?.revisionHistoryLimit;
    if (limit === undefined) return;
    const alive = oldSets.filter((rs) => !rs.metadata.deletionTimestamp);
    const excess = alive.length - limit;
    if (excess <= 0) return;
    const byRevision = [...alive].sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
    for (const rs of byRevision.slice(0, excess)) {
      if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      try {
        await replicaSets.delete(rs.metadata.namespace, rs.metadata.name!);
      } catch (err) {
        if (!(err instanceof StatusError && err.code === 404)) throw err;
      }
    }
  };

  /** sync: paused deployments and scaling events only resize; no rollout step is taken. */
  const sync = async (d: Deployment, all: ReplicaSet[]): Promise<void> => {
    const { newRS, oldSets } = await newAndOld(d, all, false);
    await scale(d, newRS, oldSets);
    await cleanup(oldSets, d);
    const fresh = await replicaSetsOf(d);
    await syncDeploymentStatus(fresh, findNewReplicaSet(d, fresh), d);
  };

  /** checkPausedConditions: Progressing Unknown while paused, and on resume. */
  const checkPausedConditions = async (d: Deployment): Promise<void> => {
    if (!hasProgressDeadline(d)) return;
    const current = condition(d.status, 'Progressing');
    if (current?.reason === REASONS.timedOut) return;
    const pausedShown = current?.reason === REASONS.paused;
    d.status ??= {};
    if (d.spec?.paused && !pausedShown) setCondition(d.status, newCondition('Progressing', 'Unknown', REASONS.paused, 'Deployment is paused', now()));
    else if (!d.spec?.paused && pausedShown) setCondition(d.status, newCondition('Progressing', 'Unknown', REASONS.resumed, 'Deployment is resumed', now()));
    else return;
    await writeStatus(d);
  };

  // ---------------------------------------------------------------- strategies

  const rolloutRolling = async (d: Deployment, all: ReplicaSet[]): Promise<ReconcileResult | void> => {
    const { newRS, oldSets } = await newAndOld(d, all, true);
    const allSets = [...oldSets, ...(newRS ? [newRS] : [])];
    if (newRS) {
      // reconcileNewReplicaSet
      const desired = d.spec?.replicas ?? 1;
      const target = specReplicas(newRS) > desired ? desired : newReplicaSetReplicas(d, allSets, newRS);
      if (specReplicas(newRS) !== desired) {
        const { scaled, rs } = await scaleAndRecord(newRS, target, d);
        if (scaled) return syncRolloutStatus(replace(allSets, newRS, rs), rs, d);
      }
    }
    if (await reconcileOldReplicaSets(allSets, activeReplicaSets(oldSets), newRS, d)) return syncRolloutStatus(await replicaSetsOf(d), newRS, d);
    if (deploymentComplete(d, d.status ?? {})) await cleanup(oldSets, d);
    return syncRolloutStatus(allSets, newRS, d);
  };

  /** reconcileOldReplicaSets: scale old ReplicaSets down as far as availability allows, unhealthy pods first. */
  const reconcileOldReplicaSets = async (all: ReplicaSet[], oldSets: ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment): Promise<boolean> => {
    if (sumSpecReplicas(oldSets) === 0) return false;
    const desired = d.spec?.replicas ?? 1;
    const minAvailable = desired - maxUnavailable(d);
    const newUnavailable = specReplicas(newRS) - (newRS?.status?.availableReplicas ?? 0);
    const maxScaledDown = sumSpecReplicas(all) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;

    // cleanupUnhealthyReplicas: pods of old ReplicaSets that are not available go first.
    let cleaned = 0;
    const current = new Map(oldSets.map((rs) => [rs, rs]));
    for (const rs of [...oldSets].sort(byCreation)) {
      if (cleaned >= maxScaledDown) break;
      const unhealthy = specReplicas(rs) - (rs.status?.availableReplicas ?? 0);
      if (specReplicas(rs) === 0 || unhealthy <= 0) continue;
      const count = Math.min(maxScaledDown - cleaned, unhealthy);
      const { rs: updated } = await scaleAndRecord(rs, specReplicas(rs) - count, d);
      current.set(rs, updated);
      cleaned += count;
    }

    // scaleDownOldReplicaSetsForRollingUpdate: then available pods, down to minAvailable overall.
    const olds = [...current.values()];
    const available = sumAvailableReplicas([...olds, newRS]);
    let scaledDown = 0;
    if (available > minAvailable) {
      const total = available - minAvailable;
      for (const rs of [...olds].sort(byCreation)) {
        if (scaledDown >= total) break;
        if (specReplicas(rs) === 0) continue;
        const count = Math.min(specReplicas(rs), total - scaledDown);
        await scaleAndRecord(rs, specReplicas(rs) - count, d);
        scaledDown += count;
      }
    }
    return cleaned + scaledDown > 0;
  };

  /** oldPodsRunning: old ReplicaSets still report pods, or pods of theirs have not stopped (terminating ones included). */
  const oldPodsRunning = async (oldSets: ReplicaSet[]): Promise<boolean> => {
    if (oldSets.some((rs) => (rs.status?.replicas ?? 0) > 0)) return true;
    const oldUids = new Set(oldSets.map((rs) => rs.metadata.uid));
    if (oldUids.size === 0) return false;
    const { items } = await pods.list(oldSets[0].metadata.namespace, defaultListOptions());
    return items.some(({ object: pod }) => {
      const phase = (pod as Pod).status?.phase;
      return oldUids.has(controllerOf(pod)?.uid) && phase !== 'Failed' && phase !== 'Succeeded';
    });
  };

  /** A pod gone may be what a Recreate rollout waits for: its ReplicaSet's deployment looks again. */
  const deploymentOfPod = (pod: KubeObject): string[] => {
    const ref = controllerOf(pod);
    if (!ref || ref.kind !== 'ReplicaSet') return [];
    const rs = replicaSets.find(pod.metadata.namespace, ref.name)?.object;
    return rs ? deploymentsOfReplicaSet(rs) : [];
  };

  const rolloutRecreate = async (d: Deployment, all: ReplicaSet[]): Promise<ReconcileResult | void> => {
    let { newRS, oldSets } = await newAndOld(d, all, false);
    let scaledDown = false;
    for (const rs of activeReplicaSets(oldSets)) if ((await scaleAndRecord(rs, 0, d)).scaled) scaledDown = true;
    if (scaledDown) return syncRolloutStatus(await replicaSetsOf(d), newRS, d);
    // New pods start only once every old one is gone.
    if (await oldPodsRunning(oldSets)) return syncRolloutStatus([...oldSets, ...(newRS ? [newRS] : [])], newRS, d);
    if (!newRS) ({ newRS, oldSets } = await newAndOld(d, await replicaSetsOf(d), true));
    if (newRS) await scaleAndRecord(newRS, d.spec?.replicas ?? 1, d);
    if (deploymentComplete(d, d.status ?? {})) await cleanup(oldSets, d);
    return syncRolloutStatus(await replicaSetsOf(d), newRS, d);
  };

  return {
    name: COMPONENT,
    watches: [
      { group: 'apps', kind: 'Deployment', keysFor: (obj) => index(obj as Deployment, false), keysForDeleted: (obj) => index(obj as Deployment, true) },
      { group: 'apps', kind: 'ReplicaSet', keysFor: deploymentsOfReplicaSet },
      { group: '', kind: 'Pod', keysFor: () => [], keysForDeleted: deploymentOfPod },
    ],

    async reconcile(key): Promise<ReconcileResult | void> {
      const { namespace, name } = splitKey(key);
      const stored = deployments.find(namespace, name)?.object as Deployment | undefined;
      if (!stored) return;
      const d = structuredClone(stored);
      const all = await replicaSetsOf(d);
      if (d.metadata.deletionTimestamp) {
        const { newRS, oldSets } = await newAndOld(d, all, false);
        return syncDeploymentStatus([...oldSets, ...(newRS ? [newRS] : [])], newRS, d);
      }
      await checkPausedConditions(d);
      if (d.spec?.paused || (await isScalingEvent(d, all))) return sync(d, await replicaSetsOf(d));
      if (d.spec?.strategy?.type === 'Recreate') return rolloutRecreate(d, all);
      return rolloutRolling(d, all);
    },
  };
});

function selectorOf(d: Deployment): LabelSelector {
  try {
    return LabelSelector.fromObject(d.spec?.selector);
  } catch {
    return LabelSelector.nothing();
  }
}

/** getReplicaSetFraction / GetProportion: this ReplicaSet's share of a resize, bounded by what is left. */
function replicaSetProportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const desired = d.spec?.replicas ?? 1;
  let fraction: number;
  if (desired === 0) fraction = -specReplicas(rs);
  else {
    const annotated = Number(rs.metadata.annotations?.[MAX_REPLICAS_ANNOTATION]);
    const base = Number.isInteger(annotated) && rs.metadata.annotations?.[MAX_REPLICAS_ANNOTATION] !== undefined ? annotated : (d.status?.replicas ?? 0);
    fraction = base === 0 ? 0 : Math.round((specReplicas(rs) * (desired + maxSurge(d))) / base) - specReplicas(rs);
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/** The new ReplicaSet's ReplicaFailure condition, else an old one's, as a deployment condition. */
function replicaFailureOf(all: readonly ReplicaSet[], newRS: ReplicaSet | undefined): DeploymentCondition | undefined {
  const failureOf = (rs: ReplicaSet | undefined) => rs?.status?.conditions?.find((c) => c.type === REPLICA_FAILURE);
  const found = failureOf(newRS) ?? all.map(failureOf).find((c) => c !== undefined);
  if (!found) return undefined;
  return { type: found.type, status: found.status, lastUpdateTime: found.lastTransitionTime, lastTransitionTime: found.lastTransitionTime, reason: found.reason, message: found.message };
}

function replace(sets: ReplicaSet[], old: ReplicaSet, next: ReplicaSet): ReplicaSet[] {
  return sets.map((rs) => (rs === old ? next : rs));
}
