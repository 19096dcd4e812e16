import type { CompiledNode } from './schema-node';
import { canonicalMicroTime, canonicalTime, GoTimeError } from './go-time';
import { canonicalQuantity, QUANTITY_FORMAT_ERROR, QuantityError } from '../quantity/quantity';

/**
 * The schema walk behind Schemas.decode(): what the API server's JSON decoder does to a request
 * body on its way into a typed Go object (sigs.k8s.io/json strict mode), minus the Go object.
 * Type mismatches fail with encoding/json's wording; unknown and repeated fields are collected as
 * strict-decoding errors with the same paths; unknown fields and nulls are dropped; Quantity, Time
 * and MicroTime values come out in the canonical form the server would write back.
 *
 * Hot path: one pass, mutating the freshly parsed value in place; an object is only rebuilt when a
 * key has to go (deleting keys would push V8 objects into slow dictionary mode).
 */

/** A fatal decode problem; `message` is the Go error text that follows "cannot be handled as a <Kind>: ". */
export class DecodeFailure extends Error {}

const MAX_STRICT_ERRORS = 100;

export class DecodeState {
  /** Strict-decoding errors, deduplicated, in the order met. */
  readonly strictErrors: string[] = [];
  private readonly seenErrors = new Set<string>();
  /** sigs.k8s.io/json strictFieldStack: "spec", ".containers", "[0]", ... */
  private readonly path: string[] = [];
  /** encoding/json errorContext: struct field names only, with the struct that owns each. */
  private readonly fields: string[] = [];
  private readonly owners: string[] = [];

  constructor(
    readonly collectStrict: boolean,
    private readonly duplicates: ReadonlySet<string> | undefined,
  ) {}

  private pathOf(key: string): string {
    return this.path.length ? `${this.path.join('')}.${key}` : key;
  }

  private strictError(text: string): void {
    if (this.strictErrors.length >= MAX_STRICT_ERRORS || this.seenErrors.has(text)) return;
    this.seenErrors.add(text);
    this.strictErrors.push(text);
  }

  private typeError(got: string, node: CompiledNode, goType = node.goType): DecodeFailure {
    const n = this.fields.length;
    if (n === 0) return new DecodeFailure(`json: cannot unmarshal ${got} into Go value of type ${goType}`);
    return new DecodeFailure(`json: cannot unmarshal ${got} into Go struct field ${this.owners[n - 1]}.${this.fields.join('.')} of type ${goType}`);
  }

  walkStruct(node: CompiledNode, obj: Record<string, unknown>): Record<string, unknown> {
    const table = node.fieldTable;
    let drop = false;
    for (const key in obj) {
      const field = table[key];
      if (field === undefined) {
        if (node.preserveUnknownFields) continue;
        if (this.collectStrict) this.strictError(`unknown field "${this.pathOf(key)}"`);
        drop = true;
        continue;
      }
      if (this.duplicates !== undefined && this.duplicates.has(this.pathOf(key))) this.strictError(`duplicate field "${this.pathOf(key)}"`);
      const value = obj[key];
      if (value === null) {
        drop = true;
        continue;
      }
      this.fields.push(key);
      this.owners.push(node.structName);
      this.path.push(this.path.length ? `.${key}` : key);
      const out = this.walk(field, value);
      this.path.pop();
      this.owners.pop();
      this.fields.pop();
      if (out !== value) obj[key] = out;
    }
    if (!drop) return obj;
    const kept: Record<string, unknown> = {};
    for (const key in obj) {
      const value = obj[key];
      if (value === null) continue;
      if (table[key] === undefined && !node.preserveUnknownFields) continue;
      kept[key] = value;
    }
    return kept;
  }

  private walkMap(node: CompiledNode, obj: Record<string, unknown>): Record<string, unknown> {
    const values = node.values as CompiledNode;
    for (const key in obj) {
      if (this.duplicates !== undefined && this.duplicates.has(this.pathOf(key))) this.strictError(`duplicate field "${this.pathOf(key)}"`);
      const value = obj[key];
      this.path.push(this.path.length ? `.${key}` : key);
      const out = value === null ? zeroValue(values) : this.walk(values, value);
      this.path.pop();
      if (out !== value) obj[key] = out;
    }
    return obj;
  }

