import { formatQuantity, parseQuantityOrThrow, QuantityError } from '../quantity/quantity';
import type { FieldSchema, MessageSchema, ProtobufSchemaFile, ScalarType, SpecialKind } from './schema';
import { formatGoDuration, formatUnixTime, GO_ZERO_TIME_UNIX, parseGoDuration, parseUnixTime } from './well-known';
import { ProtoError, Reader, WIRE_BYTES, WIRE_FIXED32, WIRE_FIXED64, WIRE_VARINT, Writer } from './wire';

/**
 * JSON ↔ protobuf for the Kubernetes types, driven by messages.json. A hand-written codec rather than
 * protobufjs message classes: the JSON form is not protobufjs' JSON mapping (inline structs, omitempty,
 * Time as RFC 3339, IntOrString as number-or-string, Quantity as text, RawExtension as embedded JSON),
 * so protobufjs would need a full conversion pass on each side of its own encode/decode. Walking the
 * JSON and writing bytes directly is one pass: encoding a Pod measured as fast as protobufjs' bare
 * encode of an already converted message and over twice as fast as its fromObject+encode; decoding lands
 * near protobufjs' decode+toObject before that path's conversion to the Kubernetes form
 * (tools/bench-protobuf.ts). It also lets decode errors carry the Go texts.
 *
 * Decoding follows what Go does with the bytes and then with encoding/json:
 *  - unknown field numbers are skipped (gogo's skipGenerated), never an error: protobuf has no strict mode;
 *  - a field present on the wire appears in the JSON unless Go's omitempty would drop it: a zero scalar of
 *    a non-pointer omitempty field; a pointer field is kept even when zero (`replicas: 0`);
 *  - a zero Time/MicroTime and an empty RawExtension are left out (Go writes them as null);
 *  - keys come out in Go struct order, as kubectl's own JSON bodies have them.
 * Encoding writes what the JSON holds, in field-number order like Go's marshaller: zero values present in
 * the JSON are written (so pointer fields keep their zero), absent fields are not. A Go client decodes the
 * result into the same struct Go's own encoder would have produced it from.
 */

type JsonObject = Record<string, unknown>;

interface CompiledField {
  jsonName: string;
  goName: string;
  number: number;
  kind: 'scalar' | 'message' | 'map';
  /** The scalar type (kind scalar), or the map value's scalar type when it is one. */
  scalar: ScalarType;
  /** Resolved after every message is compiled. */
  message: CompiledMessage | undefined;
  mapKey: ScalarType;
  repeated: boolean;
  pointer: boolean;
  omitEmpty: boolean;
  inline: boolean;
  /** The wire type this field is written with. */
  wireType: number;
  /** The encoded tag (field number and wire type). */
  tag: Uint8Array;
}

export class CompiledMessage {
  /** Declaration (Go struct) order. */
  readonly fields: CompiledField[] = [];
  /** Field-number order: the order Go's marshaller writes. */
  encodeOrder: CompiledField[] = [];
  byNumber: Array<CompiledField | undefined> = [];
  /** JSON keys in Go struct order with inline structs expanded, for re-keying decoded objects. */
  jsonOrder: string[] = [];
  /** Whether decoding in wire order can leave keys out of Go struct order. */
  needsReorder = false;

  constructor(
    readonly name: string,
    /** The name Go's unmarshal errors use ("proto: ConfigMap: ..."). */
    readonly goName: string,
    readonly special: SpecialKind | undefined,
  ) {}
}

const SCALAR_WIRE: Record<ScalarType, number> = {
  string: WIRE_BYTES,
  bytes: WIRE_BYTES,
  bool: WIRE_VARINT,
  int32: WIRE_VARINT,
  int64: WIRE_VARINT,
  uint32: WIRE_VARINT,
  uint64: WIRE_VARINT,
  sint32: WIRE_VARINT,
  sint64: WIRE_VARINT,
  fixed32: WIRE_FIXED32,
  fixed64: WIRE_FIXED64,
  sfixed32: WIRE_FIXED32,
  sfixed64: WIRE_FIXED64,
  double: WIRE_FIXED64,
  float: WIRE_FIXED32,
};

