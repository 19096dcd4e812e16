import type { CompiledNode } from './schema-node';

/**
 * Schema defaulting: fills the `default`s of definitions.json into an object, top-down (a struct
 * materialised by its parent's default gets its own defaults too), into list items and map values,
 * never overwriting a value that is set. Subtrees without any default are skipped, so a Pod costs a
 * walk over containers, ports and probes, not over every field.
 */
export function applyNodeDefaults(node: CompiledNode, value: unknown): void {
  if (!node.hasDefaults || typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    if (node.kind === 'array' && node.items) for (const item of value) applyNodeDefaults(node.items, item);
    return;
  }
  const obj = value as Record<string, unknown>;
  if (node.kind === 'map') {
    if (node.values) for (const key in obj) applyNodeDefaults(node.values, obj[key]);
    return;
  }
  if (node.kind !== 'struct') return;
  for (const entry of node.kindDefaults) setAlongPath(obj, entry.path, entry.value, entry.zeroIsUnset);
  for (const { name, node: field } of node.defaultedFields) {
    const current = obj[name];
    if (current === undefined || current === null || (field.zeroIsUnset && isZero(current))) obj[name] = copyDefault(field.default);
  }
  for (const { name, node: field } of node.defaultingChildren) {
    const current = obj[name];
    if (current !== undefined && current !== null) applyNodeDefaults(field, current);
  }
}

function setAlongPath(obj: Record<string, unknown>, path: readonly string[], value: unknown, zeroIsUnset: boolean): void {
  let current = obj;
  for (let i = 0; i < path.length - 1; i++) {
    let next = current[path[i]];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) {
      next = {};
      current[path[i]] = next;
    }
    current = next as Record<string, unknown>;
  }
  const leaf = path[path.length - 1];
  const existing = current[leaf];
  if (existing === undefined || existing === null || (zeroIsUnset && isZero(existing))) current[leaf] = copyDefault(value);
}

/** Go's zero test for the value fields a default replaces (`== ""`, `== 0`, `len() == 0`). */
function isZero(value: unknown): boolean {
  return value === '' || value === 0 || value === false || (Array.isArray(value) && value.length === 0);
}

/** Defaults are shared schema data: objects and lists must be copied before they join a request's object. */
export function copyDefault(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyDefault);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copyDefault((value as Record<string, unknown>)[key]);
  return out;
}
