/**
 * The TTL-after-finished controller (pkg/controller/ttlafterfinished): a finished Job with
 * spec.ttlSecondsAfterFinished is deleted (foreground, so its pods go first) that long after it
 * completed or failed.
 */
import { defineReconciler, splitKey } from '../../../controller-runtime/reconciler';
import { StatusError } from '../../../machinery/errors/status-error';
import { cappedRequeue, isJobFinished, type Job } from './job.types';

/** When the Job finished: its completionTime, or the time its finished condition turned True. */
export function jobFinishTime(job: Job): number | undefined {
  if (job.status?.completionTime) return Date.parse(job.status.completionTime);
  const condition = job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  const at = Date.parse(condition?.lastTransitionTime ?? '');
  return Number.isNaN(at) ? undefined : at;
}

export const ttlAfterFinishedReconciler = defineReconciler((registry, clock) => {
  const jobs = registry.forKind<Job>('batch', 'Job');
  return {
    name: 'ttl-after-finished-controller',
    watches: [{ group: 'batch', kind: 'Job', keysFor: (job) => ((job as Job).spec?.ttlSecondsAfterFinished !== undefined ? [`${job.metadata.namespace}/${job.metadata.name}`] : []) }],
    async reconcile(key) {
      const { namespace, name } = splitKey(key);
      const job = jobs.find(namespace, name)?.object as Job | undefined;
      const ttl = job?.spec?.ttlSecondsAfterFinished;
      if (!job || ttl === undefined || job.metadata.deletionTimestamp || !isJobFinished(job)) return;
      const finishedAt = jobFinishTime(job);
      if (finishedAt === undefined) return;
      const remaining = finishedAt + ttl * 1000 - clock.now().getTime();
      if (remaining > 0) return { requeueAfterMs: cappedRequeue(remaining) };
      try {
        // The uid precondition keeps a Job recreated under the same name safe.
        await jobs.delete(namespace, name, { propagationPolicy: 'Foreground', preconditions: { uid: job.metadata.uid } });
      } catch (err) {
        if (!(err instanceof StatusError && (err.code === 404 || err.code === 409))) throw err;
      }
    },
  };
});
