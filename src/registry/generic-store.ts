import { randomUUID } from 'node:crypto';
import { FieldError, StatusError, type GroupResource } from '../machinery/errors/status-error';
import { defaultResetFields, ignoreManagedFieldsTimestamps, serverSideApply, updateManagedFields } from '../machinery/apply';
import { canonicalOrder } from '../machinery/meta/canonical-order';
import { apiVersionOf, type KubeObject } from '../machinery/meta/types';
import { formatTime, type Clock } from '../simulation/clock';
import { CachedObject, TooOldResourceVersionError, type WatchSink } from '../storage/watch-cache';
import type { ObjectStorage } from '../storage/object-storage';
import { storageKey, type ObjectLocation } from '../storage/store';
import { checkListOptions, type ListOptions } from './list-options';
import { ListSnapshots } from './list-snapshots';
import type { AdmissionContext, AllocationContext, ClusterSettings, ResourceType } from './resource-type';

/** What ObjectMeta validation needs to know of a kind. */
export type MetaScope = Pick<ResourceType, 'namespaced' | 'metaRules'>;

/** What the generic store needs from the rest of the machinery, as narrow ports. */
export interface StoreDependencies {
  storage: ObjectStorage;
  clock: Clock;
  /** Schema defaults for a definition (the one schema source). */
  applySchemaDefaults(obj: KubeObject, definition: string): void;
  /** ObjectMeta rules shared by every kind. */
  validateMeta(obj: KubeObject, type: MetaScope): FieldError[];
  validateMetaUpdate(obj: KubeObject, old: KubeObject, type: MetaScope): FieldError[];
  /** The namespace object, to refuse writes into missing or terminating namespaces. */
  namespace(name: string): KubeObject | undefined;
  snapshots: ListSnapshots;
  settings: ClusterSettings;
  /** Sources of computed kinds (ResourceType.computedBy), registered by whatever computes them. */
  computedSources?: Map<string, ComputedSource>;
  /** The store of another kind, for actions that work across kinds (set by the registry). */
  storeOf?<K extends KubeObject = KubeObject>(group: string, kind: string): GenericStore<K>;
}

/** The objects of a computed kind as they are now, in one namespace or all. */
export type ComputedSource = (namespace: string | undefined) => KubeObject[];

export interface WriteOptions {
  dryRun?: boolean;
  /** Who writes: recorded in metadata.managedFields. Internal writers may leave it out. */
  fieldManager?: string;
}

export interface ApplyOptions {
  dryRun?: boolean;
  fieldManager: string;
  force: boolean;
}

export interface WriteResult {
  object: KubeObject;
  warnings: string[];
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface DeleteResult {
  /** The object as it is now: gone (final state) or only marked for deletion. */
  object: KubeObject;
  /** False when the object still exists, marked with a deletionTimestamp (finalizers, namespaces). */
  removed: boolean;
}

export interface ListResult {
  items: CachedObject[];
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
}

/** undefined = the main resource; 'status' or a name from the kind's subresourceWriters. */
export type Subresource = string | undefined;

export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

const GENERATE_NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The one implementation of create/read/update/delete/list/watch, run for every kind with its
 * ResourceType's hooks in the apiserver's order (BeforeCreate / BeforeUpdate). REST, reconcilers
 * and every other internal writer go through here.
 */
export class GenericStore<T extends KubeObject = KubeObject> {
  readonly resourceKey: string;
  readonly groupResource: GroupResource;
  readonly apiVersion: string;

  /** Where objects live in storage: this kind's own resource, or the one it is stored as. */
  private readonly storageResource: { group: string; plural: string; kind: string; apiVersion: string };
  private readonly views = new WeakMap<CachedObject, CachedObject>();