function tagBytes(number: number, wireType: number): Uint8Array {
  const w = new Writer(16);
  w.tag(number, wireType);
  return Uint8Array.from(w.finish());
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Byte-wise order of the UTF-8 forms, as Go's sort.Strings orders map keys before marshalling. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 puts astral characters (surrogates) below U+E000–U+FFFF; UTF-8 puts them above.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The magic that opens every protobuf-encoded Kubernetes object: "k8s\0". */
export const PROTOBUF_MAGIC = Uint8Array.from([0x6b, 0x38, 0x73, 0x00]);

function hasMagic(bytes: Uint8Array, start: number, stop: number): boolean {
  return stop - start >= 4 && bytes[start] === 0x6b && bytes[start + 1] === 0x38 && bytes[start + 2] === 0x73 && bytes[start + 3] === 0x00;
}

const MAX_ENVELOPE_DEPTH = 32;

/** Raised while encoding a JSON value that cannot be the declared type (a bug in stored data, not client input). */
export class ProtobufEncodeError extends Error {}

/** What an envelope carries: runtime.Unknown's typeMeta and the bytes of the typed message. */
export interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
}

export class ProtobufCodec {
  private readonly messages = new Map<string, CompiledMessage>();
  private readonly kinds: Map<string, Map<string, string>>;
  private envelopeDepth = 0;

  constructor(readonly schema: ProtobufSchemaFile) {
    for (const [name, message] of Object.entries(schema.messages)) this.messages.set(name, this.compileShell(name, message));
    for (const [name, message] of Object.entries(schema.messages)) this.link(this.messages.get(name)!, message);
    for (const message of this.messages.values()) this.order(message);
    this.kinds = new Map(Object.entries(schema.kinds).map(([apiVersion, byKind]) => [apiVersion, new Map(Object.entries(byKind))]));
  }

  /** The message of a registered (apiVersion, kind), if there is one. */
  messageFor(apiVersion: string, kind: string): CompiledMessage | undefined {
    const name = this.kinds.get(apiVersion)?.get(kind);
    return name === undefined ? undefined : this.messages.get(name);
  }

  message(name: string): CompiledMessage {
    const message = this.messages.get(name);
    if (!message) throw new Error(`protobuf: no message ${name}`);
    return message;
  }

  // ----- compiling the schema -----

  private compileShell(name: string, schema: MessageSchema): CompiledMessage {
    const shortName = name.slice(name.lastIndexOf('.') + 1);
    // Time and MicroTime unmarshal through a Timestamp, so that is the name in their errors.
    const goName = schema.special === 'time' || schema.special === 'microtime' ? 'Timestamp' : shortName;
    return new CompiledMessage(name, goName, schema.special);
  }

  private link(message: CompiledMessage, schema: MessageSchema): void {
    for (const field of schema.fields) message.fields.push(this.compileField(message, field));
    message.encodeOrder = [...message.fields].sort((a, b) => a.number - b.number);
    for (const field of message.fields) message.byNumber[field.number] = field;
  }

  private compileField(owner: CompiledMessage, field: FieldSchema): CompiledField {
    const isMap = field.type === 'map' && field.map !== undefined;
    const valueType = isMap ? field.map!.value : field.type;
    const scalarType = SCALAR_WIRE[valueType as ScalarType] !== undefined ? (valueType as ScalarType) : undefined;
    const kind: CompiledField['kind'] = isMap ? 'map' : scalarType ? 'scalar' : 'message';
    const message = scalarType ? undefined : this.messages.get(valueType);
    if (!scalarType && !message) throw new Error(`protobuf: ${owner.name}.${field.jsonName} refers to unknown message ${valueType}`);
    // Quantity's Go field is String_ (String would clash with its String() method).
    const goName = field.goName ?? (owner.special === 'quantity' ? 'String_' : upperFirst(field.jsonName));
    const wireType = kind === 'scalar' ? SCALAR_WIRE[scalarType!] : WIRE_BYTES;
    return {
      jsonName: field.jsonName,
      goName,
      number: field.number,
      kind,
      scalar: scalarType ?? 'string',
      message,
      mapKey: field.map?.key ?? 'string',
      repeated: field.repeated === true,
      pointer: field.pointer === true,
      omitEmpty: field.omitEmpty === true,
      inline: field.inline === true,
      wireType,
      tag: tagBytes(field.number, wireType),
    };
  }

