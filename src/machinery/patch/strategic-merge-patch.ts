import { StatusError } from '../errors/status-error';
import { Schemas } from '../schema/schemas';
import type { SchemaNode } from '../schema/schema-node';
import { sliceStable } from './go-sort';
import {
  cloneJson,
  GO_MAP,
  GO_SLICE,
  GoPanic,
  goEqual,
  goHashKey,
  goReflectTypeString,
  goSprint,
  goTypeOf,
  type GoTypeName,
  hasOwn,
  isJsonMap,
  type JsonMap,
  setKey,
} from './go-value';

/**
 * Strategic merge patch as the apiserver applies it to built-in kinds
 * (k8s.io/apimachinery/pkg/util/strategicpatch StrategicMergeMapPatch, called by the PATCH
 * handler's applyPatchToObject). Only the server side is here: the merge options are fixed to
 * MergeParallelList=true and IgnoreUnmatchedNulls=true, which is what the handler uses; patch
 * creation (two- and three-way diffs) is the client's business.
 *
 * The algorithm follows the Go code step by step, including its odd corners, because clients see
 * them: lists merged without $setElementOrder put new items first, `$patch: merge` on a map is an
 * error, directives inside newly added list items are kept, and errors carry Go's exact wording
 * and HTTP code.
 */

const DIRECTIVE_MARKER = '$patch';
const DELETE_DIRECTIVE = 'delete';
const REPLACE_DIRECTIVE = 'replace';
const MERGE_DIRECTIVE = 'merge';
const RETAIN_KEYS_STRATEGY = 'retainKeys';
const DELETE_FROM_PRIMITIVE_LIST_PREFIX = '$deleteFromPrimitiveList';
const RETAIN_KEYS_DIRECTIVE = '$retainKeys';
const SET_ELEMENT_ORDER_PREFIX = '$setElementOrder';

/** x-kubernetes-patch-strategy (split on commas) and x-kubernetes-patch-merge-key of one field. */
export interface PatchMeta {
  readonly strategies: readonly string[];
  readonly mergeKey?: string;
}

/** Whether the merge descends into a field as an object (struct lookup) or as a list (slice lookup). */
export type PatchLookupMode = 'map' | 'list';

/**
 * Where the engine learns how to merge each field.
 *
 * Paths are the JSON object keys from the patched object's root; list items add no segment, so
 * ["spec", "containers", "ports"] is the ports list of every container. Map values (labels,
 * ConfigMap data) add their key like any other object key.
 */
export interface PatchSchemaLookup {
  /** Patch metadata of the field at `path`; undefined (no strategy) when it has none. */
  patchMeta(path: readonly string[]): PatchMeta | undefined;
  /**
   * The error Go's struct-tag lookup (PatchMetaFromStruct) raises when the merge descends into
   * `path`, e.g. a nested object under a field the type does not declare. Undefined when fine;
   * a lookup without this method accepts every path.
   */
  lookupError?(path: readonly string[], mode: PatchLookupMode): string | undefined;
  /** reflect.Kind of the elements of the list at `path` ("struct", "string", ...), for one error text. */
  elementKind?(path: readonly string[]): string;
}

/**
 * Thrown for a Go runtime panic inside the merge (e.g. a merge key whose value is an object). The
 * real apiserver's panic filter answers such requests with a plain-text 500 carrying this message
 * instead of a Status body; the REST layer can recognise the class and do the same.
 */
export class StrategicMergePatchPanic extends StatusError {
  constructor(readonly panicValue: string) {
    super(500, 'InternalError', 'This request caused apiserver to panic. Look in the logs for details.');
  }
}

/**
 * How interpretStrategicMergePatchError maps the Go error: the mergepatch sentinels for bad patch
 * formats are 400s, list-of-lists and retainKeys content errors are 422s, and everything else
 * (missing merge keys, unknown $patch values, type mismatches) reaches the client as a bare error,
 * i.e. a 500 Status with no reason.
 */
type FailureKind = 'bad-request' | 'unprocessable' | 'plain';

class MergeFailure extends Error {
  constructor(
    message: string,
    readonly kind: FailureKind,
  ) {
    super(message);
  }
}

