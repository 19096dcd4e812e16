/**
 * Field paths and field sets as sigs.k8s.io/structured-merge-diff's fieldpath package defines
 * them: the vocabulary managedFields are written in. A set is a tree whose nodes are either members
 * (the field itself is owned) or parents of owned fields, or both; ordering and the FieldsV1
 * encoding follow the Go package so that what we write is byte-identical to a real server's.
 */
import { compareGoStrings, goJson, goJsonString, goQuote, isRecord } from './go-json';

/** One step down an object: a struct/map field, an associative-list key, a set value or a list index. */
export type PathElement =
  | { readonly type: 'field'; readonly name: string }
  | { readonly type: 'key'; readonly fields: ReadonlyArray<{ readonly name: string; readonly value: unknown }> }
  | { readonly type: 'value'; readonly value: unknown }
  | { readonly type: 'index'; readonly index: number };

export type FieldPath = readonly PathElement[];

export function fieldElement(name: string): PathElement {
  return { type: 'field', name };
}

/** A key element; fields are sorted by name as the Go FieldList is. */
export function keyElement(fields: Record<string, unknown>): PathElement {
  const list = Object.keys(fields)
    .sort(compareGoStrings)
    .map((name) => ({ name, value: fields[name] }));
  return { type: 'key', fields: list };
}

export function valueElement(value: unknown): PathElement {
  return { type: 'value', value };
}

export function indexElement(index: number): PathElement {
  return { type: 'index', index };
}

/** Builds a path from strings (field names), numbers (indexes) and ready elements. */
export function makePath(...parts: Array<string | number | PathElement>): PathElement[] {
  return parts.map((part) => (typeof part === 'string' ? fieldElement(part) : typeof part === 'number' ? indexElement(part) : part));
}

// ---------------------------------------------------------------------------------------------
// Value ordering (value.Compare): a total order over JSON values so keys and set values sort the
// same way as in Go. Numbers first, then strings, booleans, lists, maps and null last.

function valueRank(value: unknown): number {
  if (typeof value === 'number') return 0;
  if (typeof value === 'string') return 1;
  if (typeof value === 'boolean') return 2;
  if (Array.isArray(value)) return 3;
  if (isRecord(value)) return 4;
  return 5;
}

export function compareValues(a: unknown, b: unknown): number {
  const ra = valueRank(a);
  const rb = valueRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0:
      return (a as number) === (b as number) ? 0 : (a as number) < (b as number) ? -1 : 1;
    case 1:
      return compareGoStrings(a as string, b as string);
    case 2:
      return a === b ? 0 : a === false ? -1 : 1;
    case 3: {
      const la = a as unknown[];
      const lb = b as unknown[];
      for (let i = 0; ; i++) {
        if (i >= la.length && i >= lb.length) return 0;
        if (i >= la.length) return -1;
        if (i >= lb.length) return 1;
        const c = compareValues(la[i], lb[i]);
        if (c !== 0) return c;
      }
    }
    case 4:
      return compareMaps(a as Record<string, unknown>, b as Record<string, unknown>);
    default:
      return 0;
  }
}

/** value.MapCompare: walks the sorted union of keys; a missing key sorts after a present one. */
function compareMaps(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length === 0 && bKeys.length === 0) return 0;
  const keys = [...new Set([...aKeys, ...bKeys])].sort(compareGoStrings);
  let i = 0;
  for (const key of keys) {
    let c: number;
    if (i === aKeys.length) c = -1;
    else if (i === bKeys.length) c = 1;
    else if (!(key in a)) c = 1;
    else if (!(key in b)) c = -1;
    else c = compareValues(a[key], b[key]);
    i++;
    if (c !== 0) return c;
  }
  return 0;
}

const ELEMENT_RANK = { field: 0, key: 1, value: 2, index: 3 } as const;

