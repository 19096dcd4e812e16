import { StatusError } from '../errors/status-error';
import { applyStrategicMergePatch, type PatchMeta, type PatchSchemaLookup, StrategicMergePatchPanic } from './strategic-merge-patch';

/**
 * The engine against the behaviour apimachinery's strategicpatch package pins down in its own
 * test data, re-expressed here as our tables. Those tests run on a small Go test type; the table
 * below describes the same fields (which lists merge, on which key, which maps use retainKeys or
 * replace) and answers lookups the way Go's struct-tag walk does, errors included.
 */

interface TestField {
  /** Name of a TEST_TYPES entry for nested objects (also the element type of lists). */
  type?: string;
  list?: boolean;
  /** A Go map (map[string]string): nested objects inside it cannot be looked up. */
  map?: boolean;
  strategies?: string[];
  mergeKey?: string;
  /** reflect.Kind of a scalar list's elements. */
  elementKind?: string;
}

const TEST_TYPES: Record<string, { goName: string; fields: Record<string, TestField> }> = {
  Item: {
    goName: 'MergeItem',
    fields: {
      name: {},
      value: {},
      other: {},
      mergingList: { type: 'Item', list: true, strategies: ['merge'], mergeKey: 'name' },
      nonMergingList: { type: 'Item', list: true },
      mergingIntList: { list: true, strategies: ['merge'], elementKind: 'int' },
      nonMergingIntList: { list: true, elementKind: 'int' },
      // A pointer field: Go's slice lookup dereferences it, so it merges as a list of Items.
      mergeItemPtr: { type: 'Item', strategies: ['merge'], mergeKey: 'name' },
      simpleMap: { map: true },
      replacingItem: { type: 'RawExtension', strategies: ['replace'] },
      jsonItem: { type: 'Anonymous' },
      retainKeysMap: { type: 'RetainKeysItem', strategies: ['retainKeys'] },
      retainKeysMergingList: { type: 'Item', list: true, strategies: ['merge', 'retainKeys'], mergeKey: 'name' },
    },
  },
  RetainKeysItem: {
    goName: 'RetainKeysMergeItem',
    fields: {
      name: {},
      value: {},
      other: {},
      simpleMap: { map: true },
      mergingIntList: { list: true, strategies: ['merge'], elementKind: 'int' },
      mergingList: { type: 'Item', list: true, strategies: ['merge'], mergeKey: 'name' },
      nonMergingList: { type: 'Item', list: true },
    },
  },
  RawExtension: { goName: 'RawExtension', fields: {} },
  // struct{ Raw []byte }: an anonymous struct, whose Go name is empty.
  Anonymous: { goName: '', fields: {} },
};

function resolveTestPath(path: readonly string[]): { field?: TestField; error?: string } {
  let typeName = 'Item';
  let field: TestField | undefined;
  for (const segment of path) {
    if (field?.map) return { error: 'merging an object in json but data type is not struct, instead is: map' };
    const type = TEST_TYPES[typeName];
    if (!type) return { error: `merging an object in json but data type is not struct, instead is: ${field?.elementKind ?? 'string'}` };
    field = type.fields[segment];
    if (!field) return { error: `unable to find api field in struct ${type.goName} for the json field "${segment}"` };
    typeName = field.type ?? '';
  }
  return { field };
}

const testLookup: PatchSchemaLookup = {
  patchMeta(path): PatchMeta | undefined {
    const { field } = resolveTestPath(path);
    return field ? { strategies: field.strategies ?? [], mergeKey: field.mergeKey } : undefined;
  },
  lookupError(path, mode) {
    const { field, error } = resolveTestPath(path);
    if (error !== undefined) return error;
    if (mode === 'list' && field && !field.list && !field.type) return 'expected slice or array type, but got: struct';
    return undefined;
  },
  elementKind(path) {
    const { field } = resolveTestPath(path);
    return field?.type ? 'struct' : (field?.elementKind ?? 'string');
  },
};

type Json = Record<string, unknown>;

interface Vector {
  name: string;
  original: Json;
  patch: Json;
  result?: Json;
  /** A text the (500) error message must contain. */
  error?: string;
}

function apply(original: Json, patch: Json, lookup: PatchSchemaLookup = testLookup): Json {
  return applyStrategicMergePatch(original, patch, lookup);
}

