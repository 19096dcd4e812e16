/**
 * ValidateJob / ValidateJobUpdate / the status rules of pkg/apis/batch/validation, for what kubemu
 * serves of batch/v1 Job. The job spec rules (validateJobSpec) are shared with CronJob's jobTemplate.
 */
import { FieldError, GoSyntax } from '../../../machinery/errors/status-error';
import { LabelSelector, labelSelectorFieldErrors, type LabelSelectorObject } from '../../../machinery/selectors/label-selector';
import { immutableField, isObject } from '../../../machinery/validation/common';
import { dns1123LabelErrors } from '../../../machinery/validation/names';
import { validateAnnotations, validateLabels } from '../../../machinery/validation/object-meta';
import { goLabelSelector, nonNegativeErrors } from '../../apps/pod-template';
import type { PodSpec } from '../../core/pod/pod.types';
import { validatePodSpecAt } from '../../core/pod/pod.validation';
import {
  CONTROLLER_UID_LABEL,
  JOB_NAME_LABEL,
  LEGACY_CONTROLLER_UID_LABEL,
  LEGACY_JOB_NAME_LABEL,
  type Job,
  type JobSpec,
  type JobStatus,
} from './job.types';

const MAX_PARALLELISM_FOR_INDEXED_JOB = 100_000;
const MAX_MANAGED_BY_LENGTH = 63;
const POD_FAILURE_POLICY_ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
const EXIT_CODE_OPERATORS = ['In', 'NotIn'];
const POD_REPLACEMENT_POLICIES = ['Failed', 'TerminatingOrFailed'];

/** Go's %#v of a map[string]string, as the selector/labels mismatch prints the template labels. */
export function goStringMap(map: Record<string, string> | undefined | null): GoSyntax {
  if (!map) return new GoSyntax('map[string]string(nil)');
  const entries = Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new GoSyntax(`map[string]string{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(', ')}}`);
}

