/**
 * The job controller of the controller manager (pkg/controller/job), as Kubernetes 1.33 runs it:
 * pods from the template up to parallelism (never more than the completions still missing), each
 * carrying the batch.kubernetes.io/job-tracking finalizer until its outcome is counted in the status;
 * failures recreate pods after an exponential back-off (10 s doubling to 10 min) until backoffLimit
 * or activeDeadlineSeconds ends the Job. Finishing takes two steps, as with the JobManagedBy and
 * JobPodReplacementPolicy features on: the interim SuccessCriteriaMet / FailureTarget condition
 * first, then Complete / Failed once no pod is left terminating.
 *
 * Reads come from the watch cache and writes go through the stores; one key is never reconciled
 * twice at once and a write is in the cache when it resolves, so the upstream "expectations" have
 * nothing to do here.
 */
import { claimDependents, CONTROLLER_WRITE, controllerOf, newControllerRef } from '../../../controller-runtime/controller-ref';
import { EventRecorder } from '../../../controller-runtime/event-recorder';
import { defineReconciler, objectKey, splitKey, type ReconcileResult } from '../../../controller-runtime/reconciler';
import { StatusError } from '../../../machinery/errors/status-error';
import type { KubeObject } from '../../../machinery/meta/types';
import { LabelSelector } from '../../../machinery/selectors/label-selector';
import { defaultListOptions } from '../../../registry/list-options';
import { formatTime } from '../../../simulation/clock';
import { comparePodsForDeletion, isPodActive, isPodReady } from '../../apps/replicaset/replica-manager';
import type { Container, Pod } from '../../core/pod/pod.types';
import {
  completionIndexOf,
  firstPendingIndexes,
  formatIndexes,
  INDEX_FAILURE_COUNT_ANNOTATION,
  INDEX_IGNORED_FAILURE_COUNT_ANNOTATION,
  indexAbsoluteFailureCount,
  indexFailureCount,
  parseIndexes,
} from './job-indexes';
import { matchPodFailurePolicy } from './pod-failure-policy';
import {
  cappedRequeue,
  isJobFinished,
  JOB_COMPLETION_INDEX_ANNOTATION,
  JOB_TRACKING_FINALIZER,
  type Job,
  type JobCondition,
  type JobStatus,
} from './job.types';

const COMPONENT = 'job-controller';
/** Jobs whose spec.managedBy names another controller are left to it. */
const JOB_CONTROLLER_NAME = 'kubernetes.io/job-controller';
const DEFAULT_POD_FAILURE_BACKOFF_MS = 10_000;
const MAX_POD_FAILURE_BACKOFF_MS = 10 * 60_000;
/** MaxPodCreateDeletePerSync. */
const MAX_PODS_PER_SYNC = 500;
/** names.MaxGeneratedNameLength: the longest generateName prefix the API server keeps whole. */
const MAX_GENERATED_NAME_LENGTH = 58;
/** Keys of orphan pods that still carry the tracking finalizer (the upstream orphan queue). */
const ORPHAN_POD_PREFIX = 'orphan-pod:';

/** What the back-off before recreating failed pods is computed from (upstream's backoffStore). */
interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureTime?: number;
  /** Failed pods already counted here, so that a pod whose finalizer stays is not counted again. */
  seen?: Set<string>;
}

/** A pod that has failed, or is being deleted without having succeeded (podReplacementPolicy TerminatingOrFailed). */
function isPodFailed(pod: Pod, job: Job): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!pod.metadata.deletionTimestamp && pod.status?.phase !== 'Succeeded';
}

function onlyReplaceFailedPods(job: Job): boolean {
  return job.spec?.podReplacementPolicy === 'Failed' || !!job.spec?.podFailurePolicy;
}

function hasTrackingFinalizer(pod: Pod): boolean {
  return pod.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER) ?? false;
}

function isTerminating(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return !!pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

/** When a failed pod finished: its containers' last finish, else when it was deleted. */
function finishedAt(pod: Pod, now: number): number {
  let latest = 0;
  for (const cs of [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])]) {
    const at = Date.parse(cs.state?.terminated?.finishedAt ?? '');
    if (!Number.isNaN(at)) latest = Math.max(latest, at);
  }
  if (latest) return latest;
  const deleted = Date.parse(pod.metadata.deletionTimestamp ?? '');
  return Number.isNaN(deleted) ? now : deleted;
}

