/**
 * Writes src/machinery/protobuf/messages.json, kubemu's record of the Kubernetes protobuf wire schema,
 * from checkouts (or bare git mirrors) of k8s.io/api, k8s.io/apimachinery and k8s.io/metrics:
 *
 *   npx ts-node --transpile-only tools/generate-protobuf.ts <k8s.io/api> <k8s.io/apimachinery> <k8s.io/metrics> [--packages p1,p2,...]
 *
 * e.g. with the mirrors the search tooling fetches:
 *   npx ts-node --transpile-only tools/generate-protobuf.ts /work/.mirror/kubernetes+api/repo /work/.mirror/kubernetes+apimachinery/repo /work/.mirror/kubernetes+metrics/repo
 *
 * Every `generated.proto` under the given paths is parsed (field numbers, wire types, maps, repeated);
 * the Go structs in the same directory supply what the proto cannot say about the JSON form: the json
 * tag name, `omitempty`, `,inline`, and whether the Go field is a pointer. Fields are matched to struct
 * fields by protobuf tag number. The kinds come from each package's register.go (AddKnownTypes) plus
 * the meta types metav1.AddToGroupVersion registers into every group version.
 *
 * Included: every message of PACKAGES and every message those reference. The .proto files themselves are
 * not copied; only the facts the codec needs are written.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, posix, relative, resolve } from 'node:path';
import { MapField, parse, Root, Type, type Field } from 'protobufjs';
import { SCALAR_TYPES, type FieldSchema, type MessageSchema, type ProtobufSchemaFile, type ScalarType, type SpecialKind } from '../src/machinery/protobuf/schema';

const REPO = resolve(__dirname, '..');
const OUTPUT = join(REPO, 'src', 'machinery', 'protobuf', 'messages.json');

/** The API packages kubemu serves (or is about to), plus the apimachinery packages they build on. */
const PACKAGES = [
  'k8s.io.api.core.v1',
  'k8s.io.api.apps.v1',
  'k8s.io.api.batch.v1',
  'k8s.io.api.autoscaling.v1',
  'k8s.io.api.autoscaling.v2',
  'k8s.io.api.coordination.v1',
  'k8s.io.api.events.v1',
  'k8s.io.api.policy.v1',
  'k8s.io.api.rbac.v1',
  'k8s.io.api.scheduling.v1',
  'k8s.io.api.networking.v1',
  'k8s.io.api.storage.v1',
  'k8s.io.api.discovery.v1',
  'k8s.io.api.authorization.v1',
  'k8s.io.api.authentication.v1',
  'k8s.io.metrics.pkg.apis.metrics.v1beta1',
  'k8s.io.apimachinery.pkg.apis.meta.v1',
  'k8s.io.apimachinery.pkg.runtime',
  'k8s.io.apimachinery.pkg.util.intstr',
  'k8s.io.apimachinery.pkg.api.resource',
];

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';

/** Messages with a hand-written JSON form in Go (see SpecialKind). Named slices are found from the Go source. */
const SPECIAL: Record<string, SpecialKind> = {
  [`${META}.Time`]: 'time',
  [`${META}.MicroTime`]: 'microtime',
  [`${META}.Duration`]: 'duration',
  [`${META}.FieldsV1`]: 'fieldsv1',
  'k8s.io.apimachinery.pkg.api.resource.Quantity': 'quantity',
  'k8s.io.apimachinery.pkg.api.resource.QuantityValue': 'quantity',
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString': 'intorstring',
  'k8s.io.apimachinery.pkg.runtime.RawExtension': 'rawextension',
};

/** metav1.AddToGroupVersion: registered in every group version. */
const META_PER_GROUP_VERSION = ['WatchEvent', 'ListOptions', 'GetOptions', 'DeleteOptions', 'CreateOptions', 'UpdateOptions', 'PatchOptions'];
/** metav1.AddToGroupVersion: registered once under the "unversioned" v1. */
const META_UNVERSIONED = ['Status', 'APIVersions', 'APIGroupList', 'APIGroup', 'APIResourceList'];
/** metav1's own scheme (meta.k8s.io/v1): AddMetaToScheme plus the options types. Table has no proto message. */
const META_OWN = ['Table', 'TableOptions', 'PartialObjectMetadata', 'PartialObjectMetadataList', ...META_PER_GROUP_VERSION.slice(1)];