  private walkArray(node: CompiledNode, list: unknown[]): unknown[] {
    const items = node.items as CompiledNode;
    for (let i = 0; i < list.length; i++) {
      const value = list[i];
      this.path.push(`[${i}]`);
      const out = value === null ? zeroValue(items) : this.walk(items, value);
      this.path.pop();
      if (out !== value) list[i] = out;
    }
    return list;
  }

  walk(node: CompiledNode, value: unknown): unknown {
    switch (node.kind) {
      case 'string':
        if (typeof value !== 'string') throw this.typeError(describe(value), node);
        return value;
      case 'integer':
        if (typeof value !== 'number') throw this.typeError(describe(value), node);
        if (!fitsInteger(value, node.intBits)) throw this.typeError(`number ${value}`, node);
        return value;
      case 'boolean':
        if (typeof value !== 'boolean') throw this.typeError(describe(value), node);
        return value;
      case 'struct':
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw this.typeError(describe(value), node);
        return this.walkStruct(node, value as Record<string, unknown>);
      case 'array':
        if (!Array.isArray(value)) throw this.typeError(describe(value), node);
        return this.walkArray(node, value);
      case 'map':
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw this.typeError(describe(value), node);
        return this.walkMap(node, value as Record<string, unknown>);
      case 'number':
        if (typeof value !== 'number') throw this.typeError(describe(value), node);
        return value;
      case 'int-or-string':
        // intstr.IntOrString: a quoted value is a string, anything else must fit an int32.
        if (typeof value === 'string') return value;
        if (typeof value !== 'number') throw this.typeError(describe(value), node, 'int32');
        if (!fitsInteger(value, 32)) throw this.typeError(`number ${value}`, node, 'int32');
        return value;
      case 'quantity':
        if (typeof value !== 'string' && typeof value !== 'number') throw new DecodeFailure(QUANTITY_FORMAT_ERROR);
        try {
          return canonicalQuantity(value);
        } catch (err) {
          if (err instanceof QuantityError) throw new DecodeFailure(err.message);
          throw err;
        }
      case 'time':
      case 'micro-time':
        // metav1.Time unmarshals the JSON into a Go string first, so a non-string is a string type error.
        if (typeof value !== 'string') throw this.typeError(describe(value), node, 'string');
        try {
          return node.kind === 'time' ? canonicalTime(value) : canonicalMicroTime(value);
        } catch (err) {
          if (err instanceof GoTimeError) throw new DecodeFailure(err.message);
          throw err;
        }
      case 'bytes':
        if (typeof value !== 'string') throw this.typeError(describe(value), node);
        return checkBase64(value);
      case 'any':
        return value;
    }
  }
}

/** encoding/json's name for the JSON value that did not fit. */
function describe(value: unknown): string {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return 'array';
  return 'object';
}

function fitsInteger(value: number, bits: 32 | 64): boolean {
  if (!Number.isInteger(value)) return false;
  return bits === 32 ? value >= -2147483648 && value <= 2147483647 : value >= -9223372036854775808 && value <= 9223372036854775807;
}

/** What a JSON null becomes inside a list or map: the Go zero value of the element type. */
function zeroValue(node: CompiledNode): unknown {
  switch (node.kind) {
    case 'string':
    case 'bytes':
      return '';
    case 'integer':
    case 'number':
    case 'int-or-string':
      return 0;
    case 'boolean':
      return false;
    case 'quantity':
      return '0';
    case 'struct':
      return {};
    default:
      return null;
  }
}

const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * A []byte field: standard base64 with padding. Go's decoder skips CR/LF and re-encodes the bytes,
 * so line breaks disappear; anything else wrong is base64.CorruptInputError.
 */
function checkBase64(text: string): string {
  if (CANONICAL_BASE64.test(text)) return text;
  const stripped = text.replace(/[\r\n]/g, '');
  if (CANONICAL_BASE64.test(stripped)) return stripped;
  let seen = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\r' || c === '\n') continue;
    if (c === '=') {
      // Padding is only legal as the tail of a 4-character quantum.
      if (seen % 4 < 2) throw new DecodeFailure(`illegal base64 data at input byte ${i}`);
      continue;
    }
    if (!/[A-Za-z0-9+/]/.test(c)) throw new DecodeFailure(`illegal base64 data at input byte ${i}`);
    seen++;
  }
  const tail = seen % 4;
  throw new DecodeFailure(`illegal base64 data at input byte ${tail === 1 ? text.length - 1 : text.length}`);
}