/** The back-off before another pod may be created after `failures` failures in a row. */
function backoffRemainingMs(record: BackoffRecord | undefined, now: number): number {
  if (!record || record.failuresAfterLastSuccess === 0 || record.lastFailureTime === undefined) return 0;
  let delay = DEFAULT_POD_FAILURE_BACKOFF_MS;
  for (let i = 1; i < record.failuresAfterLastSuccess; i++) {
    delay *= 2;
    if (delay >= MAX_POD_FAILURE_BACKOFF_MS) {
      delay = MAX_POD_FAILURE_BACKOFF_MS;
      break;
    }
  }
  const elapsed = now - record.lastFailureTime;
  return delay < elapsed ? 0 : delay - elapsed;
}

/**
 * isIndexFailed (backoffLimitPerIndex): the pod failed through a FailIndex rule, or with a counted
 * failure when its index had already failed backoffLimitPerIndex times.
 */
function isIndexFailed(job: Job, pod: Pod): boolean {
  if (!isPodFailed(pod, job)) return false;
  const verdict = matchPodFailurePolicy(job, pod);
  if (verdict.action === 'FailIndex') return true;
  return verdict.countFailed && indexFailureCount(pod) >= (job.spec?.backoffLimitPerIndex ?? 0);
}

/**
 * getPodsWithDelayedDeletionPerIndex: per index still to be retried, its latest failed pod, whose
 * tracking finalizer stays until a replacement carrying its failure count has been created.
 */
function podsWithDelayedDeletion(job: Job, owned: readonly Pod[], active: readonly Pod[], done: Set<number>, failedIndexes: Set<number>, now: number): Map<number, Pod> {
  const activeIndexes = new Set(active.map(completionIndexOf).filter((i): i is number => i !== undefined));
  const latest = new Map<number, Pod>();
  for (const pod of owned) {
    if (!hasTrackingFinalizer(pod) || !isPodFailed(pod, job)) continue;
    const index = completionIndexOf(pod);
    if (index === undefined || index >= (job.spec?.completions ?? 0) || done.has(index) || failedIndexes.has(index) || activeIndexes.has(index)) continue;
    const previous = latest.get(index);
    if (!previous || (indexAbsoluteFailureCount(previous) <= indexAbsoluteFailureCount(pod) && finishedAt(pod, now) >= finishedAt(previous, now))) latest.set(index, pod);
  }
  return latest;
}

/** getNewIndexFailureCounts: the counts a replacement of `replaced` starts with. */
function newIndexFailureCounts(job: Job, replaced: Pod | undefined): { failures: number; ignored: number } {
  if (!replaced) return { failures: 0, ignored: 0 };
  let failures = indexFailureCount(replaced);
  let ignored = indexAbsoluteFailureCount(replaced) - failures;
  if (isPodFailed(replaced, job)) {
    if (matchPodFailurePolicy(job, replaced).countFailed) failures++;
    else ignored++;
  }
  return { failures, ignored };
}