  private order(message: CompiledMessage): void {
    const declared = (m: CompiledMessage): string[] => m.fields.flatMap((f) => (f.inline && f.message ? declared(f.message) : [f.jsonName]));
    const wire = (m: CompiledMessage): string[] => m.encodeOrder.flatMap((f) => (f.inline && f.message ? wire(f.message) : [f.jsonName]));
    message.jsonOrder = declared(message);
    const wireOrder = wire(message);
    message.needsReorder = wireOrder.some((key, i) => key !== message.jsonOrder[i]);
  }

  // ----- encoding -----

  /** The message body for a JSON value of `message`'s type. */
  encodeMessage(w: Writer, message: CompiledMessage, value: unknown): void {
    if (message.special) {
      this.encodeSpecial(w, message, value);
      return;
    }
    if (!isObject(value)) return;
    const fields = message.encodeOrder;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i];
      if (f.inline) {
        // Go writes a non-pointer embedded struct always; its fields live in this same JSON object.
        w.raw(f.tag);
        const mark = w.beginDelimited();
        this.encodeMessage(w, f.message!, value);
        w.endDelimited(mark);
        continue;
      }
      const v = value[f.jsonName];
      if (v === undefined || v === null) continue;
      if (f.kind === 'map') {
        if (isObject(v)) this.encodeMap(w, f, v);
      } else if (f.repeated) {
        if (Array.isArray(v)) for (const item of v) this.encodeOne(w, f, item);
      } else {
        this.encodeOne(w, f, v);
      }
    }
  }

  private encodeOne(w: Writer, f: CompiledField, v: unknown): void {
    w.raw(f.tag);
    if (f.kind === 'scalar') {
      writeScalar(w, f.scalar, v);
      return;
    }
    const mark = w.beginDelimited();
    this.encodeMessage(w, f.message!, v);
    w.endDelimited(mark);
  }

  /** Entries in sorted key order with key and value always written, as gogo's generated Marshal does. */
  private encodeMap(w: Writer, f: CompiledField, map: JsonObject): void {
    const keys = Object.keys(map);
    if (keys.length > 1) keys.sort(compareGoStrings);
    for (const key of keys) {
      const v = map[key];
      w.raw(f.tag);
      const entry = w.beginDelimited();
      w.tag(1, SCALAR_WIRE[f.mapKey]);
      writeScalar(w, f.mapKey, key);
      if (f.message) {
        w.tag(2, WIRE_BYTES);
        const mark = w.beginDelimited();
        this.encodeMessage(w, f.message, v);
        w.endDelimited(mark);
      } else if (!(f.scalar === 'bytes' && (v === null || v === undefined))) {
        // A nil []byte map value is the one value Go leaves out of the entry.
        w.tag(2, SCALAR_WIRE[f.scalar]);
        writeScalar(w, f.scalar, v);
      }
      w.endDelimited(entry);
    }
  }

  private encodeSpecial(w: Writer, message: CompiledMessage, value: unknown): void {
    switch (message.special) {
      case 'time':
      case 'microtime': {
        if (typeof value !== 'string') {
          if (value === undefined || value === null) return;
          throw new ProtobufEncodeError(`${message.name}: expected an RFC 3339 string, got ${JSON.stringify(value)}`);
        }
        const { seconds, nanos } = parseUnixTime(value);
        if (seconds === GO_ZERO_TIME_UNIX && nanos === 0) return; // Time.Marshal writes nothing for the zero time.
        w.byte(0x08);
        w.varint(seconds);
        w.byte(0x10);
        w.varint(nanos);
        return;
      }
      case 'duration': {
        const nanos = typeof value === 'number' ? BigInt(Math.trunc(value)) : parseGoDuration(String(value ?? '0s'));
        w.byte(0x08);
        w.varint(Number(nanos));
        return;
      }
      case 'quantity':
        w.byte(0x0a);
        w.string(typeof value === 'number' ? String(value) : String(value ?? '0'));
        return;
      case 'intorstring':
        // IntOrString's Marshal writes all three fields.
        if (typeof value === 'string') {
          w.byte(0x08);
          w.byte(1);
          w.byte(0x10);
          w.byte(0);
          w.byte(0x1a);
          w.string(value);
        } else {
          w.byte(0x08);
          w.byte(0);
          w.byte(0x10);
          w.varint(typeof value === 'number' ? value | 0 : 0);
          w.byte(0x1a);
          w.byte(0);
        }
        return;
      case 'rawextension':
      case 'fieldsv1':
        if (value === undefined || value === null) return;
        w.byte(0x0a);
        w.string(JSON.stringify(value));
        return;
      case 'list': {
        if (!Array.isArray(value)) return;
        const items = message.fields[0];
        for (const item of value) this.encodeOne(w, items, item);
        return;
      }
      default:
        throw new Error(`protobuf: unhandled special ${message.special}`);
    }
  }

  // ----- decoding -----

  /** Decodes the message in [r.pos, end) into `target` (merging, as Go's Unmarshal merges into its receiver). */
  decodeInto(r: Reader, end: number, message: CompiledMessage, target: JsonObject): void {
    const byNumber = message.byNumber;
    while (r.pos < end) {
      const fieldStart = r.pos;
      r.varint(end);
      const wireType = r.lo & 7;
      // Go: fieldNum := int32(wire >> 3)
      const fieldNum = ((r.lo >>> 3) | (r.hi << 29)) | 0;
      if (wireType === 4) throw new ProtoError(`proto: ${message.goName}: wiretype end group for non-group`);
      if (fieldNum <= 0) throw new ProtoError(`proto: ${message.goName}: illegal tag ${fieldNum} (wire type ${wireValue(r)})`);
      const f = byNumber[fieldNum];
      if (f === undefined) {
        r.skip(fieldStart, end);
        continue;
      }
      switch (f.kind) {
        case 'scalar':
          this.decodeScalarField(r, end, f, wireType, target);
          break;
        case 'message':
          this.decodeMessageField(r, end, f, wireType, target);
          break;
        case 'map':
          this.decodeMapEntry(r, end, f, wireType, target);
          break;
      }
    }
  }

  /** A freshly decoded object in Go struct key order. */
  private finish(message: CompiledMessage, object: JsonObject): JsonObject {
    if (!message.needsReorder) return object;
    const ordered: JsonObject = {};
    for (const key of message.jsonOrder) {
      const v = object[key];
      if (v !== undefined) ordered[key] = v;
    }
    return ordered;
  }

  /** Decodes a whole message value (not inline) and returns it ordered. */
  decodeMessage(r: Reader, end: number, message: CompiledMessage, into?: JsonObject): JsonObject {
    const object = into ?? {};
    this.decodeInto(r, end, message, object);
    return this.finish(message, object);
  }

  private decodeScalarField(r: Reader, end: number, f: CompiledField, wireType: number, target: JsonObject): void {
    if (f.repeated) {
      let list = target[f.jsonName] as unknown[] | undefined;
      if (!list) target[f.jsonName] = list = [];
      if (wireType === f.wireType) {
        list.push(readScalar(r, end, f.scalar));
      } else if (wireType === WIRE_BYTES && f.wireType !== WIRE_BYTES) {
        // Packed: gogo accepts both encodings of a repeated number.
        const stop = r.delimited(end);
        while (r.pos < stop) list.push(readScalar(r, end, f.scalar));
        r.pos = stop;
      } else {
        throw wrongWireType(wireType, f);
      }
      return;
    }
    if (wireType !== f.wireType) throw wrongWireType(wireType, f);
    const v = readScalar(r, end, f.scalar);
    if (f.omitEmpty && !f.pointer && (v === '' || v === 0 || v === false)) {
      // `delete` turns an object into a slow dictionary; it is only needed when an earlier copy of the field set it.
      if (target[f.jsonName] !== undefined) delete target[f.jsonName];
    } else {
      target[f.jsonName] = v;
    }
  }

  private decodeMessageField(r: Reader, end: number, f: CompiledField, wireType: number, target: JsonObject): void {
    if (wireType !== WIRE_BYTES) throw wrongWireType(wireType, f);
    const stop = r.delimited(end);
    const message = f.message!;
    if (message.special) {
      const v = this.decodeSpecial(r, stop, message);
      r.pos = stop;
      if (f.repeated) {
        let list = target[f.jsonName] as unknown[] | undefined;
        if (!list) target[f.jsonName] = list = [];
        list.push(v === undefined ? null : v);
      } else if (v === undefined) {
        if (target[f.jsonName] !== undefined) delete target[f.jsonName];
      } else {
        target[f.jsonName] = v;
      }
      return;
    }
    if (f.inline) {
      this.decodeInto(r, stop, message, target);
    } else if (f.repeated) {
      let list = target[f.jsonName] as unknown[] | undefined;
      if (!list) target[f.jsonName] = list = [];
      list.push(this.decodeMessage(r, stop, message));
    } else {
      const existing = target[f.jsonName];
      target[f.jsonName] = this.decodeMessage(r, stop, message, isObject(existing) ? existing : undefined);
    }
    r.pos = stop;
  }

  /**
   * One map entry. Like the generated code, key and value are read by their declared types whatever
   * wire type the entry claims, other entry fields are skipped, and a missing key or value is the zero.
   */
  private decodeMapEntry(r: Reader, end: number, f: CompiledField, wireType: number, target: JsonObject): void {
    if (wireType !== WIRE_BYTES) throw wrongWireType(wireType, f);
    const entryEnd = r.delimited(end);
    let key: unknown;
    let value: unknown;
    let hasValue = false;
    while (r.pos < entryEnd) {
      const entryFieldStart = r.pos;
      r.varint(end);
      const fieldNum = ((r.lo >>> 3) | (r.hi << 29)) | 0;
      if (fieldNum === 1) {
        key = readScalar(r, end, f.mapKey);
      } else if (fieldNum === 2) {
        hasValue = true;
        if (f.message) {
          const stop = r.delimited(end);
          value = f.message.special ? this.decodeSpecial(r, stop, f.message) : this.decodeMessage(r, stop, f.message);
          r.pos = stop;
        } else {
          value = readScalar(r, end, f.scalar);
        }
      } else {
        r.skip(entryFieldStart, entryEnd);
      }
    }
    r.pos = entryEnd;
    if (!hasValue) value = f.message ? this.zeroOf(f.message) : zeroScalar(f.scalar);
    let map = target[f.jsonName] as JsonObject | undefined;
    if (!map) target[f.jsonName] = map = {};
    map[String(key ?? zeroScalar(f.mapKey))] = value === undefined ? null : value;
  }

  /** The JSON of a message's zero value (a map entry with no value). */
  private zeroOf(message: CompiledMessage): unknown {
    if (!message.special) return {};
    const empty = new Reader(new Uint8Array(0));
    return this.decodeSpecial(empty, 0, message);
  }

  /**
   * The raw field values of a small message: by field number, bytes as subarrays, repeated as arrays.
   * Used for the special types and the envelope, which are not turned into JSON objects field by field.
   */
  decodeFields(r: Reader, end: number, message: CompiledMessage): unknown[] {
    const values: unknown[] = [];
    while (r.pos < end) {
      const fieldStart = r.pos;
      r.varint(end);
      const wireType = r.lo & 7;
      const fieldNum = ((r.lo >>> 3) | (r.hi << 29)) | 0;
      if (wireType === 4) throw new ProtoError(`proto: ${message.goName}: wiretype end group for non-group`);
      if (fieldNum <= 0) throw new ProtoError(`proto: ${message.goName}: illegal tag ${fieldNum} (wire type ${wireValue(r)})`);
      const f = message.byNumber[fieldNum];
      if (f === undefined) {
        r.skip(fieldStart, end);
        continue;
      }
      if (f.kind === 'scalar') {
        if (wireType !== f.wireType) throw wrongWireType(wireType, f);
        let v: unknown;
        if (f.scalar === 'bytes') {
          const stop = r.delimited(end);
          v = r.buf.subarray(r.pos, stop);
          r.pos = stop;
        } else {
          v = readScalar(r, end, f.scalar);
        }
        if (f.repeated) ((values[fieldNum] as unknown[] | undefined) ?? (values[fieldNum] = [])).push(v);
        else values[fieldNum] = v;
      } else if (f.kind === 'message') {
        if (wireType !== WIRE_BYTES) throw wrongWireType(wireType, f);
        const stop = r.delimited(end);
        // Nested messages (the envelope's typeMeta) are kept as their byte range.
        values[fieldNum] = { start: r.pos, stop };
        r.pos = stop;
      } else {
        throw new Error(`protobuf: decodeFields does not read maps (${message.name}.${f.jsonName})`);
      }
    }
    return values;
  }

  /** The JSON value of a special message in [r.pos, end); undefined where Go's JSON has null. */
  private decodeSpecial(r: Reader, end: number, message: CompiledMessage): unknown {
    const start = r.pos;
    switch (message.special) {
      case 'time':
      case 'microtime': {
        // Time.Unmarshal: no bytes is the zero time; otherwise time.Unix(seconds, nanos).
        if (end === start) return undefined;
        const v = this.decodeFields(r, end, message);
        const seconds = (v[1] as number | undefined) ?? 0;
        const nanos = (v[2] as number | undefined) ?? 0;
        if (seconds === GO_ZERO_TIME_UNIX && nanos === 0) return undefined;
        return formatUnixTime(seconds, nanos, message.special === 'microtime');
      }
      case 'duration': {
        const v = this.decodeFields(r, end, message);
        return formatGoDuration(BigInt((v[1] as number | undefined) ?? 0));
      }
      case 'quantity': {
        const v = this.decodeFields(r, end, message);
        const text = v[1] as string | undefined;
        // Quantity.Unmarshal parses the text and fails the whole decode on a bad one; JSON prints String().
        if (text === undefined) return '0';
        return canonicalQuantityText(text);
      }
      case 'intorstring': {
        const v = this.decodeFields(r, end, message);
        return v[1] === 1 ? ((v[3] as string | undefined) ?? '') : ((v[2] as number | undefined) ?? 0);
      }
      case 'rawextension':
      case 'fieldsv1': {
        const v = this.decodeFields(r, end, message);
        const raw = v[1] as Uint8Array | undefined;
        if (raw === undefined || raw.length === 0) return undefined;
        // A RawExtension from a protobuf client may hold a nested protobuf object (a v1 List's items).
        if (message.special === 'rawextension' && hasMagic(raw, 0, raw.length)) return this.decodeEnvelopeObject(raw);
        try {
          return JSON.parse(Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('utf8')) as unknown;
        } catch (err) {
          throw new ProtoError(`${message.goName}: the raw bytes are not JSON: ${(err as Error).message}`);
        }
      }
      case 'list': {
        const v = this.decodeFields(r, end, message);
        return (v[1] as unknown[] | undefined) ?? [];
      }
      default:
        throw new Error(`protobuf: unhandled special ${message.special}`);
    }
  }

  // ----- the envelope -----

  /** runtime.Unknown after the magic: typeMeta, raw, contentEncoding, contentType. */
  readEnvelope(bytes: Uint8Array, start: number): Envelope {
    const unknown = this.message('k8s.io.apimachinery.pkg.runtime.Unknown');
    const typeMeta = this.message('k8s.io.apimachinery.pkg.runtime.TypeMeta');
    const r = new Reader(bytes, start);
    const fields = this.decodeFields(r, bytes.length, unknown);
    let apiVersion = '';
    let kind = '';
    const range = fields[1] as { start: number; stop: number } | undefined;
    if (range) {
      const tm = this.decodeFields(new Reader(bytes, range.start), range.stop, typeMeta);
      apiVersion = (tm[1] as string | undefined) ?? '';
      kind = (tm[2] as string | undefined) ?? '';
    }
    const raw = (fields[2] as Uint8Array | undefined) ?? new Uint8Array(0);
    return { apiVersion, kind, raw };
  }

  /**
   * A nested envelope (inside a RawExtension) as its JSON object, apiVersion and kind first. The message
   * types themselves never nest without bound, but envelopes can (a v1 List item that is a List...);
   * Go keeps RawExtension bytes opaque, so only this conversion recurses, and it stops at a fixed depth.
   */
  decodeEnvelopeObject(bytes: Uint8Array): JsonObject {
    if (this.envelopeDepth >= MAX_ENVELOPE_DEPTH) throw new ProtoError(`RawExtension: objects nested more than ${MAX_ENVELOPE_DEPTH} deep`);
    this.envelopeDepth++;
    try {
      const envelope = this.readEnvelope(bytes, 4);
      const message = this.messageFor(envelope.apiVersion, envelope.kind);
      if (!message) throw new ProtoError(`no kind "${envelope.kind}" is registered for version "${envelope.apiVersion}"`);
      const object: JsonObject = { kind: envelope.kind, apiVersion: envelope.apiVersion };
      return Object.assign(object, this.decodeMessage(new Reader(envelope.raw, 0), envelope.raw.length, message));
    } finally {
      this.envelopeDepth--;
    }
  }
}