// mergepatch's sentinel errors, worded as in pkg/util/mergepatch/errors.go.
const badPatchFormatForPrimitiveList = (): MergeFailure => new MergeFailure('invalid patch format of primitive list', 'bad-request');
const badPatchFormatForRetainKeys = (): MergeFailure => new MergeFailure('invalid patch format of retainKeys', 'bad-request');
const badPatchFormatForSetElementOrderList = (): MergeFailure => new MergeFailure('invalid patch format of setElementOrder list', 'bad-request');
const noListOfLists = (): MergeFailure => new MergeFailure('lists of lists are not supported', 'unprocessable');
const plain = (message: string): MergeFailure => new MergeFailure(message, 'plain');
const noMergeKey = (map: JsonMap, key: string): MergeFailure => plain(`map: ${goSprint(map)} does not contain declared merge key: ${key}`);
const badArgType = (expected: GoTypeName, actual: unknown): MergeFailure =>
  plain(`expected a ${expected}, but received a ${goReflectTypeString(actual)}`);
const badPatchType = (directive: unknown, map: JsonMap): MergeFailure => plain(`unknown patch type: ${goSprint(directive, 's')} in map: ${goSprint(map)}`);

function toStatusError(failure: MergeFailure): StatusError {
  switch (failure.kind) {
    case 'bad-request':
      return StatusError.badRequest(failure.message);
    case 'unprocessable':
      // errors.NewGenericServerResponse(422, "", GroupResource{}, "", msg, 0, false) drops the text for a stock one.
      return new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
    default:
      // Not an APIStatus: ErrorToAPIStatus makes it a 500 with StatusReasonUnknown (""), message kept.
      return new StatusError(500, '', failure.message);
  }
}

/**
 * Applies a strategic merge patch to an object, both plain decoded JSON. Neither input is changed.
 * Throws StatusError with the code and message the apiserver's PATCH handler gives.
 */
export function applyStrategicMergePatch(original: Record<string, unknown>, patch: Record<string, unknown>, lookup: PatchSchemaLookup): Record<string, unknown> {
  const target = cloneJson(original) as JsonMap;
  const patchCopy = cloneJson(patch) as JsonMap;
  try {
    return new StrategicMerger(lookup).mergeMap(target, patchCopy, []);
  } catch (err) {
    if (err instanceof MergeFailure) throw toStatusError(err);
    if (err instanceof GoPanic) throw new StrategicMergePatchPanic(err.message);
    throw err;
  }
}

interface FieldMeta {
  strategy: string;
  mergeKey: string;
}

/** One step of the merge; a class only so the lookup does not have to be threaded through every call. */
class StrategicMerger {
  constructor(private readonly lookup: PatchSchemaLookup) {}