/** ValidatePodTemplateSpec: the template's labels, annotations and pod spec. */
function podTemplateErrors(spec: JobSpec, path: string): FieldError[] {
  const template = spec.template;
  if (!template || typeof template !== 'object') return [FieldError.required(path)];
  const errors = [
    ...validateLabels(template.metadata?.labels, `${path}.metadata.labels`),
    ...validateAnnotations(template.metadata?.annotations, `${path}.metadata.annotations`),
    ...validatePodSpecAt(template.spec, `${path}.spec`),
  ];
  if (template.spec?.ephemeralContainers?.length) {
    errors.push(FieldError.forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  }
  return errors;
}

function podFailurePolicyErrors(spec: JobSpec, path: string): FieldError[] {
  const rules = spec.podFailurePolicy?.rules ?? [];
  const errors: FieldError[] = [];
  if (rules.length > 20) errors.push(FieldError.tooMany(`${path}.rules`, rules.length, 20));
  const containerNames = new Set([...(spec.template?.spec?.containers ?? []), ...(spec.template?.spec?.initContainers ?? [])].map((c) => c.name));
  rules.forEach((rule, i) => {
    const at = `${path}.rules[${i}]`;
    if (!rule.action) errors.push(FieldError.required(`${at}.action`, `valid values: ${goQuotedList(POD_FAILURE_POLICY_ACTIONS)}`));
    else if (rule.action === 'FailIndex' && spec.backoffLimitPerIndex === undefined) {
      errors.push(FieldError.invalid(`${at}.action`, rule.action, 'requires the backoffLimitPerIndex to be set'));
    } else if (!POD_FAILURE_POLICY_ACTIONS.includes(rule.action)) errors.push(FieldError.notSupported(`${at}.action`, rule.action, POD_FAILURE_POLICY_ACTIONS));
    const onExitCodes = rule.onExitCodes;
    if (onExitCodes) {
      const codesAt = `${at}.onExitCodes`;
      if (!onExitCodes.operator) errors.push(FieldError.required(`${codesAt}.operator`, `valid values: ${goQuotedList(EXIT_CODE_OPERATORS)}`));
      else if (!EXIT_CODE_OPERATORS.includes(onExitCodes.operator)) errors.push(FieldError.notSupported(`${codesAt}.operator`, onExitCodes.operator, EXIT_CODE_OPERATORS));
      if (onExitCodes.containerName !== undefined && !containerNames.has(onExitCodes.containerName)) {
        errors.push(FieldError.invalid(`${codesAt}.containerName`, onExitCodes.containerName, 'must be one of the container or initContainer names in the pod template'));
      }
      const values = onExitCodes.values ?? [];
      if (values.length === 0) errors.push(FieldError.invalid(`${codesAt}.values`, new GoSyntax('[]int32(nil)'), 'at least one value is required'));
      const seen = new Set<number>();
      values.forEach((value, j) => {
        if (onExitCodes.operator === 'In' && value === 0) errors.push(FieldError.invalid(`${codesAt}.values[${j}]`, value, 'must not be 0 for the In operator'));
        if (seen.has(value)) errors.push(FieldError.duplicate(`${codesAt}.values[${j}]`, value));
        seen.add(value);
      });
      if (values.some((value, j) => j > 0 && values[j - 1] > value)) {
        errors.push(FieldError.invalid(`${codesAt}.values`, new GoSyntax(`[]int32{${values.join(', ')}}`), 'must be ordered'));
      }
    }
    const conditions = rule.onPodConditions ?? [];
    conditions.forEach((pattern, j) => {
      const statusAt = `${at}.onPodConditions[${j}].status`;
      if (!pattern.status) errors.push(FieldError.required(statusAt, `valid values: ${goQuotedList(['False', 'True', 'Unknown'])}`));
      else if (!['False', 'True', 'Unknown'].includes(pattern.status)) errors.push(FieldError.notSupported(statusAt, pattern.status, ['False', 'True', 'Unknown']));
    });
    if (onExitCodes && conditions.length) errors.push(FieldError.invalid(at, undefined, 'specifying both OnExitCodes and OnPodConditions is not supported'));
    if (!onExitCodes && conditions.length === 0) errors.push(FieldError.invalid(at, undefined, 'specifying one of OnExitCodes and OnPodConditions is required'));
  });
  return errors;
}

/** validateSuccessPolicy: one to twenty rules, each naming indexes and/or a count within completions. */
function successPolicyErrors(spec: JobSpec, path: string): FieldError[] {
  const rules = spec.successPolicy?.rules ?? [];
  const completions = spec.completions ?? 0;
  const errors: FieldError[] = [];
  if (rules.length === 0) errors.push(FieldError.required(`${path}.rules`, 'at least one rules must be specified when the successPolicy is specified'));
  if (rules.length > 20) errors.push(FieldError.tooMany(`${path}.rules`, rules.length, 20));
  rules.forEach((rule, i) => {
    const at = `${path}.rules[${i}]`;
    if (rule.succeededCount === undefined && rule.succeededIndexes === undefined) {
      errors.push(FieldError.required(at, 'at least one of succeededCount or succeededIndexes must be specified'));
    }
    let total = 0;
    if (rule.succeededIndexes !== undefined) {
      const problem = indexesFormatError(rule.succeededIndexes, completions);
      if (typeof problem === 'string') errors.push(FieldError.invalid(`${at}.succeededIndexes`, rule.succeededIndexes, `error parsing succeededIndexes: ${problem}`));
      else total = problem;
    }
    if (rule.succeededCount !== undefined) {
      const countAt = `${at}.succeededCount`;
      errors.push(...nonNegativeErrors({ [countAt]: rule.succeededCount }));
      if (rule.succeededCount > completions) {
        errors.push(FieldError.invalid(countAt, rule.succeededCount, `must be less than or equal to ${completions} (the number of specified completions)`));
      }
      if (rule.succeededIndexes !== undefined && rule.succeededCount > total) {
        errors.push(FieldError.invalid(countAt, rule.succeededCount, `must be less than or equal to ${total} (the number of indexes in the specified succeededIndexes field)`));
      }
    }
  });
  return errors;
}

/** validateIndexesFormat: increasing "a" or "a-b" intervals below completions; their count, or what is wrong. */
function indexesFormatError(text: string, completions: number): number | string {
  if (text.length === 0) return 0;
  let total = 0;
  let previous: number | undefined;
  for (const part of text.split(',')) {
    const bounds = part.split('-');
    if (bounds.length > 2) return `the fragment ${JSON.stringify(part)} violates the requirement that an index interval can have at most two parts separated by '-'`;
    const read = (bound: string): number | string => {
      if (!/^[+-]?[0-9]+$/.test(bound)) return `cannot convert string to integer for index: ${JSON.stringify(bound)}`;
      return Number(bound) >= completions ? `too large index: ${JSON.stringify(bound)}` : Number(bound);
    };
    const first = read(bounds[0]);
    if (typeof first === 'string') return first;
    let last = first;
    if (bounds.length > 1) {
      const second = read(bounds[1]);
      if (typeof second === 'string') return second;
      if (first >= second) return `non-increasing order, previous: ${first}, current: ${second}`;
      last = second;
    }
    if (previous !== undefined && previous >= first) return `non-increasing order, previous: ${previous}, current: ${first}`;
    total += last - first + 1;
    previous = last;
  }
  return total;
}

/** Go's %q of a []string ("[\"a\" \"b\"]"), as some "valid values" details print the list. */
function goQuotedList(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
}

/** validateJobSpec: the rules a Job and a CronJob's jobTemplate share. */
export function validateJobSpecFields(spec: JobSpec, path: string): FieldError[] {
  const errors = nonNegativeErrors({
    [`${path}.parallelism`]: spec.parallelism,
    [`${path}.completions`]: spec.completions,
    [`${path}.activeDeadlineSeconds`]: spec.activeDeadlineSeconds,
    [`${path}.backoffLimit`]: spec.backoffLimit,
    [`${path}.ttlSecondsAfterFinished`]: spec.ttlSecondsAfterFinished,
    [`${path}.backoffLimitPerIndex`]: spec.backoffLimitPerIndex,
    [`${path}.maxFailedIndexes`]: spec.maxFailedIndexes,
  });
  if (spec.maxFailedIndexes !== undefined && spec.backoffLimitPerIndex === undefined) {
    errors.push(FieldError.required(`${path}.backoffLimitPerIndex`, 'when maxFailedIndexes is specified'));
  }
  if (spec.managedBy !== undefined && spec.managedBy.length > MAX_MANAGED_BY_LENGTH) {
    errors.push(FieldError.tooLong(`${path}.managedBy`, MAX_MANAGED_BY_LENGTH));
  }
  const mode = spec.completionMode;
  if (mode !== undefined) {
    if (mode !== 'NonIndexed' && mode !== 'Indexed') errors.push(FieldError.notSupported(`${path}.completionMode`, mode, ['NonIndexed', 'Indexed']));
    if (mode === 'Indexed') {
      if (spec.completions === undefined) errors.push(FieldError.required(`${path}.completions`, 'when completion mode is Indexed'));
      if (spec.parallelism !== undefined && spec.parallelism > MAX_PARALLELISM_FOR_INDEXED_JOB) {
        errors.push(FieldError.invalid(`${path}.parallelism`, spec.parallelism, `must be less than or equal to ${MAX_PARALLELISM_FOR_INDEXED_JOB} when completion mode is Indexed`));
      }
      if (spec.completions !== undefined && spec.maxFailedIndexes !== undefined && spec.maxFailedIndexes > spec.completions) {
        errors.push(FieldError.invalid(`${path}.maxFailedIndexes`, spec.maxFailedIndexes, 'must be less than or equal to completions'));
      }
    }
  }
  if (mode === undefined || mode === 'NonIndexed') {
    if (spec.backoffLimitPerIndex !== undefined) errors.push(FieldError.invalid(`${path}.backoffLimitPerIndex`, spec.backoffLimitPerIndex, 'requires indexed completion mode'));
    if (spec.maxFailedIndexes !== undefined) errors.push(FieldError.invalid(`${path}.maxFailedIndexes`, spec.maxFailedIndexes, 'requires indexed completion mode'));
  }
  if (spec.podFailurePolicy) errors.push(...podFailurePolicyErrors(spec, `${path}.podFailurePolicy`));
  if (spec.successPolicy && mode !== 'Indexed') errors.push(FieldError.invalid(`${path}.successPolicy`, spec.successPolicy, 'requires indexed completion mode'));
  else if (spec.successPolicy) errors.push(...successPolicyErrors(spec, `${path}.successPolicy`));
  if (spec.podReplacementPolicy !== undefined) {
    const allowed = spec.podFailurePolicy ? ['Failed'] : POD_REPLACEMENT_POLICIES;
    if (!allowed.includes(spec.podReplacementPolicy)) errors.push(FieldError.notSupported(`${path}.podReplacementPolicy`, spec.podReplacementPolicy, allowed));
  }
  errors.push(...podTemplateErrors(spec, `${path}.template`));
  // The template's restartPolicy was defaulted to Always when the client left it out, hence "Required".
  const restartPolicy = (spec.template?.spec as PodSpec | undefined)?.restartPolicy ?? '';
  const restartPath = `${path}.template.spec.restartPolicy`;
  if (restartPolicy === 'Always' || restartPolicy === '') {
    errors.push(FieldError.required(restartPath, 'valid values: "OnFailure", "Never"'));
  } else if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') {
    errors.push(FieldError.notSupported(restartPath, restartPolicy, ['OnFailure', 'Never']));
  } else if (spec.podFailurePolicy && restartPolicy !== 'Never') {
    errors.push(FieldError.invalid(restartPath, restartPolicy, 'only "Never" is supported when podFailurePolicy is specified'));
  }
  return errors;
}

