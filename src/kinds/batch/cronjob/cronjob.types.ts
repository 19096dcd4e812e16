/** The wire shape of batch/v1 CronJob, as far as the strategy, printer and reconciler read it. */
import type { KubeObject, ObjectMeta } from '../../../machinery/meta/types';
import type { JobSpec } from '../job/job.types';

export interface JobTemplateSpec {
  metadata?: Pick<ObjectMeta, 'name' | 'labels' | 'annotations'> & Record<string, unknown>;
  spec?: JobSpec;
}

export interface CronJobSpec {
  schedule?: string;
  timeZone?: string;
  startingDeadlineSeconds?: number;
  concurrencyPolicy?: string;
  suspend?: boolean;
  jobTemplate?: JobTemplateSpec;
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
}

/** An ObjectReference to a running Job. */
export interface ActiveJobReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
}

export interface CronJobStatus {
  active?: ActiveJobReference[];
  lastScheduleTime?: string;
  lastSuccessfulTime?: string;
}

export interface CronJob extends KubeObject {
  spec?: CronJobSpec;
  status?: CronJobStatus;
}

/** The nominal time a Job was created for, in the CronJob's time zone (RFC 3339). */
export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