  /** mergeMap: merges `patch` into `original` (mutating it) and returns the result. */
  mergeMap(original: JsonMap, patch: JsonMap, path: readonly string[]): JsonMap {
    if (hasOwn(patch, DIRECTIVE_MARKER)) return handleDirectiveInMergeMap(patch[DIRECTIVE_MARKER], patch);

    applyRetainKeysDirective(original, patch);
    // $setElementOrder lists (and the lists they order) are merged first and removed from the patch.
    this.mergePatchIntoOriginal(original, patch, path);

    for (const patchKey of Object.keys(patch)) {
      const patchValue = patch[patchKey];
      let key = patchKey;
      let isDeleteList = false;
      if (patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)) {
        isDeleteList = true;
        const originalKey = extractKey(patchKey, DELETE_FROM_PRIMITIVE_LIST_PREFIX);
        // Go only swaps the key when the name after the slash is non-empty.
        if (originalKey.length > 0) key = originalKey;
      }

      // null deletes; unmatched nulls are dropped (IgnoreUnmatchedNulls). This also applies to
      // `$deleteFromPrimitiveList/x: null`, which deletes x itself.
      if (patchValue === null) {
        delete original[key];
        continue;
      }

      if (!hasOwn(original, key)) {
        // A field the object lacks is taken from the patch, minus nulls and `$patch` maps.
        if (!isDeleteList) takePatchValue(original, key, patchValue);
        continue;
      }

      const originalValue = original[key];
      const originalType = goTypeOf(originalValue);
      if (originalType !== goTypeOf(patchValue)) {
        if (!isDeleteList) takePatchValue(original, key, patchValue);
        continue;
      }

      const fieldPath = [...path, key];
      if (originalType === GO_MAP) {
        const meta = this.fieldMeta(fieldPath, 'map');
        // The "replace" strategy (e.g. PodDisruptionBudgetSpec.selector) takes the patch map verbatim.
        const merged = meta.strategy !== REPLACE_DIRECTIVE ? this.mergeMap(originalValue as JsonMap, patchValue as JsonMap, fieldPath) : (patchValue as JsonMap);
        setKey(original, key, merged);
      } else if (originalType === GO_SLICE) {
        const meta = this.fieldMeta(fieldPath, 'list');
        setKey(original, key, this.mergeSliceHandler(originalValue as unknown[], patchValue as unknown[], fieldPath, meta, isDeleteList));
      } else {
        const [value, keep] = removeDirectives(patchValue);
        if (keep) setKey(original, key, value);
        else delete original[key];
      }
    }
    return original;
  }

  /**
   * The lookup for one field, with Go's failure when the struct walk cannot find it, and the
   * retainKeys strategy split off (retainKeys itself only matters through the $retainKeys directive).
   */
  private fieldMeta(path: readonly string[], mode: PatchLookupMode): FieldMeta {
    const error = this.lookup.lookupError?.(path, mode);
    if (error !== undefined) throw plain(error);
    const meta = this.lookup.patchMeta(path);
    return { strategy: extractRetainKeysPatchStrategy(meta?.strategies ?? []), mergeKey: meta?.mergeKey ?? '' };
  }

  /**
   * mergePatchIntoOriginal: for each `$setElementOrder/<field>`, merge <field> and order the result
   * by the directive list, then by the patch, then by the live object.
   */
  private mergePatchIntoOriginal(original: JsonMap, patch: JsonMap, path: readonly string[]): void {
    for (const key of Object.keys(patch)) {
      // A key removed earlier in this loop (as the list of a previous directive) is not visited, as in a Go map range.
      if (!hasOwn(patch, key) || !key.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
      const setElementOrder = patch[key];
      delete patch[key];
      if (!Array.isArray(setElementOrder)) throw badArgType(GO_SLICE, setElementOrder);
      const originalKey = extractKey(key, SET_ELEMENT_ORDER_PREFIX);

      const foundOriginal = hasOwn(original, originalKey);
      const foundPatch = hasOwn(patch, originalKey);
      let originalList: unknown[] = [];
      let patchList: unknown[] = [];
      if (foundOriginal) {
        const value = original[originalKey];
        if (!Array.isArray(value)) throw badArgType(GO_SLICE, value);
        originalList = value;
      }
      if (foundPatch) {
        const value = patch[originalKey];
        if (!Array.isArray(value)) throw badArgType(GO_SLICE, value);
        patchList = value;
      }

      const fieldPath = [...path, originalKey];
      const meta = this.fieldMeta(fieldPath, 'list');
      validatePatchWithSetOrderList(patchList, setElementOrder, meta.mergeKey);

      // What Go's `originalFieldValue` header sees afterwards: merging a list of maps deletes and
      // appends in place in the backing array it shares, which shifts the reference order used below.
      const serverOrder = [...originalList];
      let merged: unknown[];
      if (foundOriginal && !foundPatch) {
        merged = originalList;
      } else if (!foundOriginal && foundPatch) {
        merged = removeDirectives(patchList)[0] as unknown[];
      } else if (foundOriginal && foundPatch) {
        merged = this.mergeSliceHandler(originalList, patchList, fieldPath, meta, false, serverOrder);
      } else {
        continue;
      }

      const [patchItems, serverOnlyItems] =
        meta.mergeKey.length === 0 ? partitionPrimitivesByPresentInList(merged, setElementOrder) : partitionMapsByPresentInList(merged, setElementOrder, meta.mergeKey);
      const elementType = sliceElementType([serverOrder, patchList]);
      setKey(original, originalKey, normalizeElementOrder(patchItems, serverOnlyItems, setElementOrder, serverOrder, meta.mergeKey, elementType));
      delete patch[originalKey];
    }
  }

  /** Lists with the merge strategy, and deletion lists, are merged; any other list is replaced by the patch's. */
  private mergeSliceHandler(original: unknown[], patch: unknown[], path: readonly string[], meta: FieldMeta, isDeleteList: boolean, aliasView?: unknown[]): unknown[] {
    if (meta.strategy === MERGE_DIRECTIVE || isDeleteList) return this.mergeSlice(original, patch, path, meta.mergeKey, isDeleteList, aliasView);
    return patch;
  }

  /**
   * mergeSlice. `aliasView`, when given, is the caller's view of the original list's backing
   * array and receives the in-place shifts and appends Go makes to it.
   */
  private mergeSlice(original: unknown[], patch: unknown[], path: readonly string[], mergeKey: string, isDeleteList: boolean, aliasView?: unknown[]): unknown[] {
    if (original.length === 0 && patch.length === 0) return original;
    const elementType = sliceElementType([original, patch]);

    let merged: unknown[];
    if (elementType !== GO_MAP) {
      if (isDeleteList) return deleteFromSlice(original, patch);
      merged = deduplicateScalars([...original, ...patch]);
    } else {
      if (mergeKey === '') throw plain(`cannot merge lists without merge key for ${this.lookup.elementKind?.(path) ?? 'struct'}`);
      const special = mergeSliceWithSpecialElements(original, patch, mergeKey, aliasView);
      original = special.original;
      patch = special.patch;
      merged = this.mergeSliceWithoutSpecialElements(original, patch, mergeKey, path, special.shared ? aliasView : undefined);
    }

    const [patchItems, serverOnlyItems] =
      mergeKey.length === 0 ? partitionPrimitivesByPresentInList(merged, patch) : partitionMapsByPresentInList(merged, patch, mergeKey);
    return normalizeElementOrder(patchItems, serverOnlyItems, patch, original, mergeKey, elementType);
  }

  /** Items whose merge key matches an existing item are merged into it; the rest are appended as sent. */
  private mergeSliceWithoutSpecialElements(original: unknown[], patch: unknown[], mergeKey: string, path: readonly string[], aliasView?: unknown[]): unknown[] {
    const merged = original.slice();
    let shared = aliasView !== undefined;
    for (const item of patch) {
      const patchItem = item as JsonMap;
      if (!hasOwn(patchItem, mergeKey)) throw noMergeKey(patchItem, mergeKey);
      const found = findMapInSliceBasedOnKeyValue(merged, mergeKey, patchItem[mergeKey]);
      if (found) {
        // mergeMap mutates the existing item and returns it, so any alias sees the same object.
        merged[found.index] = this.mergeMap(found.map, patchItem, path);
        continue;
      }
      if (shared && aliasView) {
        // append() writes into the shared backing array while it has room (it holds at least the
        // original length); once it reallocates, later writes are invisible to the alias.
        if (merged.length < aliasView.length) aliasView[merged.length] = patchItem;
        else shared = false;
      }
      merged.push(patchItem);
    }
    return merged;
  }
}

