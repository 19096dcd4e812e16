import { StatusError } from '../errors/status-error';
import { PROTOBUF_MAGIC, ProtobufCodec, type CompiledMessage, type Envelope } from './codec';
import { loadProtobufSchema } from './schema';
import { ProtoError, Reader, Writer } from './wire';

/**
 * The Kubernetes protobuf wire format (`application/vnd.kubernetes.protobuf`), as
 * k8s.io/apimachinery/pkg/runtime/serializer/protobuf reads and writes it:
 *
 *   object   = "k8s\0" runtime.Unknown{ typeMeta: {apiVersion, kind}, raw: <typed message>, contentEncoding: "", contentType: "" }
 *   watch    = per event: uint32 big-endian length + metav1.WatchEvent{ type, object: RawExtension{ raw: <object> } }
 *              (`;stream=watch`: the event itself is written by the raw serializer, no magic and no
 *              Unknown; the embedded object is a full envelope as above)
 *
 * The typed messages come from messages.json (tools/generate-protobuf.ts); the JSON side is the object
 * exactly as the JSON wire form has it. See codec.ts for the mapping rules.
 */

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';
/** The Content-Type of a protobuf watch stream. */
export const PROTOBUF_WATCH_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf;stream=watch';

/** The endpoint's own group-version-kind: what the real decoder defaults from and names in its errors. */
export interface ProtobufDecodeTarget {
  apiVersion: string;
  kind: string;
}

export interface DecodedProtobufObject {
  apiVersion: string;
  kind: string;
  /** The JSON form, `kind` and `apiVersion` first. */
  object: Record<string, unknown>;
}

/**
 * The scheme name a notRegisteredErr quotes: the call site of kube-apiserver's runtime.NewScheme()
 * (legacyscheme, where every built-in group is registered).
 */
const SCHEME_NAME = 'pkg/api/legacyscheme/scheme.go:30';

let shared: ProtobufCodec | undefined;

/** The process-wide codec over messages.json, built on first use (about 520 messages, a few ms). */
export function protobufCodec(): ProtobufCodec {
  shared ??= new ProtobufCodec(loadProtobufSchema());
  return shared;
}

/** Whether a (apiVersion, kind) has a protobuf message; Table, custom resources and the like do not. */
export function canEncode(apiVersion: string, kind: string): boolean {
  return protobufCodec().messageFor(apiVersion, kind) !== undefined;
}

/** The full name of the protobuf message of a kind (e.g. "k8s.io.api.core.v1.Pod"), if it has one. */
export function protobufMessageName(apiVersion: string, kind: string): string | undefined {
  return protobufCodec().messageFor(apiVersion, kind)?.name;
}

// ----- decoding -----

/** summarizeData from the apiserver's handlers: 30 bytes as text for a JSON object, else hex. */
function summarize(data: Uint8Array, maxLength = 30): string {
  if (data.length === 0) return '<empty>';
  const head = Buffer.from(data.buffer, data.byteOffset, Math.min(data.length, maxLength));
  const more = data.length > maxLength ? ' ...' : '';
  return data[0] === 0x7b ? `${head.toString('utf8')}${more}` : `${head.toString('hex')}${more}`;
}

/** Go's %#v of a string: a double-quoted Go literal (JSON quoting agrees for everything printable). */
function goQuote(text: string): string {
  return JSON.stringify(text);
}