/**
 * Quantity text → its String() form, memoised: the same few quantities ("100m", "128Mi") recur in every
 * object, and parsing goes through BigInt. Bounded so hostile input cannot grow it without end.
 */
const quantityMemo = new Map<string, string>();
const QUANTITY_MEMO_LIMIT = 4096;

function canonicalQuantityText(text: string): string {
  const known = quantityMemo.get(text);
  if (known !== undefined) return known;
  let canonical: string;
  try {
    canonical = formatQuantity(parseQuantityOrThrow(text));
  } catch (err) {
    if (err instanceof QuantityError) throw new ProtoError(err.message);
    throw err;
  }
  if (quantityMemo.size >= QUANTITY_MEMO_LIMIT) quantityMemo.clear();
  quantityMemo.set(text, canonical);
  return canonical;
}

function wireValue(r: Reader): string {
  // Go prints the whole tag varint here, not the wire type (a quirk of the generated code).
  return r.hi === 0 ? String(r.lo) : ((BigInt(r.hi) << 32n) | BigInt(r.lo)).toString();
}

function wrongWireType(wireType: number, f: CompiledField): ProtoError {
  return new ProtoError(`proto: wrong wireType = ${wireType} for field ${f.goName}`);
}

function zeroScalar(type: ScalarType): unknown {
  switch (type) {
    case 'string':
    case 'bytes':
      return '';
    case 'bool':
      return false;
    default:
      return 0;
  }
}