/** `$patch` on a map: replace keeps the patch as is (nested directives and nulls included), delete empties it. */
function handleDirectiveInMergeMap(directive: unknown, patch: JsonMap): JsonMap {
  if (directive === REPLACE_DIRECTIVE) {
    delete patch[DIRECTIVE_MARKER];
    return patch;
  }
  if (directive === DELETE_DIRECTIVE) return {};
  // "merge" is only meaningful inside lists, and is rejected there too.
  throw badPatchType(directive, patch);
}

/** A patch value for a key the object lacks (or holds with another type): nulls below it dropped, `$patch` maps removed. */
function takePatchValue(original: JsonMap, key: string, patchValue: unknown): void {
  discardNullValuesFromPatch(patchValue);
  const [value, keep] = removeDirectives(patchValue);
  if (keep) setKey(original, key, value);
  else delete original[key];
}

/** retainKeys is a strategy flag of its own; what remains ("merge", "replace" or "") drives the merge. */
function extractRetainKeysPatchStrategy(strategies: readonly string[]): string {
  switch (strategies.length) {
    case 0:
      return '';
    case 1:
      return strategies[0] === RETAIN_KEYS_STRATEGY ? '' : strategies[0];
    case 2:
      if (strategies[0] === RETAIN_KEYS_STRATEGY) return strategies[1];
      if (strategies[1] === RETAIN_KEYS_STRATEGY) return strategies[0];
      break;
    default:
      break;
  }
  throw plain(`unexpected patch strategy: ${goSprint([...strategies])}`);
}

/** "$setElementOrder/containers" → "containers"; a key without the exact prefix and a slash is a bad patch. */
function extractKey(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    if (prefix === DELETE_FROM_PRIMITIVE_LIST_PREFIX) throw badPatchFormatForPrimitiveList();
    throw badPatchFormatForSetElementOrderList();
  }
  return key.slice(slash + 1);
}