function failure(original: Json, patch: Json, lookup: PatchSchemaLookup = testLookup): StatusError {
  try {
    apply(original, patch, lookup);
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error('the patch applied without error');
}

/**
 * Application vectors: each applies `patch` to `original`. Where upstream compares results only
 * after sorting merge lists by key, the inputs here are already in that sorted form, so the
 * expected order is exact.
 */
const VECTORS: Vector[] = [
  {
    name: 'adds fields to an empty object',
    original: {},
    patch: { name: 1, value: 1 },
    result: { name: 1, value: 1 },
  },
  {
    name: 'adds a field beside fields the patch does not mention',
    original: { name: 1, other: 'a' },
    patch: { value: 1 },
    result: { name: 1, value: 1, other: 'a' },
  },
  {
    name: 'null deletes one field while another is added',
    original: { name: 1, other: 'a' },
    patch: { name: null, value: 1 },
    result: { value: 1, other: 'a' },
  },
  {
    name: 'null deletes a key of a nested map and leaves its siblings',
    original: { simpleMap: { key1: 1, key2: 1, other: 'a' } },
    patch: { simpleMap: { key2: null } },
    result: { simpleMap: { key1: 1, other: 'a' } },
  },
  {
    name: 'nulls for every field leave only the untouched ones',
    original: { name: 1, value: 1, other: 'a' },
    patch: { name: null, value: null },
    result: { other: 'a' },
  },
  {
    name: 'nulls and a changed value in one patch',
    original: { name: 1, value: 1, other: 'b' },
    patch: { name: null, value: null, other: 'a' },
    result: { other: 'a' },
  },
  {
    name: 'null removes a field while its neighbour changes',
    original: { name: 'original-name', value: 'original-value', other: 'current-other' },
    patch: { name: 'modified-name', value: null },
    result: { name: 'modified-name', other: 'current-other' },
  },
  {
    name: 'an empty patch changes nothing',
    original: { name: 1 },
    patch: {},
    result: { name: 1 },
  },
  {
    name: 'a retainKeys-strategy map the patch does not touch stays as it is',
    original: { name: 'a', other: 'c', retainKeysMap: { name: 'foo' } },
    patch: { value: 'b' },
    result: { name: 'a', value: 'b', other: 'c', retainKeysMap: { name: 'foo' } },
  },
  {
    name: '$patch: delete on a nested map leaves it empty',
    original: { simpleMap: { key1: 1, key2: 1 } },
    patch: { simpleMap: { '$patch': 'delete' } },
    result: { simpleMap: {} },
  },
  {
    name: '$patch: replace at the root with no fields empties the object',
    original: { name: 1, value: 1 },
    patch: { '$patch': 'replace' },
    result: {},
  },
  {
    name: '$patch: replace at the root keeps only the fields sent with it',
    original: { name: 1, value: 1 },
    patch: { other: 'a', '$patch': 'replace' },
    result: { other: 'a' },
  },
  {
    name: 'merging scalar lists is a set union',
    original: { mergingIntList: [1, 2] },
    patch: { mergingIntList: [2, 3] },
    result: { mergingIntList: [1, 2, 3] },
  },
  {
    name: 'a scalar list without the merge strategy is replaced',
    original: { nonMergingIntList: [1, 2] },
    patch: { nonMergingIntList: [2, 3] },
    result: { nonMergingIntList: [2, 3] },
  },
  {
    name: '$deleteFromPrimitiveList removes the listed value, unlisted values stay',
    original: { mergingIntList: [1, 2, 3, 4] },
    patch: { '$setElementOrder/mergingIntList': [1, 2], '$deleteFromPrimitiveList/mergingIntList': [3] },
    result: { mergingIntList: [1, 2, 4] },
  },
  {
    name: '$deleteFromPrimitiveList removes every copy of a value',
    original: { mergingIntList: [1, 2, 3, 3, 4] },
    patch: { '$setElementOrder/mergingIntList': [1, 2], '$deleteFromPrimitiveList/mergingIntList': [3] },
    result: { mergingIntList: [1, 2, 4] },
  },
  {
    name: 'a scalar added and another deleted in one patch',
    original: { mergingIntList: [1, 2, 3] },
    patch: { '$setElementOrder/mergingIntList': [1, 2, 4], '$deleteFromPrimitiveList/mergingIntList': [3], mergingIntList: [4] },
    result: { mergingIntList: [1, 2, 4] },
  },
  {
    name: 'a new scalar is placed by $setElementOrder, server-only values keep their place',
    original: { mergingIntList: [1, 2, 4] },
    patch: { '$setElementOrder/mergingIntList': [1, 2, 3], mergingIntList: [3] },
    result: { mergingIntList: [1, 2, 3, 4] },
  },
  {
    name: 'a scalar put first by $setElementOrder',
    original: { mergingIntList: [1, 4, 2] },
    patch: { '$setElementOrder/mergingIntList': [3, 1, 2], mergingIntList: [3] },
    result: { mergingIntList: [3, 1, 4, 2] },
  },
  {
    name: 'several scalars inserted where $setElementOrder puts them',
    original: { mergingIntList: [1, 2] },
    patch: { '$setElementOrder/mergingIntList': [1, 4, 2, 3], mergingIntList: [4, 3] },
    result: { mergingIntList: [1, 4, 2, 3] },
  },
  {
    name: 'a scalar added, another deleted and the rest reordered',
    original: { mergingIntList: [1, 2, 3] },
    patch: { '$setElementOrder/mergingIntList': [4, 2, 1], mergingIntList: [4], '$deleteFromPrimitiveList/mergingIntList': [3] },
    result: { mergingIntList: [4, 2, 1] },
  },
  {
    name: '$setElementOrder alone reorders a scalar list',
    original: { mergingIntList: [1, 3, 4, 2] },
    patch: { '$setElementOrder/mergingIntList': [4, 2, 3, 1] },
    result: { mergingIntList: [4, 2, 3, 1] },
  },
  {
    name: 'reordering a scalar list keeps a server-only value after its live predecessor',
    original: { mergingIntList: [1, 2, 9, 3, 4] },
    patch: { '$setElementOrder/mergingIntList': [2, 1, 4, 3] },
    result: { mergingIntList: [2, 1, 9, 4, 3] },
  },
  {
    name: 'reordering keeps a run of server-only scalars together',
    original: { mergingIntList: [1, 2, 7, 9, 8, 3, 4] },
    patch: { '$setElementOrder/mergingIntList': [2, 1, 4, 3] },
    result: { mergingIntList: [2, 1, 7, 9, 8, 4, 3] },
  },
  {
    name: 'duplicate scalars stay together where the first copy is ordered',
    original: { mergingIntList: [1, 2, 3, 2, 4] },
    patch: { '$setElementOrder/mergingIntList': [2, 1, 4, 3, 2] },
    result: { mergingIntList: [2, 2, 1, 4, 3] },
  },
  {
    name: '$setElementOrder naming an absent scalar does not add it',
    original: { mergingIntList: [1, 3] },
    patch: { '$setElementOrder/mergingIntList': [3, 2, 1] },
    result: { mergingIntList: [3, 1] },
  },
  {
    name: 'deleting a scalar the list lacks changes nothing',
    original: { mergingIntList: [1, 2] },
    patch: { '$deleteFromPrimitiveList/mergingIntList': [3] },
    result: { mergingIntList: [1, 2] },
  },
  {
    name: 'deleting from a null list leaves it null',
    original: { mergingIntList: null },
    patch: { '$deleteFromPrimitiveList/mergingIntList': [3] },
    result: { mergingIntList: null },
  },
  {
    name: 'deleting from a missing list does not create it',
    original: { foo: ['bar'] },
    patch: { '$deleteFromPrimitiveList/mergingIntList': [3] },
    result: { foo: ['bar'] },
  },
  {
    name: '$deleteFromPrimitiveList on a merging list',
    original: { mergingIntList: [1, 2, 3] },
    patch: { '$deleteFromPrimitiveList/mergingIntList': [2] },
    result: { mergingIntList: [1, 3] },
  },
  {
    name: '$deleteFromPrimitiveList also works on a list without the merge strategy',
    original: { nonMergingIntList: [1, 2, 3] },
    patch: { '$deleteFromPrimitiveList/nonMergingIntList': [2] },
    result: { nonMergingIntList: [1, 3] },
  },
  {
    name: 'scalar patch items out of $setElementOrder order are an error',
    original: { mergingIntList: [1, 3, 2] },
    patch: { '$setElementOrder/mergingIntList': [1, 2, 3], mergingIntList: [3, 1] },
    error: 'doesn\'t match',
  },
  {
    name: '$patch: delete of an item the list lacks is ignored',
    original: { name: 'hi' },
    patch: { mergingList: [{ name: 'hello' }, { '$patch': 'delete', name: 'doesntexist' }] },
    result: { name: 'hi', mergingList: [{ name: 'hello' }] },
  },
  {
    name: 'a list item added before the server-only item (patch order beats live order)',
    original: { name: 'hi', mergingList: [{ name: 'hello2' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 'hello' }, { name: 'doesntexist' }], mergingList: [{ name: 'hello' }] },
    result: { name: 'hi', mergingList: [{ name: 'hello' }, { name: 'hello2' }] },
  },
  {
    name: 'new items placed at the front and the end by $setElementOrder',
    original: { mergingList: [{ name: 1 }, { name: 2, value: 2 }] },
    patch: { '$setElementOrder/mergingList': [{ name: 4 }, { name: 1 }, { name: 2 }, { name: 3 }], mergingList: [{ name: 4, value: 4 }, { name: 3, value: 3 }] },
    result: { mergingList: [{ name: 4, value: 4 }, { name: 1 }, { name: 2, value: 2 }, { name: 3, value: 3 }] },
  },
  {
    name: 'one item changed and one added',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 3, other: 'b' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }, { name: 3 }], mergingList: [{ name: 2, value: 2 }, { name: 3, value: 3 }] },
    result: { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }, { name: 3, value: 3 }] },
  },
  {
    name: 'a field added to one item keeps the fields the server set',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }], mergingList: [{ name: 1, value: 1 }] },
    result: { mergingList: [{ name: 1, value: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }] },
  },
  {
    name: 'a new item lands before a server-only item it is ordered before',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 3, value: 2, other: 'b' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }], mergingList: [{ name: 1, value: 1 }, { name: 2, value: 2 }] },
    result: { mergingList: [{ name: 1, value: 1, other: 'a' }, { name: 2, value: 2 }, { name: 3, value: 2, other: 'b' }] },
  },
  {
    name: 'an empty patch leaves a merging list alone',
    original: { mergingList: [{ name: 1, value: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }] },
    patch: {},
    result: { mergingList: [{ name: 1, value: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }] },
  },
  {
    name: 'a field of an item replaced',
    original: { mergingList: [{ name: 1, value: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }], mergingList: [{ name: 1, value: 'a' }] },
    result: { mergingList: [{ name: 1, value: 'a', other: 'a' }, { name: 2, value: 2, other: 'b' }] },
  },
  {
    name: '$patch: delete removes an item by merge key',
    original: { mergingList: [{ name: 1 }, { name: 2, other: 'b' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 2 }], mergingList: [{ name: 1, '$patch': 'delete' }] },
    result: { mergingList: [{ name: 2, other: 'b' }] },
  },
  {
    name: 'an item added while deleting one the list lacks',
    original: { mergingList: [{ name: 3, other: 'a' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 2 }], mergingList: [{ name: 2 }, { name: 1, '$patch': 'delete' }] },
    result: { mergingList: [{ name: 2 }, { name: 3, other: 'a' }] },
  },
  {
    name: 'delete plus add: the new item follows a server-only item (Go\'s in-place slice shift)',
    original: { mergingList: [{ name: 1 }, { name: 2, other: 'b' }, { name: 4, other: 'c' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 2 }, { name: 3 }], mergingList: [{ name: 3 }, { name: 1, '$patch': 'delete' }] },
    result: { mergingList: [{ name: 2, other: 'b' }, { name: 4, other: 'c' }, { name: 3 }] },
  },
  {
    name: 'delete plus two adds after the remaining server-only item',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 4, other: 'c' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 2 }, { name: 3 }], mergingList: [{ name: 2 }, { name: 3 }, { name: 1, '$patch': 'delete' }] },
    result: { mergingList: [{ name: 4, other: 'c' }, { name: 2 }, { name: 3 }] },
  },
  {
    name: 'null deletes one field of one item',
    original: { mergingList: [{ name: 1, value: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }], mergingList: [{ name: 1, value: null }] },
    result: { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }] },
  },
  {
    name: 'a list without the merge strategy inside a merged item is replaced',
    original: { mergingList: [{ name: 1, other: 'a', nonMergingList: [{ name: 1 }, { name: 2, value: 2 }] }, { name: 2, other: 'b' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }], mergingList: [{ name: 1, nonMergingList: [{ name: 1, value: 1 }] }] },
    result: { mergingList: [{ name: 1, other: 'a', nonMergingList: [{ name: 1, value: 1 }] }, { name: 2, other: 'b' }] },
  },
  {
    name: 'nested merging lists merge item by item',
    original: { mergingList: [{ name: 1, other: 'a', mergingList: [{ name: 1 }, { name: 2, value: 2 }] }, { name: 2, other: 'b' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }], mergingList: [{ '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }], name: 1, mergingList: [{ name: 1, value: 1 }] }] },
    result: { mergingList: [{ name: 1, other: 'a', mergingList: [{ name: 1, value: 1 }, { name: 2, value: 2 }] }, { name: 2, other: 'b' }] },
  },
  {
    name: 'a nested $setElementOrder reorders the inner list',
    original: { mergingList: [{ name: 1, other: 'a', mergingList: [{ name: 2, value: 2, other: 'd' }] }, { name: 2, other: 'b' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }], mergingList: [{ '$setElementOrder/mergingList': [{ name: 2 }, { name: 1 }], name: 1, mergingList: [{ name: 1, value: 1 }] }] },
    result: { mergingList: [{ name: 1, other: 'a', mergingList: [{ name: 2, value: 2, other: 'd' }, { name: 1, value: 1 }] }, { name: 2, other: 'b' }] },
  },
  {
    name: 'a merge list behind a pointer field merges too',
    original: { mergeItemPtr: [{ name: 1, other: 'a' }, { name: 3 }] },
    patch: { '$setElementOrder/mergeItemPtr': [{ name: 1 }, { name: 2 }], mergeItemPtr: [{ name: 2 }] },
    result: { mergeItemPtr: [{ name: 1, other: 'a' }, { name: 2 }, { name: 3 }] },
  },
  {
    name: 'nested merge lists behind pointer fields',
    original: { mergeItemPtr: [{ name: 1, other: 'a', mergeItemPtr: [{ name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }] }, { name: 2, other: 'b' }] },
    patch: { '$setElementOrder/mergeItemPtr': [{ name: 1 }, { name: 2 }], mergeItemPtr: [{ '$setElementOrder/mergeItemPtr': [{ name: 1 }, { name: 2 }], name: 1, mergeItemPtr: [{ name: 1, value: 1 }] }] },
    result: { mergeItemPtr: [{ name: 1, other: 'a', mergeItemPtr: [{ name: 1, value: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }] }, { name: 2, other: 'b' }] },
  },
  {
    name: 'an item added at the front by $setElementOrder',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 3 }, { name: 1 }, { name: 2 }], mergingList: [{ name: 3, value: 3 }] },
    result: { mergingList: [{ name: 3, value: 3 }, { name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }] },
  },
  {
    name: 'items added between existing ones by $setElementOrder',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 1 }, { name: 4 }, { name: 2 }, { name: 3 }], mergingList: [{ name: 4, value: 4 }, { name: 3, value: 3 }] },
    result: { mergingList: [{ name: 1, other: 'a' }, { name: 4, value: 4 }, { name: 2, value: 2, other: 'b' }, { name: 3, value: 3 }] },
  },
  {
    name: 'a deletion plus a full reorder',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }, { name: 3, value: 3 }] },
    patch: { '$setElementOrder/mergingList': [{ name: 2 }, { name: 1 }], mergingList: [{ name: 3, '$patch': 'delete' }] },
    result: { mergingList: [{ name: 2, value: 2, other: 'b' }, { name: 1, other: 'a' }] },
  },
  {
    name: 'a changed item moved to the middle',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }, { name: 3, value: 3 }] },
    patch: { '$setElementOrder/mergingList': [{ name: 2 }, { name: 3 }, { name: 1 }], mergingList: [{ name: 3, value: 'x' }] },
    result: { mergingList: [{ name: 2, value: 2, other: 'b' }, { name: 3, value: 'x' }, { name: 1, other: 'a' }] },
  },
  {
    name: 'add, delete and reorder at once',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }, { name: 3, value: 3 }] },
    patch: { '$setElementOrder/mergingList': [{ name: 4 }, { name: 2 }, { name: 1 }], mergingList: [{ name: 4, value: 4 }, { name: 3, '$patch': 'delete' }] },
    result: { mergingList: [{ name: 4, value: 4 }, { name: 2, value: 2, other: 'b' }, { name: 1, other: 'a' }] },
  },
  {
    name: '$setElementOrder alone reorders the items',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 3, value: 3 }, { name: 4, value: 4 }, { name: 2, value: 2 }] },
    patch: { '$setElementOrder/mergingList': [{ name: 4 }, { name: 2 }, { name: 3 }, { name: 1 }] },
    result: { mergingList: [{ name: 4, value: 4 }, { name: 2, value: 2 }, { name: 3, value: 3 }, { name: 1, other: 'a' }] },
  },
  {
    name: 'a server-only item stays at the end when the rest is reordered',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 3, value: 3 }, { name: 4, value: 4 }, { name: 2, value: 2 }, { name: 9 }] },
    patch: { '$setElementOrder/mergingList': [{ name: 4 }, { name: 2 }, { name: 3 }, { name: 1 }] },
    result: { mergingList: [{ name: 4, value: 4 }, { name: 2, value: 2 }, { name: 3, value: 3 }, { name: 1, other: 'a' }, { name: 9 }] },
  },
  {
    name: 'a server-only item stays after its live predecessor',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2 }, { name: 9 }, { name: 3, value: 3 }, { name: 4, value: 4 }] },
    patch: { '$setElementOrder/mergingList': [{ name: 2 }, { name: 1 }, { name: 4 }, { name: 3 }] },
    result: { mergingList: [{ name: 2, value: 2 }, { name: 1, other: 'a' }, { name: 9 }, { name: 4, value: 4 }, { name: 3, value: 3 }] },
  },
  {
    name: 'a run of server-only items stays together',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2 }, { name: 7 }, { name: 9 }, { name: 8 }, { name: 3, value: 3 }, { name: 4, value: 4 }] },
    patch: { '$setElementOrder/mergingList': [{ name: 2 }, { name: 1 }, { name: 4 }, { name: 3 }] },
    result: { mergingList: [{ name: 2, value: 2 }, { name: 1, other: 'a' }, { name: 7 }, { name: 9 }, { name: 8 }, { name: 4, value: 4 }, { name: 3, value: 3 }] },
  },
  {
    name: 'duplicate merge keys stay together where the first is ordered',
    original: { mergingList: [{ name: 1 }, { name: 2, value: 'dup1' }, { name: 3 }, { name: 2, value: 'dup2' }, { name: 4 }] },
    patch: { '$setElementOrder/mergingList': [{ name: 2 }, { name: 1 }, { name: 4 }, { name: 3 }, { name: 2 }] },
    result: { mergingList: [{ name: 2, value: 'dup1' }, { name: 2, value: 'dup2' }, { name: 1 }, { name: 4 }, { name: 3 }] },
  },
  {
    name: 'two lists reordered in one patch, one of them also deleting an item',
    original: { mergingList: [{ name: 'a', value: 'a' }, { name: 'b', value: 'b' }], mergeItemPtr: [{ name: 'c', value: 'c' }, { name: 'd', value: 'd' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 'b' }], '$setElementOrder/mergeItemPtr': [{ name: 'd' }, { name: 'c' }], mergingList: [{ '$patch': 'delete', name: 'a' }] },
    result: { mergingList: [{ name: 'b', value: 'b' }], mergeItemPtr: [{ name: 'd', value: 'd' }, { name: 'c', value: 'c' }] },
  },
  {
    name: 'a list holding only $patch: replace becomes empty',
    original: { mergingList: [{ name: 1 }, { name: 2 }] },
    patch: { mergingList: [{ '$patch': 'replace' }] },
    result: { mergingList: [] },
  },
  {
    name: 'an empty patch list leaves an empty merging list',
    original: { mergingList: [] },
    patch: { mergingList: [] },
    result: { mergingList: [] },
  },
  {
    name: '$patch: delete removes every item with that merge key',
    original: { mergingList: [{ name: 1 }, { name: 1 }, { name: 2, value: 'a' }, { name: 3 }, { name: 3 }] },
    patch: { mergingList: [{ name: 1, '$patch': 'delete' }, { name: 3, '$patch': 'delete' }] },
    result: { mergingList: [{ name: 2, value: 'a' }] },
  },
  {
    name: 'deleting every item leaves an empty list',
    original: { mergingList: [{ name: 1 }, { name: 2 }] },
    patch: { mergingList: [{ name: 1, '$patch': 'delete' }, { name: 2, '$patch': 'delete' }] },
    result: { mergingList: [] },
  },
  {
    name: 'deleting from an empty list keeps it empty',
    original: { mergingList: [] },
    patch: { mergingList: [{ name: 1, '$patch': 'delete' }, { name: 2, '$patch': 'delete' }] },
    result: { mergingList: [] },
  },
  {
    name: '$setElementOrder naming an absent item does not add it',
    original: { mergingList: [{ name: 1 }, { name: 3 }] },
    patch: { '$setElementOrder/mergingList': [{ name: 3 }, { name: 2 }, { name: 1 }], mergingList: [{ name: 3, value: 3 }, { name: 1, value: 1 }] },
    result: { mergingList: [{ name: 3, value: 3 }, { name: 1, value: 1 }] },
  },
  {
    name: 'patch items out of $setElementOrder order are an error',
    original: { mergingList: [{ name: 1 }, { name: 3 }, { name: 2 }] },
    patch: { '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }, { name: 3 }], mergingList: [{ name: 3, value: 3 }, { name: 1, value: 1 }] },
    error: 'doesn\'t match',
  },
  {
    name: 'a patch item without the merge key is an error',
    original: { mergingList: [{ name: 1, value: 'a' }] },
    patch: { mergingList: [{ value: 'b' }] },
    error: 'does not contain declared merge key',
  },
  {
    name: 'retainKeys strategy without the directive merges like any map',
    original: { retainKeysMap: { name: 'foo' } },
    patch: { retainKeysMap: { value: 'bar' } },
    result: { retainKeysMap: { name: 'foo', value: 'bar' } },
  },
  {
    name: 'retainKeys strategy without the directive: null still deletes',
    original: { retainKeysMap: { name: 'foo', value: 'a' } },
    patch: { retainKeysMap: { value: null } },
    result: { retainKeysMap: { name: 'foo' } },
  },
  {
    name: 'retainKeys list strategy without the directive merges items as usual',
    original: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo' }] },
    patch: { retainKeysMergingList: [{ name: 'foo', value: 'a' }] },
    result: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'a' }] },
  },
  {
    name: '$retainKeys clears a field set by defaulting',
    original: { retainKeysMap: { value: 'foo' } },
    patch: { retainKeysMap: { '$retainKeys': ['other'], other: 'bar' } },
    result: { retainKeysMap: { other: 'bar' } },
  },
  {
    name: '$retainKeys switches the member of a discriminated union',
    original: { retainKeysMap: { name: 'type1', value: 'foo' } },
    patch: { retainKeysMap: { '$retainKeys': ['name', 'other'], name: 'type2', other: 'bar' } },
    result: { retainKeysMap: { name: 'type2', other: 'bar' } },
  },
  {
    name: '$retainKeys clears one field while another is added',
    original: { retainKeysMap: { name: 'foo', other: 'a' } },
    patch: { retainKeysMap: { '$retainKeys': ['name', 'value'], value: 'bar' } },
    result: { retainKeysMap: { name: 'foo', value: 'bar' } },
  },
  {
    name: '$retainKeys with a null field',
    original: { retainKeysMap: { name: 'foo', value: 'bar', other: 'a' } },
    patch: { retainKeysMap: { '$retainKeys': ['name'], value: null } },
    result: { retainKeysMap: { name: 'foo' } },
  },
  {
    name: '$retainKeys alone clears what it does not list',
    original: { retainKeysMap: { name: 'foo', value: 'bar', other: 'a' } },
    patch: { retainKeysMap: { '$retainKeys': ['name', 'value'] } },
    result: { retainKeysMap: { name: 'foo', value: 'bar' } },
  },
  {
    name: '$retainKeys keeps a nested map, which still merges',
    original: { retainKeysMap: { name: 'foo', value: 'bar', simpleMap: { key1: 'a', key3: 'c' } } },
    patch: { retainKeysMap: { '$retainKeys': ['name', 'simpleMap', 'value'], simpleMap: { key2: 'b' } } },
    result: { retainKeysMap: { name: 'foo', value: 'bar', simpleMap: { key1: 'a', key2: 'b', key3: 'c' } } },
  },
  {
    name: '$retainKeys with a replaced non-merging list',
    original: { retainKeysMap: { name: 'foo', value: 'bar', nonMergingList: [{ name: 'a' }, { name: 'b' }] } },
    patch: { retainKeysMap: { '$retainKeys': ['name', 'nonMergingList', 'value'], nonMergingList: [{ name: 'a' }, { name: 'c' }, { name: 'b' }] } },
    result: { retainKeysMap: { name: 'foo', value: 'bar', nonMergingList: [{ name: 'a' }, { name: 'c' }, { name: 'b' }] } },
  },
  {
    name: 'a list left out of $retainKeys is cleared',
    original: { retainKeysMap: { name: 'foo', nonMergingList: [{ name: 'a' }, { name: 'b' }] } },
    patch: { retainKeysMap: { '$retainKeys': ['name', 'value'], value: 'bar', nonMergingList: null } },
    result: { retainKeysMap: { name: 'foo', value: 'bar' } },
  },
  {
    name: '$retainKeys beside $setElementOrder on a nested scalar list',
    original: { retainKeysMap: { name: 'foo', mergingIntList: [1, 2, 3] } },
    patch: { retainKeysMap: { '$setElementOrder/mergingIntList': [1, 2, 4], '$retainKeys': ['mergingIntList', 'name'], mergingIntList: [4] } },
    result: { retainKeysMap: { name: 'foo', mergingIntList: [1, 2, 4, 3] } },
  },
  {
    name: '$retainKeys with an add, a delete and an order for a nested scalar list',
    original: { retainKeysMap: { name: 'foo', mergingIntList: [1, 2, 3, 4] } },
    patch: { retainKeysMap: { '$retainKeys': ['mergingIntList', 'name'], mergingIntList: [5], '$deleteFromPrimitiveList/mergingIntList': [2], '$setElementOrder/mergingIntList': [1, 3, 5] } },
    result: { retainKeysMap: { name: 'foo', mergingIntList: [1, 3, 5, 4] } },
  },
  {
    name: '$retainKeys with a nested merging list that gains an item',
    original: { retainKeysMap: { name: 'foo', mergingList: [{ name: 'a' }, { name: 'b' }, { name: 'x' }] } },
    patch: { retainKeysMap: { '$retainKeys': ['mergingList', 'name'], '$setElementOrder/mergingList': [{ name: 'a' }, { name: 'b' }, { name: 'c' }], mergingList: [{ name: 'c' }] } },
    result: { retainKeysMap: { name: 'foo', mergingList: [{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'x' }] } },
  },
  {
    name: '$retainKeys with a nested merging list that loses an item',
    original: { retainKeysMap: { name: 'foo', mergingList: [{ name: 'a' }, { name: 'b' }, { name: 'x' }] } },
    patch: { retainKeysMap: { '$retainKeys': ['mergingList', 'name'], '$setElementOrder/mergingList': [{ name: 'a' }], mergingList: [{ name: 'b', '$patch': 'delete' }] } },
    result: { retainKeysMap: { name: 'foo', mergingList: [{ name: 'a' }, { name: 'x' }] } },
  },
  {
    name: '$retainKeys inside a merged list item clears the item\'s other fields',
    original: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'a', other: 'x' }] },
    patch: { '$setElementOrder/retainKeysMergingList': [{ name: 'bar' }, { name: 'foo' }], retainKeysMergingList: [{ '$retainKeys': ['name', 'value'], name: 'foo' }] },
    result: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'a' }] },
  },
  {
    name: '$retainKeys inside a list item with a changed value',
    original: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'new', other: 'x' }] },
    patch: { '$setElementOrder/retainKeysMergingList': [{ name: 'bar' }, { name: 'foo' }], retainKeysMergingList: [{ '$retainKeys': ['name', 'value'], name: 'foo', value: 'modified' }] },
    result: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'modified' }] },
  },
  {
    name: '$retainKeys inside a list item with a null field',
    original: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'a', other: 'x' }] },
    patch: { '$setElementOrder/retainKeysMergingList': [{ name: 'bar' }, { name: 'foo' }], retainKeysMergingList: [{ '$retainKeys': ['name'], name: 'foo', value: null }] },
    result: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo' }] },
  },
  {
    name: 'a replace-strategy field is swapped whole',
    original: { name: 'my-object', value: 'some-value', other: 'current-other', mergingList: [{ name: 1 }, { name: 2 }, { name: 3 }], replacingItem: { Some: 'Generic', Yaml: 'Inside', The: 'RawExtension', Field: 'Period' } },
    patch: { replacingItem: { Newly: 'Modified', Yaml: 'Inside', The: 'RawExtension' } },
    result: { name: 'my-object', value: 'some-value', other: 'current-other', mergingList: [{ name: 1 }, { name: 2 }, { name: 3 }], replacingItem: { Newly: 'Modified', Yaml: 'Inside', The: 'RawExtension' } },
  },
  {
    name: 'a replace-strategy field swapped while a list merges',
    original: { name: 'my-object', value: 'some-value', other: 'current-other', mergingList: [{ name: 1 }, { name: 3 }], replacingItem: { Some: 'Generic', Yaml: 'Inside', The: 'RawExtension', Field: 'Period' } },
    patch: { '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }], mergingList: [{ name: 2 }], replacingItem: { Newly: 'Modified', Yaml: 'Inside', The: 'RawExtension' } },
    result: { name: 'my-object', value: 'some-value', other: 'current-other', mergingList: [{ name: 1 }, { name: 2 }, { name: 3 }], replacingItem: { Newly: 'Modified', Yaml: 'Inside', The: 'RawExtension' } },
  },
];

