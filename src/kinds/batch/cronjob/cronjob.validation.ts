/** ValidateCronJobCreate / ValidateCronJobUpdate of pkg/apis/batch/validation. */
import { FieldError, GoSyntax } from '../../../machinery/errors/status-error';
import { goLabelSelector, nonNegativeErrors } from '../../apps/pod-template';
import { validateJobSpecFields } from '../job/job.validation';
import { isKnownTimeZone, scheduleError } from './cron-schedule';
import type { CronJob, CronJobSpec } from './cronjob.types';

/** The cronjob controller appends `-<minutes since epoch>` (11 characters) to name its Jobs. */
const MAX_CRONJOB_NAME_LENGTH = 52;
const CONCURRENCY_POLICIES = ['Allow', 'Forbid', 'Replace'];
/** A time zone path component, per the IANA naming rules (digits and + tolerated for legacy names). */
const TIME_ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

function scheduleErrors(spec: CronJobSpec, allowTimeZoneInSchedule: boolean): FieldError[] {
  const schedule = spec.schedule ?? '';
  const path = 'spec.schedule';
  if (schedule.length === 0) return [FieldError.required(path)];
  const errors: FieldError[] = [];
  const problem = scheduleError(schedule);
  if (problem) errors.push(FieldError.invalid(path, schedule, problem));
  if (allowTimeZoneInSchedule && schedule.includes('TZ') && spec.timeZone !== undefined) {
    errors.push(FieldError.invalid(path, schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  } else if (!allowTimeZoneInSchedule && schedule.includes('TZ')) {
    errors.push(FieldError.invalid(path, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  return errors;
}

function timeZoneErrors(timeZone: string | undefined): FieldError[] {
  if (timeZone === undefined) return [];
  const path = 'spec.timeZone';
  // The value prints as Go prints the *string pointer: an address, which means nothing to a reader.
  const shown = new GoSyntax(JSON.stringify(timeZone));
  if (timeZone.length === 0) return [FieldError.invalid(path, shown, 'timeZone must be nil or non-empty string')];
  for (const part of timeZone.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !TIME_ZONE_PART.test(part)) {
      return [FieldError.invalid(path, shown, `unknown time zone ${timeZone}`)];
    }
  }
  if (timeZone.toLowerCase() === 'local') {
    return [FieldError.invalid(path, shown, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones')];
  }
  if (!isKnownTimeZone(timeZone)) return [FieldError.invalid(path, shown, `unknown time zone ${timeZone}`)];
  return [];
}

function concurrencyPolicyErrors(policy: string | undefined): FieldError[] {
  const path = 'spec.concurrencyPolicy';
  if (!policy) return [FieldError.required(path)];
  return CONCURRENCY_POLICIES.includes(policy) ? [] : [FieldError.notSupported(path, policy, CONCURRENCY_POLICIES)];
}

/** ValidateJobTemplateSpec: a Job spec whose selector is always generated. */
function jobTemplateErrors(spec: CronJobSpec): FieldError[] {
  const path = 'spec.jobTemplate.spec';
  const jobSpec = spec.jobTemplate?.spec ?? {};
  const errors = validateJobSpecFields(jobSpec, path);
  if (jobSpec.selector) errors.push(FieldError.invalid(`${path}.selector`, goLabelSelector(jobSpec.selector), '`selector` will be auto-generated'));
  if (jobSpec.manualSelector === true) errors.push(FieldError.notSupported(`${path}.manualSelector`, new GoSyntax('true'), ['nil', 'false']));
  return errors;
}

function cronJobSpecErrors(spec: CronJobSpec, old: CronJobSpec | undefined): FieldError[] {
  const allowTimeZoneInSchedule = old !== undefined && (old.schedule ?? '').includes('TZ');
  return [
    ...scheduleErrors(spec, allowTimeZoneInSchedule),
    ...nonNegativeErrors({ 'spec.startingDeadlineSeconds': spec.startingDeadlineSeconds }),
    ...(old === undefined || old.timeZone !== spec.timeZone ? timeZoneErrors(spec.timeZone) : []),
    ...concurrencyPolicyErrors(spec.concurrencyPolicy),
    ...jobTemplateErrors(spec),
    ...nonNegativeErrors({ 'spec.successfulJobsHistoryLimit': spec.successfulJobsHistoryLimit, 'spec.failedJobsHistoryLimit': spec.failedJobsHistoryLimit }),
  ];
}

export function validateCronJob(cronJob: CronJob): FieldError[] {
  const errors = cronJobSpecErrors(cronJob.spec ?? {}, undefined);
  const name = cronJob.metadata.name ?? '';
  if (name.length > MAX_CRONJOB_NAME_LENGTH) errors.push(FieldError.invalid('metadata.name', name, `must be no more than ${MAX_CRONJOB_NAME_LENGTH} characters`));
  return errors;
}

/** Updates skip the name length rule, so that older, longer-named CronJobs can still change. */
export function validateCronJobUpdate(cronJob: CronJob, old: CronJob): FieldError[] {
  return cronJobSpecErrors(cronJob.spec ?? {}, old.spec ?? {});
}