/**
 * `$retainKeys`: fields of the live map missing from the list are cleared (the other members of a
 * union such as a volume source or a deployment strategy); every non-null field the patch sets
 * must be in the list.
 */
function applyRetainKeysDirective(original: JsonMap, patch: JsonMap): void {
  if (!hasOwn(patch, RETAIN_KEYS_DIRECTIVE)) return;
  const retainKeys = patch[RETAIN_KEYS_DIRECTIVE];
  delete patch[RETAIN_KEYS_DIRECTIVE];
  if (!Array.isArray(retainKeys)) throw badPatchFormatForRetainKeys();
  const retained = new Set(retainKeys.map(goHashKey));
  for (const key of Object.keys(patch)) {
    if (patch[key] === null || key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX) || key.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    if (!retained.has(goHashKey(key))) throw badPatchFormatForRetainKeys();
  }
  for (const key of Object.keys(original)) {
    if (!retained.has(goHashKey(key))) delete original[key];
  }
}

/**
 * The items of the patch list (deletions aside) must appear in the same relative order in the
 * $setElementOrder list, and none may be missing from it.
 */
function validatePatchWithSetOrderList(patchList: unknown[], setOrderList: unknown[], mergeKey: string): void {
  if (setOrderList.length === 0 || patchList.length === 0) return;
  const nonDeleteList = mergeKey.length > 0 ? extractToDeleteItems(patchList)[0] : patchList;
  let patchIndex = 0;
  let setOrderIndex = 0;
  while (patchIndex < nonDeleteList.length && setOrderIndex < setOrderList.length) {
    if (containsDirectiveMarker(nonDeleteList[patchIndex])) {
      patchIndex++;
      continue;
    }
    if (mergeKeyValueEqual(nonDeleteList[patchIndex], setOrderList[setOrderIndex], mergeKey)) patchIndex++;
    setOrderIndex++;
  }
  if (patchIndex < nonDeleteList.length && setOrderIndex >= setOrderList.length) {
    throw plain(`The order in patch list:\n${goSprint(patchList)}\n doesn't match ${SET_ELEMENT_ORDER_PREFIX} list:\n${goSprint(setOrderList)}\n`);
  }
}

function containsDirectiveMarker(item: unknown): boolean {
  return isJsonMap(item) && hasOwn(item, DIRECTIVE_MARKER);
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (mergeKey.length === 0) return goEqual(left, right);
  if (!isJsonMap(left)) throw badArgType(GO_MAP, left);
  if (!isJsonMap(right)) throw badArgType(GO_MAP, right);
  if (!hasOwn(left, mergeKey)) throw noMergeKey(left, mergeKey);
  if (!hasOwn(right, mergeKey)) throw noMergeKey(right, mergeKey);
  return goEqual(left[mergeKey], right[mergeKey]);
}

/**
 * `$patch` items of a list of maps: delete removes every item with that merge key, replace makes
 * the list exactly the patch's other items, merge and anything else are errors. Deletions shift
 * the alias view as Go's in-place append(s[:i], s[i+1:]...) does.
 */
function mergeSliceWithSpecialElements(
  original: unknown[],
  patch: unknown[],
  mergeKey: string,
  aliasView: unknown[] | undefined,
): { original: unknown[]; patch: unknown[]; shared: boolean } {
  const withoutSpecial: unknown[] = [];
  let replace = false;
  let current = original;
  for (const item of patch) {
    const patchItem = item as JsonMap;
    if (!hasOwn(patchItem, DIRECTIVE_MARKER)) {
      withoutSpecial.push(item);
      continue;
    }
    const directive = patchItem[DIRECTIVE_MARKER];
    if (directive === DELETE_DIRECTIVE) {
      if (!hasOwn(patchItem, mergeKey)) throw noMergeKey(patchItem, mergeKey);
      current = deleteMatchingEntries(current, mergeKey, patchItem[mergeKey], aliasView);
    } else if (directive === REPLACE_DIRECTIVE) {
      // Keep going: later items may still be deletions or invalid directives.
      replace = true;
    } else if (directive === MERGE_DIRECTIVE) {
      throw plain('merging lists cannot yet be specified in the patch');
    } else {
      throw badPatchType(directive, patchItem);
    }
  }
  if (replace) return { original: withoutSpecial, patch: [], shared: false };
  return { original: current, patch: withoutSpecial, shared: true };
}

