/**
 * The cronjob controller of the controller manager (pkg/controller/cronjob, "v2"): at each time the
 * schedule names, a Job from the jobTemplate named `<cronjob>-<scheduled time in minutes since the
 * epoch>`, within startingDeadlineSeconds and as concurrencyPolicy allows (Allow, Forbid, Replace);
 * status.active follows the Jobs it owns; finished Jobs beyond the history limits are deleted. The
 * queue wakes each CronJob just after its next scheduled time.
 */
import { CONTROLLER_WRITE, controllerOf, newControllerRef } from '../../../controller-runtime/controller-ref';
import { EventRecorder } from '../../../controller-runtime/event-recorder';
import { defineReconciler, splitKey, type ReconcileResult } from '../../../controller-runtime/reconciler';
import { StatusError } from '../../../machinery/errors/status-error';
import type { KubeObject } from '../../../machinery/meta/types';
import { defaultListOptions } from '../../../registry/list-options';
import { formatTime } from '../../../simulation/clock';
import { cappedRequeue, finishedConditionType, hasTrueCondition, isJobFinished, type Job } from '../job/job.types';
import { isKnownTimeZone, parseSchedule, type Schedule } from './cron-schedule';
import { SCHEDULED_TIMESTAMP_ANNOTATION, type ActiveJobReference, type CronJob, type CronJobStatus } from './cronjob.types';

const COMPONENT = 'cronjob-controller';
/** nextScheduleDelta: wake a little after the scheduled time, so that it has surely passed. */
const NEXT_SCHEDULE_DELTA_MS = 100;
const TOO_MANY_MISSED = 100;

/** `<cronjob>-<minutes since the epoch>`: one name per scheduled time, so a time never runs twice. */
export function jobNameFor(cronJob: CronJob, scheduled: Date): string {
  return `${cronJob.metadata.name}-${Math.floor(scheduled.getTime() / 60_000)}`;
}