describe('applyStrategicMergePatch: upstream behaviour vectors', () => {
  it.each(VECTORS)('$name', ({ original, patch, result, error }) => {
    if (error !== undefined) {
      const err = failure(original, patch);
      expect(err.code).toBe(500);
      expect(err.message).toContain(error);
      return;
    }
    expect(apply(original, patch)).toEqual(result);
  });
});

describe('applyStrategicMergePatch: values the object does not have yet', () => {
  const base = { array: [1, 2, 3], complex: { nested: true }, name: 'foo', scalar: true };
  const cases: Array<[string, Json, Json, Json]> = [
    ['a new map holding only nulls arrives empty', base, { complex_nullable: { key: null } }, { ...base, complex_nullable: {} }],
    [
      'nulls are dropped at every depth of a new map, other keys kept',
      base,
      { complex_nullable: { key: { keynotnull: 'value', keynull: null } } },
      { ...base, complex_nullable: { key: { keynotnull: 'value' } } },
    ],
    ['a new nested map of nulls only', {}, { complex: { nested: null } }, { complex: {} }],
    ['only the non-null keys of a new map are added', {}, { complex: { nested: null, nested2: 'foo' } }, { complex: { nested2: 'foo' } }],
    ['nulls already in the object stay', { thing: null }, { nested: { value: 5 } }, { nested: { value: 5 }, thing: null }],
    ['an added empty list stays empty', base, { complex_nullable: [] }, { ...base, complex_nullable: [] }],
    [
      'nulls inside maps inside a new list are dropped',
      {},
      { complex_nullable: [{ inner_one: { key_one: 'foo', key_two: null } }] },
      { complex_nullable: [{ inner_one: { key_one: 'foo' } }] },
    ],
    ['null items of a new scalar list are kept', {}, { complex_nullable: ['key1', null, 'key2'] }, { complex_nullable: ['key1', null, 'key2'] }],
    ['nulls on both sides of an unknown field: absent stays absent', { name: 'foo', scalar: true, complex: { nested: true } }, { complex: null, scalar: null }, { name: 'foo' }],
    ['a map with $patch inside a new value is dropped', {}, { simpleMap: { a: { $patch: 'delete' }, b: 'x' } }, { simpleMap: { b: 'x' } }],
    ['a $patch item inside a new list is dropped', {}, { mergingList: [{ name: 1 }, { name: 2, $patch: 'delete' }] }, { mergingList: [{ name: 1 }] }],
    [
      'directive keys other than $patch are kept in added values (the decoder sees them)',
      {},
      { retainKeysMap: { $retainKeys: ['name'], name: 'a' } },
      { retainKeysMap: { $retainKeys: ['name'], name: 'a' } },
    ],
    [
      'a value of another type replaces the old one, nulls dropped',
      { simpleMap: 'text' },
      { simpleMap: { a: 'b', c: null } },
      { simpleMap: { a: 'b' } },
    ],
    ['a $patch: replace map for a field the object lacks adds nothing', { name: 'a' }, { simpleMap: { $patch: 'replace', a: 'b' } }, { name: 'a' }],
    ['a scalar replaces a list', { mergingIntList: [1, 2] }, { mergingIntList: 7 }, { mergingIntList: 7 }],
  ];
  it.each(cases)('%s', (_name, original, patch, expected) => {
    expect(apply(original, patch)).toEqual(expected);
  });
});

