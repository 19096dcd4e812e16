/**
 * Server-side apply and managedFields bookkeeping as pure functions over JSON objects, following
 * sigs.k8s.io/structured-merge-diff and the apiserver's field manager. Transports call
 * serverSideApply for `application/apply-patch+yaml` and updateManagedFields for every other write;
 * neither touches storage.
 */
import { Schemas } from '../schema/schemas';
import type { SchemaNode } from '../schema/schema-node';
import { FieldSet, type FieldPath, makePath } from './fieldpath';
import { deepCopy, isRecord, jsonEquals } from './go-json';
import { encodeManagedFields, formatTime, isResetManagedFields, type ManagedFieldsEntry } from './managed-fields';
import { fieldManagerApply, fieldManagerCreate, fieldManagerUpdate, type FieldManagerContext, type JsonObject } from './field-manager';
import { toFieldSet } from './typed';
import { goShape } from './go-shape';

export { FieldSet, FieldsV1Error, fieldElement, keyElement, valueElement, indexElement, makePath, pathString, type PathElement, type FieldPath } from './fieldpath';
export { ApplyConflictError, applyConflictToStatusError, conflictMessage, type ApplyConflict } from './errors';
export { LAST_APPLIED_ANNOTATION, MAX_UPDATE_MANAGERS, buildLastApplied } from './field-manager';
export { decodeManagedFields, buildManagerIdentifier, ManagedFieldsDecodeError } from './managed-fields';
export type { ManagedFieldsEntry, ManagedFieldsOperation } from './managed-fields';

/** FieldsV1 encoding of a field set (keys like "f:spec", `k:{"containerPort":80,"protocol":"TCP"}`, `v:"x"`, "."). */
export function toFieldsV1(set: FieldSet): Record<string, unknown> {
  return set.toFieldsV1();
}

/** Reads FieldsV1 JSON back into a set (throws FieldsV1Error on malformed keys). */
export function fromFieldsV1(json: unknown): FieldSet {
  return FieldSet.fromFieldsV1(json);
}

function schemaNode(schemas: Schemas, definition: string): SchemaNode {
  const node = schemas.definitionOf(definition);
  if (!node) throw new Error(`apply: unknown definition ${definition}`);
  return node;
}

/** The set of leaf/structural fields an object (or an applied configuration) sets, per the schema. */
export function fieldSetOf(obj: unknown, definition: string, schemas: Schemas = Schemas.shared()): FieldSet {
  return toFieldSet(obj, schemaNode(schemas, definition));
}

/**
 * Paths the strategy resets for a write through this endpoint (GetResetFields): the main resource
 * may not set status, the status subresource may not set spec. Kinds without a status subresource
 * (and so without reset fields) pass `resetFields: []`.
 */
export function defaultResetFields(definition: string, subresource?: string, schemas: Schemas = Schemas.shared()): string[][] {
  const node = schemaNode(schemas, definition);
  if (!subresource) return node.properties.has('status') ? [['status']] : [];
  if (subresource === 'status') return node.properties.has('spec') ? [['spec']] : [];
  return [];
}

interface CommonArgs {
  definition: string;
  /** The endpoint's group/version ("v1", "apps/v1"): entries record it; applied objects must match it. */
  apiVersion: string;
  /** Time of the request; written with whole-second precision. */
  now: string;
  subresource?: string;
  /** Reset field paths; defaults to defaultResetFields(definition, subresource). */
  resetFields?: ReadonlyArray<readonly string[]>;
  schemas?: Schemas;
}

export interface ServerSideApplyArgs extends CommonArgs {
  live: Record<string, unknown> | undefined;
  config: Record<string, unknown>;
  manager: string;
  force: boolean;
  /**
   * Put the live values of the reset fields back into the result (what the strategy's
   * PrepareForCreate/PrepareForUpdate does after the field manager). Default true.
   */
  restoreResetFields?: boolean;
}

export interface UpdateManagedFieldsArgs extends CommonArgs {
  old: Record<string, unknown> | undefined;
  next: Record<string, unknown>;
  manager: string;
}

function kindFor(node: SchemaNode, apiVersion: string): string | undefined {
  const match = node.gvk.find((gvk) => (gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version) === apiVersion);
  return (match ?? node.gvk[0])?.kind;
}

