import type { GroupVersionKind } from '../meta/types';

/**
 * How a value of a schema node is read off the wire. Several OpenAPI shapes map to Go types with
 * their own JSON rules (Quantity, Time, IntOrString, []byte), so they get their own kind here.
 */
export type NodeKind =
  | 'struct'
  | 'map'
  | 'array'
  | 'string'
  | 'bytes'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'int-or-string'
  | 'quantity'
  | 'time'
  | 'micro-time'
  /** Free-form JSON: RawExtension, FieldsV1, Patch, preserve-unknown-fields without properties. */
  | 'any';

export type ListType = 'atomic' | 'set' | 'map';
export type MapType = 'atomic' | 'granular';

export interface KindDefault {
  path: readonly string[];
  value: unknown;
  zeroIsUnset: boolean;
}

/** A read-only, precompiled view of one schema: what decode, defaulting and patch engines consult. */
export interface SchemaNode {
  readonly kind: NodeKind;
  /** The definition this node is, or refers to ("io.k8s.api.core.v1.PodSpec"). */
  readonly definition?: string;
  readonly format?: string;
  /** Struct fields (empty for non-structs). */
  readonly properties: ReadonlyMap<string, SchemaNode>;
  readonly required: readonly string[];
  /** Element schema of an array. */
  readonly items?: SchemaNode;
  /** Value schema of a map (additionalProperties). */
  readonly values?: SchemaNode;
  readonly default?: unknown;
  readonly enum?: readonly unknown[];
  /** `x-kubernetes-patch-strategy` split on commas: "merge", "retainKeys", "replace". */
  readonly patchStrategies: readonly string[];
  readonly patchMergeKey?: string;
  readonly listType?: ListType;
  readonly listMapKeys?: readonly string[];
  /** `x-kubernetes-map-type` (on maps and structs alike). */
  readonly mapType?: MapType;
  readonly preserveUnknownFields: boolean;
  readonly embeddedResource: boolean;
  readonly gvk: readonly GroupVersionKind[];
  /** Go's spelling of the type, as json.UnmarshalTypeError prints it ("[]v1.Container", "int32"). */
  readonly goType: string;
  /** Field of a struct, element of an array or value of a map, whichever applies (patch engines walk with this). */
  child(segment: string): SchemaNode | undefined;
}

/** The mutable node the compiler builds; exported read-only through SchemaNode. */
export class CompiledNode implements SchemaNode {
  kind: NodeKind = 'any';
  definition?: string;
  format?: string;
  properties = new Map<string, CompiledNode>();
  required: readonly string[] = [];
  items?: CompiledNode;
  values?: CompiledNode;
  default?: unknown;
  enum?: readonly unknown[];
  patchStrategies: readonly string[] = [];
  patchMergeKey?: string;
  listType?: ListType;
  listMapKeys?: readonly string[];
  mapType?: MapType;
  preserveUnknownFields = false;
  embeddedResource = false;
  gvk: readonly GroupVersionKind[] = [];
  goType = 'interface {}';

  // --- precomputed for the hot paths ---
  /** Go struct name (t.Name()) used in "Go struct field X.path" messages. */
  structName = '';
  /** Fields by name without Map overhead or prototype keys. */
  fieldTable: Record<string, CompiledNode | undefined> = Object.create(null) as Record<string, CompiledNode | undefined>;
  intBits: 32 | 64 = 64;
  zeroIsUnset = false;
  /** Fields with a default of their own. */
  defaultedFields: Array<{ name: string; node: CompiledNode }> = [];
  /** Fields whose subtree holds defaults (structs, lists or maps to descend into). */
  defaultingChildren: Array<{ name: string; node: CompiledNode }> = [];
  /** True when this node or anything below it has a default. */
  hasDefaults = false;
  kindDefaults: KindDefault[] = [];

  child(segment: string): SchemaNode | undefined {
    switch (this.kind) {
      case 'struct':
        return this.fieldTable[segment];
      case 'array':
        return this.items;
      case 'map':
        return this.values;
      default:
        return undefined;
    }
  }
}

type RawSchema = Record<string, unknown>;

const REF_PREFIX = '#/definitions/';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.Time';
const MICRO_TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
/** apimachinery types whose Go UnmarshalJSON keeps any JSON. */
const FREE_FORM = new Set([
  'io.k8s.apimachinery.pkg.runtime.RawExtension',
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Patch',
]);
/** Keys on a `$ref` property that change how it behaves (descriptions do not). */
const REF_OVERRIDES = ['default', 'x-kubernetes-patch-strategy', 'x-kubernetes-patch-merge-key', 'x-kubernetes-map-type', 'x-kubernetes-list-type'];

function asRecord(value: unknown): RawSchema | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as RawSchema) : undefined;
}

function asStrings(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? (value as string[]) : undefined;
}

