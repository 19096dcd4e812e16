/**
 * Schema-aware walks over JSON values, after structured-merge-diff's `typed` package: field sets,
 * validation, merge, comparison and removal. The schema is ours (SchemaNode); it is read the way
 * kube-openapi's schemaconv turns OpenAPI into SMD types, so list and map semantics match a real
 * server: x-kubernetes-list-type wins, else `x-kubernetes-patch-strategy: merge` (+ merge key) makes
 * an associative list, else lists are atomic; maps are granular unless x-kubernetes-map-type says
 * atomic; free-form values are "deduced" (maps granular, lists atomic); RawExtension is atomic.
 */
import type { SchemaNode } from '../schema/schema-node';
import { FieldSet, fieldElement, keyElement, pathElementString, serializePathElement, valueElement, type PathElement } from './fieldpath';
import { goQuote, isRecord, jsonEquals } from './go-json';

export type ScalarType = 'string' | 'numeric' | 'boolean' | 'untyped';

export interface ListAtom {
  readonly atomic: boolean;
  /** Key fields of an associative list; empty for a set of scalars. */
  readonly keys: readonly string[];
  readonly element: TypeRef;
}

export interface MapAtom {
  readonly atomic: boolean;
  /** Type of a declared (struct) field. */
  field(name: string): TypeRef | undefined;
  /** Schema default of a declared field (used for missing associative keys). */
  fieldDefault(name: string): unknown;
  /** Type of undeclared keys; undefined when the schema forbids them. */
  readonly element: TypeRef | undefined;
}

/** SMD's Atom: what a value of this type may be. Untyped types may be several things. */
export interface Atom {
  readonly scalar?: ScalarType;
  readonly list?: ListAtom;
  readonly map?: MapAtom;
}

export const DEDUCED = 'deduced' as const;
export const UNTYPED = 'untyped' as const;
export type TypeRef = SchemaNode | typeof DEDUCED | typeof UNTYPED;

const RAW_EXTENSION = 'io.k8s.apimachinery.pkg.runtime.RawExtension';

const NO_FIELDS = { field: (): undefined => undefined, fieldDefault: (): undefined => undefined };

const UNTYPED_ATOM: Atom = {
  scalar: 'untyped',
  list: { atomic: true, keys: [], element: UNTYPED },
  map: { atomic: true, element: UNTYPED, ...NO_FIELDS },
};

const DEDUCED_ATOM: Atom = {
  scalar: 'untyped',
  list: { atomic: true, keys: [], element: UNTYPED },
  map: { atomic: false, element: DEDUCED, ...NO_FIELDS },
};

const atoms = new WeakMap<SchemaNode, Atom>();

export function resolve(ref: TypeRef | undefined): Atom {
  if (ref === undefined) return {};
  if (ref === DEDUCED) return DEDUCED_ATOM;
  if (ref === UNTYPED) return UNTYPED_ATOM;
  let atom = atoms.get(ref);
  if (!atom) {
    atom = atomOf(ref);
    atoms.set(ref, atom);
  }
  return atom;
}

function atomOf(node: SchemaNode): Atom {
  switch (node.kind) {
    case 'struct': {
      // An object without declared properties (or preserving unknown fields) takes any key,
      // typed by deduction; otherwise undeclared keys are not part of the schema.
      const open = node.properties.size === 0 || node.preserveUnknownFields;
      return {
        map: {
          atomic: node.mapType === 'atomic',
          field: (name) => node.properties.get(name),
          fieldDefault: (name) => node.properties.get(name)?.default,
          element: open ? DEDUCED : undefined,
        },
      };
    }
    case 'map':
      return { map: { atomic: node.mapType === 'atomic', element: node.values ?? DEDUCED, ...NO_FIELDS } };
    case 'array':
      return { list: listAtomOf(node) };
    case 'string':
    case 'bytes':
      return { scalar: 'string' };
    case 'integer':
    case 'number':
      return { scalar: 'numeric' };
    case 'boolean':
      return { scalar: 'boolean' };
    case 'int-or-string':
    case 'quantity':
    case 'time':
    case 'micro-time':
      return { scalar: 'untyped' };
    case 'any':
      return node.definition === RAW_EXTENSION ? UNTYPED_ATOM : DEDUCED_ATOM;
  }
}

