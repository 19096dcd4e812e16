/**
 * Protobuf wire primitives, hand-written rather than protobufjs' Reader/Writer because the codec has to
 * fail the way Go's gogo-generated Unmarshal methods fail (their exact error texts reach clients inside
 * a 400 Status), and because the encoder writes straight from JSON values without building an
 * intermediate protobufjs message object.
 */

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_START_GROUP = 3;
export const WIRE_END_GROUP = 4;
export const WIRE_FIXED32 = 5;

const TWO_32 = 4294967296;

/** A protobuf decoding failure; `message` is the Go error text (io.ErrUnexpectedEOF, gogo's fmt.Errorf texts). */
export class ProtoError extends Error {}

export const ERR_UNEXPECTED_EOF = 'unexpected EOF';
export const ERR_INT_OVERFLOW = 'proto: integer overflow';
export const ERR_INVALID_LENGTH = 'proto: negative length found during unmarshaling';
export const ERR_END_OF_GROUP = 'proto: unexpected end of group';

/**
 * Reads from a byte range. Every length check is against `end` as passed by the caller, which is the
 * end of the message being read: Go unmarshals each nested message from its own sub-slice, so a
 * length that overruns its parent is "unexpected EOF" even when the buffer continues.
 */
export class Reader {
  pos: number;
  /** The two 32-bit halves of the last varint read by varint(). */
  lo = 0;
  hi = 0;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
  ) {
    this.pos = start;
  }

  /**
   * Reads a varint into lo/hi as Go does: at most ten bytes (an eleventh continuation is "integer
   * overflow"), bits past 64 silently dropped, running out of data is "unexpected EOF".
   */
  varint(end: number): void {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= end) throw new ProtoError(ERR_UNEXPECTED_EOF);
    let b = buf[pos++];
    if (b < 0x80) {
      this.lo = b;
      this.hi = 0;
      this.pos = pos;
      return;
    }
    let lo = b & 0x7f;
    let hi = 0;
    for (let shift = 7; ; shift += 7) {
      if (shift >= 64) throw new ProtoError(ERR_INT_OVERFLOW);
      if (pos >= end) throw new ProtoError(ERR_UNEXPECTED_EOF);
      b = buf[pos++];
      const bits = b & 0x7f;
      if (shift < 28) {
        lo |= bits << shift;
      } else if (shift === 28) {
        lo |= (bits & 0x0f) << 28;
        hi |= bits >>> 4;
      } else {
        hi |= bits << (shift - 32);
      }
      if (b < 0x80) break;
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
    this.pos = pos;
  }

  /** A varint as a non-negative length or count; anything with the top bit set is Go's negative int. */
  length(end: number): number {
    this.varint(end);
    if (this.hi & 0x80000000) throw new ProtoError(ERR_INVALID_LENGTH);
    return this.hi * TWO_32 + this.lo;
  }

  /** The end of a length-delimited value starting here, checked as gogo checks postIndex. */
  delimited(end: number): number {
    const length = this.length(end);
    const post = this.pos + length;
    if (post > end) throw new ProtoError(ERR_UNEXPECTED_EOF);
    return post;
  }

  /** The lo/hi of the last varint as Go's int64 (a JS number: exact up to 2^53). */
  int64(): number {
    return (this.hi | 0) * TWO_32 + this.lo;
  }

  uint64(): number {
    return this.hi * TWO_32 + this.lo;
  }

  fixed32(end: number): number {
    if (this.pos + 4 > end) throw new ProtoError(ERR_UNEXPECTED_EOF);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
  }

  /** Skips one field whose tag was just read, like gogo's skipGenerated (groups included). */
  skip(fieldStart: number, end: number): void {
    // skipGenerated re-reads from the tag; replaying its loop from the field's start keeps its errors.
    this.pos = fieldStart;
    let depth = 0;
    for (;;) {
      this.varint(end);
      const wt = this.lo & 7;
      switch (wt) {
        case WIRE_VARINT:
          this.varint(end);
          break;
        case WIRE_FIXED64:
          this.pos += 8;
          break;
        case WIRE_BYTES: {
          // Read the length first: `this.pos += this.length()` would add to the position before the length's bytes.
          const length = this.length(end);
          this.pos += length;
          break;
        }
        case WIRE_START_GROUP:
          depth++;
          break;
        case WIRE_END_GROUP:
          if (depth === 0) throw new ProtoError(ERR_END_OF_GROUP);
          depth--;
          break;
        case WIRE_FIXED32:
          this.pos += 4;
          break;
        default:
          throw new ProtoError(`proto: illegal wireType ${wt}`);
      }
      if (depth === 0) break;
      if (this.pos >= end) throw new ProtoError(ERR_UNEXPECTED_EOF);
    }
    if (this.pos > end) throw new ProtoError(ERR_UNEXPECTED_EOF);
  }

  /** UTF-8 text of [start, stop). Short ASCII runs are decoded in JS: cheaper than a call into the Buffer binding. */
  text(start: number, stop: number): string {
    const buf = this.buf;
    if (stop - start < 48) {
      let out = '';
      for (let i = start; i < stop; i++) {
        const c = buf[i];
        if (c >= 0x80) return Buffer.from(buf.buffer, buf.byteOffset + start, stop - start).toString('utf8');
        out += String.fromCharCode(c);
      }
      return out;
    }
    return Buffer.from(buf.buffer, buf.byteOffset + start, stop - start).toString('utf8');
  }
}

