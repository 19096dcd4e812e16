/** printCronJob: the columns `kubectl get cronjobs` shows. */
import { AGE_COLUMN, ageCell, NAME_COLUMN, NONE, timestampSince } from '../../../machinery/table/table';
import type { TableDeclaration } from '../../../registry/resource-type';
import { WIDE_WORKLOAD_COLUMNS, wideWorkloadCells } from '../../apps/pod-template';
import type { CronJob } from './cronjob.types';

/** printBoolPtr. */
function boolCell(value: boolean | undefined): string {
  if (value === undefined || value === null) return '<unset>';
  return value ? 'True' : 'False';
}

export const cronJobTable: TableDeclaration<CronJob> = {
  columns: [
    NAME_COLUMN,
    { name: 'Schedule', type: 'string', description: 'The schedule in Cron format.' },
    { name: 'Timezone', type: 'string', description: 'The time zone the schedule is read in.' },
    { name: 'Suspend', type: 'boolean', description: 'Whether later executions are suspended.' },
    { name: 'Active', type: 'integer', description: 'The number of currently running jobs.' },
    { name: 'Last Schedule', type: 'date', description: 'When the job was last successfully scheduled.' },
    AGE_COLUMN,
    ...WIDE_WORKLOAD_COLUMNS,
  ],
  cells: (cronJob, now) => {
    const spec = cronJob.spec ?? {};
    const lastSchedule = cronJob.status?.lastScheduleTime;
    return [
      cronJob.metadata.name,
      spec.schedule ?? '',
      spec.timeZone ?? NONE,
      boolCell(spec.suspend),
      cronJob.status?.active?.length ?? 0,
      lastSchedule ? timestampSince(lastSchedule, now) : NONE,
      ageCell(cronJob.metadata.creationTimestamp, now),
      ...wideWorkloadCells(spec.jobTemplate?.spec?.template, spec.jobTemplate?.spec?.selector),
    ];
  },
};