/** schemaconv's getListElementRelationship. */
function listAtomOf(node: SchemaNode): ListAtom {
  const element: TypeRef = node.items ?? UNTYPED;
  if (node.listType === 'atomic') return { atomic: true, keys: [], element };
  if (node.listType === 'set') return { atomic: false, keys: [], element };
  if (node.listType === 'map') return { atomic: false, keys: node.listMapKeys ?? [], element };
  const strategy = node.patchStrategies.join(',');
  if (strategy === 'merge' || strategy === 'merge,retainKeys') {
    return { atomic: false, keys: node.patchMergeKey ? [node.patchMergeKey] : [], element };
  }
  return { atomic: true, keys: [], element };
}

// ---------------------------------------------------------------------------------------------
// Shared helpers.

/** Picks the form of a (possibly untyped) atom that fits the value; absent and null values keep all forms. */
function deduceAtom(atom: Atom, value: unknown): Atom {
  if (value === undefined || value === null) return atom;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return atom.scalar ? { scalar: atom.scalar } : atom;
  if (Array.isArray(value)) return atom.list ? { list: atom.list } : atom;
  if (isRecord(value)) return atom.map ? { map: atom.map } : atom;
  return atom;
}

function sameAtom(a: Atom, b: Atom): boolean {
  return a.scalar === b.scalar && a.list === b.list && a.map === b.map;
}

type Form = { kind: 'map'; map: MapAtom } | { kind: 'scalar'; scalar: ScalarType } | { kind: 'list'; list: ListAtom } | { kind: 'none' };

/** handleAtom's dispatch order: map, then scalar, then list. */
function formOf(atom: Atom): Form {
  if (atom.map) return { kind: 'map', map: atom.map };
  if (atom.scalar) return { kind: 'scalar', scalar: atom.scalar };
  if (atom.list) return { kind: 'list', list: atom.list };
  return { kind: 'none' };
}

function fieldType(map: MapAtom, key: string): TypeRef | undefined {
  return map.field(key) ?? map.element;
}

/** A list item's identity in an associative list (listItemToPathElement), or the reason it has none. */
export function listItemElement(list: ListAtom, item: unknown): PathElement | string {
  if (list.atomic) return 'invalid indexing of non-associative list';
  if (list.keys.length > 0) {
    if (item === null || item === undefined) return 'associative list with keys may not have a null element';
    if (!isRecord(item)) return 'associative list with keys may not have non-map elements';
    const elementMap = resolve(list.element).map;
    const fields: Record<string, unknown> = {};
    let found = 0;
    for (const key of list.keys) {
      if (key in item) {
        fields[key] = item[key];
        found++;
      } else {
        const fallback = elementMap?.fieldDefault(key);
        if (fallback !== undefined) {
          fields[key] = fallback;
          found++;
        }
      }
    }
    if (found === 0) {
      return `associative list with keys has an element that omits all key fields [${list.keys.map(goQuote).join(' ')}] (and doesn't have default values for any key fields)`;
    }
    return keyElement(fields);
  }
  if (isRecord(item)) return "associative list without keys has an element that's a map type";
  if (Array.isArray(item)) return 'not supported: associative list with lists as elements';
  if (item === null || item === undefined) return "associative list without keys has an element that's an explicit null";
  return valueElement(item);
}

// ---------------------------------------------------------------------------------------------
// Validation (typed.Validate), producing SMD's ValidationErrors text.

export interface ValidationError {
  path: string;
  message: string;
}

export function formatValidationErrors(errors: readonly ValidationError[]): string {
  const one = (e: ValidationError): string => (e.path ? `${e.path}: ${e.message}` : e.message);
  if (errors.length === 1) return one(errors[0]);
  return ['errors:', ...errors.map((e) => `  ${one(e)}`)].join('\n');
}

/** Go's %T of an unstructured value, as "expected numeric" errors print it. */
function goTypeName(value: unknown): string {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  if (Array.isArray(value)) return '[]interface {}';
  if (isRecord(value)) return 'map[string]interface {}';
  return '<nil>';
}