/** A scalar in its JSON form: strings, numbers, booleans, bytes as base64 (as encoding/json writes []byte). */
function readScalar(r: Reader, end: number, type: ScalarType): unknown {
  switch (type) {
    case 'string': {
      const stop = r.delimited(end);
      const text = r.text(r.pos, stop);
      r.pos = stop;
      return text;
    }
    case 'bytes': {
      const stop = r.delimited(end);
      const b = r.buf;
      const text = Buffer.from(b.buffer, b.byteOffset + r.pos, stop - r.pos).toString('base64');
      r.pos = stop;
      return text;
    }
    case 'bool':
      r.varint(end);
      return r.lo !== 0 || r.hi !== 0;
    case 'int32':
      r.varint(end);
      return r.lo | 0;
    case 'uint32':
      r.varint(end);
      return r.lo;
    case 'int64':
      r.varint(end);
      return r.int64();
    case 'uint64':
      r.varint(end);
      return r.uint64();
    case 'sint32':
      r.varint(end);
      return (r.lo >>> 1) ^ -(r.lo & 1);
    case 'sint64': {
      r.varint(end);
      const big = (BigInt(r.hi) << 32n) | BigInt(r.lo);
      return Number((big >> 1n) ^ -(big & 1n));
    }
    case 'fixed32':
      return r.fixed32(end);
    case 'sfixed32':
      return r.fixed32(end) | 0;
    case 'float': {
      const bits = r.fixed32(end);
      const view = new DataView(new ArrayBuffer(4));
      view.setUint32(0, bits, true);
      return view.getFloat32(0, true);
    }
    case 'fixed64':
    case 'sfixed64':
    case 'double': {
      const lo = r.fixed32(end);
      const hi = r.fixed32(end);
      const view = new DataView(new ArrayBuffer(8));
      view.setUint32(0, lo, true);
      view.setUint32(4, hi, true);
      if (type === 'double') return view.getFloat64(0, true);
      return Number(type === 'fixed64' ? view.getBigUint64(0, true) : view.getBigInt64(0, true));
    }
  }
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  if (v === null || v === undefined) return 0;
  throw new ProtobufEncodeError(`expected a number, got ${JSON.stringify(v)}`);
}

