/** printJob: the columns `kubectl get jobs` shows. */
import { AGE_COLUMN, ageCell, humanDuration, NAME_COLUMN, parseTimestamp } from '../../../machinery/table/table';
import type { TableDeclaration } from '../../../registry/resource-type';
import { WIDE_WORKLOAD_COLUMNS, wideWorkloadCells } from '../../apps/pod-template';
import { hasTrueCondition, type Job } from './job.types';

/** The STATUS cell: the first of these conditions that holds, else Running. */
export function jobStatusText(job: Job): string {
  if (hasTrueCondition(job, 'Complete')) return 'Complete';
  if (hasTrueCondition(job, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (hasTrueCondition(job, 'Suspended')) return 'Suspended';
  if (hasTrueCondition(job, 'FailureTarget')) return 'FailureTarget';
  if (hasTrueCondition(job, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

/** COMPLETIONS: succeeded over completions; a work-queue Job (no completions) counts to one. */
export function jobCompletionsText(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  const completions = job.spec?.completions;
  if (completions !== undefined && completions !== null) return `${succeeded}/${completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** DURATION: from startTime to completionTime, or to now while the Job has not completed. */
export function jobDurationText(job: Job, now: Date): string {
  const start = parseTimestamp(job.status?.startTime);
  if (start === undefined) return '';
  const end = parseTimestamp(job.status?.completionTime);
  return humanDuration((end ?? now.getTime()) - start);
}

export const jobTable: TableDeclaration<Job> = {
  columns: [
    NAME_COLUMN,
    { name: 'Status', type: 'string', description: 'Status of the job.' },
    { name: 'Completions', type: 'string', description: 'The desired number of successfully finished pods the job should be run with.' },
    { name: 'Duration', type: 'string', description: 'Time required to complete the job.' },
    AGE_COLUMN,
    ...WIDE_WORKLOAD_COLUMNS,
  ],
  cells: (job, now) => [
    job.metadata.name,
    jobStatusText(job),
    jobCompletionsText(job),
    jobDurationText(job, now),
    ageCell(job.metadata.creationTimestamp, now),
    ...wideWorkloadCells(job.spec?.template, job.spec?.selector),
  ],
};
