/**
 * JSON with object keys in code-point order at every level, so generated files are byte-identical
 * for identical content (Go's encoding/json sorts map keys the same way, so served documents look
 * like the real server's too). Arrays keep their order.
 */
export function stableStringify(value: unknown, indent?: number): string {
  return JSON.stringify(sortKeys(value), null, indent);
}

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(source).sort(compareCodePoints)) {
    const item = source[key];
    if (item !== undefined) sorted[key] = sortKeys(item);
  }
  return sorted;
}

/** Byte order for ASCII keys, like Go's sort.Strings (localeCompare would fold case). */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
