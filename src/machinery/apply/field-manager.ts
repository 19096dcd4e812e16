/**
 * The apiserver's field manager around the merge algebra: the chain of small managers that
 * k8s.io/apimachinery/pkg/util/managedfields/internal builds in NewDefaultFieldManager, outermost
 * first —
 *   lastAppliedUpdater → lastAppliedManager → skipNonApplied → capManagers → buildManagerInfo
 *   → managedFieldsUpdater → stripMeta → structuredMerge (updater.ts)
 * — each kept as one function here so the behaviour can be traced back to its Go counterpart.
 */
import type { SchemaNode } from '../schema/schema-node';
import { StatusError } from '../errors/status-error';
import { FieldSet, makePath } from './fieldpath';
import { deepCopy, goJson, isRecord } from './go-json';
import { buildManagerIdentifier, decodeManagedFields, emptyManaged, type Managed, ManagedFieldsDecodeError } from './managed-fields';
import { ConflictsError, updaterApply, updaterUpdate, type Conflict, type UpdaterOptions } from './updater';
import { compare, dropNulls, formatValidationErrors, toFieldSet, validate } from './typed';
import { ApplyConflictError, internalApplyError } from './errors';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** Update entries beyond this many are folded into "ancient-changes" buckets, oldest first. */
export const MAX_UPDATE_MANAGERS = 10;
const BEFORE_FIRST_APPLY = 'before-first-apply';
const ANCIENT_CHANGES = 'ancient-changes';
const CURRENT_OPERATION = 'current-operation';
/** apimachinery validation's TotalAnnotationSizeLimitB. */
const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

export type JsonObject = Record<string, unknown>;

export interface FieldManagerContext {
  type: SchemaNode;
  /** "v1", "apps/v1": the version the request speaks, recorded on entries. */
  apiVersion: string;
  /** Kind of the endpoint, for the apply version check (undefined skips the kind check). */
  kind?: string;
  subresource: string;
  /** metav1.Time text of "now". */
  now: string;
  /** Fields the strategy resets; no manager owns them through this endpoint. */
  ignored?: FieldSet;
  /**
   * How an object looks once decoded into its Go type (zero-valued structs present, nil slices as
   * null): the form the Go code compares, so ownership of non-leaf fields comes out the same. Only
   * comparisons use it; results keep the caller's shape.
   */
  shape: (obj: JsonObject) => JsonObject;
}

/** The fields no manager ever owns (stripMeta). */
const STRIPPED = FieldSet.of(
  makePath('apiVersion'),
  makePath('kind'),
  makePath('metadata'),
  makePath('metadata', 'name'),
  makePath('metadata', 'namespace'),
  makePath('metadata', 'creationTimestamp'),
  makePath('metadata', 'selfLink'),
  makePath('metadata', 'uid'),
  makePath('metadata', 'clusterName'),
  makePath('metadata', 'generation'),
  makePath('metadata', 'managedFields'),
  makePath('metadata', 'resourceVersion'),
);

function copyManaged(managed: Managed): Managed {
  return { fields: new Map(managed.fields), times: new Map(managed.times) };
}

/** The object without metadata.managedFields (they are never part of what is compared or merged). */
export function withoutManagedFields(obj: JsonObject): JsonObject {
  const metadata = obj.metadata;
  if (!isRecord(metadata) || !('managedFields' in metadata)) return obj;
  const { managedFields: _dropped, ...rest } = metadata;
  void _dropped;
  return { ...obj, metadata: rest };
}

function gvkString(obj: JsonObject): string {
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  const slash = apiVersion.indexOf('/');
  const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
  const version = slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion;
  return `${group}/${version}, Kind=${kind}`;
}

/** objectGVKNN: "namespace/name; group/version, Kind=Kind", as apply errors describe the object. */
function describe(obj: JsonObject): string {
  const metadata = isRecord(obj.metadata) ? obj.metadata : {};
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : '';
  const name = typeof metadata.name === 'string' ? metadata.name : '';
  return `${namespace}/${name}; ${gvkString(obj)}`;
}

// ---------------------------------------------------------------------------------------------
// structuredMergeManager

interface Outcome {
  object: JsonObject;
  managed: Managed;
}

function updaterOptions(ctx: FieldManagerContext): UpdaterOptions {
  return { type: ctx.type, ignored: ctx.ignored, shape: (obj) => (isRecord(obj) ? ctx.shape(obj) : obj) };
}

function structuredUpdate(ctx: FieldManagerContext, live: JsonObject, next: JsonObject, managed: Managed, manager: string): Managed {
  const fields = updaterUpdate(updaterOptions(ctx), live, next, ctx.apiVersion, new Map(managed.fields), manager);
  return { fields, times: managed.times };
}

