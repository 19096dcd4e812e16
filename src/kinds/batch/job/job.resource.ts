import { defineResource } from '../../../registry/resource-type';
import { defaultPodTemplate } from '../../apps/pod-template';
import { jobTable } from './job.table';
import {
  CONTROLLER_UID_LABEL,
  JOB_NAME_LABEL,
  LEGACY_CONTROLLER_UID_LABEL,
  LEGACY_JOB_NAME_LABEL,
  type Job,
  type JobSpec,
} from './job.types';
import { jobSpecWarnings, nameWarnings, validateJob, validateJobUpdate } from './job.validation';

export type { Job } from './job.types';

/** SetDefaults_Job of batch/v1, less the labels (see copyTemplateLabels). */
export function applyJobSpecDefaults(spec: JobSpec): void {
  // A non-parallel Job may leave both unset: then both are one.
  if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
  spec.parallelism ??= 1;
  // Per-index backoff makes the global limit effectively unlimited.
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  for (const rule of spec.podFailurePolicy?.rules ?? []) for (const pattern of rule.onPodConditions ?? []) pattern.status ||= 'True';
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  spec.manualSelector ??= false;
  defaultPodTemplate(spec.template);
}

/** A Job without labels of its own takes its template's. */
function copyTemplateLabels(job: Job): void {
  const templateLabels = job.spec?.template?.metadata?.labels;
  if (templateLabels && Object.keys(job.metadata.labels ?? {}).length === 0) job.metadata.labels = { ...templateLabels };
}

/**
 * The selector and template labels the API server generates unless manualSelector is true: pods
 * are selected by this Job's uid, and labelled with its uid and name (prefixed and legacy keys).
 */
function generateSelector(job: Job): void {
  const spec = (job.spec ??= {});
  const template = (spec.template ??= {});
  const metadata = (template.metadata ??= {});
  const labels = (metadata.labels ??= {});
  const uid = job.metadata.uid ?? '';
  for (const key of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) labels[key] ??= job.metadata.name ?? '';
  for (const key of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) labels[key] ??= uid;
  const selector = (spec.selector ??= {});
  const matchLabels = (selector.matchLabels ??= {});
  matchLabels[CONTROLLER_UID_LABEL] ??= uid;
}

/**
 * batch/v1 Job (pkg/registry/batch/job): pods run to completion, counted by the job reconciler.
 * Create generates the selector and clears the status; spec changes bump the generation.
 */
export const jobResource = defineResource<Job>({
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  plural: 'jobs',
  singular: 'job',
  namespaced: true,
  categories: ['all'],
  definition: 'io.k8s.api.batch.v1.Job',
  statusSubresource: true,
  generationFields: ['spec'],
  // A batch/v1 Job deleted without a propagationPolicy leaves its pods (kubectl always sends one).
  defaultPropagationPolicy: 'Orphan',

  applyDefaults(job) {
    if (job.spec && typeof job.spec === 'object') applyJobSpecDefaults(job.spec);
    copyTemplateLabels(job);
  },
  prepareForCreate(job) {
    if (job.spec?.manualSelector !== true) generateSelector(job);
    // The real server re-reads the created object with defaulting, which copies the now-labelled template's labels.
    copyTemplateLabels(job);
    job.status = {};
  },
  validate: validateJob,
  validateUpdate: validateJobUpdate,
  warnings: (job) => [...nameWarnings(job.metadata.name), ...jobSpecWarnings(job.spec, 'spec')],

  // JobToSelectableFields: `kubectl delete jobs --field-selector status.successful=1`.
  selectableFields: (job) => ({ 'status.successful': String(job.status?.succeeded ?? 0) }),

  table: jobTable,
});