  /** `storage` is the store of the kind this one is stored as (ResourceType.storedAs), if any. */
  constructor(
    readonly type: ResourceType<T>,
    private readonly deps: StoreDependencies,
    storage?: GenericStore,
  ) {
    this.groupResource = { group: type.group, resource: type.plural };
    this.apiVersion = apiVersionOf(type.group, type.version);
    this.storageResource = storage
      ? { group: storage.type.group, plural: storage.type.plural, kind: storage.type.kind, apiVersion: storage.apiVersion }
      : { group: type.group, plural: type.plural, kind: type.kind, apiVersion: this.apiVersion };
    this.resourceKey = `${this.storageResource.group}/${this.storageResource.plural}`;
    if (!storage) deps.storage.registerResource(this.resourceKey, (obj) => this.indexValues(obj as T));
  }

  /** A cached storage object as this version serves it (memoised per cached revision). */
  private view(entry: CachedObject): CachedObject {
    const conversion = this.type.storedAs;
    if (!conversion) return entry;
    let viewed = this.views.get(entry);
    if (!viewed) {
      const converted = conversion.fromStorage(structuredClone(entry.object));
      viewed = new CachedObject(entry.key, entry.location, entry.revision, canonicalOrder({ ...converted, apiVersion: this.apiVersion, kind: this.type.kind }));
      this.views.set(entry, viewed);
    }
    return viewed;
  }

  private toStorage(obj: T): KubeObject {
    const conversion = this.type.storedAs;
    if (!conversion) return obj;
    return { ...conversion.toStorage(obj), apiVersion: this.storageResource.apiVersion, kind: this.storageResource.kind };
  }

  // ---------------------------------------------------------------- reads

  currentRevision(): number {
    return this.deps.storage.cache.revision;
  }

  get(namespace: string | undefined, name: string): KubeObject {
    const entry = this.find(namespace, name);
    if (!entry) throw StatusError.notFound(this.groupResource, name);
    return entry.object;
  }

  /** The cached entry (object plus its serialized form), or undefined. */
  find(namespace: string | undefined, name: string): CachedObject | undefined {
    if (this.type.computedBy) return this.computed(namespace).find((e) => e.location.name === name);
    const entry = this.deps.storage.cache.get(this.resourceKey, this.keyOf(namespace, name));
    return entry && this.view(entry);
  }