function structuredApply(ctx: FieldManagerContext, live: JsonObject, config: JsonObject, managed: Managed, manager: string, force: boolean): { object?: JsonObject; managed: Managed } {
  const patchVersion = typeof config.apiVersion === 'string' ? config.apiVersion : '';
  if (patchVersion !== ctx.apiVersion) {
    throw StatusError.badRequest(`Incorrect version specified in apply patch. Specified patch version: ${patchVersion}, expected: ${ctx.apiVersion}`);
  }
  const metadata = isRecord(config.metadata) ? config.metadata : {};
  if (metadata.managedFields !== undefined && metadata.managedFields !== null) throw StatusError.badRequest('metadata.managedFields must be nil');
  // Duplicates are not allowed in what a manager applies (they are tolerated in live objects).
  const errors = validate(config, ctx.type, false);
  if (errors.length > 0) throw internalApplyError(`failed to create typed patch object (${describe(config)}): ${formatValidationErrors(errors)}`);
  const outcome = updaterApply(updaterOptions(ctx), live, config, ctx.apiVersion, new Map(managed.fields), manager, force);
  const object = outcome.object === undefined ? undefined : ((dropNulls(outcome.object) as JsonObject | null) ?? {});
  return { object, managed: { fields: outcome.managers, times: managed.times } };
}

// ---------------------------------------------------------------------------------------------
// stripMetaManager

function strip(managed: Managed, manager: string): Managed {
  const versioned = managed.fields.get(manager);
  if (!versioned) return managed;
  const set = versioned.set.difference(STRIPPED);
  if (set.isEmpty()) managed.fields.delete(manager);
  else managed.fields.set(manager, { ...versioned, set });
  return managed;
}

// ---------------------------------------------------------------------------------------------
// managedFieldsUpdater: Update runs as a placeholder manager so that an update that changed
// nothing leaves the real manager's entry (and its time) untouched.

function timedUpdate(ctx: FieldManagerContext, live: JsonObject, next: JsonObject, managed: Managed, manager: string): Managed {
  const out = strip(structuredUpdate(ctx, live, next, copyManaged(managed), CURRENT_OPERATION), CURRENT_OPERATION);
  const current = out.fields.get(CURRENT_OPERATION);
  if (current) {
    out.fields.delete(CURRENT_OPERATION);
    const previous = out.fields.get(manager);
    out.fields.set(manager, previous ? { ...current, set: current.set.union(previous.set) } : current);
    out.times.set(manager, ctx.now);
  }
  return out;
}

function timedApply(ctx: FieldManagerContext, live: JsonObject, config: JsonObject, managed: Managed, manager: string, force: boolean): Outcome {
  const result = structuredApply(ctx, live, config, copyManaged(managed), manager, force);
  const out = strip(result.managed, manager);
  // The time only moves when the object changed; a no-op apply keeps the live object.
  if (result.object !== undefined) {
    out.times.set(manager, ctx.now);
    return { object: result.object, managed: out };
  }
  return { object: deepCopy(live), managed: out };
}

// ---------------------------------------------------------------------------------------------
// buildManagerInfoManager + capManagersManager

function managerId(ctx: FieldManagerContext, name: string, operation: 'Apply' | 'Update'): string {
  return buildManagerIdentifier({ manager: name || 'unknown', operation, apiVersion: ctx.apiVersion, subresource: ctx.subresource });
}

function cappedUpdate(ctx: FieldManagerContext, live: JsonObject, next: JsonObject, managed: Managed, name: string): Managed {
  return capUpdateManagers(timedUpdate(ctx, live, next, managed, managerId(ctx, name, 'Update')));
}