/** "io.k8s.api.core.v1.PodSpec" → "v1.PodSpec": Go's reflect.Type String() of the struct. */
export function goTypeOfDefinition(name: string): string {
  const parts = name.split('.');
  return `${parts[parts.length - 2]}.${parts[parts.length - 1]}`;
}

/**
 * Turns the definitions of definitions.json into linked SchemaNodes once. Definitions become shared
 * nodes (so recursion is just a cycle in the graph); a `$ref` property that adds behaviour of its own
 * (a default, a patch strategy) gets a copy of the target with the additions.
 */
export function compileDefinitions(raw: Record<string, unknown>): Map<string, CompiledNode> {
  const nodes = new Map<string, CompiledNode>();
  for (const name of Object.keys(raw)) nodes.set(name, new CompiledNode());
  const overrides: Array<{ node: CompiledNode; target: CompiledNode; schema: RawSchema }> = [];

  const resolve = (ref: string, where: string): CompiledNode => {
    const target = nodes.get(ref.startsWith(REF_PREFIX) ? ref.slice(REF_PREFIX.length) : ref);
    if (!target) throw new Error(`schema: ${where} refers to unknown ${ref}`);
    return target;
  };

  const compile = (schema: RawSchema, where: string, into?: CompiledNode, definition?: string): CompiledNode => {
    if (typeof schema.$ref === 'string') {
      const target = resolve(schema.$ref, where);
      if (!REF_OVERRIDES.some((key) => key in schema)) return target;
      const node = new CompiledNode();
      overrides.push({ node, target, schema });
      return node;
    }
    const node = into ?? new CompiledNode();
    node.definition = definition;
    fill(node, schema, where, definition);
    return node;
  };

  const fill = (node: CompiledNode, schema: RawSchema, where: string, definition?: string): void => {
    const type = schema.type;
    const format = typeof schema.format === 'string' ? schema.format : undefined;
    node.format = format;
    applyExtensions(node, schema);
    if (definition === QUANTITY) {
      node.kind = 'quantity';
      node.goType = 'resource.Quantity';
    } else if (definition === TIME) {
      node.kind = 'time';
      node.goType = 'v1.Time';
    } else if (definition === MICRO_TIME) {
      node.kind = 'micro-time';
      node.goType = 'v1.MicroTime';
    } else if (definition === INT_OR_STRING || schema['x-kubernetes-int-or-string'] === true) {
      node.kind = 'int-or-string';
      node.goType = 'intstr.IntOrString';
    } else if (definition && FREE_FORM.has(definition)) {
      node.kind = 'any';
      node.goType = goTypeOfDefinition(definition);
    } else if (type === 'object' || schema.properties !== undefined || schema.additionalProperties !== undefined) {
      const props = asRecord(schema.properties);
      const additional = schema.additionalProperties;
      if (props || !asRecord(additional)) {
        node.kind = 'struct';
        node.structName = definition ? definition.slice(definition.lastIndexOf('.') + 1) : '';
        node.goType = definition ? goTypeOfDefinition(definition) : 'struct {}';
        for (const [field, sub] of Object.entries(props ?? {})) {
          const subSchema = asRecord(sub);
          if (!subSchema) throw new Error(`schema: ${where}.${field} is not a schema`);
          const child = compile(subSchema, `${where}.${field}`);
          node.properties.set(field, child);
          node.fieldTable[field] = child;
        }
        node.required = asStrings(schema.required) ?? [];
        if (!props && node.preserveUnknownFields) node.kind = 'any';
      } else {
        node.kind = 'map';
        node.values = compile(asRecord(additional) as RawSchema, `${where}[value]`);
      }
    } else if (type === 'array') {
      const items = asRecord(schema.items);
      if (!items) throw new Error(`schema: ${where} is an array without items`);
      node.kind = 'array';
      node.items = compile(items, `${where}[item]`);
    } else if (type === 'string') {
      node.kind = format === 'byte' ? 'bytes' : format === 'date-time' ? 'time' : 'string';
      node.goType = format === 'byte' ? '[]uint8' : format === 'date-time' ? 'v1.Time' : 'string';
    } else if (type === 'integer') {
      node.kind = 'integer';
      node.intBits = format === 'int32' ? 32 : 64;
      node.goType = format === 'int32' ? 'int32' : 'int64';
    } else if (type === 'number') {
      node.kind = 'number';
      node.goType = format === 'float' ? 'float32' : 'float64';
    } else if (type === 'boolean') {
      node.kind = 'boolean';
      node.goType = 'bool';
    } else {
      node.kind = 'any';
    }
    if ('default' in schema) node.default = schema.default;
    if (Array.isArray(schema.enum)) node.enum = schema.enum as unknown[];
    node.zeroIsUnset = schema['x-kubemu-zero-is-unset'] === true;
    const kindDefaults = asRecord(schema['x-kubemu-kind-defaults']);
    if (kindDefaults) {
      node.kindDefaults = Object.entries(kindDefaults).map(([path, entry]) => {
        const spec = asRecord(entry) ?? {};
        return { path: path.split('.'), value: spec.default, zeroIsUnset: spec.zeroIsUnset === true };
      });
    }
  };

  for (const [name, node] of nodes) {
    const schema = asRecord(raw[name]);
    if (!schema) throw new Error(`schema: definition ${name} is not an object`);
    compile(schema, name, node, name);
  }
  // Overrides copy their target only now that every definition is filled in.
  for (const { node, target, schema } of overrides) {
    Object.assign(node, target);
    node.fieldTable = target.fieldTable;
    node.properties = target.properties;
    applyExtensions(node, schema);
    if ('default' in schema) node.default = schema.default;
    node.zeroIsUnset = schema['x-kubemu-zero-is-unset'] === true;
    node.kindDefaults = [];
  }
  // One visited set for all definitions: a node is wired once, after its element types are.
  const wired = new Set<CompiledNode>();
  for (const node of nodes.values()) wireArrayElementTypes(node, wired);
  computeDefaulting(nodes);
  return nodes;
}