function contextFor(args: CommonArgs): { ctx: FieldManagerContext; resetPaths: ReadonlyArray<readonly string[]> } {
  const schemas = args.schemas ?? Schemas.shared();
  const type = schemaNode(schemas, args.definition);
  const resetPaths = args.resetFields ?? defaultResetFields(args.definition, args.subresource, schemas);
  const ignored = resetPaths.length ? FieldSet.of(...resetPaths.map((p): FieldPath => makePath(...p))) : undefined;
  return {
    ctx: {
      type,
      apiVersion: args.apiVersion,
      kind: kindFor(type, args.apiVersion),
      subresource: args.subresource ?? '',
      now: formatTime(args.now),
      ignored,
      shape: (obj) => goShape(obj, type),
    },
    resetPaths,
  };
}

function setManagedFields(obj: JsonObject, entries: ManagedFieldsEntry[]): JsonObject {
  const metadata: JsonObject = isRecord(obj.metadata) ? { ...obj.metadata } : {};
  if (entries.length > 0) metadata.managedFields = entries;
  else delete metadata.managedFields;
  return { ...obj, metadata };
}

function hasManagedFields(obj: JsonObject): boolean {
  return isRecord(obj.metadata) && obj.metadata.managedFields !== undefined;
}

function getPath(obj: unknown, path: readonly string[]): unknown {
  let current = obj;
  for (const segment of path) {
    if (!isRecord(current)) return undefined;
    current = current[segment];
  }
  return current;
}

function setPath(obj: JsonObject, path: readonly string[], value: unknown): void {
  let current: JsonObject = obj;
  for (let i = 0; i < path.length - 1; i++) {
    const next = current[path[i]];
    if (!isRecord(next)) {
      if (value === undefined) return;
      current[path[i]] = {};
    }
    current = current[path[i]] as JsonObject;
  }
  const leaf = path[path.length - 1];
  if (value === undefined) delete current[leaf];
  else current[leaf] = deepCopy(value);
}

/**
 * Server-side apply: merges `config` into `live` (undefined = create) for `manager`. Fields the
 * manager applied before but omits now are removed unless another manager owns them; changing
 * fields another manager owns fails with ApplyConflictError unless `force`. Returns the new object
 * with metadata.managedFields updated. Malformed requests throw StatusError (400, or 500 where the
 * real server has no Status of its own).
 */
export function serverSideApply(args: ServerSideApplyArgs): Record<string, unknown> {
  const { ctx, resetPaths } = contextFor(args);
  const outcome = fieldManagerApply(ctx, args.live, args.config, args.manager, args.force);
  const object = deepCopy(outcome.object);
  if (args.restoreResetFields !== false) {
    for (const path of resetPaths) if (path.length > 0) setPath(object, path, getPath(args.live, path));
  }
  restoreSystemMetadata(object, args.live);
  return setManagedFields(object, encodeManagedFields(outcome.managed));
}

