/**
 * matchPodFailurePolicy of pkg/controller/job/pod_failure_policy.go: the first rule whose exit codes
 * or pod conditions match a failed pod decides what its failure means: FailJob ends the Job, Ignore
 * does not count it against backoffLimit, Count counts it as usual, FailIndex fails its index.
 */
import type { ContainerStatus, Pod } from '../../core/pod/pod.types';
import type { Job, PodFailurePolicyRule } from './job.types';

export interface PolicyVerdict {
  /** FailJob: the message of the Job's failure. */
  failJobMessage?: string;
  /** False for Ignore: the failure does not count against backoffLimit. */
  countFailed: boolean;
  action?: string;
}

type ExitCodeRequirement = NonNullable<PodFailurePolicyRule['onExitCodes']>;

function matchingContainer(statuses: ContainerStatus[] | undefined, requirement: ExitCodeRequirement): ContainerStatus | undefined {
  const values = requirement.values ?? [];
  for (const cs of statuses ?? []) {
    const exitCode = cs.state?.terminated?.exitCode;
    if (exitCode === undefined || exitCode === 0) continue;
    if (requirement.containerName !== undefined && requirement.containerName !== cs.name) continue;
    const listed = values.includes(exitCode);
    if ((requirement.operator === 'In' && listed) || (requirement.operator === 'NotIn' && !listed)) return cs;
  }
  return undefined;
}

export function matchPodFailurePolicy(job: Job, pod: Pod): PolicyVerdict {
  const rules = job.spec?.podFailurePolicy?.rules;
  if (!rules) return { countFailed: true };
  for (const [index, rule] of rules.entries()) {
    let failJobMessage: string | undefined;
    if (rule.onExitCodes) {
      const cs = matchingContainer(pod.status?.containerStatuses, rule.onExitCodes) ?? matchingContainer(pod.status?.initContainerStatuses, rule.onExitCodes);
      if (!cs) continue;
      failJobMessage = `Container ${cs.name} for pod ${pod.metadata.namespace}/${pod.metadata.name} failed with exit code ${cs.state?.terminated?.exitCode} matching FailJob rule at index ${index}`;
    } else if (rule.onPodConditions) {
      const condition = (pod.status?.conditions ?? []).find((c) => rule.onPodConditions!.some((p) => p.type === c.type && (p.status ?? 'True') === c.status));
      if (!condition) continue;
      failJobMessage = `Pod ${pod.metadata.namespace}/${pod.metadata.name} has condition ${condition.type} matching FailJob rule at index ${index}`;
    } else continue;
    switch (rule.action) {
      case 'Ignore':
        return { countFailed: false, action: 'Ignore' };
      case 'FailIndex':
        return { countFailed: true, action: 'FailIndex' };
      case 'Count':
        return { countFailed: true, action: 'Count' };
      case 'FailJob':
        return { failJobMessage, countFailed: true, action: 'FailJob' };
    }
  }
  return { countFailed: true };
}