/** ValidateHasLabel: the template must carry the generated label with exactly this value. */
function hasLabelErrors(labels: Record<string, string> | undefined, key: string, value: string): FieldError[] {
  const path = `spec.template.metadata.labels[${key}]`;
  if (labels?.[key] === undefined) return [FieldError.required(path, `must be '${value}'`)];
  if (labels[key] !== value) return [FieldError.invalid(path, goStringMap(labels), `must be '${value}'`)];
  return [];
}

/** validateGeneratedSelector: a generated selector must select this Job's uid and name labels. */
function generatedSelectorErrors(job: Job, requirePrefixedLabels: boolean): FieldError[] {
  const spec = job.spec ?? {};
  if (spec.manualSelector === true || !spec.selector) return [];
  const uid = job.metadata.uid ?? '';
  const name = job.metadata.name ?? '';
  const labels = spec.template?.metadata?.labels;
  const errors: FieldError[] = [];
  if (!uid) errors.push(FieldError.required('metadata.uid'));
  errors.push(...hasLabelErrors(labels, LEGACY_CONTROLLER_UID_LABEL, uid), ...hasLabelErrors(labels, LEGACY_JOB_NAME_LABEL, name));
  const expected: Record<string, string> = { [LEGACY_CONTROLLER_UID_LABEL]: uid, [LEGACY_JOB_NAME_LABEL]: name };
  if (requirePrefixedLabels) {
    errors.push(...hasLabelErrors(labels, CONTROLLER_UID_LABEL, uid), ...hasLabelErrors(labels, JOB_NAME_LABEL, name));
    expected[CONTROLLER_UID_LABEL] = uid;
    expected[JOB_NAME_LABEL] = name;
  }
  try {
    if (!LabelSelector.fromObject(spec.selector).matches(expected)) errors.push(FieldError.invalid('spec.selector', goLabelSelector(spec.selector), '`selector` not auto-generated'));
  } catch {
    // An unparsable selector is reported by the selector rules.
  }
  return errors;
}