/** schema.ParseGroupVersion, keeping FromAPIVersionAndKind's behaviour of dropping an unparsable apiVersion. */
function parseGroupVersion(apiVersion: string): { group: string; version: string } {
  if (apiVersion === '' || apiVersion === '/') return { group: '', version: '' };
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return { group: '', version: apiVersion };
  if (apiVersion.indexOf('/', slash + 1) >= 0) return { group: '', version: '' };
  return { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/**
 * Decodes a request body: the magic, the runtime.Unknown envelope, then the typed message of its
 * kind, into the JSON form. `target` is the endpoint's kind: like the real decoder it fills a missing
 * kind or apiVersion from it and names it in errors. Malformed input throws a 400 StatusError with the
 * real server's text (transformDecodeError around the protobuf serializer's error). Unknown protobuf
 * fields are skipped, as the generated Go Unmarshal skips them (there is no strict mode for protobuf).
 */
export function decodeProtobufObject(body: Uint8Array, target?: ProtobufDecodeTarget): DecodedProtobufObject {
  const codec = protobufCodec();
  // The serializer failed before it knew a kind: "the object provided is unrecognized".
  const unrecognized = (message: string): StatusError =>
    StatusError.badRequest(target ? `the object provided is unrecognized (must be of type ${target.kind}): ${message} (${summarize(body)})` : message);
  // It knew the body's kind: "<Kind> in version "<v>" cannot be handled as a <endpoint kind>".
  const cannotHandle = (kind: string, version: string, message: string): StatusError =>
    StatusError.badRequest(`${kind} in version ${goQuote(version)} cannot be handled as a ${target?.kind ?? kind}: ${message}`);

  if (body.length === 0) throw unrecognized('empty data');
  if (body.length < 4 || body[0] !== 0x6b || body[1] !== 0x38 || body[2] !== 0x73 || body[3] !== 0x00) {
    throw unrecognized(`provided data does not appear to be a protobuf message, expected prefix [${[...PROTOBUF_MAGIC].join(' ')}]`);
  }
  if (body.length === 4) throw unrecognized('empty body');

  let envelope: Envelope;
  try {
    envelope = codec.readEnvelope(body, 4);
  } catch (err) {
    if (err instanceof ProtoError) throw unrecognized(err.message);
    throw err;
  }

  // unk.GroupVersionKind(), then copyKindDefaults from the endpoint's GVK.
  let { group, version } = parseGroupVersion(envelope.apiVersion);
  let kind = envelope.kind;
  if (target) {
    const defaults = parseGroupVersion(target.apiVersion);
    if (!kind) kind = target.kind;
    if (!version && defaults.version) {
      group = defaults.group;
      version = defaults.version;
    }
  }
  const typeMeta = `runtime.TypeMeta{APIVersion:${goQuote(envelope.apiVersion)}, Kind:${goQuote(envelope.kind)}}`;
  if (!kind) throw unrecognized(`Object 'Kind' is missing in '${typeMeta}'`);
  if (!version) throw cannotHandle(kind, version, `Object 'apiVersion' is missing in '${typeMeta}'`);
  const apiVersion = group ? `${group}/${version}` : version;

  const message = codec.messageFor(apiVersion, kind);
  if (!message) throw cannotHandle(kind, version, `no kind ${goQuote(kind)} is registered for version ${goQuote(apiVersion)} in scheme ${goQuote(SCHEME_NAME)}`);
  try {
    // TypeMeta is inline and first in every Go kind, so the JSON form starts with kind and apiVersion.
    const object: Record<string, unknown> = { kind, apiVersion };
    Object.assign(object, codec.decodeMessage(new Reader(envelope.raw, 0), envelope.raw.length, message));
    return { apiVersion, kind, object };
  } catch (err) {
    if (err instanceof ProtoError) throw cannotHandle(kind, version, err.message);
    throw err;
  }
}

// ----- encoding -----

/** One scratch writer, reused: encoding is synchronous, and every result is copied out before the next call. */
const SCRATCH_SIZE = 64 * 1024;
/** A scratch buffer grown past this by one huge list is dropped rather than kept for the life of the process. */
const SCRATCH_KEEP_LIMIT = 4 * 1024 * 1024;
let scratch = new Writer(SCRATCH_SIZE);

function takeResult(): Buffer {
  const result = Buffer.from(scratch.finish());
  if (scratch.buf.length > SCRATCH_KEEP_LIMIT) scratch = new Writer(SCRATCH_SIZE);
  return result;
}

function messageOrNotAcceptable(object: Record<string, unknown>): { apiVersion: string; kind: string; message: CompiledMessage } {
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  const kind = typeof object.kind === 'string' ? object.kind : '';
  const message = protobufCodec().messageFor(apiVersion, kind);
  if (!message) {
    // errNotMarshalable: what a real server says for a type without protobuf support (custom resources).
    throw new StatusError(406, 'NotAcceptable', 'object *unstructured.Unstructured does not implement the protobuf marshalling interface and cannot be encoded to a protobuf message');
  }
  return { apiVersion, kind, message };
}

/** Writes magic + runtime.Unknown for `object` into `w`, the fields in the order Go's NestedMarshalTo writes them. */
function writeEnvelope(w: Writer, object: Record<string, unknown>): void {
  const { apiVersion, kind, message } = messageOrNotAcceptable(object);
  w.raw(PROTOBUF_MAGIC);
  w.byte(0x0a); // typeMeta
  const typeMeta = w.beginDelimited();
  w.byte(0x0a);
  w.string(apiVersion);
  w.byte(0x12);
  w.string(kind);
  w.endDelimited(typeMeta);
  w.byte(0x12); // raw
  const raw = w.beginDelimited();
  try {
    protobufCodec().encodeMessage(w, message, object);
  } catch (err) {
    // Stored objects are valid JSON of their kind; a value that cannot be encoded is a server fault.
    throw StatusError.internal(`unable to encode ${kind} as protobuf: ${(err as Error).message}`);
  }
  w.endDelimited(raw);
  // contentEncoding and contentType: always written, empty.
  w.byte(0x1a);
  w.byte(0x00);
  w.byte(0x22);
  w.byte(0x00);
}

/**
 * Encodes a JSON object (with apiVersion and kind) as a protobuf body: objects, their lists
 * ("PodList" with items), Status, and the meta kinds. Throws 406 NotAcceptable for a kind without a
 * protobuf message (check canEncode first and answer JSON instead, as the real server's negotiation does).
 */
export function encodeProtobufObject(object: Record<string, unknown>): Buffer {
  scratch.pos = 0;
  writeEnvelope(scratch, object);
  return takeResult();
}

/**
 * One frame of an `application/vnd.kubernetes.protobuf;stream=watch` response: a 4-byte big-endian
 * length, then metav1.WatchEvent{type, object: RawExtension{raw}} written without magic or envelope
 * (the apiserver encodes the event with the raw serializer), whose raw is the object's full envelope
 * (the embedded encoder is the ordinary serializer). `object` may be an already encoded envelope, so a
 * change fanned out to many watchers is encoded once.
 */
export function encodeWatchEvent(type: string, object: Record<string, unknown> | Uint8Array): Buffer {
  const w = scratch;
  w.pos = 0;
  w.ensure(4);
  w.pos = 4;
  w.byte(0x0a);
  w.string(type);
  w.byte(0x12); // object: RawExtension
  const extension = w.beginDelimited();
  w.byte(0x0a); // raw
  if (object instanceof Uint8Array) {
    w.bytes(object);
  } else {
    const raw = w.beginDelimited();
    writeEnvelope(w, object);
    w.endDelimited(raw);
  }
  w.endDelimited(extension);
  w.buf.writeUInt32BE(w.pos - 4, 0);
  return takeResult();
}

export interface DecodedWatchEvent {
  type: string;
  object: Record<string, unknown>;
  /** Bytes of `frames` this event used (length prefix included). */
  consumed: number;
}

/** Reads the first frame of a protobuf watch stream (what client-go's decoder does per frame). */
export function decodeWatchEvent(frames: Uint8Array): DecodedWatchEvent {
  if (frames.length < 4) throw new ProtoError('unexpected EOF');
  const length = ((frames[0] << 24) | (frames[1] << 16) | (frames[2] << 8) | frames[3]) >>> 0;
  const end = 4 + length;
  if (end > frames.length) throw new ProtoError('unexpected EOF');
  const codec = protobufCodec();
  const event = codec.decodeFields(new Reader(frames, 4), end, codec.message('k8s.io.apimachinery.pkg.apis.meta.v1.WatchEvent'));
  const type = (event[1] as string | undefined) ?? '';
  const range = event[2] as { start: number; stop: number } | undefined;
  if (!range) throw new ProtoError('watch event without an object');
  const extension = codec.decodeFields(new Reader(frames, range.start), range.stop, codec.message('k8s.io.apimachinery.pkg.runtime.RawExtension'));
  const raw = extension[1] as Uint8Array | undefined;
  if (!raw) throw new ProtoError('watch event without an object');
  return { type, object: decodeProtobufObject(raw).object, consumed: end };
}

export { ProtoError } from './wire';
