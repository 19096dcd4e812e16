/**
 * JSON request bodies: parsed with the native parser on the fast path, and by a scanner that
 * follows Go's encoding/json state machine when the native one fails (for Go's exact syntax error
 * text) or when the text holds more object keys than the parsed value (a duplicate key, which the
 * real server reports as `duplicate field "metadata.name"`).
 */

export class JsonSyntaxError extends Error {}

export interface ParsedJson {
  value: unknown;
  /** Paths of repeated keys in strict-decoding form ("metadata.name", "spec.containers[0].name"). */
  duplicateFields: string[];
}

export function parseJson(text: string): ParsedJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Only for its message: the scanner throws on the first error exactly where Go's would.
    return new GoJsonParser(text).parse();
  }
  if (countKeysInText(text) === countKeysInValue(value)) return { value, duplicateFields: [] };
  return new GoJsonParser(text).parse();
}

/** Every `"...":` in the text. Strings are matched whole, so a colon inside a string value never counts. */
const STRING_TOKEN = /"(?:[^"\\]|\\.)*"(\s*:)?/g;

function countKeysInText(text: string): number {
  let count = 0;
  STRING_TOKEN.lastIndex = 0;
  for (let match = STRING_TOKEN.exec(text); match !== null; match = STRING_TOKEN.exec(text)) {
    if (match[1] !== undefined) count++;
  }
  return count;
}

function countKeysInValue(value: unknown): number {
  if (Array.isArray(value)) {
    let count = 0;
    for (const item of value) if (typeof item === 'object' && item !== null) count += countKeysInValue(item);
    return count;
  }
  if (typeof value !== 'object' || value === null) return 0;
  let count = 0;
  for (const key in value) {
    count++;
    const item = (value as Record<string, unknown>)[key];
    if (typeof item === 'object' && item !== null) count += countKeysInValue(item);
  }
  return count;
}

/** Go's quoteChar: how encoding/json names an offending byte in a syntax error. */
export function quoteGoChar(text: string, index: number): string {
  const code = text.codePointAt(index) ?? 0;
  // Go sees bytes: a multi-byte character is reported by its first UTF-8 byte, read as a Latin-1 rune.
  const byte = code < 0x80 ? code : Buffer.from(String.fromCodePoint(code), 'utf8')[0];
  if (byte === 0x27) return `'\\''`;
  if (byte === 0x22) return `'"'`;
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 0x5c: '\\\\' };
  if (named[byte] !== undefined) return `'${named[byte]}'`;
  if (byte < 0x20 || byte === 0x7f) return `'\\x${byte.toString(16).padStart(2, '0')}'`;
  if (byte >= 0x80 && (byte < 0xa0 || byte === 0xad)) return `'\\u00${byte.toString(16).padStart(2, '0')}'`;
  return `'${String.fromCharCode(byte)}'`;
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** Recursive descent with the error states of Go's encoding/json scanner. */
class GoJsonParser {
  private pos = 0;
  private readonly duplicates: string[] = [];
  private readonly path: string[] = [];

  constructor(private readonly text: string) {}