function seconds(time: string | undefined): number {
  const ms = time ? Date.parse(time) : NaN;
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

/** Folds the oldest Update entries into per-version "ancient-changes" buckets until at most MAX_UPDATE_MANAGERS remain. */
export function capUpdateManagers(managed: Managed, max = MAX_UPDATE_MANAGERS): Managed {
  const updaters = [...managed.fields].filter(([, v]) => !v.applied).map(([id]) => id);
  if (updaters.length <= max) return managed;
  updaters.sort((a, b) => {
    const ta = seconds(managed.times.get(a));
    const tb = seconds(managed.times.get(b));
    if (ta !== tb) return ta - tb;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (let i = 0; i < updaters.length && length > max; i++) {
    const manager = updaters[i];
    const versioned = managed.fields.get(manager);
    if (!versioned) continue;
    const time = managed.times.get(manager);
    const version = versioned.apiVersion;
    const bucket = buildManagerIdentifier({ manager: ANCIENT_CHANGES, operation: 'Update', apiVersion: version });
    const first = firstOfVersion.get(version);
    if (first === undefined) {
      firstOfVersion.set(version, manager);
      continue;
    }
    if (!managed.fields.has(bucket)) {
      const firstSet = managed.fields.get(first);
      managed.fields.delete(first);
      if (firstSet) managed.fields.set(bucket, firstSet);
    }
    const bucketSet = managed.fields.get(bucket);
    managed.fields.set(bucket, { ...versioned, set: bucketSet ? versioned.set.union(bucketSet.set) : versioned.set });
    managed.fields.delete(manager);
    length--;
    managed.times.set(bucket, time);
  }
  return managed;
}

// ---------------------------------------------------------------------------------------------
// skipNonAppliedManager

/** Update: objects whose managedFields were cleared stay untracked until the next apply. */
function skipNonAppliedUpdate(ctx: FieldManagerContext, live: JsonObject | undefined, next: JsonObject, managed: Managed, name: string): Managed {
  if (managed.fields.size === 0) {
    const uid = live && isRecord(live.metadata) ? live.metadata.uid : undefined;
    if (typeof uid === 'string' && uid.length > 0) return managed;
  }
  return cappedUpdate(ctx, live ?? {}, next, managed, name);
}

/** Apply to an object nobody manages yet: its current fields first go to "before-first-apply". */
function skipNonAppliedApply(ctx: FieldManagerContext, live: JsonObject, config: JsonObject, managed: Managed, name: string, force: boolean): Outcome {
  let current = managed;
  if (current.fields.size === 0) current = cappedUpdate(ctx, {}, live, current, BEFORE_FIRST_APPLY);
  return timedApply(ctx, live, config, current, managerId(ctx, name, 'Apply'), force);
}

// ---------------------------------------------------------------------------------------------
// lastAppliedManager / lastAppliedUpdater: `kubectl apply --server-side` (manager "kubectl") on an
// object last applied client-side takes over the fields the annotation shows it applied.

function annotationsOf(obj: JsonObject): Record<string, unknown> | undefined {
  const metadata = obj.metadata;
  return isRecord(metadata) && isRecord(metadata.annotations) ? metadata.annotations : undefined;
}

function allowedConflictsFromLastApplied(ctx: FieldManagerContext, live: JsonObject): FieldSet | undefined {
  const text = annotationsOf(live)?.[LAST_APPLIED_ANNOTATION];
  if (typeof text !== 'string' || text === '') return undefined;
  let lastApplied: unknown;
  try {
    lastApplied = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(lastApplied) || lastApplied.apiVersion !== ctx.apiVersion) return undefined;
  if (validate(lastApplied, ctx.type, false).length > 0) return undefined;
  const comparison = compare(lastApplied, ctx.shape(live), ctx.type);
  return toFieldSet(lastApplied, ctx.type).difference(comparison.modified).difference(comparison.added).difference(comparison.removed);
}

function lastAppliedManagerApply(ctx: FieldManagerContext, live: JsonObject, config: JsonObject, managed: Managed, name: string, force: boolean): Outcome {
  try {
    return skipNonAppliedApply(ctx, live, config, managed, name, force);
  } catch (err) {
    if (name !== 'kubectl' || !(err instanceof ConflictsError)) throw err;
    const allowed = allowedConflictsFromLastApplied(ctx, live);
    if (!allowed) throw err;
    const remaining: Conflict[] = err.conflicts.filter((c) => !allowed.has(c.path));
    if (remaining.length > 0) throw new ConflictsError(remaining);
    return skipNonAppliedApply(ctx, live, config, managed, name, true);
  }
}

/** buildLastApplied: the applied configuration without the annotation, as encoding/json writes it. */
export function buildLastApplied(config: JsonObject): string {
  const copy = deepCopy(config);
  const metadata = copy.metadata;
  const annotations = isRecord(metadata) ? metadata.annotations : undefined;
  if (isRecord(annotations)) delete annotations[LAST_APPLIED_ANNOTATION];
  return `${goJson(copy)}\n`;
}

function annotationsSize(annotations: Record<string, unknown>): number {
  let total = 0;
  for (const [key, value] of Object.entries(annotations)) total += Buffer.byteLength(key) + Buffer.byteLength(typeof value === 'string' ? value : '');
  return total;
}

function lastAppliedUpdaterApply(ctx: FieldManagerContext, live: JsonObject, config: JsonObject, managed: Managed, name: string, force: boolean): Outcome {
  const outcome = lastAppliedManagerApply(ctx, live, config, managed, name, force);
  const text = annotationsOf(outcome.object)?.[LAST_APPLIED_ANNOTATION];
  if (name === 'kubectl' && typeof text === 'string' && text.length > 0) {
    const metadata = outcome.object.metadata as JsonObject;
    const annotations: Record<string, unknown> = { ...(metadata.annotations as Record<string, unknown>), [LAST_APPLIED_ANNOTATION]: buildLastApplied(config) };
    // SetLastApplied drops the annotation rather than exceed the annotations size limit.
    if (annotationsSize(annotations) > TOTAL_ANNOTATION_SIZE_LIMIT) delete annotations[LAST_APPLIED_ANNOTATION];
    metadata.annotations = annotations;
  }
  return outcome;
}

// ---------------------------------------------------------------------------------------------
// FieldManager (the outer shell): decoding and encoding of the managedFields themselves.

export function fieldManagerApply(ctx: FieldManagerContext, live: JsonObject | undefined, config: JsonObject, name: string, force: boolean): Outcome {
  const liveObject = live ?? {};
  let managed: Managed;
  try {
    managed = decodeManagedFields(isRecord(liveObject.metadata) ? liveObject.metadata.managedFields : undefined);
  } catch (err) {
    if (err instanceof ManagedFieldsDecodeError) throw internalApplyError(`failed to decode managed fields: ${err.message}`);
    throw err;
  }
  // versionCheckManager: the applied object must be of the endpoint's kind and version.
  if (ctx.kind !== undefined && (config.kind !== ctx.kind || config.apiVersion !== ctx.apiVersion)) {
    throw StatusError.badRequest(`invalid object type: ${gvkString(config)}`);
  }
  try {
    return lastAppliedUpdaterApply(ctx, withoutManagedFields(liveObject), config, managed, name, force);
  } catch (err) {
    if (err instanceof ConflictsError) throw new ApplyConflictError(err.conflicts);
    throw err;
  }
}

function decodeOrEmpty(entries: unknown): Managed {
  try {
    return decodeManagedFields(entries);
  } catch {
    return emptyManaged();
  }
}

/**
 * decodeLiveOrNew: an update may carry managedFields of its own (that is how clients edit or reset
 * them); otherwise, or on a subresource, the stored ones continue.
 */
function decodeLiveOrNew(live: JsonObject | undefined, next: JsonObject, isSubresource: boolean, isReset: (entries: unknown) => boolean): Managed {
  const liveEntries = live && isRecord(live.metadata) ? live.metadata.managedFields : undefined;
  if (isSubresource) return decodeOrEmpty(liveEntries);
  const nextEntries = isRecord(next.metadata) ? next.metadata.managedFields : undefined;
  if (isReset(nextEntries)) return emptyManaged();
  try {
    const managed = decodeManagedFields(nextEntries);
    if (managed.fields.size > 0) return managed;
  } catch {
    // Undecodable managedFields from a client are ignored in favour of the stored ones.
  }
  return decodeOrEmpty(liveEntries);
}

const zeroShapes = new WeakMap<SchemaNode, JsonObject>();

/**
 * fieldManagerUpdate for a create through the main resource whose body carries no managedFields
 * (what nearly every create is): the whole chain above reduces to one comparison of the new object
 * with the empty one, so it runs without the chain's bookkeeping. The result is the same set of
 * entries — none, or the manager's single Update entry.
 */
export function fieldManagerCreate(ctx: FieldManagerContext, next: JsonObject, name: string): Managed {
  let zero = zeroShapes.get(ctx.type);
  if (!zero) zeroShapes.set(ctx.type, (zero = ctx.shape({})));
  const comparison = compare(zero, ctx.shape(next), ctx.type);
  let set = comparison.added.union(comparison.modified);
  if (ctx.ignored) set = set.recursiveDifference(ctx.ignored);
  set = set.difference(STRIPPED);
  const managed = emptyManaged();
  if (set.isEmpty()) return managed;
  const manager = managerId(ctx, name, 'Update');
  managed.fields.set(manager, { set, apiVersion: ctx.apiVersion, applied: false });
  managed.times.set(manager, ctx.now);
  return managed;
}

export function fieldManagerUpdate(ctx: FieldManagerContext, live: JsonObject | undefined, next: JsonObject, name: string, isReset: (entries: unknown) => boolean): Managed {
  const managed = decodeLiveOrNew(live, next, ctx.subresource !== '', isReset);
  return skipNonAppliedUpdate(ctx, live ? withoutManagedFields(live) : undefined, withoutManagedFields(next), managed, name);
}