function writeScalar(w: Writer, type: ScalarType, v: unknown): void {
  switch (type) {
    case 'string':
      w.string(typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
      return;
    case 'bytes':
      w.bytes(typeof v === 'string' ? Buffer.from(v, 'base64') : new Uint8Array(0));
      return;
    case 'bool':
      w.byte(v === true ? 1 : 0);
      return;
    case 'int32':
      w.varint(toNumber(v) | 0);
      return;
    case 'int64':
      w.varint(Math.trunc(toNumber(v)));
      return;
    case 'uint32':
      w.uvarint(toNumber(v) >>> 0);
      return;
    case 'uint64':
      w.uvarint(Math.max(0, Math.trunc(toNumber(v))));
      return;
    case 'sint32': {
      const n = toNumber(v) | 0;
      w.uvarint(((n << 1) ^ (n >> 31)) >>> 0);
      return;
    }
    case 'sint64': {
      const n = BigInt(Math.trunc(toNumber(v)));
      w.uvarint(Number(BigInt.asUintN(64, (n << 1n) ^ (n >> 63n))));
      return;
    }
    case 'fixed32':
    case 'sfixed32':
      w.fixed32(toNumber(v));
      return;
    case 'float': {
      const view = new DataView(new ArrayBuffer(4));
      view.setFloat32(0, toNumber(v), true);
      w.fixed32(view.getUint32(0, true));
      return;
    }
    case 'fixed64':
    case 'sfixed64':
    case 'double': {
      const view = new DataView(new ArrayBuffer(8));
      if (type === 'double') view.setFloat64(0, toNumber(v), true);
      else view.setBigInt64(0, BigInt(Math.trunc(toNumber(v))), true);
      w.fixed32(view.getUint32(0, true));
      w.fixed32(view.getUint32(4, true));
      return;
    }
  }
}