/** RFC 3339 in the given IANA zone (Go's t.In(loc).Format(time.RFC3339)): "2026-03-01T05:00:00-05:00". */
export function formatInZone(date: Date, zone: string): string {
  const whole = new Date(Math.floor(date.getTime() / 1000) * 1000);
  if (zone === 'UTC') return formatTime(whole);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'longOffset' })
      .formatToParts(whole)
      .map((p) => [p.type, p.value]),
  );
  const offset = parts.timeZoneName === 'GMT' ? 'Z' : parts.timeZoneName.replace('GMT', '');
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset === '+00:00' ? 'Z' : offset}`;
}

/**
 * mostRecentScheduleTime: the latest scheduled time not after `now` that has not been run, counting
 * from the last one run (or the CronJob's creation), and how many were missed on the way. With
 * `withDeadline`, times older than startingDeadlineSeconds are no longer candidates.
 */
export function mostRecentScheduleTime(cronJob: CronJob, now: Date, schedule: Schedule, withDeadline: boolean): { earliest: Date; mostRecent?: Date; missed: number } {
  let earliest = new Date(Date.parse(cronJob.status?.lastScheduleTime ?? cronJob.metadata.creationTimestamp ?? '') || now.getTime());
  const deadline = cronJob.spec?.startingDeadlineSeconds;
  if (withDeadline && deadline !== undefined) {
    const schedulingDeadline = new Date(now.getTime() - deadline * 1000);
    if (schedulingDeadline > earliest) earliest = schedulingDeadline;
  }
  const t1 = schedule.next(earliest);
  const t2 = schedule.next(t1);
  if (now < t1) return { earliest, missed: 0 };
  if (now < t2) return { earliest, mostRecent: t1, missed: 1 };
  // Many missed: counted roughly as upstream does, by the gap between the first two times; the
  // most recent is then found from one gap before the estimate, for schedules with uneven gaps.
  const gapSeconds = Math.round((t2.getTime() - t1.getTime()) / 1000);
  if (gapSeconds < 1) throw new Error('time difference between two schedules is less than 1 second');
  const missed = Math.floor((now.getTime() - t1.getTime()) / 1000 / gapSeconds) + 1;
  let mostRecent = t1;
  const potentialEarliest = new Date(t1.getTime() + (missed - 2) * gapSeconds * 1000);
  for (let t = schedule.next(potentialEarliest); t <= now; t = schedule.next(t)) mostRecent = t;
  return { earliest, mostRecent, missed };
}

/** nextScheduleTimeDuration: how long until just after the next scheduled time. */
function untilNextSchedule(cronJob: CronJob, now: Date, schedule: Schedule): number {
  let recent: ReturnType<typeof mostRecentScheduleTime>;
  try {
    recent = mostRecentScheduleTime(cronJob, now, schedule, false);
  } catch {
    return NEXT_SCHEDULE_DELTA_MS;
  }
  const { earliest, mostRecent } = recent;
  const from = mostRecent ?? earliest;
  return Math.max(0, schedule.next(from).getTime() + NEXT_SCHEDULE_DELTA_MS - now.getTime());
}

/** byJobStartTime: oldest start first, Jobs that never started last, then by name. */
function byStartTime(a: Job, b: Job): number {
  const sa = a.status?.startTime;
  const sb = b.status?.startTime;
  if (!sa && sb) return 1;
  if (sa && !sb) return -1;
  if (sa === sb) return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
  return Date.parse(sa!) - Date.parse(sb!);
}

function jobReference(job: KubeObject): ActiveJobReference {
  return { kind: 'Job', namespace: job.metadata.namespace, name: job.metadata.name, uid: job.metadata.uid, apiVersion: 'batch/v1', resourceVersion: job.metadata.resourceVersion };
}

/** The status as Go encodes it: empty fields left out. */
function wireStatus(status: CronJobStatus): CronJobStatus {
  return {
    ...(status.active?.length ? { active: status.active } : {}),
    ...(status.lastScheduleTime ? { lastScheduleTime: status.lastScheduleTime } : {}),
    ...(status.lastSuccessfulTime ? { lastSuccessfulTime: status.lastSuccessfulTime } : {}),
  };
}

export const cronJobReconciler = defineReconciler((registry, clock) => {
  const cronJobs = registry.forKind<CronJob>('batch', 'CronJob');
  const jobs = registry.forKind<Job>('batch', 'Job');
  const events = new EventRecorder(registry, clock, { component: COMPONENT });

  const ownerKeys = (job: KubeObject): string[] => {
    const ref = controllerOf(job);
    return ref?.kind === 'CronJob' && ref.apiVersion === 'batch/v1' ? [`${job.metadata.namespace}/${ref.name}`] : [];
  };

  /** deleteJob: background deletion, reported, and out of the active list. Returns whether it went. */
  const deleteJob = async (cronJob: CronJob, status: CronJobStatus, job: Job): Promise<boolean> => {
    try {
      await jobs.delete(job.metadata.namespace, job.metadata.name!, { propagationPolicy: 'Background' });
    } catch (err) {
      if (!(err instanceof StatusError && err.code === 404)) {
        await events.record(cronJob, 'Warning', 'FailedDelete', `Deleted job: ${(err as Error).message}`);
        return false;
      }
    }
    status.active = (status.active ?? []).filter((ref) => ref.uid !== job.metadata.uid);
    await events.record(cronJob, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`);
    return true;
  };

  /** syncCronJob: follow the owned Jobs, then start the one due now, if any. Returns the next wake-up. */
  const syncCronJob = async (cronJob: CronJob, status: CronJobStatus, owned: Job[]): Promise<{ requeueAfterMs?: number; changed: boolean }> => {
    let changed = false;
    const children = new Set<string>();
    for (const job of owned) {
      children.add(job.metadata.uid!);
      const inActive = (status.active ?? []).some((ref) => ref.uid === job.metadata.uid);
      if (!inActive && !isJobFinished(job)) {
        // Not created by this controller (kubectl create job --from=cronjob/...), or forgotten.
        await events.record(cronJob, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${job.metadata.name}`);
      } else if (inActive && isJobFinished(job)) {
        status.active = (status.active ?? []).filter((ref) => ref.uid !== job.metadata.uid);
        await events.record(cronJob, 'Normal', 'SawCompletedJob', `Saw completed job: ${job.metadata.name}, condition: ${finishedConditionType(job)}`);
        changed = true;
      }
      if (hasTrueCondition(job, 'Complete') && job.status?.completionTime) {
        const last = status.lastSuccessfulTime;
        if (!last || Date.parse(job.status.completionTime) > Date.parse(last)) {
          status.lastSuccessfulTime = job.status.completionTime;
          changed = true;
        }
      }
    }
    for (const ref of [...(status.active ?? [])]) {
      if (children.has(ref.uid ?? '')) continue;
      const job = jobs.find(ref.namespace, ref.name ?? '')?.object;
      if (!job) {
        await events.record(cronJob, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
        status.active = (status.active ?? []).filter((r) => r.uid !== ref.uid);
        changed = true;
      }
    }

    const spec = cronJob.spec ?? {};
    if (cronJob.metadata.deletionTimestamp) return { changed };
    if (spec.timeZone !== undefined && !isKnownTimeZone(spec.timeZone)) {
      await events.record(cronJob, 'Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(spec.timeZone)}: unknown time zone ${spec.timeZone}`);
      return { changed };
    }
    if (spec.suspend === true) return { changed };
    const scheduleText = spec.schedule ?? '';
    if (scheduleText.includes('TZ')) {
      await events.record(cronJob, 'Warning', 'UnsupportedSchedule', `CRON_TZ or TZ used in schedule ${JSON.stringify(scheduleText)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`);
    }
    let schedule: Schedule;
    try {
      schedule = parseSchedule(scheduleText, spec.timeZone);
    } catch (err) {
      await events.record(cronJob, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(scheduleText)} : ${(err as Error).message}`);
      return { changed };
    }
    const now = clock.now();
    let recent: ReturnType<typeof mostRecentScheduleTime>;
    try {
      recent = mostRecentScheduleTime({ ...cronJob, status }, now, schedule, true);
    } catch (err) {
      await events.record(cronJob, 'Warning', 'InvalidSchedule', `invalid schedule: ${scheduleText} : ${(err as Error).message}`);
      return { changed };
    }
    const { mostRecent: scheduled, missed } = recent;
    if (missed > TOO_MANY_MISSED) {
      await events.record(cronJob, 'Warning', 'TooManyMissedTimes', `too many missed start times: ${missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`);
    }
    const next = () => untilNextSchedule({ ...cronJob, status }, now, schedule);
    if (!scheduled) return { requeueAfterMs: next(), changed };
    const deadline = spec.startingDeadlineSeconds;
    if (deadline !== undefined && scheduled.getTime() + deadline * 1000 < now.getTime()) {
      await events.record(cronJob, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`);
      return { requeueAfterMs: next(), changed };
    }
    const name = jobNameFor(cronJob, scheduled);
    if ((status.active ?? []).some((ref) => ref.name === name) || (status.lastScheduleTime && Date.parse(status.lastScheduleTime) === scheduled.getTime())) {
      return { requeueAfterMs: next(), changed };
    }
    if (spec.concurrencyPolicy === 'Forbid' && (status.active ?? []).length > 0) {
      await events.record(cronJob, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return { requeueAfterMs: next(), changed };
    }
    if (spec.concurrencyPolicy === 'Replace') {
      for (const ref of [...(status.active ?? [])]) {
        const job = jobs.find(ref.namespace, ref.name ?? '')?.object as Job | undefined;
        if (!job) continue;
        if (!(await deleteJob(cronJob, status, job))) throw new Error(`could not replace job ${job.metadata.namespace}/${job.metadata.name}`);
        changed = true;
      }
    }

    const template = spec.jobTemplate ?? {};
    const zone = spec.timeZone ?? 'UTC';
    const request: Job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name,
        namespace: cronJob.metadata.namespace,
        ...(template.metadata?.labels ? { labels: { ...template.metadata.labels } } : {}),
        annotations: { ...(template.metadata?.annotations ?? {}), [SCHEDULED_TIMESTAMP_ANNOTATION]: formatInZone(scheduled, zone) },
        ownerReferences: [newControllerRef(cronJob)],
      },
      spec: structuredClone(template.spec ?? {}),
    };
    let created: KubeObject | undefined;
    try {
      created = (await jobs.create(cronJob.metadata.namespace, request, CONTROLLER_WRITE)).object;
      await events.record(cronJob, 'Normal', 'SuccessfulCreate', `Created job ${name}`);
    } catch (err) {
      if (err instanceof StatusError && err.details?.causes?.some((c) => c.reason === 'NamespaceTerminating')) return { changed };
      if (err instanceof StatusError && err.code === 409 && err.reason === 'AlreadyExists') {
        // Made by an earlier pass whose status write was lost: adopt it if it is ours.
        const existing = jobs.find(cronJob.metadata.namespace, name)?.object;
        if (existing && controllerOf(existing)?.uid === cronJob.metadata.uid) created = existing;
        else {
          await events.record(cronJob, 'Warning', 'FailedCreate', `Error creating job: ${err.message}`);
          return { changed };
        }
      } else {
        await events.record(cronJob, 'Warning', 'FailedCreate', `Error creating job: ${(err as Error).message}`);
        throw err;
      }
    }
    status.active = [...(status.active ?? []), jobReference(created)];
    status.lastScheduleTime = formatTime(scheduled);
    return { requeueAfterMs: next(), changed: true };
  };

  /** cleanupFinishedJobs: beyond the history limits, the oldest finished Jobs go. */
  const cleanupFinishedJobs = async (cronJob: CronJob, status: CronJobStatus, owned: Job[]): Promise<boolean> => {
    const spec = cronJob.spec ?? {};
    if (spec.successfulJobsHistoryLimit === undefined && spec.failedJobsHistoryLimit === undefined) return false;
    let changed = false;
    const removeOldest = async (finished: Job[], limit: number | undefined) => {
      if (limit === undefined) return;
      const excess = finished.length - limit;
      if (excess <= 0) return;
      for (const job of [...finished].sort(byStartTime).slice(0, excess)) if (await deleteJob(cronJob, status, job)) changed = true;
    };
    await removeOldest(owned.filter((j) => finishedConditionType(j) === 'Complete'), spec.successfulJobsHistoryLimit);
    await removeOldest(owned.filter((j) => finishedConditionType(j) === 'Failed'), spec.failedJobsHistoryLimit);
    return changed;
  };

  return {
    name: COMPONENT,
    watches: [
      { group: 'batch', kind: 'CronJob' },
      { group: 'batch', kind: 'Job', keysFor: ownerKeys },
    ],
    async reconcile(key): Promise<ReconcileResult | void> {
      const { namespace, name } = splitKey(key);
      const cronJob = cronJobs.find(namespace, name)?.object as CronJob | undefined;
      if (!cronJob) return;
      const owned = (await jobs.list(namespace, defaultListOptions())).items
        .map((e) => e.object as Job)
        .filter((job) => controllerOf(job)?.uid === cronJob.metadata.uid);
      const status: CronJobStatus = structuredClone(cronJob.status ?? {});
      const result = await syncCronJob(cronJob, status, owned);
      const cleaned = !cronJob.metadata.deletionTimestamp && (await cleanupFinishedJobs(cronJob, status, owned));
      if (result.changed || cleaned) {
        const next = wireStatus(status);
        if (JSON.stringify(next) !== JSON.stringify(wireStatus(cronJob.status ?? {}))) {
          try {
            await cronJobs.guaranteedUpdate(namespace, name, (latest) => {
              if (latest.metadata.uid !== cronJob.metadata.uid) throw StatusError.conflict(cronJobs.groupResource, name, 'the object has been replaced');
              return { ...latest, status: next };
            }, CONTROLLER_WRITE, 'status');
          } catch (err) {
            if (!(err instanceof StatusError && err.code === 404)) throw err;
            return;
          }
        }
      }
      return result.requeueAfterMs === undefined ? undefined : { requeueAfterMs: cappedRequeue(result.requeueAfterMs) };
    },
  };
});

/** Go's time.RFC1123Z in UTC: "Mon, 02 Jan 2006 15:04:05 +0000". */
function rfc1123z(date: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${days[date.getUTCDay()]}, ${pad(date.getUTCDate())} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

