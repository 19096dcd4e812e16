/**
 * What every replicated workload (ReplicaSet, Deployment, ReplicationController) shares: a pod
 * template defaulted and validated like a Pod's spec (reusing the pod kind's rules), a selector
 * that must match the template's labels, and the CONTAINERS / IMAGES / SELECTOR printer columns.
 */
import { FieldError, GoSyntax } from '../../machinery/errors/status-error';
import type { KubeObject, ObjectMeta } from '../../machinery/meta/types';
import { LabelSelector, labelSelectorFieldErrors, type LabelSelectorObject } from '../../machinery/selectors/label-selector';
import { AGE_COLUMN, ageCell, NAME_COLUMN, NONE } from '../../machinery/table/table';
import { isObject } from '../../machinery/validation/common';
import { validateAnnotations, validateLabels } from '../../machinery/validation/object-meta';
import type { TableColumn, TableDeclaration } from '../../registry/resource-type';
import { applyPodSpecDefaults } from '../core/pod/pod.defaults';
import type { PodSpec } from '../core/pod/pod.types';
import { validatePodSpecAt } from '../core/pod/pod.validation';

export interface PodTemplateSpec {
  metadata?: Pick<ObjectMeta, 'name' | 'labels' | 'annotations'> & Record<string, unknown>;
  spec?: PodSpec;
}

/** The template's pod spec gets a Pod's defaults, less the ones only SetDefaults_Pod applies. */
export function defaultPodTemplate(template: PodTemplateSpec | undefined): void {
  if (!isObject(template)) return;
  if (template.spec === undefined || template.spec === null) template.spec = {};
  if (isObject(template.spec)) applyPodSpecDefaults(template.spec, false);
}