/** PathElement.Compare: field names < keys < values < indexes, then by content. */
export function comparePathElements(a: PathElement, b: PathElement): number {
  if (a.type !== b.type) return ELEMENT_RANK[a.type] < ELEMENT_RANK[b.type] ? -1 : 1;
  switch (a.type) {
    case 'field':
      return compareGoStrings(a.name, (b as { name: string }).name);
    case 'key': {
      const fa = a.fields;
      const fb = (b as { fields: typeof fa }).fields;
      for (let i = 0; ; i++) {
        if (i >= fa.length && i >= fb.length) return 0;
        if (i >= fa.length) return -1;
        if (i >= fb.length) return 1;
        const byName = compareGoStrings(fa[i].name, fb[i].name);
        if (byName !== 0) return byName;
        const byValue = compareValues(fa[i].value, fb[i].value);
        if (byValue !== 0) return byValue;
      }
    }
    case 'value':
      return compareValues(a.value, (b as { value: unknown }).value);
    case 'index': {
      const ib = (b as { index: number }).index;
      return a.index === ib ? 0 : a.index < ib ? -1 : 1;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Text forms.

/** The FieldsV1 key of an element ("f:name", "k:{...}", "v:...", "i:0"); also its identity here. */
export function serializePathElement(pe: PathElement): string {
  switch (pe.type) {
    case 'field':
      return `f:${pe.name}`;
    case 'key':
      return `k:{${pe.fields.map((f) => `${goJsonString(f.name)}:${goJson(f.value)}`).join(',')}}`;
    case 'value':
      return `v:${goJson(pe.value)}`;
    case 'index':
      return `i:${pe.index}`;
  }
}

export class FieldsV1Error extends Error {}

/** Marks a key whose element type this version does not know; readers skip those, as Go does. */
const UNKNOWN_ELEMENT = Symbol('unknown path element type');

function parseJsonStrict(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new FieldsV1Error(`managedFields parsing: ${(err as Error).message}`);
  }
}

/** DeserializePathElement; returns UNKNOWN_ELEMENT for element types a future version may add. */
function deserializePathElement(text: string): PathElement | typeof UNKNOWN_ELEMENT {
  if (text.length < 2) throw new FieldsV1Error('key must be 2 characters long:');
  if (text[1] !== ':') throw new FieldsV1Error(`missing colon: ${text}`);
  const rest = text.slice(2);
  switch (text[0]) {
    case 'f':
      return fieldElement(rest);
    case 'v':
      return valueElement(parseJsonStrict(rest));
    case 'k': {
      const parsed = parseJsonStrict(rest);
      if (!isRecord(parsed)) throw new FieldsV1Error(`ReadObjectCB: expect { or n, but found ${rest.slice(0, 1)}`);
      return keyElement(parsed);
    }
    case 'i': {
      if (!/^[+-]?\d+$/.test(rest)) throw new FieldsV1Error(`strconv.Atoi: parsing ${goQuote(rest)}: invalid syntax`);
      return indexElement(Number(rest));
    }
    default:
      return UNKNOWN_ELEMENT;
  }
}

/** value.ToString: how conflict messages print key and set values. */
function valueToString(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(valueToString).join(',')}]`;
  if (isRecord(value)) {
    return Object.keys(value)
      .sort(compareGoStrings)
      .map((key) => `${key}=${valueToString(value[key])}`)
      .join('');
  }
  return '{{undefined}}';
}

/** PathElement.String: ".name", "[name=\"x\",protocol=\"TCP\"]", "[=\"x\"]", "[0]". */
export function pathElementString(pe: PathElement): string {
  switch (pe.type) {
    case 'field':
      return `.${pe.name}`;
    case 'key':
      return `[${pe.fields.map((f) => `${f.name}=${valueToString(f.value)}`).join(',')}]`;
    case 'value':
      return `[=${valueToString(pe.value)}]`;
    case 'index':
      return `[${pe.index}]`;
  }
}

/** Path.String: the elements' strings concatenated (".spec.containers[name=\"x\"].image"). */
export function pathString(path: FieldPath): string {
  return path.map(pathElementString).join('');
}

// ---------------------------------------------------------------------------------------------
// Sets.

interface ChildNode {
  readonly pe: PathElement;
  readonly set: FieldSet;
}

function sortedEntries<T>(map: ReadonlyMap<string, T>, elementOf: (item: T) => PathElement): T[] {
  return [...map.values()].sort((a, b) => comparePathElements(elementOf(a), elementOf(b)));
}

/**
 * fieldpath.Set. Operations return new sets and never keep empty child nodes (an empty child would
 * serialize as `"f:x":{}`, which reads back as ownership of x).
 */
export class FieldSet {
  private readonly members = new Map<string, PathElement>();
  private readonly children = new Map<string, ChildNode>();

  static of(...paths: FieldPath[]): FieldSet {
    const set = new FieldSet();
    for (const path of paths) set.insert(path);
    return set;
  }

  /** Adds a path; parents are not made members. The empty path (the whole object) is never tracked. */
  insert(path: FieldPath): void {
    if (path.length === 0) return;
    let node: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) {
      const id = serializePathElement(path[i]);
      let child = node.children.get(id);
      if (!child) {
        child = { pe: path[i], set: new FieldSet() };
        node.children.set(id, child);
      }
      node = child.set;
    }
    const last = path[path.length - 1];
    node.members.set(serializePathElement(last), last);
  }

  has(path: FieldPath): boolean {
    if (path.length === 0) return false;
    let node: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1 && node; i++) node = node.children.get(serializePathElement(path[i]))?.set;
    return !!node && node.members.has(serializePathElement(path[path.length - 1]));
  }

  hasMember(pe: PathElement): boolean {
    return this.members.has(serializePathElement(pe));
  }

  /** The subset below `pe`, without the prefix (WithPrefix). */
  withPrefix(pe: PathElement): FieldSet {
    return this.children.get(serializePathElement(pe))?.set ?? new FieldSet();
  }

  isEmpty(): boolean {
    if (this.members.size > 0) return false;
    for (const child of this.children.values()) if (!child.set.isEmpty()) return false;
    return true;
  }

  /** Number of member paths. */
  size(): number {
    let count = this.members.size;
    for (const child of this.children.values()) count += child.set.size();
    return count;
  }

  /** Members of this level, sorted. */
  memberElements(): PathElement[] {
    return sortedEntries(this.members, (pe) => pe);
  }

  /** Child nodes of this level, sorted. */
  childNodes(): ReadonlyArray<{ pe: PathElement; set: FieldSet }> {
    return sortedEntries(this.children, (node) => node.pe);
  }

  union(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.members) out.members.set(id, pe);
    for (const [id, pe] of other.members) out.members.set(id, pe);
    for (const [id, child] of this.children) {
      const theirs = other.children.get(id);
      const set = theirs ? child.set.union(theirs.set) : child.set;
      if (!set.isEmpty()) out.children.set(id, { pe: child.pe, set });
    }
    for (const [id, child] of other.children) {
      if (!this.children.has(id) && !child.set.isEmpty()) out.children.set(id, child);
    }
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.members) if (other.members.has(id)) out.members.set(id, pe);
    for (const [id, child] of this.children) {
      const theirs = other.children.get(id);
      if (!theirs) continue;
      const set = child.set.intersection(theirs.set);
      if (!set.isEmpty()) out.children.set(id, { pe: child.pe, set });
    }
    return out;
  }

  /** Members not in `other`; a member of `other` does not remove this set's children below it (as in Go). */
  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.members) if (!other.members.has(id)) out.members.set(id, pe);
    for (const [id, child] of this.children) {
      const theirs = other.children.get(id);
      const set = theirs ? child.set.difference(theirs.set) : child.set;
      if (!set.isEmpty()) out.children.set(id, { pe: child.pe, set });
    }
    return out;
  }

  /** Like difference, but a member of `other` also removes everything below it. */
  recursiveDifference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.members) if (!other.members.has(id)) out.members.set(id, pe);
    for (const [id, child] of this.children) {
      if (other.members.has(id)) continue;
      const theirs = other.children.get(id);
      const set = theirs ? child.set.recursiveDifference(theirs.set) : child.set;
      if (!set.isEmpty()) out.children.set(id, { pe: child.pe, set });
    }
    return out;
  }

  equals(other: FieldSet): boolean {
    if (this.members.size !== other.members.size) return false;
    for (const id of this.members.keys()) if (!other.members.has(id)) return false;
    const mine = [...this.children].filter(([, c]) => !c.set.isEmpty());
    const theirs = [...other.children].filter(([, c]) => !c.set.isEmpty());
    if (mine.length !== theirs.length) return false;
    for (const [id, child] of mine) {
      const match = other.children.get(id);
      if (!match || !child.set.equals(match.set)) return false;
    }
    return true;
  }

  /** Every member path, preorder: this level's members, then each child's paths, all sorted. */
  paths(): PathElement[][] {
    const out: PathElement[][] = [];
    const walk = (set: FieldSet, prefix: PathElement[]): void => {
      for (const pe of set.memberElements()) out.push([...prefix, pe]);
      for (const child of set.childNodes()) walk(child.set, [...prefix, child.pe]);
    };
    walk(this, []);
    return out;
  }

  toString(): string {
    return this.paths().map(pathString).join('\n');
  }

  // --- FieldsV1 -----------------------------------------------------------------------------

  /** The FieldsV1 JSON object (Set.ToJSON), keys in the order Go writes them. */
  toFieldsV1(): Record<string, unknown> {
    return this.emit(false);
  }

  private emit(includeSelf: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (includeSelf && (this.members.size > 0 || this.children.size > 0)) out['.'] = {};
    // Members and children merge into one sorted sequence; an element that is both is written
    // once, with "." marking its own membership.
    const entries = new Map<string, { pe: PathElement; member: boolean; child?: FieldSet }>();
    for (const [id, pe] of this.members) entries.set(id, { pe, member: true });
    for (const [id, node] of this.children) {
      if (node.set.isEmpty()) continue;
      const existing = entries.get(id);
      if (existing) existing.child = node.set;
      else entries.set(id, { pe: node.pe, member: false, child: node.set });
    }
    const sorted = [...entries.entries()].sort((a, b) => comparePathElements(a[1].pe, b[1].pe));
    for (const [id, entry] of sorted) out[id] = entry.child ? entry.child.emit(entry.member) : {};
    return out;
  }

  /** Reads FieldsV1 JSON (Set.FromJSON); unknown element types are dropped as Go does. */
  static fromFieldsV1(json: unknown): FieldSet {
    if (!isRecord(json)) throw new FieldsV1Error('ReadMapCB: expect { or n, but found something else');
    return FieldSet.read(json).children ?? new FieldSet();
  }

  private static read(json: Record<string, unknown>): { children?: FieldSet; isMember: boolean } {
    let children: FieldSet | undefined;
    let isMember = false;
    for (const [key, value] of Object.entries(json)) {
      if (key === '.') {
        isMember = true;
        continue;
      }
      const pe = deserializePathElement(key);
      if (pe === UNKNOWN_ELEMENT) continue;
      // A null value reads like an empty object (jsoniter's ReadMapCB accepts both).
      if (value !== null && !isRecord(value)) throw new FieldsV1Error(`ReadMapCB: expect { or n, but found ${typeof value}`);
      const below = value === null ? { isMember: true } : FieldSet.read(value);
      const id = serializePathElement(pe);
      if (below.isMember) {
        children ??= new FieldSet();
        children.members.set(id, pe);
      }
      if (below.children) {
        children ??= new FieldSet();
        const existing = children.children.get(id);
        children.children.set(id, { pe, set: existing ? existing.set.union(below.children) : below.children });
      }
    }
    if (!children) isMember = true;
    return { children, isMember };
  }
}