describe('applyStrategicMergePatch: order and directives', () => {
  it('puts items the live list lacks first when no $setElementOrder is sent', () => {
    expect(apply({ mergingList: [{ name: 'a' }, { name: 'b' }] }, { mergingList: [{ name: 'c', value: 'x' }] })).toEqual({
      mergingList: [{ name: 'c', value: 'x' }, { name: 'a' }, { name: 'b' }],
    });
    expect(apply({ mergingIntList: [1, 2] }, { mergingIntList: [3] })).toEqual({ mergingIntList: [3, 1, 2] });
  });

  it('keeps the live order for merged items and the patch order among patch items', () => {
    expect(apply({ mergingList: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }, { mergingList: [{ name: 'c', value: 1 }, { name: 'a', value: 2 }] })).toEqual({
      mergingList: [{ name: 'b' }, { name: 'c', value: 1 }, { name: 'a', value: 2 }],
    });
  });

  it('takes a nested $patch: replace map verbatim, nulls and nested directives included', () => {
    expect(apply({ retainKeysMap: { name: 'a', value: 'b' } }, { retainKeysMap: { $patch: 'replace', other: 'c', value: null } })).toEqual({
      retainKeysMap: { other: 'c', value: null },
    });
  });

  it('makes a list exactly the other items of a $patch: replace list, as sent', () => {
    expect(
      apply({ mergingList: [{ name: 1, value: 'x' }, { name: 2 }] }, { mergingList: [{ name: 3, other: null }, { $patch: 'replace' }, { name: 1, mergingList: [{ name: 9, $patch: 'delete' }] }] }),
    ).toEqual({ mergingList: [{ name: 3, other: null }, { name: 1, mergingList: [{ name: 9, $patch: 'delete' }] }] });
  });

  it('still deletes before a later $patch: replace in the same list', () => {
    expect(apply({ mergingList: [{ name: 1 }] }, { mergingList: [{ name: 1, $patch: 'delete' }, { $patch: 'replace' }] })).toEqual({ mergingList: [] });
  });

  it('takes a replace-strategy map verbatim, without looking at its directives', () => {
    expect(apply({ replacingItem: { a: 1, b: 2 } }, { replacingItem: { a: null, $patch: 'delete' } })).toEqual({ replacingItem: { a: null, $patch: 'delete' } });
  });

  it('replaces a list without the merge strategy, directives and all', () => {
    expect(apply({ nonMergingList: [{ name: 1 }, { name: 2 }] }, { nonMergingList: [{ name: 3, $patch: 'delete' }] })).toEqual({
      nonMergingList: [{ name: 3, $patch: 'delete' }],
    });
  });

  it('deletes the list itself for `$deleteFromPrimitiveList/<field>: null`', () => {
    expect(apply({ mergingIntList: [1, 2], name: 'a' }, { '$deleteFromPrimitiveList/mergingIntList': null })).toEqual({ name: 'a' });
  });

  it('applies an item merge and a nested $setElementOrder inside an item added by a pointer list', () => {
    expect(
      apply(
        { mergeItemPtr: [{ name: 'x', mergingIntList: [3, 1] }] },
        { mergeItemPtr: [{ name: 'x', '$setElementOrder/mergingIntList': [1, 2, 3], mergingIntList: [2] }] },
      ),
    ).toEqual({ mergeItemPtr: [{ name: 'x', mergingIntList: [1, 2, 3] }] });
  });

  it('reverses a patch list that a $setElementOrder of [] leaves unordered (Go sorts with a comparator that is not an order)', () => {
    expect(apply({}, { '$setElementOrder/mergingList': [], mergingList: [{ name: 1 }, { name: 2 }, { name: 3 }] })).toEqual({
      mergingList: [{ name: 3 }, { name: 2 }, { name: 1 }],
    });
  });

  it('does not change its inputs', () => {
    const original = { mergingList: [{ name: 1, value: 'a' }], simpleMap: { a: 'b' } };
    const patch = { mergingList: [{ name: 2 }, { name: 1, value: null }], simpleMap: { a: null }, '$setElementOrder/mergingList': [{ name: 2 }, { name: 1 }] };
    const originalCopy = structuredClone(original);
    const patchCopy = structuredClone(patch);
    apply(original, patch);
    expect(original).toEqual(originalCopy);
    expect(patch).toEqual(patchCopy);
  });

  it('treats __proto__ as an ordinary key', () => {
    const patch = JSON.parse('{"simpleMap":{"__proto__":{"polluted":true}}}') as Json;
    const result = apply({ simpleMap: {} }, patch);
    expect(Object.getPrototypeOf(result.simpleMap)).toBe(Object.prototype);
    expect(Object.keys(result.simpleMap as Json)).toEqual(['__proto__']);
  });
});