/** Server-populated metadata a configuration cannot unset (rest.BeforeUpdate keeps the stored values). */
const SYSTEM_METADATA = ['uid', 'creationTimestamp', 'resourceVersion', 'generation', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds'];

/**
 * Manifests written by `kubectl create --dry-run -o yaml` carry `creationTimestamp: null`; merged,
 * that null would drop the stored value (a typed object turns it into the zero time, which the
 * strategy then overwrites with the stored one). Put back what a null removed.
 */
function restoreSystemMetadata(object: JsonObject, live: JsonObject | undefined): void {
  const liveMetadata = live && isRecord(live.metadata) ? live.metadata : undefined;
  if (!liveMetadata) return;
  const metadata = isRecord(object.metadata) ? object.metadata : (object.metadata = {});
  const target = metadata as JsonObject;
  for (const key of SYSTEM_METADATA) {
    if (liveMetadata[key] !== undefined && target[key] === undefined) target[key] = deepCopy(liveMetadata[key]);
  }
}

/**
 * For non-apply writes (create/update/patch): records an Update entry for `manager` owning the
 * fields it changed, taking them from other managers (no conflicts). managedFields sent by the
 * client are honoured (an empty list resets them); on a subresource the stored ones continue.
 */
export function updateManagedFields(args: UpdateManagedFieldsArgs): Record<string, unknown> {
  const { ctx } = contextFor(args);
  try {
    if (args.old === undefined && !ctx.subresource && !hasManagedFields(args.next)) {
      return setManagedFields(deepCopy(args.next), encodeManagedFields(fieldManagerCreate(ctx, args.next, args.manager)));
    }
    const managed = fieldManagerUpdate(ctx, args.old, args.next, args.manager, isResetManagedFields);
    return setManagedFields(deepCopy(args.next), encodeManagedFields(managed));
  } catch (err) {
    // UpdateNoErrors: a failure to track ownership never fails the write; the stored entries stay.
    if (err instanceof Error && !(err instanceof TypeError) && !(err instanceof RangeError)) {
      const previous = args.old && isRecord(args.old.metadata) ? args.old.metadata.managedFields : undefined;
      const metadata: JsonObject = isRecord(args.next.metadata) ? { ...args.next.metadata } : {};
      if (Array.isArray(previous)) metadata.managedFields = deepCopy(previous);
      else delete metadata.managedFields;
      return { ...deepCopy(args.next), metadata };
    }
    throw err;
  }
}

/**
 * The manager name a write without ?fieldManager= records (managerOrUserAgent): the User-Agent up
 * to its first "/", unprintable characters dropped, at most 128 bytes.
 */
export function managerFromUserAgent(fieldManager: string | undefined, userAgent: string | undefined): string {
  if (fieldManager) return fieldManager;
  const agent = userAgent ?? '';
  let manager = managersByUserAgent.get(agent);
  if (manager === undefined) {
    // A handful of clients send the same few User-Agents; the cap keeps odd ones from piling up.
    if (managersByUserAgent.size >= 256) managersByUserAgent.clear();
    manager = managerOf(agent);
    managersByUserAgent.set(agent, manager);
  }
  return manager;
}

const managersByUserAgent = new Map<string, string>();

function managerOf(userAgent: string): string {
  const prefix = userAgent.split('/')[0];
  let out = '';
  let bytes = 0;
  for (const ch of prefix) {
    if (/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u.test(ch) || (/\s/u.test(ch) && ch !== ' ')) continue;
    const size = Buffer.byteLength(ch);
    if (bytes + size > 128) break;
    out += ch;
    bytes += size;
  }
  return out;
}

/**
 * IgnoreManagedFieldsTimestampsTransformer: when a write changed nothing but managedFields
 * timestamps, put the old timestamps back so that no new resourceVersion is needed.
 */
export function ignoreManagedFieldsTimestamps(newObj: Record<string, unknown>, oldObj: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!oldObj) return newObj;
  const oldEntries = isRecord(oldObj.metadata) && Array.isArray(oldObj.metadata.managedFields) ? (oldObj.metadata.managedFields as unknown[]) : [];
  const newEntries = isRecord(newObj.metadata) && Array.isArray(newObj.metadata.managedFields) ? (newObj.metadata.managedFields as unknown[]) : [];
  if (oldEntries.length !== newEntries.length || newEntries.length === 0) return newObj;
  const timeOf = (entry: unknown): unknown => (isRecord(entry) ? entry.time : undefined);
  if (newEntries.every((entry, i) => timeOf(entry) === timeOf(oldEntries[i]))) return newObj;
  const withoutTime = (entry: unknown): unknown => {
    if (!isRecord(entry)) return entry;
    const { time: _time, ...rest } = entry;
    void _time;
    return rest;
  };
  if (!newEntries.every((entry, i) => jsonEquals(withoutTime(entry), withoutTime(oldEntries[i])))) return newObj;
  const strip = (obj: Record<string, unknown>): unknown => {
    const metadata = isRecord(obj.metadata) ? { ...obj.metadata } : {};
    delete metadata.managedFields;
    return { ...obj, metadata };
  };
  if (!jsonEquals(strip(newObj), strip(oldObj))) return newObj;
  const metadata = { ...(newObj.metadata as Record<string, unknown>), managedFields: deepCopy(oldEntries) };
  return { ...newObj, metadata };
}