function deleteMatchingEntries(original: unknown[], mergeKey: string, mergeValue: unknown, aliasView: unknown[] | undefined): unknown[] {
  let current = original;
  for (;;) {
    const found = findMapInSliceBasedOnKeyValue(current, mergeKey, mergeValue);
    if (!found) return current;
    if (aliasView) {
      for (let i = found.index; i < current.length - 1; i++) aliasView[i] = aliasView[i + 1];
    }
    current = [...current.slice(0, found.index), ...current.slice(found.index + 1)];
  }
}

/** The first map whose merge key equals `value`; a non-map item before it is an error, as in Go. */
function findMapInSliceBasedOnKeyValue(list: unknown[], key: string, value: unknown): { map: JsonMap; index: number } | undefined {
  for (let index = 0; index < list.length; index++) {
    const item = list[index];
    if (!isJsonMap(item)) throw plain(`value for key ${index} is not a map`);
    if (hasOwn(item, key) && goEqual(item[key], value)) return { map: item, index };
  }
  return undefined;
}

/** `$deleteFromPrimitiveList/<field>`: drop every occurrence of the listed values. */
function deleteFromSlice(current: unknown[], toDelete: unknown[]): unknown[] {
  const doomed = new Set(toDelete.map(goHashKey));
  return current.filter((item) => !doomed.has(goHashKey(item)));
}

/**
 * Go's in-place de-duplication: a duplicate is overwritten by the current last element. The
 * resulting order is later normalized, but the overwrite decides which copy of a value survives
 * where, so it is kept literally.
 */
function deduplicateScalars(items: unknown[]): unknown[] {
  let length = items.length - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (goEqual(items[i], items[j])) {
        items[j] = items[length];
        items.length = length;
        length--;
        j--;
      }
    }
  }
  return items;
}

/** sliceElementType: every element of every list must have one Go type, and not be a list. */
function sliceElementType(lists: unknown[][]): GoTypeName {
  let previous: GoTypeName | undefined;
  for (const list of lists) {
    for (const item of list) {
      const current = goTypeOf(item);
      if (previous === undefined) {
        // A null first element gives Go a nil reflect.Type, on which it then calls Kind().
        if (current === 'nil') throw new GoPanic('runtime error: invalid memory address or nil pointer dereference');
        previous = current;
        if (previous === GO_SLICE) throw noListOfLists();
      } else if (previous !== current) {
        throw plain(`list element types are not identical: ${goSprint(lists)}`);
      }
    }
  }
  if (previous === undefined) throw plain('no elements in any of the given slices');
  return previous;
}

function partitionPrimitivesByPresentInList(original: unknown[], partitionBy: unknown[]): [unknown[], unknown[]] {
  const inPatch = new Set(partitionBy.map(goHashKey));
  const patch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const item of original) (inPatch.has(goHashKey(item)) ? patch : serverOnly).push(item);
  return [patch, serverOnly];
}

function partitionMapsByPresentInList(original: unknown[], partitionBy: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const patch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const item of original) {
    if (!isJsonMap(item)) throw badArgType(GO_MAP, item);
    if (!hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
    (findMapInSliceBasedOnKeyValue(partitionBy, mergeKey, item[mergeKey]) ? patch : serverOnly).push(item);
  }
  return [patch, serverOnly];
}

/**
 * normalizeElementOrder: patch items sorted by the patch (or $setElementOrder) order, server-only
 * items by the live order, then the two interleaved by the live order where both are known.
 */
function normalizeElementOrder(
  patch: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  elementType: GoTypeName,
): unknown[] {
  const sortedPatch = normalizeSliceOrder(patch, patchOrder, mergeKey, elementType);
  const sortedServerOnly = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, elementType);
  return mergeSortedSlice(sortedServerOnly, sortedPatch, serverOrder, mergeKey, elementType);
}

/** Sorts `toSort` by `order`; `$patch: delete` items go last. Uses Go's comparator, which calls unknown items "less". */
function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, elementType: GoTypeName): unknown[] {
  let items = toSort;
  let toDelete: unknown[] = [];
  if (elementType === GO_MAP) {
    validateMergeKeyInLists(mergeKey, [items, order]);
    [items, toDelete] = extractToDeleteItems(items);
  }
  sliceStable(items, (i, j) => {
    const ii = indexOf(order, items[i], mergeKey, elementType);
    if (ii >= 0) {
      const ij = indexOf(order, items[j], mergeKey, elementType);
      if (ij >= 0) return ii < ij;
    }
    return true;
  });
  return [...items, ...toDelete];
}