function scalarError(type: ScalarType, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const isScalar = typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean';
  switch (type) {
    case 'numeric':
      return typeof value === 'number' ? undefined : `expected numeric (int or float), got ${goTypeName(value)}`;
    case 'string':
      return typeof value === 'string' ? undefined : `expected string, got ${JSON.stringify(value)}`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `expected boolean, got ${JSON.stringify(value)}`;
    case 'untyped':
      return isScalar ? undefined : `expected any scalar, got ${JSON.stringify(value)}`;
  }
}

export function validate(value: unknown, ref: TypeRef, allowDuplicates: boolean): ValidationError[] {
  const errors: ValidationError[] = [];
  const walk = (v: unknown, tr: TypeRef | undefined, prefix: string): void => {
    const form = formOf(deduceAtom(resolve(tr), v));
    switch (form.kind) {
      case 'none':
        errors.push({ path: prefix, message: `schema error: no type found matching: ${typeof tr === 'string' ? tr : (tr?.definition ?? 'inlined type')}` });
        return;
      case 'scalar': {
        const message = scalarError(form.scalar, v);
        if (message) errors.push({ path: prefix, message });
        return;
      }
      case 'list': {
        if (v === null || v === undefined) return;
        if (!Array.isArray(v)) {
          errors.push({ path: prefix, message: `expected list, got ${JSON.stringify(v)}` });
          return;
        }
        const seen = new Set<string>();
        for (let i = 0; i < v.length; i++) {
          let pe: PathElement;
          if (form.list.atomic) {
            pe = { type: 'index', index: i };
          } else {
            const item = listItemElement(form.list, v[i]);
            if (typeof item === 'string') {
              errors.push({ path: prefix, message: `element ${i}: ${item}` });
              return;
            }
            pe = item;
            const id = serializePathElement(pe);
            if (seen.has(id) && !allowDuplicates) errors.push({ path: prefix, message: `duplicate entries for key ${pathElementString(pe)}` });
            seen.add(id);
          }
          walk(v[i], form.list.element, prefix + pathElementString(pe));
        }
        return;
      }
      case 'map': {
        if (v === null || v === undefined) return;
        if (!isRecord(v)) {
          errors.push({ path: prefix, message: `expected map, got ${JSON.stringify(v)}` });
          return;
        }
        for (const [key, item] of Object.entries(v)) {
          const tr2 = fieldType(form.map, key);
          if (tr2 === undefined) {
            // Go stops at the first undeclared field of a map.
            errors.push({ path: `${prefix}.${key}`, message: 'field not declared in schema' });
            return;
          }
          walk(item, tr2, `${prefix}.${key}`);
        }
      }
    }
  };
  walk(value, ref, '');
  return errors;
}

// ---------------------------------------------------------------------------------------------
// ToFieldSet: the fields a value sets. Leaves, list items, empty or null map values and map
// entries (not struct fields) are members; struct fields with content are only parents.

export function toFieldSet(value: unknown, ref: TypeRef): FieldSet {
  const set = new FieldSet();
  const path: PathElement[] = [];
  const walk = (v: unknown, tr: TypeRef | undefined): void => {
    const form = formOf(deduceAtom(resolve(tr), v));
    switch (form.kind) {
      case 'none':
        return;
      case 'scalar':
        set.insert(path);
        return;
      case 'list': {
        if (form.list.atomic) {
          set.insert(path);
          return;
        }
        if (!Array.isArray(v)) return;
        const elements = v.map((item) => listItemElement(form.list, item));
        const seen = new Set<string>();
        const duplicates = new Set<string>();
        for (const pe of elements) {
          if (typeof pe === 'string') continue;
          const id = serializePathElement(pe);
          if (seen.has(id)) {
            if (!duplicates.has(id)) {
              // A duplicated key is owned as a whole; its contents are not tracked.
              set.insert([...path, pe]);
              duplicates.add(id);
            }
          } else {
            seen.add(id);
          }
        }
        for (let i = 0; i < v.length; i++) {
          const pe = elements[i];
          if (typeof pe === 'string' || duplicates.has(serializePathElement(pe))) continue;
          path.push(pe);
          walk(v[i], form.list.element);
          set.insert(path);
          path.pop();
        }
        return;
      }
      case 'map': {
        if (form.map.atomic) {
          set.insert(path);
          return;
        }
        if (!isRecord(v)) return;
        for (const [key, item] of Object.entries(v)) {
          const declared = form.map.field(key) !== undefined;
          path.push(fieldElement(key));
          walk(item, fieldType(form.map, key) ?? DEDUCED);
          if (item === null || (isRecord(item) && Object.keys(item).length === 0) || !declared) set.insert(path);
          path.pop();
        }
      }
    }
  };
  walk(value, ref);
  return set;
}

