/**
 * ValidatePodUpdate: a running pod's spec is fixed except for container images, a shorter
 * activeDeadlineSeconds, added tolerations and removed scheduling gates (plus nodeSelector additions
 * while the pod is still gated).
 */
import { FieldError } from '../../../machinery/errors/status-error';
import { inclusiveRangeError, isObject, semanticEqual } from '../../../machinery/validation/common';
import type { Container, Pod, PodSpec, Toleration } from './pod.types';

const MAX_INT32 = 2147483647;

export const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

/** ValidateContainerUpdates: same number of containers, each with an image. */
function containerUpdateErrors(next: Container[] | undefined, prev: Container[] | undefined, path: string): { errors: FieldError[]; stop: boolean } {
  const a = next ?? [];
  const b = prev ?? [];
  if (a.length !== b.length) return { errors: [FieldError.forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  const errors: FieldError[] = [];
  a.forEach((c, i) => {
    const image = c?.image ?? '';
    if (!image) errors.push(FieldError.required(`${path}[${i}].image`));
    if (image.trim() !== image) errors.push(FieldError.invalid(`${path}[${i}].image`, image, 'must not have leading or trailing whitespace'));
  });
  return { errors, stop: false };
}

function tolerationsOnlyAdded(next: Toleration[] | undefined, prev: Toleration[] | undefined): boolean {
  return (prev ?? []).every((old) => (next ?? []).some((t) => semanticEqual({ ...old, tolerationSeconds: t.tolerationSeconds }, t)));
}

/** A rough rendering of go-cmp's diff: the changed paths with their old (-) and new (+) values. */
export function specDiff(prev: unknown, next: unknown): string {
  const lines: string[] = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    if (semanticEqual(a, b)) return;
    if (isObject(a) && isObject(b)) {
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) walk(a[key], b[key], path ? `${path}.${key}` : key);
      return;
    }
    if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
      a.forEach((item, i) => walk(item, b[i], `${path}[${i}]`));
      return;
    }
    lines.push(`- \t${path}: ${JSON.stringify(a ?? null)},`, `+ \t${path}: ${JSON.stringify(b ?? null)},`);
  };
  walk(prev, next, '');
  return ['  core.PodSpec{', ...lines, '  }', ''].join('\n');
}

/** The spec with the fields that may change copied from the old spec, as the real check munges it. */
function munge(next: PodSpec, prev: PodSpec): PodSpec {
  const munged: PodSpec = structuredClone(next);
  munged.containers = (munged.containers ?? []).map((c, i) => ({ ...c, image: prev.containers?.[i]?.image }));
  if (munged.initContainers) munged.initContainers = munged.initContainers.map((c, i) => ({ ...c, image: prev.initContainers?.[i]?.image }));
  munged.activeDeadlineSeconds = prev.activeDeadlineSeconds;
  munged.schedulingGates = prev.schedulingGates;
  munged.tolerations = prev.tolerations;
  if ((prev.terminationGracePeriodSeconds ?? 0) < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = prev.terminationGracePeriodSeconds;
  }
  // A pod still waiting on scheduling gates may gain node selector terms (no changes or removals).
  if (prev.schedulingGates?.length) {
    const before = prev.nodeSelector ?? {};
    const after = munged.nodeSelector ?? {};
    if (Object.entries(before).every(([k, v]) => after[k] === v)) munged.nodeSelector = prev.nodeSelector;
  }
  return munged;
}

/** The update-specific half of ValidatePodUpdate (validatePodSpec covers the rest). */
export function validatePodUpdateRules(pod: Pod, old: Pod): FieldError[] {
  const next = (pod.spec ?? {}) as PodSpec;
  const prev = (old.spec ?? {}) as PodSpec;
  const errors: FieldError[] = [];
  for (const [field, path] of [
    ['containers', 'spec.containers'],
    ['initContainers', 'spec.initContainers'],
  ] as const) {
    const result = containerUpdateErrors(next[field], prev[field], path);
    errors.push(...result.errors);
    if (result.stop) return errors;
  }

  const deadline = next.activeDeadlineSeconds;
  if (deadline !== undefined && deadline !== null) {
    if (deadline < 0 || deadline > MAX_INT32) {
      return [...errors, FieldError.invalid('spec.activeDeadlineSeconds', deadline, inclusiveRangeError(0, MAX_INT32))];
    }
    if (prev.activeDeadlineSeconds !== undefined && prev.activeDeadlineSeconds !== null && prev.activeDeadlineSeconds < deadline) {
      return [...errors, FieldError.invalid('spec.activeDeadlineSeconds', deadline, 'must be less than or equal to previous value')];
    }
  } else if (prev.activeDeadlineSeconds !== undefined && prev.activeDeadlineSeconds !== null) {
    errors.push(FieldError.invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }

  if (!tolerationsOnlyAdded(next.tolerations, prev.tolerations)) {
    errors.push(FieldError.forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
  }
  const oldGates = new Set((prev.schedulingGates ?? []).map((g) => g?.name));
  (next.schedulingGates ?? []).forEach((gate, i) => {
    if (!oldGates.has(gate?.name)) {
      errors.push(FieldError.forbidden(`spec.schedulingGates[${i}].name`, `only deletion is allowed, but found new scheduling gate '${gate?.name ?? ''}'`));
    }
  });

  if (semanticEqual(next, prev)) return errors;
  const munged = munge(next, prev);
  if (!semanticEqual(munged, prev)) {
    errors.push(FieldError.forbidden('spec', `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}\n${specDiff(prev, munged)}`));
  }
  return errors;
}
