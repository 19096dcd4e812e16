/**
 * The pieces of the hashes controllers put in names (pod-template-hash, controller-revision-hash):
 * FNV-32a over a stable rendering of the object, its decimal digits spelled in the alphabet of
 * rand.SafeEncodeString. Upstream hashes Go's %#v dump of the struct; stable JSON stands in for it,
 * so names have the real shape but other letters than on a real cluster.
 */

/** rand.SafeEncodeString's alphabet: no vowels, no look-alike characters. */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** JSON with object keys sorted, so equal data hash equally whatever their key order. */
export function stableText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableText(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function fnv32a(bytes: Uint8Array, hash = 0x811c9dc5): number {
  let h = hash;
  for (const byte of bytes) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h;
}

/** The hash's decimal digits in the safe alphabet, as rand.SafeEncodeString(fmt.Sprint(hash)). */
export function safeEncodeHash(hash: number): string {
  return [...String(hash)].map((ch) => SAFE_ALPHABET[ch.charCodeAt(0) % SAFE_ALPHABET.length]).join('');
}