/**
 * mergeSortedSlice: inserts the server-only items (left) among the patch items (right). A left
 * item goes first only when both are found in the live order and it comes earlier there, so a
 * patch item the live list does not know goes before the remaining server-only items.
 */
function mergeSortedSlice(left: unknown[], right: unknown[], serverOrder: unknown[], mergeKey: string, elementType: GoTypeName): unknown[] {
  const result: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) result.push(right[j++]);
    else if (j >= right.length) result.push(left[i++]);
    else {
      const li = indexOf(serverOrder, left[i], mergeKey, elementType);
      const ri = indexOf(serverOrder, right[j], mergeKey, elementType);
      if (li >= 0 && ri >= 0 && li < ri) result.push(left[i++]);
      else result.push(right[j++]);
    }
  }
  return result;
}

/** index(): position by merge key value for maps (a missing key counts as nil), by value otherwise. */
function indexOf(list: unknown[], value: unknown, mergeKey: string, elementType: GoTypeName): number {
  const valueOf = (item: unknown): unknown => (elementType === GO_MAP ? (isJsonMap(item) && hasOwn(item, mergeKey) ? item[mergeKey] : null) : item);
  const wanted = valueOf(value);
  for (let i = 0; i < list.length; i++) {
    if (goEqual(wanted, valueOf(list[i]))) return i;
  }
  return -1;
}

function validateMergeKeyInLists(mergeKey: string, lists: unknown[][]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isJsonMap(item)) throw badArgType(GO_MAP, item);
      if (!hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
    }
  }
}

/** Splits off the `$patch: delete` items (only ever found in patch lists passed through verbatim). */
function extractToDeleteItems(list: unknown[]): [unknown[], unknown[]] {
  const keep: unknown[] = [];
  const toDelete: unknown[] = [];
  for (const item of list) {
    if (!isJsonMap(item)) throw badArgType(GO_MAP, item);
    (hasOwn(item, DIRECTIVE_MARKER) && item[DIRECTIVE_MARKER] === DELETE_DIRECTIVE ? toDelete : keep).push(item);
  }
  return [keep, toDelete];
}

/**
 * removeDirectives: a map carrying `$patch` disappears (from its parent map or list); other
 * directive keys ($retainKeys, $setElementOrder/…) stay, as in Go, and reach the decoder.
 */
function removeDirectives(value: unknown): [unknown, boolean] {
  if (Array.isArray(value)) {
    const kept: unknown[] = [];
    for (const item of value) {
      const [cleaned, keep] = removeDirectives(item);
      if (keep) kept.push(cleaned);
    }
    return [kept, true];
  }
  if (isJsonMap(value)) {
    if (hasOwn(value, DIRECTIVE_MARKER)) return [null, false];
    for (const key of Object.keys(value)) {
      const [cleaned, keep] = removeDirectives(value[key]);
      if (keep) setKey(value, key, cleaned);
      else delete value[key];
    }
    return [value, true];
  }
  return [value, true];
}