describe('applyStrategicMergePatch: errors as the PATCH handler reports them', () => {
  interface ErrorCase {
    name: string;
    original: Json;
    patch: Json;
    code: number;
    reason: string;
    message: string;
    lookup?: PatchSchemaLookup;
  }
  // interpretStrategicMergePatchError: format sentinels → 400; list of lists → 422 with a stock
  // text; anything else is a bare Go error, which the apiserver sends as a 500 without a reason.
  const cases: ErrorCase[] = [
    { name: '$patch: merge on a map', original: {}, patch: { $patch: 'merge' }, code: 500, reason: '', message: 'unknown patch type: merge in map: map[$patch:merge]' },
    {
      name: 'an unknown $patch on a nested map',
      original: { simpleMap: { a: 'x' } },
      patch: { simpleMap: { $patch: 'foo', b: 1 } },
      code: 500,
      reason: '',
      message: 'unknown patch type: foo in map: map[$patch:foo b:1]',
    },
    {
      name: 'a non-string $patch prints as Go prints %s of a number',
      original: { simpleMap: {} },
      patch: { simpleMap: { $patch: 5 } },
      code: 500,
      reason: '',
      message: 'unknown patch type: %!s(int64=5) in map: map[$patch:5]',
    },
    {
      name: '$patch: merge inside a list',
      original: { mergingList: [{ name: 1 }] },
      patch: { mergingList: [{ name: 1, $patch: 'merge' }] },
      code: 500,
      reason: '',
      message: 'merging lists cannot yet be specified in the patch',
    },
    {
      name: 'an unknown $patch inside a list',
      original: { mergingList: [{ name: 1 }] },
      patch: { mergingList: [{ name: 1, $patch: 'bogus' }] },
      code: 500,
      reason: '',
      message: 'unknown patch type: bogus in map: map[$patch:bogus name:1]',
    },
    {
      name: 'a delete item without the merge key',
      original: { mergingList: [{ name: 1 }] },
      patch: { mergingList: [{ $patch: 'delete' }] },
      code: 500,
      reason: '',
      message: 'map: map[$patch:delete] does not contain declared merge key: name',
    },
    {
      name: 'a patch item without the merge key',
      original: { mergingList: [{ name: 1, value: 'a' }] },
      patch: { mergingList: [{ value: 'b' }] },
      code: 500,
      reason: '',
      message: 'map: map[value:b] does not contain declared merge key: name',
    },
    {
      name: 'a live item without the merge key',
      original: { mergingList: [{ value: 'x' }] },
      patch: { mergingList: [{ name: 1 }] },
      code: 500,
      reason: '',
      message: 'map: map[value:x] does not contain declared merge key: name',
    },
    {
      name: 'numbers, booleans and nulls inside a printed map',
      original: { mergingList: [{ name: 1 }] },
      patch: { mergingList: [{ value: 1.5, big: 1e21, small: 0.00001, n: null, t: true, list: ['a', 2] }] },
      code: 500,
      reason: '',
      message: 'map: map[big:1e+21 list:[a 2] n:<nil> small:1e-05 t:true value:1.5] does not contain declared merge key: name',
    },
    {
      name: '$retainKeys that is not a list',
      original: { retainKeysMap: { name: 'a' } },
      patch: { retainKeysMap: { $retainKeys: 'name' } },
      code: 400,
      reason: 'BadRequest',
      message: 'invalid patch format of retainKeys',
    },
    {
      name: 'a patched field missing from $retainKeys',
      original: { retainKeysMap: { name: 'a' } },
      patch: { retainKeysMap: { $retainKeys: ['name'], value: 'b' } },
      code: 400,
      reason: 'BadRequest',
      message: 'invalid patch format of retainKeys',
    },
    { name: '$setElementOrder without a field name', original: {}, patch: { $setElementOrder: [1] }, code: 400, reason: 'BadRequest', message: 'invalid patch format of setElementOrder list' },
    {
      name: 'a misspelt $setElementOrder prefix',
      original: {},
      patch: { '$setElementOrders/mergingList': [] },
      code: 400,
      reason: 'BadRequest',
      message: 'invalid patch format of setElementOrder list',
    },
    {
      name: '$deleteFromPrimitiveList without a field name',
      original: { mergingIntList: [1] },
      patch: { $deleteFromPrimitiveList: [1] },
      code: 400,
      reason: 'BadRequest',
      message: 'invalid patch format of primitive list',
    },
    {
      name: '$setElementOrder that is not a list',
      original: {},
      patch: { '$setElementOrder/mergingList': 'a' },
      code: 500,
      reason: '',
      message: 'expected a []interface {}, but received a string',
    },
    {
      name: 'an ordered field that is not a list in the patch',
      original: { mergingList: [] },
      patch: { '$setElementOrder/mergingList': [], mergingList: { name: 1 } },
      code: 500,
      reason: '',
      message: 'expected a []interface {}, but received a map[string]interface {}',
    },
    {
      name: 'patch items out of $setElementOrder order',
      original: { mergingList: [{ name: 1 }, { name: 3 }, { name: 2 }] },
      patch: { '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }, { name: 3 }], mergingList: [{ name: 3, value: 3 }, { name: 1, value: 1 }] },
      code: 500,
      reason: '',
      message: "The order in patch list:\n[map[name:3 value:3] map[name:1 value:1]]\n doesn't match $setElementOrder list:\n[map[name:1] map[name:2] map[name:3]]\n",
    },
    {
      name: 'a scalar in a $setElementOrder list of maps',
      original: { mergingList: [{ name: 'a' }] },
      patch: { '$setElementOrder/mergingList': ['a'] },
      code: 500,
      reason: '',
      message: 'value for key 0 is not a map',
    },
    {
      name: 'an empty list ordered by an empty $setElementOrder',
      original: { mergingIntList: [] },
      patch: { '$setElementOrder/mergingIntList': [] },
      code: 500,
      reason: '',
      message: 'no elements in any of the given slices',
    },
    {
      name: 'a list of lists',
      original: { mergingIntList: [[1]] },
      patch: { mergingIntList: [[2]] },
      code: 422,
      reason: 'Invalid',
      message: 'the server rejected our request due to an error in our request',
    },
    {
      name: 'mixed element types',
      original: { mergingIntList: [1] },
      patch: { mergingIntList: ['a'] },
      code: 500,
      reason: '',
      message: 'list element types are not identical: [[1] [a]]',
    },
    {
      name: 'maps in a merging list that has no merge key',
      original: { mergingIntList: [{ a: 1 }] },
      patch: { mergingIntList: [{ a: 2 }] },
      code: 500,
      reason: '',
      message: 'cannot merge lists without merge key for int',
    },
    {
      name: 'a nested object under a field the type does not declare',
      original: { complex: { nested: true } },
      patch: { complex: { nested: false } },
      code: 500,
      reason: '',
      message: 'unable to find api field in struct MergeItem for the json field "complex"',
    },
    {
      name: 'a nested object inside an anonymous struct',
      original: { jsonItem: { nested: { nested2: {} } } },
      patch: { jsonItem: { nested: { nested2: { a: 'b' } } } },
      code: 500,
      reason: '',
      message: 'unable to find api field in struct  for the json field "nested"',
    },
    {
      name: 'a nested object inside a map field',
      original: { simpleMap: { a: { x: 1 } } },
      patch: { simpleMap: { a: { y: 2 } } },
      code: 500,
      reason: '',
      message: 'merging an object in json but data type is not struct, instead is: map',
    },
    {
      name: 'more than two patch strategies',
      original: { mergingList: [{ name: 1 }] },
      patch: { mergingList: [{ name: 1 }] },
      code: 500,
      reason: '',
      message: 'unexpected patch strategy: [merge retainKeys replace]',
      lookup: { patchMeta: () => ({ strategies: ['merge', 'retainKeys', 'replace'], mergeKey: 'name' }) },
    },
  ];

  it.each(cases)('$name', ({ original, patch, code, reason, message, lookup }) => {
    const err = failure(original, patch, lookup);
    expect(err).not.toBeInstanceOf(StrategicMergePatchPanic);
    expect({ code: err.code, reason: err.reason, message: err.message }).toEqual({ code, reason, message });
  });

  it('sends the 500s without a reason, and the 422 with empty details, as Status bodies', () => {
    expect(failure({ mergingList: [{ name: 1 }] }, { mergingList: [{ value: 'b' }] }).toStatus()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'map: map[value:b] does not contain declared merge key: name',
      code: 500,
    });
    expect(failure({ mergingIntList: [[1]] }, { mergingIntList: [[2]] }).toStatus()).toMatchObject({ reason: 'Invalid', code: 422, details: {} });
  });

  it('reports a Go runtime panic (a merge key holding an object) as the panic filter does', () => {
    const err = failure({ mergingList: [{ name: { a: 1 } }] }, { mergingList: [{ name: { a: 1 } }] });
    expect(err).toBeInstanceOf(StrategicMergePatchPanic);
    expect(err.code).toBe(500);
    expect(err.message).toBe('This request caused apiserver to panic. Look in the logs for details.');
    expect((err as StrategicMergePatchPanic).panicValue).toBe('runtime error: comparing uncomparable type map[string]interface {}');
  });
});
