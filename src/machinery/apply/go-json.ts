/**
 * The few pieces of Go's text formatting that server-side apply leaks onto the wire: managedFields
 * keys (`k:{...}`, `v:...`) and the kubectl last-applied annotation are written by Go's
 * encoding/json (sorted map keys, HTML-safe escaping), and conflict messages print values with %q.
 * Clients compare these strings byte for byte (kubectl's csaupgrade looks entries up by their key),
 * so JSON.stringify alone is not enough.
 */

/** True for plain JSON objects (not arrays, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const HTML_UNSAFE = /[<>&\u2028\u2029]/g;

/** encoding/json's string form: JSON.stringify plus the HTML-safe escapes Go adds by default. */
export function goJsonString(text: string): string {
  return JSON.stringify(text).replace(HTML_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * encoding/json Marshal of an unstructured value: map keys sorted (Go sorts map[string]any keys
 * byte-wise), strings HTML-escaped. Numbers print as JavaScript does, which matches Go for the
 * integers and ordinary floats that appear in Kubernetes objects.
 */
export function goJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goJsonString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map((item) => goJson(item)).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort(compareGoStrings);
    return `{${keys.map((key) => `${goJsonString(key)}:${goJson(value[key])}`).join(',')}}`;
  }
  return 'null';
}

/**
 * Go compares strings byte-wise (UTF-8); JavaScript compares UTF-16 code units. The two only
 * disagree around astral characters, so the cheap comparison is used unless one appears.
 */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  if (/[\ud800-\udfff]/.test(a) || /[\ud800-\udfff]/.test(b)) {
    const ab = Buffer.from(a, 'utf8');
    const bb = Buffer.from(b, 'utf8');
    return Buffer.compare(ab, bb);
  }
  return a < b ? -1 : 1;
}

const GO_ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
};

/** strconv.Quote (what fmt's %q prints): Go escapes, printable Unicode kept as is. */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const escape = GO_ESCAPES[ch];
    if (escape) {
      out += escape;
      continue;
    }
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if ((code >= 0x80 && code < 0xa0) || code === 0xad || code === 0x2028 || code === 0x2029 || code === 0xfeff)
      out += code > 0xffff ? `\\U${code.toString(16).padStart(8, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Deep structural equality of JSON values, numbers compared numerically (value.Equals). */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' || typeof b === 'number') return typeof a === 'number' && typeof b === 'number' && a === b;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEquals(a[i], b[i])) return false;
    return true;
  }
  if (isRecord(a)) {
    if (!isRecord(b)) return false;
    const aKeys = Object.keys(a).filter((key) => a[key] !== undefined);
    const bKeys = Object.keys(b).filter((key) => b[key] !== undefined);
    if (aKeys.length !== bKeys.length) return false;
    for (const key of aKeys) {
      if (!(key in b) || !jsonEquals(a[key], b[key])) return false;
    }
    return true;
  }
  return false;
}

/** Structured clone for JSON values (objects handed to callers must not share structure with inputs). */
export function deepCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => deepCopy(item)) as unknown as T;
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = deepCopy(item);
    return out as T;
  }
  return value;
}