function applyExtensions(node: CompiledNode, schema: RawSchema): void {
  const strategy = schema['x-kubernetes-patch-strategy'];
  if (typeof strategy === 'string') node.patchStrategies = strategy.split(',').map((s) => s.trim()).filter(Boolean);
  const mergeKey = schema['x-kubernetes-patch-merge-key'];
  if (typeof mergeKey === 'string') node.patchMergeKey = mergeKey;
  const listType = schema['x-kubernetes-list-type'];
  if (listType === 'atomic' || listType === 'set' || listType === 'map') node.listType = listType;
  const keys = asStrings(schema['x-kubernetes-list-map-keys']);
  if (keys) node.listMapKeys = keys;
  const mapType = schema['x-kubernetes-map-type'];
  if (mapType === 'atomic' || mapType === 'granular') node.mapType = mapType;
  if (schema['x-kubernetes-preserve-unknown-fields'] === true) node.preserveUnknownFields = true;
  if (schema['x-kubernetes-embedded-resource'] === true) node.embeddedResource = true;
  const gvk = schema['x-kubernetes-group-version-kind'];
  if (Array.isArray(gvk)) {
    node.gvk = gvk
      .map((item) => asRecord(item))
      .filter((item): item is RawSchema => !!item)
      .map((item) => ({ group: String(item.group ?? ''), version: String(item.version ?? ''), kind: String(item.kind ?? '') }));
  }
}

/** Array and map go types depend on their element's, which may be a definition filled later. */
function wireArrayElementTypes(node: CompiledNode, seen: Set<CompiledNode>): void {
  if (seen.has(node)) return;
  seen.add(node);
  for (const child of node.properties.values()) wireArrayElementTypes(child, seen);
  if (node.items) {
    wireArrayElementTypes(node.items, seen);
    node.goType = `[]${node.items.goType}`;
  }
  if (node.values) {
    wireArrayElementTypes(node.values, seen);
    node.goType = `map[string]${node.values.goType}`;
  }
}

/** Precomputes which subtrees carry defaults so applyDefaults skips the (many) that do not. */
function computeDefaulting(nodes: Map<string, CompiledNode>): void {
  const all = new Set<CompiledNode>();
  const collect = (node: CompiledNode): void => {
    if (all.has(node)) return;
    all.add(node);
    for (const child of node.properties.values()) collect(child);
    if (node.items) collect(node.items);
    if (node.values) collect(node.values);
  };
  for (const node of nodes.values()) collect(node);
  // Propagate the flag from nodes with defaults up to every ancestor, through a parent index and a
  // work list (one pass over the graph; cycles settle because a node is flagged only once).
  const parents = new Map<CompiledNode, CompiledNode[]>();
  const link = (child: CompiledNode | undefined, parent: CompiledNode) => {
    if (!child) return;
    const list = parents.get(child);
    if (list) list.push(parent);
    else parents.set(child, [parent]);
  };
  const pending: CompiledNode[] = [];
  for (const node of all) {
    for (const child of node.properties.values()) link(child, node);
    link(node.items, node);
    link(node.values, node);
    node.hasDefaults = false;
  }
  for (const node of all) {
    let direct = node.kindDefaults.length > 0;
    for (const child of node.properties.values()) if (child.default !== undefined) direct = true;
    if (direct) {
      node.hasDefaults = true;
      pending.push(node);
    }
  }
  while (pending.length > 0) {
    for (const parent of parents.get(pending.pop()!) ?? []) {
      if (parent.hasDefaults) continue;
      parent.hasDefaults = true;
      pending.push(parent);
    }
  }
  for (const node of all) {
    node.defaultedFields = [];
    node.defaultingChildren = [];
    for (const [name, child] of node.properties) {
      if (child.default !== undefined) node.defaultedFields.push({ name, node: child });
      if (child.hasDefaults && (child.kind === 'struct' || child.kind === 'array' || child.kind === 'map')) node.defaultingChildren.push({ name, node: child });
    }
  }
}
