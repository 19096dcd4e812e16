import { FieldError, StatusError } from '../machinery/errors/status-error';
import type { KubeObject } from '../machinery/meta/types';
import { LabelSelector, type LabelSelectorObject } from '../machinery/selectors/label-selector';
import { NAME_COLUMN } from '../machinery/table/table';
import type { TableDeclaration } from './resource-type';

/**
 * The `scale` subresource, generic over kinds: a kind declares where its replica counts and
 * selector live, and `.../NAME/scale` reads and writes an autoscaling/v1 Scale projected from the
 * object. Writes map the client's Scale back onto the stored object and go through the kind's
 * normal update (resourceVersion preconditions, validation, generation), as the apiserver's
 * scale storage does for deployments and replica sets.
 */
export interface ScaleDeclaration {
  /** Dotted path of the desired replica count, e.g. "spec.replicas". */
  specReplicasPath: string;
  /** Dotted path of the observed replica count, e.g. "status.replicas". */
  statusReplicasPath: string;
  /** Dotted path of the pod selector: a metav1.LabelSelector, or (ReplicationController) a plain label map. */
  selectorPath: string;
}

export const SCALE_API_VERSION = 'autoscaling/v1';
export const SCALE_KIND = 'Scale';
export const SCALE_DEFINITION = 'io.k8s.api.autoscaling.v1.Scale';
export const SCALE_SUBRESOURCE = 'scale';

export interface Scale extends KubeObject {
  spec?: { replicas?: number };
  status?: { replicas: number; selector?: string };
}

function read(obj: unknown, path: string): unknown {
  let current: unknown = obj;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function write(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let current = obj;
  for (const part of parts.slice(0, -1)) {
    const next = current[part];
    if (next === null || typeof next !== 'object') current[part] = {};
    current = current[part] as Record<string, unknown>;
  }
  current[parts[parts.length - 1]] = value;
}

/** A selector as the Scale's status prints it (labels.Selector.String()). */
function selectorText(selector: unknown): string {
  if (selector === null || typeof selector !== 'object') return '';
  const value = selector as Record<string, unknown>;
  const isLabelSelector = 'matchLabels' in value || 'matchExpressions' in value;
  const object: LabelSelectorObject = isLabelSelector ? (value as LabelSelectorObject) : { matchLabels: value as Record<string, string> };
  try {
    return LabelSelector.fromObject(object).toString();
  } catch {
    return '';
  }
}

/** The Scale a GET of `.../scale` answers for `obj`. */
export function toScale(declaration: ScaleDeclaration, obj: KubeObject): Scale {
  const meta = obj.metadata;
  const specReplicas = read(obj, declaration.specReplicasPath);
  const statusReplicas = read(obj, declaration.statusReplicasPath);
  return {
    kind: SCALE_KIND,
    apiVersion: SCALE_API_VERSION,
    metadata: {
      name: meta.name,
      namespace: meta.namespace,
      uid: meta.uid,
      resourceVersion: meta.resourceVersion,
      creationTimestamp: meta.creationTimestamp,
    },
    spec: { replicas: typeof specReplicas === 'number' ? specReplicas : 0 },
    status: { replicas: typeof statusReplicas === 'number' ? statusReplicas : 0, selector: selectorText(read(obj, declaration.selectorPath)) },
  };
}

/**
 * `current` with the client's Scale written onto it: the desired replicas, and the Scale's
 * resourceVersion as the update's precondition. Invalid Scales are answered as Scale errors.
 */
export function applyScale<T extends KubeObject>(declaration: ScaleDeclaration, current: T, scale: Scale): T {
  const name = current.metadata.name ?? '';
  if (scale.metadata?.name !== undefined && scale.metadata.name !== name) {
    throw StatusError.badRequest(`the name of the object (${scale.metadata.name}) does not match the name on the URL (${name})`);
  }
  const replicas = scale.spec?.replicas ?? 0;
  if (replicas < 0) throw StatusError.invalid('autoscaling', SCALE_KIND, name, [FieldError.invalid('spec.replicas', replicas, 'must be greater than or equal to 0')]);
  write(current, declaration.specReplicasPath, replicas);
  if (scale.metadata?.resourceVersion) current.metadata.resourceVersion = scale.metadata.resourceVersion;
  return current;
}

/** printScale: `kubectl get deploy x --subresource=scale` shows NAME DESIRED AVAILABLE (no AGE). */
export const SCALE_TABLE: TableDeclaration<KubeObject> = {
  columns: [
    NAME_COLUMN,
    { name: 'Desired', type: 'integer', description: 'Desired number of replicas (spec.replicas).' },
    { name: 'Available', type: 'integer', description: 'Actual number of replicas (status.replicas).' },
  ],
  cells: (obj) => {
    const scale = obj as Scale;
    return [scale.metadata.name, scale.spec?.replicas ?? 0, scale.status?.replicas ?? 0];
  },
};