  /** A computed kind's objects as its source has them now, sorted as lists are. */
  private computed(namespace: string | undefined): CachedObject[] {
    const source = this.deps.computedSources?.get(this.type.computedBy!);
    const revision = this.deps.storage.cache.revision;
    return (source?.(namespace) ?? [])
      .map((obj) => {
        const loc = this.location(obj.metadata.namespace, obj.metadata.name!);
        return new CachedObject(storageKey(loc), loc, revision, canonicalOrder({ ...obj, apiVersion: this.apiVersion, kind: this.type.kind }));
      })
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /**
   * The cached objects, optionally of one namespace, as they stand now: for reconcilers' event
   * mappers, which must answer synchronously.
   */
  *cachedObjects(namespace?: string): Iterable<T> {
    for (const entry of this.deps.storage.cache.candidates(this.resourceKey, namespace)) yield this.view(entry).object as T;
  }

  /** All fields a field selector may name for this kind, with their values for `obj`. */
  fieldsOf(obj: KubeObject): Record<string, string> {
    const fields: Record<string, string> = { 'metadata.name': obj.metadata.name ?? '', 'metadata.namespace': obj.metadata.namespace ?? '' };
    return this.type.selectableFields ? { ...fields, ...this.type.selectableFields(obj as T) } : fields;
  }

  async list(namespace: string | undefined, opts: ListOptions): Promise<ListResult> {
    checkListOptions(opts, false);
    const cache = this.deps.storage.cache;
    const matches = this.predicate(opts);
    if (opts.continueToken) {
      if (opts.resourceVersion && opts.resourceVersion !== '0') throw StatusError.badRequest('specifying resource version is not allowed when using continue');
      return this.deps.snapshots.next(this.resourceKey, opts.continueToken, opts.limit);
    }
    const rv = opts.resourceVersion ? Number(opts.resourceVersion) : 0;
    if (opts.resourceVersionMatch === 'Exact' && rv !== cache.revision) {
      if (rv < cache.revision) throw StatusError.gone(`too old resource version: ${rv} (${cache.revision})`);
    }
    if (rv > cache.revision) await this.waitFor(rv);
    if (this.type.computedBy) return { items: this.computed(namespace).filter(matches), resourceVersion: '' };
    const items: CachedObject[] = [];
    for (const stored of cache.candidates(this.resourceKey, namespace, this.indexHint(opts))) {
      const entry = this.view(stored);
      if (matches(entry)) items.push(entry);
    }
    items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const revision = String(cache.revision);
    // A list at resourceVersion "0" is served whole from the cache, as the apiserver's cacher does.
    const limit = opts.resourceVersion === '0' ? undefined : opts.limit;
    if (!limit || limit <= 0 || items.length <= limit) return { items, resourceVersion: revision };
    const withoutSelectors = opts.labelSelector.isEmpty() && opts.fieldSelector.isEmpty();
    return this.deps.snapshots.first(this.resourceKey, items, revision, limit, withoutSelectors);
  }

  /**
   * Start a watch. `sink` receives events already filtered; returns the stop function. Throws
   * StatusError 410 when the resourceVersion is too old, 504 when it is from the future.
   */
  async watch(namespace: string | undefined, opts: ListOptions, sink: Pick<WatchSink, 'push'>): Promise<() => void> {
    checkListOptions(opts, true);
    const matches = this.predicate(opts);
    const cache = this.deps.storage.cache;
    const rvText = opts.resourceVersion ?? '';
    const fromRevision = rvText === '' || rvText === '0' ? undefined : Number(rvText);
    if (fromRevision !== undefined && fromRevision > cache.revision) await this.waitFor(fromRevision);
    const watchSink: WatchSink = {
      matches: (obj) => (namespace === undefined || obj.location.namespace === namespace) && matches(this.view(obj)),
      push: (event) => sink.push({ type: event.type, object: this.view(event.object) }),
    };
    // sendInitialEvents=true asks for the current state first whatever the resourceVersion says.
    const start = opts.sendInitialEvents ? undefined : fromRevision;
    try {
      return cache.watch(this.resourceKey, watchSink, start, namespace);
    } catch (err) {
      if (err instanceof TooOldResourceVersionError) throw StatusError.gone(err.message);
      throw err;
    }
  }

  private async waitFor(revision: number): Promise<void> {
    if (await this.deps.storage.cache.waitForRevision(revision, 3000)) return;
    throw new StatusError(504, 'Timeout', `Timeout: Too large resource version: ${revision}, current: ${this.deps.storage.cache.revision}`, {
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
      retryAfterSeconds: 1,
    }, { 'Retry-After': '1' });
  }

  private predicate(opts: ListOptions): (entry: CachedObject) => boolean {
    const { labelSelector, fieldSelector } = opts;
    if (!fieldSelector.isEmpty()) {
      const supported = this.supportedFields();
      for (const req of fieldSelector.requirements) {
        if (supported.has(req.field)) continue;
        // Kinds with their own selectable fields word this as their field-label conversion does;
        // the rest get the generic selector check's message.
        if (this.type.selectableFields) throw StatusError.badRequest(`field label not supported: ${req.field}`);
        throw StatusError.badRequest(`"${req.field}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
      }
    }
    const checkLabels = !labelSelector.isEmpty();
    const checkFields = !fieldSelector.isEmpty();
    return (entry) =>
      (!checkLabels || labelSelector.matches(entry.object.metadata.labels)) && (!checkFields || fieldSelector.matches(this.fieldsOf(entry.object)));
  }

  private supportedFieldNames?: Set<string>;
  private supportedFields(): Set<string> {
    if (!this.supportedFieldNames) {
      const sample = { metadata: { name: '', namespace: '' } } as KubeObject;
      this.supportedFieldNames = new Set(Object.keys(this.fieldsOf(sample)));
    }
    return this.supportedFieldNames;
  }

  private indexValues(obj: T): Record<string, string> {
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(obj.metadata.labels ?? {})) values[`label:${key}`] = value;
    if (this.type.selectableFields) for (const [field, value] of Object.entries(this.type.selectableFields(obj))) values[`field:${field}`] = value;
    return values;
  }

  /** The most selective exact-match index a list can start from. */
  private indexHint(opts: ListOptions): { name: string; value: string } | undefined {
    // Field indexes are kept in the storage kind's field names, which another version may not share.
    if (!this.type.storedAs) for (const req of opts.fieldSelector.requirements) {
      if (req.operator === '=' && req.field !== 'metadata.name' && req.field !== 'metadata.namespace') return { name: `field:${req.field}`, value: req.value };
    }
    for (const req of opts.labelSelector.requirements) {
      const value = opts.labelSelector.exactValue(req.key);
      if (value !== undefined) return { name: `label:${req.key}`, value };
    }
    return undefined;
  }

  // ---------------------------------------------------------------- writes

  async create(namespace: string | undefined, input: T, opts: WriteOptions = {}): Promise<WriteResult> {
    if (this.type.review) return { object: canonicalOrder(this.answerReview(namespace, input, this.type.review)), warnings: [] };
    const loc = this.beforeCreate(namespace, input);
    const obj = opts.fieldManager ? this.trackFields(undefined, input, opts.fieldManager, undefined) : input;
    const warnings = this.type.warnings?.(obj) ?? [];
    if (opts.dryRun) return { object: canonicalOrder(obj), warnings };
    const saved = await this.deps.storage.write('ADDED', loc, this.toStorage(obj), undefined);
    return { object: this.view(saved).object, warnings };
  }

  /** Reviews are computed answers: defaulted and validated like a create, never stored. */
  private answerReview(namespace: string | undefined, obj: T, review: (obj: T) => T): T {
    obj.metadata ??= {};
    if (this.type.namespaced) this.checkBodyNamespace(namespace, obj);
    obj.apiVersion = this.apiVersion;
    obj.kind = this.type.kind;
    this.deps.applySchemaDefaults(obj, this.type.definition);
    this.type.applyDefaults?.(obj);
    const errors = this.type.validate?.(obj) ?? [];
    if (errors.length) throw StatusError.invalid(this.type.group, this.type.kind, obj.metadata.name ?? '', errors);
    const answer = review(obj);
    answer.metadata = { ...answer.metadata, creationTimestamp: undefined };
    return answer;
  }

  /**
   * Server-side apply: merge the configuration into the live object (or create it) with field
   * ownership per manager, conflicts answered 409 unless forced.
   */
  async apply(namespace: string | undefined, name: string, config: T, opts: ApplyOptions): Promise<WriteResult & { created: boolean }> {
    const args = {
      config,
      manager: opts.fieldManager,
      force: opts.force,
      definition: this.type.definition,
      apiVersion: this.apiVersion,
      now: formatTime(this.deps.clock.now()),
      resetFields: this.resetFields(undefined),
    };
    if (!this.deps.storage.latest(this.resourceKey, this.location(namespace, name))) {
      const created = serverSideApply({ ...args, live: undefined }) as T;
      const meta = (created.metadata ??= {});
      if (meta.name !== undefined && meta.name !== name) {
        throw StatusError.badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
      }
      if (meta.uid) {
        throw StatusError.conflict(this.groupResource, name, `uid mismatch: the provided object specified uid ${meta.uid}, and no existing object was found`);
      }
      meta.name = name;
      const result = await this.create(namespace, created, { dryRun: opts.dryRun });
      return { ...result, created: true };
    }
    const result = await this.guaranteedUpdate(namespace, name, (current) => serverSideApply({ ...args, live: current }) as T, { dryRun: opts.dryRun });
    return { ...result, created: false };
  }

  /** Paths a writer through this endpoint does not own (the strategy resets them): status on the main resource, spec on /status. */
  private resetFields(subresource: Subresource): string[][] {
    if (!this.type.statusSubresource) return [];
    return defaultResetFields(this.type.definition, subresource);
  }

  /** metadata.managedFields after `manager` changed `old` into `next` (an Update operation). */
  private trackFields(old: T | undefined, next: T, manager: string, subresource: Subresource): T {
    const updated = updateManagedFields({
      old,
      next,
      manager,
      definition: this.type.definition,
      apiVersion: this.apiVersion,
      now: formatTime(this.deps.clock.now()),
      subresource,
      resetFields: this.resetFields(subresource),
    }) as T;
    return (old ? ignoreManagedFieldsTimestamps(updated, old) : updated) as T;
  }

  /** BeforeCreate: namespace → name → system fields → defaults → admission → PrepareForCreate → Validate. Synchronous by design. */
  private beforeCreate(namespace: string | undefined, obj: T): ObjectLocation {
    const meta = (obj.metadata ??= {});
    this.checkBodyNamespace(namespace, obj);
    if (this.type.namespaced) this.requireWritableNamespace(meta.namespace!, meta.name ?? meta.generateName ?? '');
    obj.apiVersion = this.apiVersion;
    obj.kind = this.type.kind;
    if (!meta.name && meta.generateName) meta.name = this.generateName(meta.generateName, meta.namespace);
    meta.uid = randomUUID();
    meta.creationTimestamp = formatTime(this.deps.clock.now());
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    if (this.type.generationFields) meta.generation = 1;
    else delete meta.generation;
    this.deps.applySchemaDefaults(obj, this.type.definition);
    this.type.applyDefaults?.(obj);
    this.type.admit?.(obj, this.admissionContext());
    this.allocate(obj, undefined, this.location(meta.namespace, meta.name ?? ''));
    this.type.prepareForCreate?.(obj);
    const errors = [...this.deps.validateMeta(obj, this.type), ...(this.type.validate?.(obj) ?? [])];
    if (errors.length) throw StatusError.invalid(this.type.group, this.type.kind, meta.name ?? '', errors);
    const loc = this.location(meta.namespace, meta.name!);
    if (this.deps.storage.latest(this.resourceKey, loc)) throw StatusError.alreadyExists(this.groupResource, meta.name!);
    return loc;
  }

  private admissionContext(): AdmissionContext {
    const storage = this.deps.storage;
    return {
      *objectsOf(group, plural) {
        for (const entry of storage.latestOf(`${group}/${plural}`)) yield entry.object;
      },
    };
  }

  /** PUT: the client's object replaces the stored one under the usual preconditions. */
  async update(namespace: string | undefined, name: string, obj: T, opts: WriteOptions = {}, subresource?: Subresource): Promise<WriteResult> {
    obj.metadata ??= {};
    if (obj.metadata.name !== undefined && obj.metadata.name !== name) {
      throw StatusError.badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    }
    obj.metadata.name = name;
    this.checkBodyNamespace(namespace, obj);
    // A PUT carries the body's uid as a precondition, as the update handler sets it.
    const uid = obj.metadata.uid;
    return this.guaranteedUpdate(
      namespace,
      name,
      (current) => {
        if (uid && uid !== current.metadata.uid) {
          throw StatusError.conflict(this.groupResource, name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${current.metadata.uid}`);
        }
        return obj;
      },
      opts,
      subresource,
    );
  }