/** Go's %#v of a map[string]string, as validation messages print template labels. */
function goStringMap(map: Record<string, string> | undefined): GoSyntax {
  const entries = Object.entries(map ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (!map) return new GoSyntax('map[string]string(nil)');
  return new GoSyntax(`map[string]string{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(', ')}}`);
}

/** Go's %#v of a *metav1.LabelSelector (the value printed with selector errors). */
export function goLabelSelector(selector: LabelSelectorObject | null | undefined, pointer = true): GoSyntax {
  if (!selector) return new GoSyntax('nil');
  const expressions = selector.matchExpressions?.length
    ? `[]v1.LabelSelectorRequirement{${selector.matchExpressions
        .map((e) => `v1.LabelSelectorRequirement{Key:${JSON.stringify(e.key)}, Operator:${JSON.stringify(e.operator)}, Values:${e.values ? `[]string{${e.values.map((v) => JSON.stringify(v)).join(', ')}}` : '[]string(nil)'}}`)
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  const labels = selector.matchLabels ? goStringMap(selector.matchLabels).text : 'map[string]string(nil)';
  return new GoSyntax(`${pointer ? '&' : ''}v1.LabelSelector{MatchLabels:${labels}, MatchExpressions:${expressions}}`);
}

/**
 * ValidatePodTemplateSpecForReplicaSet after the workload's own selector checks: the template's
 * labels must match the selector, its metadata and spec must be a valid pod's, and the pods must
 * restart forever (restartPolicy Always, no activeDeadlineSeconds).
 */
export function validateReplicatedTemplate(template: PodTemplateSpec | undefined, selector: LabelSelector, path: string, kind = 'ReplicaSet'): FieldError[] {
  if (!template || typeof template !== 'object') return [FieldError.required(path)];
  const errors: FieldError[] = [];
  const labels = template.metadata?.labels;
  if (!selector.isEmpty() && !selector.matches(labels)) {
    errors.push(FieldError.invalid(`${path}.metadata.labels`, goStringMap(labels), '`selector` does not match template `labels`'));
  }
  errors.push(...validateLabels(labels, `${path}.metadata.labels`));
  errors.push(...validateAnnotations(template.metadata?.annotations, `${path}.metadata.annotations`));
  errors.push(...validatePodSpecAt(template.spec, `${path}.spec`));
  const spec: PodSpec = template.spec && typeof template.spec === 'object' ? template.spec : {};
  if (spec.ephemeralContainers?.length) errors.push(FieldError.forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  if (spec.restartPolicy !== 'Always') {
    errors.push(FieldError.notSupported(`${path}.spec.restartPolicy`, spec.restartPolicy, ['Always']));
  }
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
    errors.push(FieldError.forbidden(`${path}.spec.activeDeadlineSeconds`, `activeDeadlineSeconds in ${kind} is not Supported`));
  }
  return errors;
}

/**
 * The selector rules of ValidateReplicaSetSpec / ValidateDeploymentSpec, then the template's:
 * required, well formed, not empty, and matching the template labels.
 */
export function validateSelectorAndTemplate(selector: LabelSelectorObject | null | undefined, template: PodTemplateSpec | undefined, specPath: string): FieldError[] {
  const errors: FieldError[] = [];
  const selectorPath = `${specPath}.selector`;
  if (!selector || typeof selector !== 'object') {
    errors.push(FieldError.required(selectorPath));
  } else {
    errors.push(...labelSelectorFieldErrors(selector, selectorPath));
    if (Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions?.length ?? 0) === 0) {
      errors.push(FieldError.invalid(selectorPath, goLabelSelector(selector), 'empty selector is invalid for deployment'));
    }
  }
  let parsed: LabelSelector | undefined;
  try {
    parsed = LabelSelector.fromObject(selector ?? null);
  } catch {
    errors.push(FieldError.invalid(selectorPath, goLabelSelector(selector), 'invalid label selector'));
  }
  if (parsed) errors.push(...validateReplicatedTemplate(template, parsed, `${specPath}.template`));
  return errors;
}

/** ValidateNonnegativeField for each named number. */
export function nonNegativeErrors(values: Record<string, number | undefined | null>): FieldError[] {
  const errors: FieldError[] = [];
  for (const [path, value] of Object.entries(values)) {
    if (typeof value === 'number' && value < 0) errors.push(FieldError.invalid(path, value, 'must be greater than or equal to 0'));
  }
  return errors;
}

/** The selector may not change once set (apps/v1). */
export function immutableSelectorErrors(selector: LabelSelectorObject | undefined, old: LabelSelectorObject | undefined, path: string): FieldError[] {
  if (JSON.stringify(normalizedSelector(selector)) === JSON.stringify(normalizedSelector(old))) return [];
  return [FieldError.invalid(path, goLabelSelector(selector, false), 'field is immutable')];
}

function normalizedSelector(selector: LabelSelectorObject | undefined): unknown {
  if (!selector) return null;
  const labels = Object.entries(selector.matchLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  return { labels, expressions: selector.matchExpressions ?? [] };
}

/** metav1.FormatLabelSelector: the selector as text, `<none>` when empty. */
export function formatLabelSelector(selector: LabelSelectorObject | null | undefined): string {
  try {
    return LabelSelector.fromObject(selector ?? null).toString() || NONE;
  } catch {
    return '<error>';
  }
}

export const WIDE_WORKLOAD_COLUMNS: TableColumn[] = [
  { name: 'Containers', type: 'string', priority: 1, description: 'Names of each container in the template.' },
  { name: 'Images', type: 'string', priority: 1, description: 'Images referenced by each container in the template.' },
  { name: 'Selector', type: 'string', priority: 1, description: 'Label selector for pods.' },
];

/** The cells of WIDE_WORKLOAD_COLUMNS. */
export function wideWorkloadCells(template: PodTemplateSpec | undefined, selector: LabelSelectorObject | null | undefined): string[] {
  const containers = template?.spec?.containers ?? [];
  return [containers.map((c) => c.name ?? '').join(','), containers.map((c) => c.image ?? '').join(','), formatLabelSelector(selector)];
}

/** What the replica-count printers read of a ReplicaSet or ReplicationController. */
interface ReplicatedObject extends KubeObject {
  spec?: { replicas?: number; template?: PodTemplateSpec };
  status?: { replicas?: number; readyReplicas?: number };
}

/** printReplicaSet / printReplicationController: NAME DESIRED CURRENT READY AGE, wide CONTAINERS IMAGES SELECTOR. */
export function replicaCountTable<T extends ReplicatedObject>(selectorOf: (obj: T) => LabelSelectorObject | undefined): TableDeclaration<T> {
  return {
    columns: [
      NAME_COLUMN,
      { name: 'Desired', type: 'integer', description: 'Number of desired pods (spec.replicas).' },
      { name: 'Current', type: 'integer', description: 'Number of pods currently running (status.replicas).' },
      { name: 'Ready', type: 'integer', description: 'Number of pods that are ready (status.readyReplicas).' },
      AGE_COLUMN,
      ...WIDE_WORKLOAD_COLUMNS,
    ],
    cells: (obj, now) => [
      obj.metadata.name,
      obj.spec?.replicas ?? 0,
      obj.status?.replicas ?? 0,
      obj.status?.readyReplicas ?? 0,
      ageCell(obj.metadata.creationTimestamp, now),
      ...wideWorkloadCells(obj.spec?.template, selectorOf(obj)),
    ],
  };
}