/**
 * An append-only writer. Length-delimited values reserve one byte for their length, which fits any
 * value under 128 bytes; a longer value is moved right to make room once its length is known. That
 * keeps encoding a single pass over the JSON, with no sizing pass first.
 */
export class Writer {
  buf: Buffer;
  pos = 0;

  constructor(initial = 1024) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  ensure(extra: number): void {
    const need = this.pos + extra;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /** A non-negative integer below 2^53. */
  uvarint(value: number): void {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    while (value >= 0x80) {
      buf[pos++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    buf[pos++] = value;
    this.pos = pos;
  }

  /** Go's encodeVarint(uint64(v)) for a signed int32/int64: negatives are ten bytes of two's complement. */
  varint(value: number): void {
    if (value >= 0) {
      if (value < 0x80) {
        this.ensure(1);
        this.buf[this.pos++] = value;
        return;
      }
      this.uvarint(value);
      return;
    }
    let big = BigInt.asUintN(64, BigInt(Math.trunc(value)));
    this.ensure(10);
    while (big >= 0x80n) {
      this.buf[this.pos++] = Number(big & 0x7fn) | 0x80;
      big >>= 7n;
    }
    this.buf[this.pos++] = Number(big);
  }

  /** A one-byte tag for fields 1–15, two bytes above; precomputed tags go through raw(). */
  tag(field: number, wireType: number): void {
    this.uvarint(field * 8 + wireType);
  }

  raw(bytes: Uint8Array): void {
    const n = bytes.length;
    this.ensure(n);
    if (n <= 8) {
      // Tags and other tiny runs: a loop beats TypedArray.set's call overhead.
      const buf = this.buf;
      let pos = this.pos;
      for (let i = 0; i < n; i++) buf[pos++] = bytes[i];
      this.pos = pos;
      return;
    }
    this.buf.set(bytes, this.pos);
    this.pos += n;
  }

  /** Starts a length-delimited value; returns the mark endDelimited() needs. */
  beginDelimited(): number {
    this.ensure(1);
    return this.pos++;
  }

  endDelimited(mark: number): void {
    const length = this.pos - mark - 1;
    if (length < 0x80) {
      this.buf[mark] = length;
      return;
    }
    let extra = 0;
    for (let v = length; v >= 0x80; v = Math.floor(v / 0x80)) extra++;
    this.ensure(extra);
    this.buf.copy(this.buf, mark + 1 + extra, mark + 1, this.pos);
    let pos = mark;
    let v = length;
    while (v >= 0x80) {
      this.buf[pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[pos] = v;
    this.pos += extra;
  }

  /** A length-prefixed UTF-8 string. ASCII is copied in JS (no binding call); anything else goes through Buffer.write. */
  string(value: string): void {
    const n = value.length;
    if (n < 0x80) {
      this.ensure(1 + n * 3);
      const buf = this.buf;
      const mark = this.pos;
      let pos = mark + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x80) break;
        buf[pos++] = c;
      }
      if (i === n) {
        buf[mark] = n;
        this.pos = pos;
        return;
      }
      this.pos = mark;
    }
    const byteLength = Buffer.byteLength(value, 'utf8');
    this.uvarint(byteLength);
    this.ensure(byteLength);
    this.buf.write(value, this.pos, byteLength, 'utf8');
    this.pos += byteLength;
  }

  bytes(value: Uint8Array): void {
    this.uvarint(value.length);
    this.raw(value);
  }

  fixed32(value: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(value >>> 0, this.pos);
    this.pos += 4;
  }

  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}