  /**
   * Read-modify-write: `tryUpdate` gets a private copy of the current object and returns the
   * desired one; resourceVersion preconditions in the returned object are honoured. Runs
   * synchronously up to the commit, so no other write can slip in between read and write.
   */
  async guaranteedUpdate(
    namespace: string | undefined,
    name: string,
    tryUpdate: (current: T) => T,
    opts: WriteOptions = {},
    subresource?: Subresource,
  ): Promise<WriteResult> {
    const loc = this.location(namespace, name);
    const previous = this.deps.storage.latest(this.resourceKey, loc);
    if (!previous) throw StatusError.notFound(this.groupResource, name);
    const old = this.view(previous).object as T;
    const updated = tryUpdate(structuredClone(old));
    // A patch may not move the object: its name and namespace must still be the URL's.
    const updatedMeta = updated.metadata ?? {};
    if (updatedMeta.name !== undefined && updatedMeta.name !== name) {
      throw StatusError.badRequest(`the name of the object (${updatedMeta.name}) does not match the name on the URL (${name})`);
    }
    if (this.type.namespaced && updatedMeta.namespace && updatedMeta.namespace !== (namespace ?? '')) {
      throw StatusError.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const prepared = this.beforeUpdate(updated, old, subresource);
    const obj = opts.fieldManager ? this.trackFields(old, prepared, opts.fieldManager, subresource) : prepared;
    const warnings = this.type.warnings?.(obj) ?? [];
    if (sameObject(obj, old)) return { object: old, warnings };
    if (opts.dryRun) return { object: canonicalOrder(obj), warnings };
    // Finalizers were the last thing keeping a deleted object alive (a graceful deletion still
    // running keeps it until its owner deletes it with no grace left).
    if (obj.metadata.deletionTimestamp && !obj.metadata.finalizers?.length && !old.metadata.deletionGracePeriodSeconds && (this.type.readyToRemove?.(obj) ?? true)) {
      const removed = await this.deps.storage.write('DELETED', loc, this.toStorage(obj), previous);
      return { object: this.view(removed).object, warnings };
    }
    const saved = await this.deps.storage.write('MODIFIED', loc, this.toStorage(obj), previous);
    return { object: this.view(saved).object, warnings };
  }

  private allocate(obj: T, old: T | undefined, loc: ObjectLocation): void {
    if (!this.type.allocate) return;
    const self = storageKey(loc);
    const storage = this.deps.storage;
    const resourceKey = this.resourceKey;
    const context: AllocationContext<T> = {
      settings: this.deps.settings,
      *others() {
        for (const entry of storage.latestOf(resourceKey)) if (entry.key !== self) yield entry.object as T;
      },
    };
    const errors = this.type.allocate(obj, old, context);
    if (errors.length) throw StatusError.invalid(this.type.group, this.type.kind, obj.metadata.name ?? '', errors);
  }

  /**
   * POST to an action subresource: a computed answer (TokenRequest), a change to the object
   * (Binding) answered with a Success Status, or the action's own procedure (Eviction).
   */
  async act(namespace: string | undefined, name: string, subresource: string, request: KubeObject, opts: WriteOptions = {}): Promise<KubeObject> {
    const action = this.type.actions?.[subresource];
    if (!action) throw StatusError.notFound(this.groupResource, name);
    const now = this.deps.clock.now();
    if (action.perform) {
      const storeOf = this.deps.storeOf;
      if (!storeOf) throw new Error(`${this.type.plural}/${subresource} needs the registry's stores`);
      return action.perform({ namespace, name, store: this }, request, { dryRun: !!opts.dryRun, now, storeOf });
    }
    if (action.act) {
      const parent = this.get(namespace, name) as T;
      return { ...action.act(parent, request, { dryRun: !!opts.dryRun, now }), apiVersion: action.apiVersion, kind: action.kind };
    }
    const change = action.change!;
    // Like the real binding storage, the change bypasses the field manager.
    await this.guaranteedUpdate(namespace, name, (current) => (change(current, request, now), current), { dryRun: opts.dryRun }, subresource);
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
  }

  /** BeforeUpdate: preconditions → system fields from the old object → defaults → PrepareForUpdate → ValidateUpdate. */
  private beforeUpdate(obj: T, old: T, subresource: Subresource): T {
    const meta = (obj.metadata ??= {});
    const oldMeta = old.metadata;
    if (meta.resourceVersion && meta.resourceVersion !== oldMeta.resourceVersion) {
      if (!/^[0-9]+$/.test(meta.resourceVersion)) {
        throw StatusError.invalid(this.type.group, this.type.kind, oldMeta.name ?? '', [
          FieldError.invalid('metadata.resourceVersion', meta.resourceVersion, 'must be an integer'),
        ]);
      }
      throw StatusError.optimisticLock(this.groupResource, oldMeta.name!);
    }
    let next = obj;
    const writer = subresource ? this.type.subresourceWriters?.[subresource] : undefined;
    const action = subresource ? this.type.actions?.[subresource] : undefined;
    if (action) {
      // The action changed a private copy of the stored object: it stands as it is, and like the
      // real binding storage it bypasses the strategy (no generation bump, no update validation).
    } else if (subresource === 'status' && !writer) {
      // The status endpoint changes status only; everything else stays as stored.
      next = structuredClone(old);
      copyField(next, obj, 'status');
    } else if (writer) {
      next = structuredClone(old);
      writer(next, obj);
    } else if (this.type.statusSubresource) {
      copyField(next, old, 'status');
    }
    next.apiVersion = this.apiVersion;
    next.kind = this.type.kind;
    const nextMeta = next.metadata;
    nextMeta.name = oldMeta.name;
    nextMeta.namespace = oldMeta.namespace;
    // A uid the writer sets stays, for validation to reject as immutable; an empty one is restored.
    if (next === obj) nextMeta.uid = meta.uid || oldMeta.uid;
    else nextMeta.uid = oldMeta.uid;
    nextMeta.creationTimestamp = oldMeta.creationTimestamp;
    nextMeta.resourceVersion = oldMeta.resourceVersion;
    if (oldMeta.deletionTimestamp) {
      nextMeta.deletionTimestamp = oldMeta.deletionTimestamp;
      nextMeta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
    } else {
      delete nextMeta.deletionTimestamp;
      delete nextMeta.deletionGracePeriodSeconds;
    }
    delete nextMeta.selfLink;
    if (oldMeta.generation !== undefined) nextMeta.generation = oldMeta.generation;
    else delete nextMeta.generation;
    this.deps.applySchemaDefaults(next, this.type.definition);
    this.type.applyDefaults?.(next);
    if (subresource === undefined) {
      this.allocate(next, old, this.location(oldMeta.namespace, oldMeta.name!));
      this.type.prepareForUpdate?.(next, old);
    }
    if (!action && this.type.generationFields && this.type.generationFields.some((f) => !deepEqual(next[f], old[f]))) {
      nextMeta.generation = (oldMeta.generation ?? 0) + 1;
    }
    const errors = [...this.deps.validateMetaUpdate(next, old, this.type), ...((!action && this.type.validateUpdate?.(next, old)) || [])];
    if (errors.length) throw StatusError.invalid(this.type.group, this.type.kind, oldMeta.name ?? '', errors);
    if (subresource === undefined) this.type.admitUpdate?.(next, old, this.admissionContext());
    return next;
  }

  async delete(namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<DeleteResult> {
    const loc = this.location(namespace, name);
    const previous = this.deps.storage.latest(this.resourceKey, loc);
    if (!previous) throw StatusError.notFound(this.groupResource, name);
    const current = this.view(previous).object as T;
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== current.metadata.uid) {
      throw StatusError.conflict(this.groupResource, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
      throw StatusError.conflict(
        this.groupResource,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
      );
    }
    const obj = structuredClone(current);
    const meta = obj.metadata;
    const alreadyDeleting = meta.deletionTimestamp !== undefined;
    const grace = this.markForDeletion(obj, opts.gracePeriodSeconds);
    if (grace === 'pending') return { object: current, removed: false };
    // Foreground and Orphan deletions hand the object to the garbage collector through finalizers.
    const policy = opts.propagationPolicy ?? this.type.defaultPropagationPolicy;
    const gcFinalizer = policy === 'Foreground' ? FOREGROUND_FINALIZER : policy === 'Orphan' ? ORPHAN_FINALIZER : undefined;
    if (gcFinalizer && !alreadyDeleting && !meta.finalizers?.includes(gcFinalizer)) meta.finalizers = [...(meta.finalizers ?? []), gcFinalizer];
    const kept = this.type.beforeDelete?.(obj) ?? false;
    if (kept || meta.finalizers?.length || grace > 0) {
      if (opts.dryRun || (alreadyDeleting && sameObject(obj, current))) return { object: alreadyDeleting ? current : obj, removed: false };
      const saved = await this.deps.storage.write('MODIFIED', loc, this.toStorage(obj), previous);
      return { object: this.view(saved).object, removed: false };
    }
    if (opts.dryRun) return { object: current, removed: true };
    const removed = await this.deps.storage.write('DELETED', loc, structuredClone(previous.object), previous);
    return { object: this.view(removed).object, removed: true };
  }

  /**
   * rest.BeforeDelete: sets deletionTimestamp and deletionGracePeriodSeconds on `obj` and answers
   * the grace period left, or 'pending' when a graceful deletion is already under way and this
   * request does not shorten it (a grace period can only be shortened).
   */
  private markForDeletion(obj: T, requested: number | undefined): number | 'pending' {
    const meta = obj.metadata;
    // Negative grace periods are read as one second, as the real server does.
    const requestedSeconds = requested !== undefined && requested < 0 ? 1 : requested;
    if (meta.deletionTimestamp !== undefined) {
      const pending = meta.deletionGracePeriodSeconds ?? 0;
      if (pending === 0) return 0;
      if (requestedSeconds === undefined || requestedSeconds >= pending) return 'pending';
      const start = Date.parse(meta.deletionTimestamp) - pending * 1000;
      meta.deletionTimestamp = formatTime(new Date(start + requestedSeconds * 1000));
      meta.deletionGracePeriodSeconds = requestedSeconds;
      return requestedSeconds;
    }
    const now = this.deps.clock.now().getTime();
    if (!this.type.gracePeriodOnDelete) {
      meta.deletionTimestamp = formatTime(new Date(now));
      meta.deletionGracePeriodSeconds = 0;
      return 0;
    }
    const grace = this.type.gracePeriodOnDelete(obj, requestedSeconds);
    meta.deletionTimestamp = formatTime(new Date(now + grace * 1000));
    meta.deletionGracePeriodSeconds = grace;
    if (meta.generation) meta.generation += 1;
    return grace;
  }

  // ---------------------------------------------------------------- helpers

  private checkBodyNamespace(namespace: string | undefined, obj: T): void {
    const meta = obj.metadata;
    if (!this.type.namespaced) {
      delete meta.namespace;
      return;
    }
    if (meta.namespace && namespace && meta.namespace !== namespace) {
      throw StatusError.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    meta.namespace = meta.namespace || namespace;
    if (!meta.namespace) throw StatusError.badRequest('the server could not find the requested resource');
  }

  private requireWritableNamespace(namespace: string, name: string): void {
    const ns = this.deps.namespace(namespace);
    if (!ns) throw StatusError.notFound({ group: '', resource: 'namespaces' }, namespace);
    if (ns.metadata.deletionTimestamp) {
      const err = StatusError.forbidden(this.groupResource, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
      err.details!.causes = [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }];
      throw err;
    }
  }

  private generateName(prefix: string, namespace: string | undefined): string {
    // The real server tries a handful of random suffixes before giving up; collisions are rare.
    const base = prefix.length > 58 ? prefix.slice(0, 58) : prefix;
    for (let attempt = 0; attempt < 8; attempt++) {
      let suffix = '';
      for (let i = 0; i < 5; i++) suffix += GENERATE_NAME_ALPHABET[Math.floor(Math.random() * GENERATE_NAME_ALPHABET.length)];
      const name = base + suffix;
      if (!this.deps.storage.latest(this.resourceKey, this.location(namespace, name))) return name;
    }
    throw StatusError.alreadyExists(this.groupResource, prefix);
  }

  location(namespace: string | undefined, name: string): ObjectLocation {
    return { group: this.storageResource.group, resource: this.storageResource.plural, namespace: this.type.namespaced ? (namespace ?? '') : '', name };
  }

  private keyOf(namespace: string | undefined, name: string): string {
    return storageKey(this.location(namespace, name));
  }
}

function copyField(target: KubeObject, source: KubeObject, field: string): void {
  if (source[field] === undefined) delete target[field];
  else target[field] = structuredClone(source[field]);
}

/** Equal apart from resourceVersion — an update that changes nothing is not written (no new RV). */
function sameObject(a: KubeObject, b: KubeObject): boolean {
  const { resourceVersion: _a, ...metaA } = a.metadata;
  const { resourceVersion: _b, ...metaB } = b.metadata;
  return deepEqual({ ...a, metadata: metaA }, { ...b, metadata: metaB });
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
