import type { KubeObject, ObjectMeta } from './types';

const META_ORDER: (keyof ObjectMeta)[] = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
];

/**
 * Re-keys an object in the order Go's structs serialise (kind, apiVersion, metadata, spec, status;
 * ObjectMeta's own field order), which clients comparing bodies as text and humans reading
 * `-o yaml` both expect, leaving out empty metadata fields as Go's omitempty does.
 */
export function canonicalOrder<T extends KubeObject>(obj: T): T {
  const { kind, apiVersion, metadata, spec, status, ...rest } = obj;
  const ordered: Record<string, unknown> = { kind, apiVersion, metadata: orderedMeta(metadata) };
  Object.assign(ordered, rest);
  if (spec !== undefined) ordered.spec = spec;
  if (status !== undefined) ordered.status = status;
  return ordered as T;
}

/** Every ObjectMeta field is omitempty in Go: empty maps and lists (e.g. after removing the last label) are not written. */
function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

function orderedMeta(meta: ObjectMeta): ObjectMeta {
  const ordered: Record<string, unknown> = {};
  for (const key of META_ORDER) if (!isEmpty(meta[key])) ordered[key] = meta[key];
  for (const [key, value] of Object.entries(meta)) if (!(key in ordered) && !isEmpty(value)) ordered[key] = value;
  return ordered as ObjectMeta;
}