// ---------------------------------------------------------------------------------------------
// Merge (TypedValue.Merge with ruleKeepRHS): rhs wins on leaves; granular maps and associative
// lists merge item by item, keeping lhs order with rhs items placed where they are shared.

interface Merged {
  value: unknown;
}

export function merge(lhs: unknown, rhs: unknown, ref: TypeRef): unknown {
  return mergeNode(lhs, rhs, ref)?.value;
}

function mergeNode(lhs: unknown, rhs: unknown, tr: TypeRef | undefined): Merged | undefined {
  const atom = resolve(tr);
  const chosen = rhs === undefined ? deduceAtom(atom, lhs) : deduceAtom(atom, rhs);
  const form = formOf(chosen);
  const leaf = (): Merged => ({ value: rhs !== undefined ? rhs : lhs });
  switch (form.kind) {
    case 'none':
    case 'scalar':
      return leaf();
    case 'list': {
      const l = Array.isArray(lhs) ? lhs : undefined;
      const r = Array.isArray(rhs) ? rhs : undefined;
      // Empty or null on both sides stays a leaf, which keeps the empty/null distinction.
      if (form.list.atomic || ((!l || l.length === 0) && (!r || r.length === 0))) return leaf();
      return mergeList(form.list, l ?? [], r ?? []);
    }
    case 'map': {
      const l = isRecord(lhs) ? lhs : undefined;
      const r = isRecord(rhs) ? rhs : undefined;
      if (form.map.atomic || ((!l || Object.keys(l).length === 0) && (!r || Object.keys(r).length === 0))) return leaf();
      const out: Record<string, unknown> = {};
      const keys = l ? Object.keys(l) : [];
      if (r) for (const key of Object.keys(r)) if (!l || !(key in l)) keys.push(key);
      for (const key of keys) {
        const merged = mergeNode(l?.[key], r?.[key], fieldType(form.map, key) ?? DEDUCED);
        if (merged) out[key] = merged.value;
      }
      return Object.keys(out).length > 0 ? { value: out } : undefined;
    }
  }
}

interface IndexedList {
  pes: PathElement[];
  ids: string[];
  observed: Map<string, unknown>;
}

function indexList(list: ListAtom, items: readonly unknown[], allowDuplicates: boolean): IndexedList {
  const out: IndexedList = { pes: [], ids: [], observed: new Map() };
  for (const item of items) {
    const pe = listItemElement(list, item);
    if (typeof pe === 'string') throw new TypedError(pe);
    const id = serializePathElement(pe);
    if (out.observed.has(id)) {
      if (!allowDuplicates) throw new TypedError(`duplicate entries for key ${pathElementString(pe)}`);
      // Duplicated items are not merged with the new value.
      out.observed.set(id, null);
    } else {
      out.observed.set(id, item);
    }
    out.pes.push(pe);
    out.ids.push(id);
  }
  return out;
}

/** A schema/value mismatch met while merging (already validated inputs do not produce these). */
export class TypedError extends Error {}

