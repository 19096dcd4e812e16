import { defineResource } from '../../../registry/resource-type';
import { defaultPodTemplate } from '../../apps/pod-template';
import { jobSpecWarnings, nameWarnings } from '../job/job.validation';
import { cronJobTable } from './cronjob.table';
import type { CronJob } from './cronjob.types';
import { validateCronJob, validateCronJobUpdate } from './cronjob.validation';

export type { CronJob } from './cronjob.types';

/**
 * batch/v1 CronJob (pkg/registry/batch/cronjob): Jobs created on a schedule by the cronjob
 * reconciler. Create clears the status; spec changes bump the generation. The jobTemplate's pod
 * template gets a Pod's defaults; its Job spec gets none (SetDefaults_Job is for Jobs alone).
 */
export const cronJobResource = defineResource<CronJob>({
  group: 'batch',
  version: 'v1',
  kind: 'CronJob',
  plural: 'cronjobs',
  singular: 'cronjob',
  namespaced: true,
  shortNames: ['cj'],
  categories: ['all'],
  definition: 'io.k8s.api.batch.v1.CronJob',
  statusSubresource: true,
  generationFields: ['spec'],

  applyDefaults(cronJob) {
    const jobSpec = cronJob.spec?.jobTemplate?.spec;
    if (jobSpec && typeof jobSpec === 'object') defaultPodTemplate(jobSpec.template);
  },
  prepareForCreate(cronJob) {
    cronJob.status = {};
  },
  validate: validateCronJob,
  validateUpdate: validateCronJobUpdate,
  warnings: (cronJob) => [...nameWarnings(cronJob.metadata.name), ...jobSpecWarnings(cronJob.spec?.jobTemplate?.spec, 'spec.jobTemplate.spec')],

  table: cronJobTable,
});
