/**
 * Small checks and message texts that many kinds share, worded as k8s.io/apimachinery/pkg/util/validation
 * and pkg/apis/core/validation word them. Name formats live in names.ts.
 */
import { isIP } from 'node:net';
import { FieldError } from '../errors/status-error';

export const FIELD_IMMUTABLE = 'field is immutable';
export const IS_NEGATIVE = 'must be greater than or equal to 0';

export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

/** IsValidPortNum. */
export function portNumErrors(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

/** IsValidPortName: an IANA_SVC_NAME (RFC 6335), lower case only. */
export function portNameErrors(port: string): string[] {
  const errors: string[] = [];
  if (Buffer.byteLength(port) > 15) errors.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(port)) errors.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errors.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errors.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errors.push('must not begin or end with a hyphen');
  return errors;
}

/**
 * IsRelaxedEnvVarName. Servers from 1.32 on run with RelaxedEnvironmentVariableValidation enabled, so
 * any printable ASCII but '=' is accepted in env names and envFrom prefixes.
 */
export function relaxedEnvVarNameErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length === 0) errors.push('environment variable name must be non-empty');
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (code > 0x7e || code < 0x20 || ch === '=') {
      errors.push("a valid environment variable name must consist only of printable ASCII characters other than '='");
      break;
    }
  }
  return errors;
}

/** IsHTTPHeaderName. */
export function httpHeaderNameErrors(value: string): string[] {
  if (/^[-A-Za-z0-9]+$/.test(value)) return [];
  return ["a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')"];
}

/** IsValidIP as a field check. */
export function ipErrors(path: string, value: string): FieldError[] {
  if (isIP(value) !== 0) return [];
  return [FieldError.invalid(path, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];
}

const MIN_ID = 0;
const MAX_ID = 2147483647;

/** IsValidUserID / IsValidGroupID. */
export function unixIdErrors(id: number): string[] {
  return Number.isInteger(id) && id >= MIN_ID && id <= MAX_ID ? [] : [inclusiveRangeError(MIN_ID, MAX_ID)];
}

/** A JSON value counts as "unset" the way a Go zero value does. */
export function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === false || value === 0) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.values(value as Record<string, unknown>).every(isEmptyValue);
  return false;
}

/**
 * apiequality.Semantic.DeepEqual on decoded JSON: nil and empty slices/maps are equal, and since a
 * JSON document cannot tell an omitted Go zero value from a written one, absent, null, "", 0 and
 * false are equal too. Key order never matters.
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (isEmptyValue(a) && isEmptyValue(b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => semanticEqual(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!semanticEqual(a[key], b[key])) return false;
    return true;
  }
  return a === b;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** ValidateImmutableField. */
export function immutableField(newValue: unknown, oldValue: unknown, path: string): FieldError[] {
  return semanticEqual(newValue, oldValue) ? [] : [FieldError.invalid(path, newValue ?? null, FIELD_IMMUTABLE)];
}

/** Go's %#v of a []string, which some messages embed (e.g. `[]string{"a", "b"}`). */
export function goStringSlice(values: readonly string[]): string {
  return `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}

/** Go's time.Time String() ("2006-01-02 15:04:05 +0000 UTC"), which immutable-field errors print. */
export function goTimeString(timestamp: string): string {
  const ms = Date.parse(timestamp);
  if (Number.isNaN(ms)) return timestamp;
  const iso = new Date(ms).toISOString();
  const fraction = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ''} +0000 UTC`;
}

/** Length in bytes as Go's len() on a string measures it. */
export function byteLength(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

/** reflect.DeepEqual of two string maps as JSON carries them (absent and empty maps are the same). */
export function sameStringMap(a: Record<string, unknown> | null | undefined, b: Record<string, unknown> | null | undefined): boolean {
  const ak = Object.keys(a ?? {});
  const bk = Object.keys(b ?? {});
  if (ak.length !== bk.length) return false;
  return ak.every((k) => b != null && Object.prototype.hasOwnProperty.call(b, k) && a![k] === b[k]);
}

/** IsValidCIDR as a field check. */
export function cidrErrors(path: string, value: string): FieldError[] {
  return parseCidr(value) ? [] : [FieldError.invalid(path, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')];
}

/** The IP family (4 or 6) of a CIDR, or undefined when it is not one. */
export function parseCidr(value: string): 4 | 6 | undefined {
  const slash = value.indexOf('/');
  if (slash < 0) return undefined;
  const family = isIP(value.slice(0, slash));
  const bits = value.slice(slash + 1);
  if (family === 0 || !/^[0-9]{1,3}$/.test(bits)) return undefined;
  return Number(bits) <= (family === 4 ? 32 : 128) ? (family as 4 | 6) : undefined;
}

/**
 * A bad value that prints unquoted, as Go prints a value implementing fmt.Stringer (a Quantity shows
 * as `Invalid value: 1500m`, not `"1500m"`). FieldError prints non-string, non-object values with
 * String(), which calls this toString.
 */
export function goStringer(text: string): unknown {
  const stringer = (): string => text;
  stringer.toString = (): string => text;
  return stringer;
}
