/** The wire shape of batch/v1 Job, as far as the strategy, printer and reconcilers read it. */
import type { KubeObject } from '../../../machinery/meta/types';
import type { LabelSelectorObject } from '../../../machinery/selectors/label-selector';
import type { PodTemplateSpec } from '../../apps/pod-template';

export interface PodFailurePolicyRule {
  action?: string;
  onExitCodes?: { containerName?: string; operator?: string; values?: number[] } | null;
  onPodConditions?: { type?: string; status?: string }[] | null;
}

export interface JobSpec {
  parallelism?: number;
  completions?: number;
  activeDeadlineSeconds?: number;
  podFailurePolicy?: { rules?: PodFailurePolicyRule[] } | null;
  successPolicy?: { rules?: { succeededIndexes?: string; succeededCount?: number }[] } | null;
  backoffLimit?: number;
  backoffLimitPerIndex?: number;
  maxFailedIndexes?: number;
  selector?: LabelSelectorObject | null;
  manualSelector?: boolean;
  template?: PodTemplateSpec;
  ttlSecondsAfterFinished?: number;
  completionMode?: string;
  suspend?: boolean;
  podReplacementPolicy?: string;
  managedBy?: string;
}

export interface JobCondition {
  type: string;
  status: string;
  lastProbeTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface UncountedTerminatedPods {
  succeeded?: string[];
  failed?: string[];
}

export interface JobStatus {
  conditions?: JobCondition[];
  startTime?: string;
  completionTime?: string;
  active?: number;
  succeeded?: number;
  failed?: number;
  terminating?: number;
  completedIndexes?: string;
  failedIndexes?: string;
  uncountedTerminatedPods?: UncountedTerminatedPods;
  ready?: number;
}

export interface Job extends KubeObject {
  spec?: JobSpec;
  status?: JobStatus;
}

/** Labels and annotations the API server and the job controller put on Jobs and their pods. */
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const LEGACY_JOB_NAME_LABEL = 'job-name';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
export const JOB_COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';
/** Kept on every pod the controller creates until it has counted the pod's outcome. */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';

/** Whether the condition of this type is True. */
export function hasTrueCondition(job: Job, type: string): boolean {
  return (job.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

/** IsJobFinished: a Complete or Failed condition that is True. */
export function isJobFinished(job: Job): boolean {
  return hasTrueCondition(job, 'Complete') || hasTrueCondition(job, 'Failed');
}

/** The finished condition's type, if any (for the cronjob controller's event text). */
export function finishedConditionType(job: Job): 'Complete' | 'Failed' | undefined {
  if (hasTrueCondition(job, 'Complete')) return 'Complete';
  if (hasTrueCondition(job, 'Failed')) return 'Failed';
  return undefined;
}

/**
 * The longest wait a batch reconciler asks its queue for: timers cannot reach further than about
 * 24.8 days (a longer setTimeout fires at once), and a yearly schedule or a long deadline simply
 * looks again after an hour.
 */
export const MAX_REQUEUE_MS = 60 * 60 * 1000;

export function cappedRequeue(ms: number): number {
  return Math.min(Math.max(ms, 0), MAX_REQUEUE_MS);
}