// ----- reading a source tree: a directory or a bare git repository -----

interface Source {
  label: string;
  revision: string;
  files: string[];
  read(path: string): string;
}

function openSource(path: string): Source {
  const root = resolve(path);
  const isBareGit = existsSync(join(root, 'HEAD')) && existsSync(join(root, 'objects')) && !existsSync(join(root, '.git'));
  if (isBareGit) {
    const git = (...args: string[]): string => execFileSync('git', ['--git-dir', root, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const revision = git('rev-parse', 'HEAD').trim();
    const files = git('ls-tree', '-r', '--name-only', 'HEAD').split('\n').filter(Boolean);
    return { label: root, revision, files, read: (file) => git('show', `HEAD:${file}`) };
  }
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (name === '.git' || name === 'node_modules') continue;
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.push(relative(root, full).split('\\').join('/'));
    }
  };
  walk(root);
  let revision = 'working tree';
  if (existsSync(join(root, '.git'))) {
    try {
      revision = execFileSync('git', ['-C', root, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    } catch {
      // Not a readable git work tree: keep the label.
    }
  }
  return { label: root, revision, files, read: (file) => readFileSync(join(root, file), 'utf8') };
}

/** The Go module a source holds, from its go.mod (k8s.io/api, k8s.io/apimachinery). */
function moduleOf(source: Source): string {
  if (!source.files.includes('go.mod')) return source.label;
  const match = /^module\s+(\S+)/m.exec(source.read('go.mod'));
  return match ? match[1] : source.label;
}

// ----- Go struct declarations -----

interface GoField {
  goName: string;
  goType: string;
  jsonName?: string;
  omitEmpty: boolean;
  inline: boolean;
  protoNumber?: number;
}

interface GoPackage {
  structs: Map<string, GoField[]>;
  /** `type X []Y`: named slices, which protobuf wraps in a message with `items`. */
  namedSlices: Set<string>;
  /** `type List metav1.List`: a struct defined as another package's struct, by proto package and name. */
  definedAs: Map<string, { protoPackage: string; name: string }>;
  groupName?: string;
  version?: string;
  knownTypes: string[];
}

function tagsOf(raw: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const match of raw.matchAll(/(\w+):"([^"]*)"/g)) tags.set(match[1], match[2]);
  return tags;
}

function parseGoField(line: string): GoField | undefined {
  const named = /^(\w+)\s+([^\s`]+)\s+`([^`]*)`/.exec(line);
  const embedded = named ? undefined : /^([^\s`]+)\s+`([^`]*)`/.exec(line);
  if (!named && !embedded) return undefined;
  const goType = named ? named[2] : embedded![1];
  const goName = named ? named[1] : goType.replace(/^\*/, '').replace(/^.*\./, '');
  const tags = tagsOf(named ? named[3] : embedded![2]);
  const json = tags.get('json');
  const [jsonName, ...options] = json === undefined ? [undefined] : json.split(',');
  const protobuf = tags.get('protobuf');
  const number = protobuf && protobuf !== '-' ? Number(protobuf.split(',')[1]) : undefined;
  return {
    goName,
    goType,
    jsonName,
    omitEmpty: options.includes('omitempty'),
    // encoding/json inlines an embedded struct without a json name, and kubernetes spells it `json:",inline"`.
    inline: options.includes('inline') || (!named && !jsonName),
    protoNumber: Number.isInteger(number) ? number : undefined,
  };
}

function parseGoPackage(sources: string[]): GoPackage {
  const pkg: GoPackage = { structs: new Map(), namedSlices: new Set(), definedAs: new Map(), knownTypes: [] };
  for (const text of sources) {
    const lines = text.split('\n');
    // Import alias → proto package (Go import paths of k8s.io modules map onto proto packages with dots).
    const imports = new Map<string, string>();
    for (const imported of text.matchAll(/^\s*(\w+)\s+"(k8s\.io\/[^"]+)"/gm)) imports.set(imported[1], imported[2].split('/').join('.'));
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      const slice = /^type (\w+) \[\]\S+\s*$/.exec(line);
      if (slice) pkg.namedSlices.add(slice[1]);
      const defined = /^type (\w+) (\w+)\.(\w+)\s*$/.exec(line);
      if (defined && imports.has(defined[2])) pkg.definedAs.set(defined[1], { protoPackage: imports.get(defined[2])!, name: defined[3] });
      if (/^type (\w+) struct\{\}/.test(line)) pkg.structs.set(/^type (\w+)/.exec(line)![1], []);
      const struct = /^type (\w+) struct \{\s*$/.exec(line);
      if (!struct) continue;
      const fields: GoField[] = [];
      for (i++; i < lines.length && lines[i] !== '}'; i++) {
        const body = lines[i].trim();
        if (!body || body.startsWith('//')) continue;
        const field = parseGoField(body);
        if (field) fields.push(field);
      }
      // Build-tag variants (fieldsv1_byte.go / fieldsv1_string.go) declare a type twice; the first is kept.
      if (!pkg.structs.has(struct[1])) pkg.structs.set(struct[1], fields);
    }
    const group = /\bGroupName\s*=\s*"([^"]*)"/.exec(text);
    if (group) pkg.groupName = group[1];
    const version = /SchemeGroupVersion\s*=\s*schema\.GroupVersion\{Group:\s*GroupName,\s*Version:\s*"([^"]+)"\}/.exec(text);
    if (version) pkg.version = version[1];
    for (const block of text.matchAll(/AddKnownTypes\(SchemeGroupVersion,([\s\S]*?)\n\t\)/g)) {
      for (const known of block[1].matchAll(/&(\w+)\{\}/g)) pkg.knownTypes.push(known[1]);
    }
  }
  return pkg;
}

// ----- the proto side -----

interface ProtoPackage {
  name: string;
  /** Directory of the generated.proto, inside its source. */
  dir: string;
  source: Source;
}

function loadProtos(sources: Source[]): { root: Root; packages: Map<string, ProtoPackage> } {
  const root = new Root();
  const packages = new Map<string, ProtoPackage>();
  for (const source of sources) {
    for (const file of source.files) {
      if (!file.endsWith('.proto')) continue;
      // Test fixtures (testapigroup, ...) are not API packages.
      if (/(^|\/)(testdata|testapigroup|testing)\//.test(file)) continue;
      const parsed = parse(source.read(file), root, { keepCase: true });
      if (!parsed.package) throw new Error(`${file}: no package statement`);
      if (packages.has(parsed.package)) throw new Error(`${file}: package ${parsed.package} found twice`);
      packages.set(parsed.package, { name: parsed.package, dir: posix.dirname(file), source });
    }
  }
  root.resolveAll();
  return { root, packages };
}

function fullName(type: Type): string {
  return type.fullName.replace(/^\./, '');
}

function packageOf(messageName: string): string {
  return messageName.slice(0, messageName.lastIndexOf('.'));
}

function typeName(field: Field): string {
  if (field.resolvedType instanceof Type) return fullName(field.resolvedType);
  if (field.resolvedType) throw new Error(`${field.fullName}: enums are not expected in Kubernetes protos`);
  if (!SCALAR_TYPES.has(field.type)) throw new Error(`${field.fullName}: unknown type ${field.type}`);
  return field.type;
}

// ----- putting it together -----

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function main(): void {
  const args = process.argv.slice(2);
  let packagesList = PACKAGES;
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--packages') packagesList = args[++i].split(',').filter(Boolean);
    else paths.push(args[i]);
  }
  if (paths.length === 0) {
    console.error('usage: generate-protobuf.ts <k8s.io/api checkout or mirror> <k8s.io/apimachinery checkout or mirror> [--packages a,b]');
    process.exit(2);
  }
  const sources = paths.map(openSource);
  const { root, packages } = loadProtos(sources);

  const goPackages = new Map<string, GoPackage>();
  const goPackageOf = (protoPackage: string): GoPackage => {
    let pkg = goPackages.get(protoPackage);
    if (!pkg) {
      const where = packages.get(protoPackage);
      if (!where) throw new Error(`no generated.proto declares package ${protoPackage}`);
      const goFiles = where.source.files.filter(
        (file) =>
          posix.dirname(file) === where.dir &&
          file.endsWith('.go') &&
          !file.endsWith('_test.go') &&
          !file.endsWith('generated.pb.go') &&
          !posix.basename(file).startsWith('zz_generated'),
      );
      pkg = parseGoPackage(goFiles.map((file) => where.source.read(file)));
      goPackages.set(protoPackage, pkg);
    }
    return pkg;
  };

  // Every message of the listed packages, then everything they reach.
  const pending: string[] = [];
  for (const name of packagesList) {
    if (!packages.has(name)) throw new Error(`package ${name}: no generated.proto found under ${paths.join(', ')}`);
    const namespace = root.lookup(name);
    if (!namespace || !('nestedArray' in namespace)) throw new Error(`package ${name} is empty`);
    for (const nested of (namespace as { nestedArray: unknown[] }).nestedArray) if (nested instanceof Type) pending.push(fullName(nested));
  }
  const messages: Record<string, MessageSchema> = {};
  const warnings: string[] = [];
  while (pending.length) {
    const name = pending.pop()!;
    if (messages[name]) continue;
    const type = root.lookupType(name);
    const protoPackage = packageOf(name);
    const goName = name.slice(protoPackage.length + 1);
    const go = goPackageOf(protoPackage);
    let special: SpecialKind | undefined = SPECIAL[name];
    if (!special && go.namedSlices.has(goName)) {
      const only = type.fieldsArray;
      if (only.length !== 1 || only[0].name !== 'items' || !only[0].repeated) throw new Error(`${name}: a named slice whose message is not {repeated items}`);
      special = 'list';
    }
    const definedAs = go.definedAs.get(goName);
    const goFields = go.structs.get(goName) ?? (definedAs ? goPackageOf(definedAs.protoPackage).structs.get(definedAs.name) : undefined);
    if (!goFields && !special) throw new Error(`${name}: no Go struct ${goName} beside its generated.proto`);
    const byNumber = new Map<number, GoField>();
    for (const field of goFields ?? []) if (field.protoNumber !== undefined) byNumber.set(field.protoNumber, field);

    const fields: Array<FieldSchema & { order: number }> = [];
    for (const field of type.fieldsArray) {
      const goField = special ? undefined : byNumber.get(field.id);
      if (!special && !goField) throw new Error(`${name}.${field.name} = ${field.id}: no Go field carries that protobuf number`);
      const schema: FieldSchema & { order: number } = { jsonName: field.name, number: field.id, type: '', order: field.id };
      if (field instanceof MapField) {
        if (!SCALAR_TYPES.has(field.keyType)) throw new Error(`${field.fullName}: map key ${field.keyType}`);
        schema.type = 'map';
        schema.map = { key: field.keyType as ScalarType, value: typeName(field) };
      } else {
        schema.type = typeName(field);
        if (field.repeated) schema.repeated = true;
      }
      const referenced = schema.map ? schema.map.value : schema.type;
      if (!SCALAR_TYPES.has(referenced) && referenced !== 'map') pending.push(referenced);
      if (goField) {
        schema.order = goFields!.indexOf(goField);
        if (goField.jsonName === '-') {
          // Only runtime.Unknown (the envelope, which the codec reads by hand) has these.
          warnings.push(`${name}.${field.name}: json:"-", kept under its proto name`);
        } else if (goField.inline) {
          schema.inline = true;
        } else if (goField.jsonName) {
          schema.jsonName = goField.jsonName;
          if (goField.jsonName !== field.name) warnings.push(`${name}.${field.name}: JSON name ${goField.jsonName}`);
        }
        if (goField.goType.startsWith('*')) schema.pointer = true;
        if (goField.omitEmpty) schema.omitEmpty = true;
        if (goField.goName !== upperFirst(schema.jsonName)) schema.goName = goField.goName;
      }
      fields.push(schema);
    }
    if (goFields && !special) {
      for (const goField of goFields) {
        const inProto = goField.protoNumber !== undefined;
        const isTypeMeta = goField.goType.endsWith('TypeMeta') && goField.inline;
        if (!inProto && !isTypeMeta && goField.jsonName !== '-') warnings.push(`${name}.${goField.goName}: in JSON but not in protobuf`);
      }
    }
    fields.sort((a, b) => a.order - b.order);
    messages[name] = { fields: fields.map(({ order: _order, ...field }) => field), ...(special ? { special } : {}) };
  }

  // Kinds: apiVersion → Kind → message.
  const kinds: Record<string, Record<string, string>> = {};
  const register = (apiVersion: string, kind: string, message: string): void => {
    if (!messages[message]) return;
    (kinds[apiVersion] ??= {})[kind] = message;
  };
  for (const name of packagesList) {
    // API packages: k8s.io/api and the resource metrics API (k8s.io/metrics/pkg/apis/...).
    if (!name.startsWith('k8s.io.api.') && !name.startsWith('k8s.io.metrics.pkg.apis.')) continue;
    const go = goPackageOf(name);
    if (go.groupName === undefined || !go.version) throw new Error(`${name}: no GroupName / SchemeGroupVersion in its register.go`);
    const apiVersion = go.groupName ? `${go.groupName}/${go.version}` : go.version;
    for (const kind of go.knownTypes) register(apiVersion, kind, `${name}.${kind}`);
    for (const kind of META_PER_GROUP_VERSION) register(apiVersion, kind, `${META}.${kind}`);
  }
  if (packagesList.includes(META)) {
    for (const kind of META_UNVERSIONED) register('v1', kind, `${META}.${kind}`);
    for (const kind of META_OWN) register('meta.k8s.io/v1', kind, `${META}.${kind}`);
  }

  const generatedFrom: Record<string, string> = {};
  for (const source of sources) generatedFrom[moduleOf(source)] = source.revision;
  const file: ProtobufSchemaFile = { generatedFrom, packages: packagesList, kinds: sortRecord(kinds, (byKind) => sortRecord(byKind, (m) => m)), messages: sortRecord(messages, (m) => m) };
  writeFileSync(OUTPUT, format(file));
  for (const warning of warnings) console.warn(`note: ${warning}`);
  console.log(`${relative(REPO, OUTPUT)}: ${Object.keys(messages).length} messages, ${Object.values(kinds).reduce((n, k) => n + Object.keys(k).length, 0)} kinds`);
}

function sortRecord<T, U>(record: Record<string, T>, map: (value: T) => U): Record<string, U> {
  const out: Record<string, U> = {};
  for (const key of Object.keys(record).sort()) out[key] = map(record[key]);
  return out;
}

/** One message per line: small diffs when upstream adds a field, and a file that stays readable. */
function format(file: ProtobufSchemaFile): string {
  const lines = ['{'];
  lines.push(`  "generatedFrom": ${JSON.stringify(file.generatedFrom)},`);
  lines.push(`  "packages": ${JSON.stringify(file.packages)},`);
  lines.push('  "kinds": {');
  const apiVersions = Object.keys(file.kinds);
  apiVersions.forEach((apiVersion, i) => lines.push(`    ${JSON.stringify(apiVersion)}: ${JSON.stringify(file.kinds[apiVersion])}${i < apiVersions.length - 1 ? ',' : ''}`));
  lines.push('  },');
  lines.push('  "messages": {');
  const names = Object.keys(file.messages);
  names.forEach((name, i) => lines.push(`    ${JSON.stringify(name)}: ${JSON.stringify(file.messages[name])}${i < names.length - 1 ? ',' : ''}`));
  lines.push('  }');
  lines.push('}');
  return lines.join('\n') + '\n';
}

main();