function mergeList(list: ListAtom, lhs: readonly unknown[], rhs: readonly unknown[]): Merged | undefined {
  const r = indexList(list, rhs, false);
  const l = indexList(list, lhs, true);
  const out: unknown[] = [];
  const sharedOrder = r.ids.filter((id) => l.observed.has(id));
  let nextShared = sharedOrder.shift();
  const mergedRHS = new Set<string>();
  const push = (lChild: unknown, rChild: unknown): void => {
    const merged = mergeNode(lChild, rChild, list.element);
    if (merged) out.push(merged.value);
  };
  let lI = 0;
  let rI = 0;
  while (lI < l.ids.length || rI < r.ids.length) {
    if (lI < l.ids.length && rI < r.ids.length) {
      const id = l.ids[lI];
      if (id === r.ids[rI]) {
        mergedRHS.add(id);
        push(l.observed.get(id), r.observed.get(id));
        lI++;
        rI++;
        nextShared = sharedOrder.shift();
        continue;
      }
      if (r.observed.has(id) && nextShared !== undefined && nextShared !== id) {
        // A shared item, but not the one whose turn it is.
        lI++;
        continue;
      }
    }
    if (lI < l.ids.length) {
      const id = l.ids[lI];
      if (!r.observed.has(id)) {
        push(lhs[lI], undefined);
        lI++;
        continue;
      } else if (mergedRHS.has(id)) {
        lI++;
      }
    }
    if (rI < r.ids.length) {
      const id = r.ids[rI];
      mergedRHS.add(id);
      push(l.observed.has(id) ? l.observed.get(id) : undefined, r.observed.get(id));
      rI++;
      if (nextShared !== undefined && nextShared === id) nextShared = sharedOrder.shift();
    }
  }
  return out.length > 0 ? { value: out } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Compare (TypedValue.Compare): which fields rhs added, modified or removed relative to lhs.
// Leaves are compared by value; non-leaf nodes appear as added/removed when the whole node is.

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

export function compare(lhs: unknown, rhs: unknown, ref: TypeRef): Comparison {
  const cmp: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  const path: PathElement[] = [];

  /** Returns true when the node was handled as a leaf. */
  const handle = (form: Form, l: unknown, r: unknown): boolean => {
    const doLeaf = (): boolean => {
      if (l === undefined) cmp.added.insert(path);
      else if (r === undefined) cmp.removed.insert(path);
      else if (!jsonEquals(l, r)) cmp.modified.insert(path);
      return true;
    };
    switch (form.kind) {
      case 'none':
        return false;
      case 'scalar':
        return doLeaf();
      case 'list': {
        const ll = Array.isArray(l) ? l : undefined;
        const rl = Array.isArray(r) ? r : undefined;
        if (form.list.atomic || ((!ll || ll.length === 0) && (!rl || rl.length === 0))) return doLeaf();
        compareList(form.list, ll ?? [], rl ?? []);
        return false;
      }
      case 'map': {
        const lm = isRecord(l) ? l : undefined;
        const rm = isRecord(r) ? r : undefined;
        if (form.map.atomic || ((!lm || Object.keys(lm).length === 0) && (!rm || Object.keys(rm).length === 0))) return doLeaf();
        const keys = lm ? Object.keys(lm) : [];
        if (rm) for (const key of Object.keys(rm)) if (!lm || !(key in lm)) keys.push(key);
        for (const key of keys) {
          path.push(fieldElement(key));
          node(lm?.[key], rm?.[key], fieldType(form.map, key) ?? DEDUCED);
          path.pop();
        }
        return false;
      }
    }
  };

  const node = (l: unknown, r: unknown, tr: TypeRef | undefined): void => {
    const atom = resolve(tr);
    const al = deduceAtom(atom, l);
    const ar = deduceAtom(atom, r);
    let inLeaf: boolean;
    if (r === undefined) inLeaf = handle(formOf(al), l, r);
    else if (l === undefined || sameAtom(al, ar)) inLeaf = handle(formOf(ar), l, r);
    else {
      // The value changed shape: both readings contribute (SMD walks both).
      handle(formOf(al), l, r);
      inLeaf = handle(formOf(ar), l, r);
    }
    if (!inLeaf) {
      if (l === undefined) cmp.added.insert(path);
      else if (r === undefined) cmp.removed.insert(path);
    }
  };

  const compareList = (list: ListAtom, lhs: readonly unknown[], rhs: readonly unknown[]): void => {
    const all: Array<{ pe: PathElement; id: string }> = [];
    const lValues = new Map<string, unknown[]>();
    const rValues = new Map<string, unknown[]>();
    for (const item of lhs) {
      const pe = listItemElement(list, item);
      if (typeof pe === 'string') continue;
      const id = serializePathElement(pe);
      const found = lValues.get(id);
      if (found) found.push(item);
      else {
        lValues.set(id, [item]);
        all.push({ pe, id });
      }
    }
    for (const item of rhs) {
      const pe = listItemElement(list, item);
      if (typeof pe === 'string') continue;
      const id = serializePathElement(pe);
      const found = rValues.get(id);
      if (found) found.push(item);
      else {
        rValues.set(id, [item]);
        if (!lValues.has(id)) all.push({ pe, id });
      }
    }
    for (const { pe, id } of all) {
      const ll = lValues.get(id) ?? [];
      const rl = rValues.get(id) ?? [];
      path.push(pe);
      if (ll.length <= 1 && rl.length <= 1) {
        node(ll[0], rl[0], list.element);
      } else if (ll.length >= 2 && rl.length >= 2) {
        // Duplicates on both sides compare as one atomic value.
        if (!jsonEquals(ll, rl)) cmp.modified.insert(path);
      } else if (ll.length >= 2) {
        if (rl.length !== 0) node(undefined, rl[0], list.element);
        cmp.removed.insert(path);
      } else {
        if (ll.length !== 0) node(ll[0], undefined, list.element);
        cmp.added.insert(path);
      }
      path.pop();
    }
  };

  node(lhs, rhs, ref);
  return cmp;
}

// ---------------------------------------------------------------------------------------------
// RemoveItems: the value without the fields of a set. A removed member takes its whole subtree.
// As in Go, a map or list that has nothing left becomes null (not absent): ownership bookkeeping
// that follows reads the null as "this field is still set"; callers drop nulls at the very end,
// as decoding into a typed object does.

export function removeItems(value: unknown, toRemove: FieldSet, ref: TypeRef): unknown {
  return removeNode(value, toRemove, ref);
}

function removeNode(value: unknown, toRemove: FieldSet, tr: TypeRef | undefined): unknown {
  const form = formOf(deduceAtom(resolve(tr), value));
  switch (form.kind) {
    case 'none':
    case 'scalar':
      return value;
    case 'list': {
      if (!Array.isArray(value) || value.length === 0 || form.list.atomic) return null;
      const items: unknown[] = [];
      for (const item of value) {
        const pe = listItemElement(form.list, item);
        if (typeof pe === 'string') {
          items.push(item);
          continue;
        }
        if (toRemove.hasMember(pe)) continue;
        const below = toRemove.withPrefix(pe);
        items.push(below.isEmpty() ? item : removeNode(item, below, form.list.element));
      }
      return items.length > 0 ? items : null;
    }
    case 'map': {
      if (!isRecord(value) || Object.keys(value).length === 0 || form.map.atomic) return null;
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        const pe = fieldElement(key);
        if (toRemove.hasMember(pe)) continue;
        const below = toRemove.withPrefix(pe);
        out[key] = below.isEmpty() ? item : removeNode(item, below, fieldType(form.map, key) ?? DEDUCED);
      }
      return Object.keys(out).length > 0 ? out : null;
    }
  }
}

/** Drops null map values and list items, which a typed Go object cannot hold either. */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => item !== null).map(dropNulls);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) if (item !== null && item !== undefined) out[key] = dropNulls(item);
    return out;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// EnsureNamedFieldsAreMembers: makes every declared struct field on the way to an owned field a
// member too, so that removing "spec.a" style parents works during pruning.

export function ensureNamedFieldsAreMembers(set: FieldSet, ref: TypeRef | undefined): FieldSet {
  const out = new FieldSet();
  const walk = (source: FieldSet, tr: TypeRef | undefined, prefix: PathElement[]): void => {
    const atom = resolve(tr);
    for (const pe of source.memberElements()) out.insert([...prefix, pe]);
    for (const child of source.childNodes()) {
      let childType: TypeRef | undefined;
      if (child.pe.type === 'field' && atom.map) {
        const declared = atom.map.field(child.pe.name);
        if (declared !== undefined) out.insert([...prefix, child.pe]);
        childType = declared ?? atom.map.element;
      } else if (child.pe.type === 'key' && atom.list) {
        childType = atom.list.element;
      }
      walk(child.set, childType, [...prefix, child.pe]);
    }
  };
  walk(set, ref, []);
  return out;
}