/** ValidateJobSpec: the shared rules plus a required, valid selector that matches the template. */
function jobSpecErrors(spec: JobSpec): FieldError[] {
  const errors = validateJobSpecFields(spec, 'spec');
  const selector = spec.selector;
  if (!selector) errors.push(FieldError.required('spec.selector'));
  else errors.push(...labelSelectorFieldErrors(selector, 'spec.selector'));
  if (selector) {
    try {
      const labels = spec.template?.metadata?.labels;
      if (!LabelSelector.fromObject(selector).matches(labels)) {
        errors.push(FieldError.invalid('spec.template.metadata.labels', goStringMap(labels), '`selector` does not match template `labels`'));
      }
    } catch {
      // Reported by the selector rules.
    }
  }
  return errors;
}

function validateJobWith(job: Job, requirePrefixedLabels: boolean): FieldError[] {
  const spec = job.spec ?? {};
  const errors = [...generatedSelectorErrors(job, requirePrefixedLabels), ...jobSpecErrors(spec)];
  if (spec.completionMode === 'Indexed' && spec.completions !== undefined && spec.completions > 0) {
    // Indexed pods get the hostname `<job>-<index>`, which must be a DNS label.
    const hostname = `${job.metadata.name}-${spec.completions - 1}`;
    const problems = dns1123LabelErrors(hostname);
    if (problems.length) {
      errors.push(FieldError.invalid('metadata.name', job.metadata.name, `will not able to create pod with invalid DNS label: ${hostname}`));
    }
  }
  return [...errors, ...validateJobStatus(job.status)];
}

export function validateJob(job: Job): FieldError[] {
  return validateJobWith(job, true);
}

