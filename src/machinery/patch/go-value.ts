import { goCompare } from '../selectors/go-format';

/**
 * How Go's strategic merge patch sees a decoded JSON value. apimachinery works on
 * map[string]interface{} trees and compares values with `==` and reflect.TypeOf, and its error
 * messages print those values with fmt's %v. Clients see the texts and the outcomes of these
 * comparisons (a number 1 and 1.5 are different Go types), so the engine asks this module instead
 * of using JavaScript's own notions.
 */

export type JsonMap = Record<string, unknown>;

/** reflect.TypeOf(v).String() of a decoded JSON value; `nil` for JSON null (Go's untyped nil). */
export type GoTypeName = 'map[string]interface {}' | '[]interface {}' | 'string' | 'bool' | 'int64' | 'float64' | 'nil';

export const GO_MAP: GoTypeName = 'map[string]interface {}';
export const GO_SLICE: GoTypeName = '[]interface {}';

const INT64_LIMIT = 2 ** 63;

export function isJsonMap(value: unknown): value is JsonMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function hasOwn(map: JsonMap, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, key);
}

/**
 * Sets a key without tripping over `__proto__`: JSON.parse makes it an ordinary own key, and a plain
 * assignment would change the object's prototype instead.
 */
export function setKey(map: JsonMap, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  else map[key] = value;
}

/** A private deep copy: the merge mutates maps and lists in place, as the Go code does. */
export function cloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (isJsonMap(value)) {
    const out: JsonMap = {};
    for (const key of Object.keys(value)) {
      if (value[key] !== undefined) setKey(out, key, cloneJson(value[key]));
    }
    return out;
  }
  return value;
}

/**
 * The apiserver decodes patch bodies with UnmarshalCaseSensitivePreserveInts and converts objects
 * with ToUnstructured: integral numbers become int64, the rest float64. JavaScript keeps no such
 * distinction, so integral values inside int64 range count as int64 (a JSON `1.0` is therefore
 * seen as an integer here, where Go would see a float).
 */
export function goTypeOf(value: unknown): GoTypeName {
  if (value === null || value === undefined) return 'nil';
  if (Array.isArray(value)) return GO_SLICE;
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(value) && Math.abs(value) < INT64_LIMIT ? 'int64' : 'float64';
    default:
      return GO_MAP;
  }
}

/**
 * A Go runtime panic (comparing or hashing a map, calling a method on a nil reflect.Type). The
 * apiserver does not turn these into a Status; the engine reports them separately.
 */
export class GoPanic extends Error {}

/**
 * Go's `==` on two interface{} values: equal types and values; comparing two maps or two slices
 * panics at run time, which the Go code can hit on odd patches.
 */
export function goEqual(a: unknown, b: unknown): boolean {
  const ta = goTypeOf(a);
  const tb = goTypeOf(b);
  if (ta !== tb) return false;
  if (ta === GO_MAP || ta === GO_SLICE) throw new GoPanic(`runtime error: comparing uncomparable type ${ta}`);
  if (ta === 'nil') return true;
  return a === b;
}

/** A key that collides exactly when Go's map[interface{}] keys would; maps and slices panic as in Go. */
export function goHashKey(value: unknown): string {
  const type = goTypeOf(value);
  if (type === GO_MAP || type === GO_SLICE) throw new GoPanic(`runtime error: hash of unhashable type ${type}`);
  return type === 'nil' ? 'nil' : `${type}:${String(value)}`;
}

/** strconv.FormatFloat(f, 'g', -1, 64), which is what %v prints for a float64. */
export function goFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  // toExponential() without digits gives the shortest round-tripping digits, as Go's shortest mode does.
  const [mantissa, exponentText] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  // With shortest precision Go switches to exponent form below 1e-4 and from 1e+06 on (eprec = 6).
  if (exponent < -4 || exponent >= 6) {
    const magnitude = Math.abs(exponent);
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${magnitude < 10 ? `0${magnitude}` : magnitude}`;
  }
  return String(value);
}

/**
 * fmt.Sprintf("%v") (or "%s") of a decoded JSON value: maps print as map[k:v ...] with sorted
 * keys, slices as [a b], nil as <nil>; %s on a non-string prints Go's %!s(type=value) complaint.
 */
export function goSprint(value: unknown, verb: 'v' | 's' = 'v'): string {
  const type = goTypeOf(value);
  switch (type) {
    case 'nil':
      return verb === 'v' ? '<nil>' : '%!s(<nil>)';
    case 'string':
      return value as string;
    case 'bool':
    case 'int64':
    case 'float64': {
      const text = type === 'float64' ? goFloat(value as number) : String(value);
      return verb === 'v' ? text : `%!s(${type}=${text})`;
    }
    case GO_SLICE:
      return `[${(value as unknown[]).map((item) => goSprint(item, verb)).join(' ')}]`;
    default: {
      const map = value as JsonMap;
      const keys = Object.keys(map).filter((key) => map[key] !== undefined).sort(goCompare);
      return `map[${keys.map((key) => `${key}:${goSprint(map[key], verb)}`).join(' ')}]`;
    }
  }
}

/** reflect.TypeOf(v) printed with %s: a nil interface has no type and prints as %!s(<nil>). */
export function goReflectTypeString(value: unknown): string {
  const type = goTypeOf(value);
  return type === 'nil' ? '%!s(<nil>)' : type;
}