  parse(): ParsedJson {
    this.skipSpace();
    const value = this.value();
    this.skipSpace();
    if (this.pos < this.text.length) throw this.invalid('after top-level value');
    return { value, duplicateFields: this.duplicates };
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && WHITESPACE.has(this.text.charCodeAt(this.pos))) this.pos++;
  }

  private eof(): JsonSyntaxError {
    return new JsonSyntaxError('unexpected end of JSON input');
  }

  private invalid(context: string): JsonSyntaxError {
    if (this.pos >= this.text.length) return this.eof();
    return new JsonSyntaxError(`invalid character ${quoteGoChar(this.text, this.pos)} ${context}`);
  }

  private value(): unknown {
    if (this.pos >= this.text.length) throw this.eof();
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.object();
      case '[':
        return this.array();
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      default:
        if (c === '-' || (c >= '0' && c <= '9')) return this.number();
        throw this.invalid('looking for beginning of value');
    }
  }

  private currentPath(key: string): string {
    const prefix = this.path.join('');
    return prefix ? `${prefix}.${key}` : key;
  }

  private object(): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.text.length) throw this.eof();
      if (this.text[this.pos] !== '"') throw this.invalid('looking for beginning of object key string');
      const key = this.string();
      this.skipSpace();
      if (this.pos >= this.text.length) throw this.eof();
      if (this.text[this.pos] !== ':') throw this.invalid('after object key');
      this.pos++;
      this.skipSpace();
      if (Object.prototype.hasOwnProperty.call(out, key)) this.duplicates.push(this.currentPath(key));
      this.path.push(this.path.length ? `.${key}` : key);
      const item = this.value();
      this.path.pop();
      if (key === '__proto__') Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
      else out[key] = item;
      this.skipSpace();
      if (this.pos >= this.text.length) throw this.eof();
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === '}') {
        this.pos++;
        return out;
      }
      throw this.invalid('after object key:value pair');
    }
  }

  private array(): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      this.path.push(`[${out.length}]`);
      out.push(this.value());
      this.path.pop();
      this.skipSpace();
      if (this.pos >= this.text.length) throw this.eof();
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === ']') {
        this.pos++;
        return out;
      }
      throw this.invalid('after array element');
    }
  }

  private string(): string {
    const start = ++this.pos;
    let out = '';
    let chunk = start;
    for (;;) {
      if (this.pos >= this.text.length) throw this.eof();
      const code = this.text.charCodeAt(this.pos);
      if (code === 0x22) {
        out += this.text.slice(chunk, this.pos);
        this.pos++;
        return out;
      }
      if (code < 0x20) throw this.invalid('in string literal');
      if (code !== 0x5c) {
        this.pos++;
        continue;
      }
      out += this.text.slice(chunk, this.pos);
      this.pos++;
      if (this.pos >= this.text.length) throw this.eof();
      const escape = this.text[this.pos];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (simple[escape] !== undefined) {
        out += simple[escape];
        this.pos++;
      } else if (escape === 'u') {
        this.pos++;
        for (let i = 0; i < 4; i++) {
          if (this.pos + i >= this.text.length) {
            this.pos += i;
            throw this.eof();
          }
          if (!/[0-9a-fA-F]/.test(this.text[this.pos + i])) {
            this.pos += i;
            throw this.invalid('in \\u hexadecimal character escape');
          }
        }
        out += String.fromCharCode(Number.parseInt(this.text.slice(this.pos, this.pos + 4), 16));
        this.pos += 4;
      } else {
        throw this.invalid('in string escape code');
      }
      chunk = this.pos;
    }
  }

  private digits(): void {
    while (this.pos < this.text.length && this.text[this.pos] >= '0' && this.text[this.pos] <= '9') this.pos++;
  }

  private isDigitAt(pos: number): boolean {
    const c = this.text[pos];
    return c !== undefined && c >= '0' && c <= '9';
  }

  private number(): number {
    const start = this.pos;
    if (this.text[this.pos] === '-') {
      this.pos++;
      if (this.pos >= this.text.length) throw this.eof();
      if (!this.isDigitAt(this.pos)) throw this.invalid('in numeric literal');
    }
    if (this.text[this.pos] === '0') this.pos++;
    else this.digits();
    if (this.text[this.pos] === '.') {
      this.pos++;
      if (this.pos >= this.text.length) throw this.eof();
      if (!this.isDigitAt(this.pos)) throw this.invalid('after decimal point in numeric literal');
      this.digits();
    }
    if (this.text[this.pos] === 'e' || this.text[this.pos] === 'E') {
      this.pos++;
      if (this.text[this.pos] === '+' || this.text[this.pos] === '-') this.pos++;
      if (this.pos >= this.text.length) throw this.eof();
      if (!this.isDigitAt(this.pos)) throw this.invalid('in exponent of numeric literal');
      this.digits();
    }
    return Number(this.text.slice(start, this.pos));
  }

  private literal(word: string, value: boolean | null): boolean | null {
    for (let i = 1; i < word.length; i++) {
      this.pos++;
      if (this.pos >= this.text.length) throw this.eof();
      if (this.text[this.pos] !== word[i]) throw this.invalid(`in literal ${word} (expecting ${quoteGoChar(word, i)})`);
    }
    this.pos++;
    return value;
  }
}