export function validateJobUpdate(job: Job, old: Job): FieldError[] {
  // Jobs created before the prefixed labels existed keep validating without them.
  const oldLabels = old.spec?.template?.metadata?.labels ?? {};
  const requirePrefixed = oldLabels[JOB_NAME_LABEL] !== undefined && oldLabels[CONTROLLER_UID_LABEL] !== undefined;
  const spec = job.spec ?? {};
  const oldSpec = old.spec ?? {};
  const errors = validateJobWith(job, requirePrefixed);
  if (spec.completionMode === 'Indexed' && spec.completions !== oldSpec.completions) {
    // Elastic Indexed Jobs: completions may change together with parallelism.
    if (spec.completions !== undefined && spec.completions !== spec.parallelism) {
      errors.push(FieldError.invalid('spec.completions', spec.completions, 'can only be modified in tandem with spec.parallelism'));
    }
  } else {
    errors.push(...immutableField(spec.completions, oldSpec.completions, 'spec.completions'));
  }
  errors.push(...immutableField(spec.selector as LabelSelectorObject | undefined, oldSpec.selector, 'spec.selector'));
  errors.push(...templateUpdateErrors(job, old));
  for (const field of ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy'] as const) {
    errors.push(...immutableField(spec[field], oldSpec[field], `spec.${field}`));
  }
  return errors;
}

/**
 * The template is immutable, except that a suspended Job that never started may change where its
 * pods go (node affinity, node selector, tolerations, scheduling gates) and its labels and annotations.
 */
function templateUpdateErrors(job: Job, old: Job): FieldError[] {
  const template = job.spec?.template;
  let oldTemplate = old.spec?.template;
  if (old.spec?.suspend === true && !old.status?.startTime && oldTemplate && template) {
    oldTemplate = structuredClone(oldTemplate);
    const oldSpec = (oldTemplate.spec ??= {});
    const newSpec = template.spec ?? {};
    const oldAffinity = isObject(oldSpec.affinity) ? { ...oldSpec.affinity } : undefined;
    const newAffinity = isObject(newSpec.affinity) ? newSpec.affinity : undefined;
    if (oldAffinity || newAffinity) {
      const merged = { ...(oldAffinity ?? {}), nodeAffinity: newAffinity?.nodeAffinity };
      oldSpec.affinity = Object.values(merged).some((v) => v !== undefined) || newAffinity ? merged : undefined;
    }
    oldSpec.nodeSelector = newSpec.nodeSelector;
    oldSpec.tolerations = newSpec.tolerations;
    oldSpec.schedulingGates = newSpec.schedulingGates;
    oldTemplate.metadata = { ...(oldTemplate.metadata ?? {}), labels: template.metadata?.labels, annotations: template.metadata?.annotations };
  }
  return immutableField(template, oldTemplate, 'spec.template');
}

export function validateJobStatus(status: JobStatus | undefined): FieldError[] {
  if (!status) return [];
  const errors = nonNegativeErrors({
    'status.active': status.active,
    'status.succeeded': status.succeeded,
    'status.failed': status.failed,
    'status.ready': status.ready,
    'status.terminating': status.terminating,
  });
  const seen = new Set<string>();
  for (const list of ['succeeded', 'failed'] as const) {
    (status.uncountedTerminatedPods?.[list] ?? []).forEach((uid, i) => {
      const at = `status.uncountedTerminatedPods.${list}[${i}]`;
      if (!uid) errors.push(FieldError.invalid(at, uid, 'must not be empty'));
      else if (seen.has(uid)) errors.push(FieldError.duplicate(at, uid));
      else seen.add(uid);
    });
  }
  return errors;
}

/** WarningsForJobSpec: very large Indexed Jobs may lose track of failed indexes. */
export function jobSpecWarnings(spec: JobSpec | undefined, path: string): string[] {
  if (spec?.completionMode !== 'Indexed') return [];
  if ((spec.completions ?? 0) > 100_000 && (spec.parallelism ?? 0) > 10_000) {
    return [`${path}: In Indexed Jobs with a number of completions higher than 10^5 and a parallelism higher than 10^4, Kubernetes might not be able to track completedIndexes when a big number of indexes fail`];
  }
  return [];
}

/** The warning for names that are valid but not DNS labels, which pod names and hostnames derive from. */
export function nameWarnings(name: string | undefined): string[] {
  const problems = dns1123LabelErrors(name ?? '');
  if (!name || problems.length === 0) return [];
  return [`metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [${problems.join(' ')}]`];
}