/** Drops null-valued keys at every depth, through lists too; null list items stay. */
function discardNullValuesFromPatch(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) discardNullValuesFromPatch(item);
  } else if (isJsonMap(value)) {
    for (const key of Object.keys(value)) {
      if (value[key] === null) delete value[key];
      else discardNullValuesFromPatch(value[key]);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Schema lookup over the project's schema source.

/** Go reflect.Kind names for schema node kinds, as PatchMetaFromStruct.Name() prints them. */
function reflectKindOf(node: SchemaNode): string {
  switch (node.kind) {
    case 'struct':
    case 'int-or-string':
    case 'quantity':
    case 'time':
    case 'micro-time':
      return 'struct';
    case 'map':
      return 'map';
    case 'array':
    case 'bytes':
      return 'slice';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'integer':
    case 'number':
      return node.goType;
    default:
      // Free-form fields are Go structs (RawExtension, JSON, FieldsV1) when they name a definition.
      return node.definition ? 'struct' : 'interface';
  }
}

/** t.Name() of the Go struct behind a node: the definition's last segment, "" for anonymous ones. */
function structNameOf(node: SchemaNode): string {
  if (node.definition) return node.definition.slice(node.definition.lastIndexOf('.') + 1);
  switch (node.kind) {
    case 'int-or-string':
      return 'IntOrString';
    case 'quantity':
      return 'Quantity';
    case 'time':
      return 'Time';
    case 'micro-time':
      return 'MicroTime';
    default:
      return '';
  }
}

function elementOf(node: SchemaNode): SchemaNode {
  let current = node;
  while (current.kind === 'array' && current.items) current = current.items;
  return current;
}

interface Resolved {
  node?: SchemaNode;
  error?: string;
}

/**
 * PatchSchemaLookup over a definition of the shared schema (the OpenAPI extensions mirror the Go
 * struct tags the apiserver reads). Lookup failures are phrased as forkedjson.LookupPatchMetadataForStruct
 * phrases them for the Go types.
 */
class SchemaPatchLookup implements PatchSchemaLookup {
  private readonly cache = new Map<string, Resolved>();

  constructor(private readonly root: SchemaNode) {}

  patchMeta(path: readonly string[]): PatchMeta | undefined {
    const { node } = this.resolve(path);
    if (!node || (node.patchStrategies.length === 0 && node.patchMergeKey === undefined)) return undefined;
    return { strategies: node.patchStrategies, mergeKey: node.patchMergeKey };
  }

  lookupError(path: readonly string[], mode: PatchLookupMode): string | undefined {
    const { node, error } = this.resolve(path);
    if (error !== undefined || !node || mode === 'map') return error;
    // LookupPatchMetadataForSlice: the field must be a slice of non-slices (pointers to structs pass).
    if (node.kind === 'array') return node.items?.kind === 'array' ? 'unexpected slice of slice' : undefined;
    return node.kind === 'struct' ? undefined : 'expected slice or array type, but got: struct';
  }

  elementKind(path: readonly string[]): string {
    const { node } = this.resolve(path);
    return node ? reflectKindOf(elementOf(node)) : 'struct';
  }

  /** The field at `path`, walked as the Go lookup walks it (list items add no segment). */
  private resolve(path: readonly string[]): Resolved {
    const cacheKey = path.join('\u0000');
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    let resolved: Resolved;
    if (path.length === 0) {
      resolved = { node: this.root };
    } else {
      const parent = this.resolve(path.slice(0, -1));
      resolved = parent.error !== undefined || !parent.node ? parent : this.field(elementOf(parent.node), path[path.length - 1]);
    }
    this.cache.set(cacheKey, resolved);
    return resolved;
  }

  private field(parent: SchemaNode, name: string): Resolved {
    const isStruct = parent.kind === 'struct' || parent.kind === 'int-or-string' || parent.kind === 'quantity' || parent.kind === 'time' || parent.kind === 'micro-time' || (parent.kind === 'any' && !!parent.definition);
    if (!isStruct) return { error: `merging an object in json but data type is not struct, instead is: ${reflectKindOf(parent)}` };
    const exact = parent.properties.get(name);
    if (exact) return { node: exact };
    // encoding/json (and the forked lookup) fall back to a case-insensitive field match.
    const folded = name.toLowerCase();
    for (const [field, node] of parent.properties) {
      if (field.toLowerCase() === folded) return { node };
    }
    return { error: `unable to find api field in struct ${structNameOf(parent)} for the json field "${name}"` };
  }
}

/** Lookups per schema set and definition, so their resolved-path caches outlive a single request. */
const lookups = new WeakMap<Schemas, Map<string, SchemaPatchLookup>>();

/** The patch lookup for a definition of the shared schema, e.g. "io.k8s.api.core.v1.Pod". */
export function schemaLookupFor(definition: string, schemas: Schemas = Schemas.shared()): PatchSchemaLookup {
  let byDefinition = lookups.get(schemas);
  if (!byDefinition) {
    byDefinition = new Map();
    lookups.set(schemas, byDefinition);
  }
  let lookup = byDefinition.get(definition);
  if (!lookup) {
    const root = schemas.definitionOf(definition);
    if (!root) throw new Error(`strategic merge patch: unknown definition ${definition}`);
    lookup = new SchemaPatchLookup(root);
    byDefinition.set(definition, lookup);
  }
  return lookup;
}
