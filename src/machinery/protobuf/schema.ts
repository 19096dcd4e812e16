import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The shape of messages.json: kubemu's own record of the Kubernetes protobuf wire schema, written by
 * tools/generate-protobuf.ts from the `generated.proto` files of k8s.io/api and k8s.io/apimachinery and
 * the Go struct tags beside them. The .proto files say field numbers and wire types; the Go structs say
 * what the JSON form of the same value looks like (JSON name, `omitempty`, pointer or value, `,inline`),
 * which the codec needs to turn one into the other the way the Go types do.
 */

/** Protobuf scalar types the codec reads and writes. */
export type ScalarType =
  | 'string'
  | 'bytes'
  | 'bool'
  | 'int32'
  | 'int64'
  | 'uint32'
  | 'uint64'
  | 'sint32'
  | 'sint64'
  | 'fixed32'
  | 'fixed64'
  | 'sfixed32'
  | 'sfixed64'
  | 'double'
  | 'float';

export const SCALAR_TYPES: ReadonlySet<string> = new Set<ScalarType>([
  'string',
  'bytes',
  'bool',
  'int32',
  'int64',
  'uint32',
  'uint64',
  'sint32',
  'sint64',
  'fixed32',
  'fixed64',
  'sfixed32',
  'sfixed64',
  'double',
  'float',
]);

/**
 * Messages whose JSON form is not an object of their fields (each has a hand-written MarshalJSON in Go):
 *  - time / microtime: metav1.Time / MicroTime, a Timestamp{seconds, nanos} on the wire, RFC 3339 text in JSON;
 *  - duration: metav1.Duration, nanoseconds on the wire, Go duration text ("1h0m0s") in JSON;
 *  - quantity: resource.Quantity, its string form in both;
 *  - intorstring: intstr.IntOrString, {type, intVal, strVal} on the wire, a number or a string in JSON;
 *  - rawextension / fieldsv1: bytes on the wire that are themselves JSON (or, for RawExtension, a nested
 *    protobuf envelope), embedded as a JSON value;
 *  - list: a named Go slice (`type Verbs []string`, `type ExtraValue []string`) that protobuf wraps in a
 *    message with one repeated `items` field; JSON is the bare array.
 */
export type SpecialKind = 'time' | 'microtime' | 'duration' | 'quantity' | 'intorstring' | 'rawextension' | 'fieldsv1' | 'list';

export interface MapSchema {
  key: ScalarType;
  /** A scalar type or a message full name. */
  value: string;
}

export interface FieldSchema {
  /** The key in the JSON form (the Go json tag name); the proto field name for `inline` fields. */
  jsonName: string;
  /** The Go field name when it is not jsonName with its first letter upper-cased; Go's unmarshal errors name it. */
  goName?: string;
  number: number;
  /** A scalar type or a message full name (no leading dot); for maps, "map". */
  type: string;
  repeated?: true;
  map?: MapSchema;
  /** A Go pointer (`*int32`, `*PodSecurityContext`): present on the wire means present in JSON, even when zero. */
  pointer?: true;
  /** The Go json tag has omitempty: a zero scalar or empty list/map/bytes is left out of the JSON form. */
  omitEmpty?: true;
  /** `json:",inline"`: the nested message's JSON fields sit directly in this object. */
  inline?: true;
}

export interface MessageSchema {
  /** Fields in Go declaration order, which is the order Go's encoding/json writes them. */
  fields: FieldSchema[];
  special?: SpecialKind;
}

export interface ProtobufSchemaFile {
  /** Where the schema was read from: repository → commit (or directory label). */
  generatedFrom: Record<string, string>;
  /** The proto packages whose messages (and everything they reference) are included. */
  packages: string[];
  /** apiVersion → Kind → message full name, for every kind the schemes register. */
  kinds: Record<string, Record<string, string>>;
  messages: Record<string, MessageSchema>;
}

export const SCHEMA_FILE = 'messages.json';
const SCHEMA_IN_REPO = join('src', 'machinery', 'protobuf', SCHEMA_FILE);

/**
 * Finds messages.json beside this file (src/ under jest and ts-node) or, from a dist/ build that did
 * not copy it (nest build copies no JSON that is not imported), in the repository's src/ tree above.
 * Read with fs rather than `import` so the compiler does not type-check a very large JSON literal.
 */
export function locateProtobufSchema(start = __dirname): string {
  const beside = join(start, SCHEMA_FILE);
  if (existsSync(beside)) return beside;
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, SCHEMA_IN_REPO);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`protobuf: ${SCHEMA_FILE} not found from ${start}`);
  }
}

export function loadProtobufSchema(file = locateProtobufSchema()): ProtobufSchemaFile {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as ProtobufSchemaFile;
  if (!parsed.messages || !parsed.kinds) throw new Error(`protobuf: ${file} is not a protobuf schema`);
  return parsed;
}