/** pastBackoffLimitOnFailure: with restartPolicy OnFailure, container restarts count against the limit. */
function pastBackoffLimitOnFailure(job: Job, pods: readonly Pod[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const pod of pods) {
    const phase = pod.status?.phase;
    if (phase !== 'Running' && phase !== 'Pending') continue;
    for (const cs of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) restarts += cs.restartCount ?? 0;
  }
  const limit = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

function findCondition(job: Job, type: string): JobCondition | undefined {
  return job.status?.conditions?.find((c) => c.type === type);
}

function newCondition(type: string, reason: string, message: string, now: Date, status = 'True'): JobCondition {
  const time = formatTime(now);
  return { type, status, lastProbeTime: time, lastTransitionTime: time, reason, message };
}

/**
 * ensureJobConditionStatus: set a condition of this type to the given status, reason and message;
 * a False condition is never added where none was. Returns whether anything changed.
 */
function ensureCondition(status: JobStatus, type: string, value: string, reason: string, message: string, now: Date): boolean {
  const conditions = (status.conditions ??= []);
  const existing = conditions.find((c) => c.type === type);
  if (existing) {
    if (existing.status === value && existing.reason === reason && existing.message === message) return false;
    Object.assign(existing, newCondition(type, reason, message, now, value));
    return true;
  }
  if (value === 'False') return false;
  conditions.push(newCondition(type, reason, message, now, value));
  return true;
}

/**
 * matchSuccessPolicy (Indexed Jobs): the first rule met by the succeeded indexes, as the message of
 * the SuccessCriteriaMet condition. A rule names indexes that must succeed, a count of them, or both.
 */
function matchSuccessPolicy(job: Job, succeeded: Set<number>): string | undefined {
  const rules = job.spec?.successPolicy?.rules;
  if (!rules || succeeded.size === 0) return undefined;
  const completions = job.spec?.completions ?? 0;
  for (const [index, rule] of rules.entries()) {
    if (rule.succeededIndexes !== undefined) {
      const required = parseIndexes(rule.succeededIndexes, completions);
      if (required.size === 0) continue;
      const done = [...required].filter((i) => succeeded.has(i)).length;
      if (rule.succeededCount === undefined ? done === required.size : done >= rule.succeededCount) return `Matched rules at index ${index}`;
    } else if (rule.succeededCount !== undefined && succeeded.size >= rule.succeededCount) {
      return `Matched rules at index ${index}`;
    }
  }
  return undefined;
}

/** The JOB_COMPLETION_INDEX variable every container of an Indexed Job's pods gets. */
function addCompletionIndexEnv(container: Container): void {
  const env = (container.env ??= []);
  if (env.some((e) => e.name === 'JOB_COMPLETION_INDEX')) return;
  env.push({ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${JOB_COMPLETION_INDEX_ANNOTATION}']` } } });
}

/** The pod the controller makes from the Job's template, with the tracking finalizer (and its index). */
export function podForJob(job: Job, index: number | undefined, indexFailures?: { failures: number; ignored: number }): Pod {
  const template = structuredClone(job.spec?.template ?? {});
  const labels = { ...(template.metadata?.labels ?? {}) };
  const annotations = { ...(template.metadata?.annotations ?? {}) };
  const spec = template.spec ?? {};
  const name = job.metadata.name!;
  let generateName = `${name}-`;
  if (index !== undefined) {
    annotations[JOB_COMPLETION_INDEX_ANNOTATION] = String(index);
    labels[JOB_COMPLETION_INDEX_ANNOTATION] = String(index);
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) addCompletionIndexEnv(c);
    spec.hostname = `${name}-${index}`;
    // podGenerateNameWithIndex: a long Job name is cut so that the index survives the 58-character limit.
    const suffix = `-${index}-`;
    generateName = `${name}${suffix}`;
    if (generateName.length > MAX_GENERATED_NAME_LENGTH) generateName = generateName.slice(0, MAX_GENERATED_NAME_LENGTH - suffix.length) + suffix;
    if (indexFailures) {
      annotations[INDEX_FAILURE_COUNT_ANNOTATION] = String(indexFailures.failures);
      if (indexFailures.ignored > 0) annotations[INDEX_IGNORED_FAILURE_COUNT_ANNOTATION] = String(indexFailures.ignored);
    }
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName,
      namespace: job.metadata.namespace,
      ...(Object.keys(labels).length ? { labels } : {}),
      ...(Object.keys(annotations).length ? { annotations } : {}),
      ownerReferences: [newControllerRef(job)],
      finalizers: [JOB_TRACKING_FINALIZER],
    },
    spec,
  };
}

/** The status as Go encodes it: counters omitted when zero except ready and terminating (pointers). */
function wireStatus(status: JobStatus): JobStatus {
  const wire: JobStatus = {};
  if (status.conditions?.length) wire.conditions = status.conditions;
  if (status.startTime) wire.startTime = status.startTime;
  if (status.completionTime) wire.completionTime = status.completionTime;
  if (status.active) wire.active = status.active;
  if (status.succeeded) wire.succeeded = status.succeeded;
  if (status.failed) wire.failed = status.failed;
  if (status.terminating !== undefined) wire.terminating = status.terminating;
  if (status.completedIndexes) wire.completedIndexes = status.completedIndexes;
  if (status.failedIndexes !== undefined) wire.failedIndexes = status.failedIndexes;
  const uncounted = status.uncountedTerminatedPods ?? {};
  wire.uncountedTerminatedPods = {
    ...(uncounted.succeeded?.length ? { succeeded: uncounted.succeeded } : {}),
    ...(uncounted.failed?.length ? { failed: uncounted.failed } : {}),
  };
  if (status.ready !== undefined) wire.ready = status.ready;
  return wire;
}

function ignoreNotFound(err: unknown): void {
  if (!(err instanceof StatusError && err.code === 404)) throw err;
}

export const jobReconciler = defineReconciler((registry, clock) => {
  const jobs = registry.forKind<Job>('batch', 'Job');
  const pods = registry.forKind<Pod>('', 'Pod');
  const events = new EventRecorder(registry, clock, { component: COMPONENT });
  const backoffs = new Map<string, BackoffRecord>();

  /** A job controlled by this reference, if it still exists (same uid). */
  const jobOfRef = (namespace: string | undefined, ref: { kind: string; apiVersion: string; name: string; uid: string }): Job | undefined => {
    if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return undefined;
    const job = jobs.find(namespace, ref.name)?.object as Job | undefined;
    return job?.metadata.uid === ref.uid ? job : undefined;
  };

  /** Pods that keep the finalizer although nobody will count them: their Job is gone or finished. */
  const orphanKeysOfJob = (job: KubeObject): string[] => {
    const keys: string[] = [];
    for (const pod of pods.cachedObjects(job.metadata.namespace)) {
      if (hasTrackingFinalizer(pod) && controllerOf(pod)?.uid === job.metadata.uid) keys.push(ORPHAN_POD_PREFIX + objectKey(pod));
    }
    return keys;
  };

  const keysForPod = (obj: KubeObject): string[] => {
    const pod = obj as Pod;
    const ref = controllerOf(pod);
    const namespace = pod.metadata.namespace;
    const job = ref ? jobOfRef(namespace, ref) : undefined;
    const keys: string[] = [];
    if (job) keys.push(objectKey(job));
    if (hasTrackingFinalizer(pod) && (!job || isJobFinished(job))) {
      if (!ref || (ref.kind === 'Job' && ref.apiVersion === 'batch/v1')) keys.push(ORPHAN_POD_PREFIX + objectKey(pod));
    }
    return keys;
  };

  const removeFinalizer = async (pod: Pod): Promise<boolean> => {
    try {
      await pods.guaranteedUpdate(pod.metadata.namespace, pod.metadata.name!, (current) => {
        if (current.metadata.uid !== pod.metadata.uid) return current;
        const rest = (current.metadata.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER);
        if (rest.length) current.metadata.finalizers = rest;
        else delete current.metadata.finalizers;
        return current;
      }, CONTROLLER_WRITE);
      return true;
    } catch (err) {
      ignoreNotFound(err);
      return true;
    }
  };

  /** syncOrphanPod: drop the finalizer of a pod whose Job will never count it. */
  const syncOrphanPod = async (key: string): Promise<void> => {
    const { namespace, name } = splitKey(key);
    const pod = pods.find(namespace, name)?.object as Pod | undefined;
    if (!pod || !hasTrackingFinalizer(pod)) return;
    const ref = controllerOf(pod);
    if (ref) {
      if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return;
      const job = jobOfRef(namespace, ref);
      if (job && !isJobFinished(job)) return;
    }
    await removeFinalizer(pod);
  };

  const createPods = async (job: Job, count: number, indexes: number[] | undefined, replacedPerIndex?: Map<number, Pod>): Promise<number> => {
    let created = 0;
    let remaining = Math.min(count, MAX_PODS_PER_SYNC);
    const pending = indexes ? [...indexes] : undefined;
    // Slow start: 1, 2, 4... pods at a time; the rest of the pass is skipped after a failure.
    for (let batch = 1; remaining > 0; batch *= 2) {
      const size = Math.min(batch, remaining);
      const results = await Promise.allSettled(
        Array.from({ length: size }, () => {
          const index = pending?.shift();
          const failures = replacedPerIndex && index !== undefined ? newIndexFailureCounts(job, replacedPerIndex.get(index)) : undefined;
          return pods.create(job.metadata.namespace, podForJob(job, index, failures), CONTROLLER_WRITE);
        }),
      );
      let failure: unknown;
      for (const result of results) {
        if (result.status === 'fulfilled') {
          created++;
          await events.record(job, 'Normal', 'SuccessfulCreate', `Created pod: ${result.value.object.metadata.name}`);
        } else {
          const cause = result.reason as StatusError;
          // A terminating namespace refuses every pod: nothing to report.
          if (cause instanceof StatusError && cause.details?.causes?.some((c) => c.reason === 'NamespaceTerminating')) continue;
          failure ??= result.reason;
          await events.record(job, 'Warning', 'FailedCreate', `Error creating: ${(result.reason as Error).message}`);
        }
      }
      if (failure) throw failure;
      remaining -= size;
    }
    return created;
  };

  /** Deletes pods; with `dropFinalizer` (too many pods, suspension) their outcome is not waited for. */
  const deletePods = async (job: Job, victims: readonly Pod[], dropFinalizer: boolean): Promise<{ deleted: number; deletedReady: number }> => {
    let deleted = 0;
    let deletedReady = 0;
    for (const pod of victims) {
      try {
        if (dropFinalizer && hasTrackingFinalizer(pod)) await removeFinalizer(pod);
        await pods.delete(pod.metadata.namespace, pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } });
        await events.record(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
      } catch (err) {
        if (!(err instanceof StatusError && err.code === 404)) {
          await events.record(job, 'Warning', 'FailedDelete', `Error deleting: ${(err as Error).message}`);
          throw err;
        }
      }
      deleted++;
      if (isPodReady(pod)) deletedReady++;
    }
    return { deleted, deletedReady };
  };

  const syncJob = async (key: string): Promise<ReconcileResult | void> => {
    const { namespace, name } = splitKey(key);
    const shared = jobs.find(namespace, name)?.object as Job | undefined;
    if (!shared) {
      backoffs.delete(key);
      return;
    }
    const managedBy = shared.spec?.managedBy;
    if (managedBy !== undefined && managedBy !== JOB_CONTROLLER_NAME) return;
    if (isJobFinished(shared)) {
      backoffs.delete(key);
      return;
    }
    const job = structuredClone(shared);
    const spec = job.spec ?? {};
    if (spec.completionMode !== undefined && spec.completionMode !== 'NonIndexed' && spec.completionMode !== 'Indexed') {
      await events.record(job, 'Warning', 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown');
      return;
    }
    const indexed = spec.completionMode === 'Indexed';
    const completions = spec.completions;
    const parallelism = spec.parallelism ?? 1;
    const backoffLimit = spec.backoffLimit ?? 6;
    const suspended = spec.suspend === true;
    const now = clock.now();
    const nowMs = now.getTime();
    const status: JobStatus = structuredClone(job.status ?? {});
    const uncounted = { succeeded: new Set(status.uncountedTerminatedPods?.succeeded ?? []), failed: new Set(status.uncountedTerminatedPods?.failed ?? []) };
    let requeueAfterMs: number | undefined;
    const requeue = (ms: number) => (requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, Math.max(ms, 0)));

    let selector: LabelSelector;
    try {
      selector = LabelSelector.fromObject(spec.selector);
    } catch {
      return; // Validation keeps unparsable selectors out.
    }
    // Every pod of the namespace: finished and deleting ones still have outcomes to count.
    const all = (await pods.list(namespace, defaultListOptions())).items.map((e) => e.object as Pod);
    const owned = await claimDependents(job, (pod) => selector.matches(pod.metadata.labels), all, pods);
    const validIndex = (pod: Pod) => {
      const index = completionIndexOf(pod);
      return index !== undefined && index < (completions ?? 0);
    };
    const activePods = owned.filter(isPodActive);
    let active = activePods.length;
    let ready = activePods.filter(isPodReady).length;
    let terminating = owned.filter(isTerminating).length;

    // Pods finished since the last count, not yet in uncountedTerminatedPods.
    const counting = (pod: Pod) => hasTrackingFinalizer(pod) && (!indexed || validIndex(pod));
    const newSucceeded = owned.filter((p) => counting(p) && !uncounted.succeeded.has(p.metadata.uid!) && p.status?.phase === 'Succeeded');
    const newFailed = owned.filter((p) => counting(p) && !uncounted.failed.has(p.metadata.uid!) && isPodFailed(p, job));
    let succeeded = (status.succeeded ?? 0) + newSucceeded.length + uncounted.succeeded.size;
    // Failures a podFailurePolicy rule ignores do not count against backoffLimit.
    const counted = (pod: Pod) => matchPodFailurePolicy(job, pod).countFailed;
    const failed = (status.failed ?? 0) + newFailed.filter(counted).length + uncounted.failed.size;

    if (!status.startTime && !suspended) status.startTime = formatTime(now);

    // newBackoffRecord: failures in a row since the last success, and when the last one happened.
    // A success resets the count; only failures after the latest success count then.
    const record: BackoffRecord = { ...(backoffs.get(key) ?? { failuresAfterLastSuccess: 0 }) };
    const ownedUids = new Set(owned.map((p) => p.metadata.uid!));
    const seen = new Set([...(record.seen ?? [])].filter((uid) => ownedUids.has(uid)));
    const failedTimes = newFailed.filter((p) => !seen.has(p.metadata.uid!)).map((p) => finishedAt(p, nowMs)).sort((a, b) => a - b);
    for (const pod of newFailed) seen.add(pod.metadata.uid!);
    record.seen = seen;
    if (newSucceeded.length) {
      const lastSuccess = Math.max(...newSucceeded.map((p) => finishedAt(p, nowMs)));
      const after = failedTimes.filter((t) => t > lastSuccess);
      record.failuresAfterLastSuccess = after.length;
      record.lastFailureTime = after.length ? after[after.length - 1] : undefined;
    } else if (failedTimes.length) {
      record.failuresAfterLastSuccess += failedTimes.length;
      record.lastFailureTime = failedTimes[failedTimes.length - 1];
    }

    // The interim condition this pass may reach (SuccessCriteriaMet / FailureTarget) or inherit.
    let finished: JobCondition | undefined = findCondition(job, 'SuccessCriteriaMet')?.status === 'True' ? findCondition(job, 'SuccessCriteriaMet') : undefined;
    if (!finished) {
      const target = findCondition(job, 'FailureTarget');
      if (target?.status === 'True') finished = target;
    }
    const startMs = status.startTime ? Date.parse(status.startTime) : undefined;
    if (!finished && spec.podFailurePolicy) {
      // A FailJob rule matching a failed pod ends the Job, recorded before its pods are released.
      for (const pod of owned) {
        const message = isPodFailed(pod, job) ? matchPodFailurePolicy(job, pod).failJobMessage : undefined;
        if (message) {
          finished = newCondition('FailureTarget', 'PodFailurePolicy', message, now);
          break;
        }
      }
    }
    if (!finished) {
      if (failed > backoffLimit || pastBackoffLimitOnFailure(job, owned)) {
        finished = newCondition('FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', now);
      } else if (spec.activeDeadlineSeconds !== undefined && startMs !== undefined && !suspended) {
        const deadline = startMs + spec.activeDeadlineSeconds * 1000;
        if (nowMs >= deadline) finished = newCondition('FailureTarget', 'DeadlineExceeded', 'Job was active longer than specified deadline', now);
        else requeue(deadline - nowMs);
      }
    }

    let succeededIndexes = new Set<number>();
    const perIndex = indexed && spec.backoffLimitPerIndex !== undefined;
    let failedIndexes: Set<number> | undefined;
    let delayedDeletion = new Map<number, Pod>();
    if (indexed) {
      succeededIndexes = parseIndexes(status.completedIndexes, completions ?? 0);
      for (const pod of owned) {
        const index = completionIndexOf(pod);
        if (pod.status?.phase === 'Succeeded' && index !== undefined && index < (completions ?? 0) && (hasTrackingFinalizer(pod) || succeededIndexes.has(index))) succeededIndexes.add(index);
      }
      succeeded = succeededIndexes.size;
      if (perIndex) {
        failedIndexes = parseIndexes(status.failedIndexes, completions ?? 0);
        for (const pod of owned) if (validIndex(pod) && hasTrackingFinalizer(pod) && isIndexFailed(job, pod)) failedIndexes.add(completionIndexOf(pod)!);
        if (!finished) {
          if (spec.maxFailedIndexes !== undefined && failedIndexes.size > spec.maxFailedIndexes) {
            finished = newCondition('FailureTarget', 'MaxFailedIndexesExceeded', 'Job has exceeded the specified maximal number of failed indexes', now);
          } else if (failedIndexes.size > 0 && failedIndexes.size + succeededIndexes.size >= (completions ?? 0)) {
            finished = newCondition('FailureTarget', 'FailedIndexes', 'Job has failed indexes', now);
          }
        }
        delayedDeletion = podsWithDelayedDeletion(job, owned, activePods, succeededIndexes, failedIndexes, nowMs);
      }
      if (!finished) {
        const matched = matchSuccessPolicy(job, succeededIndexes);
        if (matched) finished = newCondition('SuccessCriteriaMet', 'SuccessPolicy', matched, now);
      }
    }

    let suspendChanged = false;
    let manageError: unknown;
    if (finished) {
      // The Job has failed (or met its success criteria): stop what is still running.
      try {
        const { deleted, deletedReady } = await deletePods(job, activePods, false);
        active -= deleted;
        terminating += deleted;
        ready -= deletedReady;
      } catch (err) {
        manageError = err;
      }
    } else {
      if (!job.metadata.deletionTimestamp) {
        try {
          if (suspended) {
            const { deleted, deletedReady } = await deletePods(job, [...activePods].sort(comparePodsForDeletion), true);
            active -= deleted;
            terminating += deleted;
            ready -= deletedReady;
          } else {
            let wantActive = completions === undefined ? (succeeded > 0 ? active : parallelism) : Math.max(0, Math.min(completions - succeeded, parallelism));
            if (active > wantActive) {
              const victims = [...activePods].sort(comparePodsForDeletion).slice(0, Math.min(active - wantActive, MAX_PODS_PER_SYNC));
              const { deleted, deletedReady } = await deletePods(job, victims, true);
              active -= deleted;
              terminating += deleted;
              ready -= deletedReady;
              wantActive = active;
            }
            const replacing = onlyReplaceFailedPods(job) ? terminating : 0;
            let diff = wantActive - replacing - active;
            if (diff > 0) {
              // With backoffLimitPerIndex each index backs off on its own failures, not the Job's.
              const wait = perIndex ? 0 : backoffRemainingMs(record, nowMs);
              if (wait > 0) requeue(wait);
              else {
                let indexes: number[] | undefined;
                if (indexed) {
                  indexes = firstPendingIndexes(diff, completions ?? 0, new Set([...succeededIndexes, ...(failedIndexes ?? [])]), activePods);
                  if (perIndex) {
                    const waits = indexes.map((i) => {
                      const replaced = delayedDeletion.get(i);
                      return replaced ? backoffRemainingMs({ failuresAfterLastSuccess: indexAbsoluteFailureCount(replaced) + 1, lastFailureTime: finishedAt(replaced, nowMs) }, nowMs) : 0;
                    });
                    const now = indexes.filter((_, j) => waits[j] === 0);
                    if (now.length === 0 && waits.length) requeue(Math.min(...waits));
                    indexes = now;
                  }
                  diff = indexes.length;
                }
                if (diff > 0) active += await createPods(job, diff, indexes, perIndex ? delayedDeletion : undefined);
              }
            }
          }
        } catch (err) {
          manageError = err;
        }
      }
      const complete = completions === undefined ? succeeded > 0 && active === 0 : succeeded >= completions && active === 0;
      if (complete) {
        finished = newCondition('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods', now);
      } else if (!job.metadata.deletionTimestamp) {
        if (suspended) {
          if (ensureCondition(status, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now)) {
            suspendChanged = true;
            await events.record(job, 'Normal', 'Suspended', 'Job suspended');
          }
        } else if (ensureCondition(status, 'Suspended', 'False', 'JobResumed', 'Job resumed', now)) {
          suspendChanged = true;
          await events.record(job, 'Normal', 'Resumed', 'Job resumed');
          // activeDeadlineSeconds counts from the resumption.
          status.startTime = formatTime(now);
        }
      }
    }
    backoffs.set(key, record);
    status.active = active;
    status.ready = ready;
    status.terminating = terminating;

    // Count finished pods: their finalizers go, and their uids move from uncounted to the counters.
    const removable: Pod[] = [];
    for (const pod of owned) {
      if (!hasTrackingFinalizer(pod)) continue;
      const failedPod = isPodFailed(pod, job);
      if (!(job.metadata.deletionTimestamp || finished || pod.status?.phase === 'Succeeded' || failedPod)) continue;
      // A failed pod whose index will be retried keeps its finalizer until its replacement exists.
      const index = completionIndexOf(pod);
      if (!job.metadata.deletionTimestamp && !finished && index !== undefined && delayedDeletion.get(index)?.metadata.uid === pod.metadata.uid) continue;
      removable.push(pod);
      const uid = pod.metadata.uid!;
      if (pod.status?.phase === 'Succeeded' && !uncounted.failed.has(uid)) {
        if (!indexed) uncounted.succeeded.add(uid);
      } else if (failedPod || (finished && finished.type !== 'SuccessCriteriaMet')) {
        // Once the Job has failed, every pod not yet terminated counts as failed.
        if ((!indexed || (index !== undefined && index < (completions ?? 0))) && matchPodFailurePolicy(job, pod).countFailed) uncounted.failed.add(uid);
      }
    }
    if (indexed) status.completedIndexes = formatIndexes(succeededIndexes);
    if (perIndex) status.failedIndexes = formatIndexes(failedIndexes ?? []);
    if (finished?.type === 'FailureTarget' || finished?.type === 'SuccessCriteriaMet') {
      // The interim condition is recorded before the final one, which waits for terminating pods.
      if (!findCondition(job, finished.type)) (status.conditions ??= []).push(finished);
      finished = newCondition(finished.type === 'FailureTarget' ? 'Failed' : 'Complete', finished.reason ?? '', finished.message ?? '', now);
    }
    for (const pod of removable) {
      if (await removeFinalizer(pod)) {
        const uid = pod.metadata.uid!;
        if (uncounted.succeeded.delete(uid)) status.succeeded = (status.succeeded ?? 0) + 1;
        if (uncounted.failed.delete(uid)) status.failed = (status.failed ?? 0) + 1;
      }
    }
    if (indexed) status.succeeded = succeeded;
    status.uncountedTerminatedPods = { succeeded: [...uncounted.succeeded], failed: [...uncounted.failed] };

    let finishedNow = false;
    if (finished && uncounted.succeeded.size + uncounted.failed.size === 0 && terminating === 0) {
      ensureCondition(status, finished.type, 'True', finished.reason ?? '', finished.message ?? '', now);
      if (finished.type === 'Complete') status.completionTime = formatTime(now);
      finishedNow = true;
    } else if (finished && terminating > 0) {
      // Pods still terminating hold the final condition back; their deletion wakes this Job again.
    }

    const previous = wireStatus(shared.status ?? {});
    const next = wireStatus(status);
    if (suspendChanged || JSON.stringify(previous) !== JSON.stringify(next)) {
      try {
        await jobs.guaranteedUpdate(namespace, name, (latest) => {
          if (latest.metadata.uid !== job.metadata.uid) throw StatusError.conflict(jobs.groupResource, name, 'the object has been replaced');
          return { ...latest, status: next };
        }, CONTROLLER_WRITE, 'status');
      } catch (err) {
        ignoreNotFound(err);
        return;
      }
    }
    if (finishedNow && finished) {
      if (finished.type === 'Complete') {
        if (completions !== undefined && (status.succeeded ?? 0) > completions) {
          await events.record(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
        }
        await events.record(job, 'Normal', 'Completed', 'Job completed');
      } else {
        await events.record(job, 'Warning', finished.reason ?? '', finished.message ?? '');
      }
      backoffs.delete(key);
    }
    if (manageError) throw manageError;
    return requeueAfterMs === undefined ? undefined : { requeueAfterMs: cappedRequeue(requeueAfterMs) };
  };

  return {
    name: COMPONENT,
    watches: [
      {
        group: 'batch',
        kind: 'Job',
        keysFor: (job) => [objectKey(job), ...(isJobFinished(job as Job) ? orphanKeysOfJob(job) : [])],
        keysForDeleted: (job) => [objectKey(job), ...orphanKeysOfJob(job)],
      },
      { group: '', kind: 'Pod', keysFor: keysForPod, keysForDeleted: keysForPod },
    ],
    reconcile(key) {
      if (key.startsWith(ORPHAN_POD_PREFIX)) return syncOrphanPod(key.slice(ORPHAN_POD_PREFIX.length));
      return syncJob(key);
    },
  };
});
