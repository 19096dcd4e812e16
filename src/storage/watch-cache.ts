import type { KubeObject } from '../machinery/meta/types';
import type { MutationType, ObjectLocation } from './store';

/**
 * One object at one revision. Never mutated once cached, so lists, watch events and continue
 * snapshots can share it, and its JSON is produced at most once.
 */
export class CachedObject {
  private serialized?: string;

  constructor(
    readonly key: string,
    readonly location: ObjectLocation,
    readonly revision: number,
    readonly object: KubeObject,
    serialized?: string,
  ) {
    this.serialized = serialized;
  }

  json(): string {
    if (this.serialized === undefined) this.serialized = JSON.stringify(this.object);
    return this.serialized;
  }
}

export interface CacheEvent {
  type: MutationType;
  revision: number;
  current: CachedObject;
  /** The object before this change (absent for ADDED). */
  previous?: CachedObject;
}

/** What a watcher receives: the event as it applies to that watcher's filter. */
export interface WatcherEvent {
  type: MutationType;
  object: CachedObject;
}

export interface WatchSink {
  /** Decides whether an object is visible to this watcher (namespace, name, label and field selectors). */
  matches(obj: CachedObject): boolean;
  push(event: WatcherEvent): void;
}

/** The values an object is indexed under, e.g. `{ "label:app": "web", "field:spec.nodeName": "n1" }`. */
export type IndexFunction = (obj: KubeObject) => Record<string, string>;

export class TooOldResourceVersionError extends Error {
  constructor(
    readonly requested: number,
    readonly oldest: number,
  ) {
    super(`too old resource version: ${requested} (${oldest})`);
  }
}

const DEFAULT_RING_CAPACITY = 10_000;

/** Everything the cache holds for one resource (group + plural). */
class ResourceCache {
  readonly entries = new Map<string, CachedObject>();
  readonly byNamespace = new Map<string, Map<string, CachedObject>>();
  readonly indexes = new Map<string, Map<string, Set<string>>>();
  readonly watchers = new Set<WatchSink>();
  private readonly ring: (CacheEvent | undefined)[];
  private ringStart = 0;
  private ringSize = 0;

  constructor(
    readonly indexer: IndexFunction,
    /** Events newer than this are all in the ring; a watch from before it cannot be served. */
    public oldestServable: number,
    capacity: number,
  ) {
    this.ring = new Array<CacheEvent | undefined>(capacity);
  }

  put(entry: CachedObject, previous: CachedObject | undefined): void {
    if (previous) this.unindex(previous);
    this.entries.set(entry.key, entry);
    let ns = this.byNamespace.get(entry.location.namespace);
    if (!ns) this.byNamespace.set(entry.location.namespace, (ns = new Map()));
    ns.set(entry.key, entry);
    for (const [index, value] of Object.entries(this.indexer(entry.object))) {
      let values = this.indexes.get(index);
      if (!values) this.indexes.set(index, (values = new Map()));
      let keys = values.get(value);
      if (!keys) values.set(value, (keys = new Set()));
      keys.add(entry.key);
    }
  }

  remove(entry: CachedObject): void {
    this.unindex(entry);
    this.entries.delete(entry.key);
    const ns = this.byNamespace.get(entry.location.namespace);
    ns?.delete(entry.key);
    if (ns && ns.size === 0) this.byNamespace.delete(entry.location.namespace);
  }

  private unindex(entry: CachedObject): void {
    for (const [index, value] of Object.entries(this.indexer(entry.object))) {
      const keys = this.indexes.get(index)?.get(value);
      keys?.delete(entry.key);
      if (keys && keys.size === 0) this.indexes.get(index)?.delete(value);
    }
  }

  record(event: CacheEvent): void {
    const capacity = this.ring.length;
    if (this.ringSize === capacity) {
      const dropped = this.ring[this.ringStart]!;
      this.oldestServable = dropped.revision;
      this.ringStart = (this.ringStart + 1) % capacity;
      this.ringSize--;
    }
    this.ring[(this.ringStart + this.ringSize) % capacity] = event;
    this.ringSize++;
  }

  /** Events with revision > `revision`, oldest first. */
  eventsSince(revision: number): CacheEvent[] {
    if (revision < this.oldestServable) throw new TooOldResourceVersionError(revision, this.oldestServable + 1);
    const out: CacheEvent[] = [];
    for (let i = 0; i < this.ringSize; i++) {
      const event = this.ring[(this.ringStart + i) % this.ring.length]!;
      if (event.revision > revision) out.push(event);
    }
    return out;
  }
}

/**
 * Every object in memory, per resource, with namespace and declared indexes, plus a ring of recent
 * events per resource for watch resumption — the apiserver's cacher, single-process.
 */
export class WatchCache {
  private readonly resources = new Map<string, ResourceCache>();
  private currentRevision = 0;
  private revisionWaiters: { revision: number; resolve: () => void }[] = [];

  constructor(private readonly ringCapacity = DEFAULT_RING_CAPACITY) {}

  get revision(): number {
    return this.currentRevision;
  }

  /** Called once per resource before any object of it is stored. */
  registerResource(resourceKey: string, indexer: IndexFunction): void {
    if (!this.resources.has(resourceKey)) this.resources.set(resourceKey, new ResourceCache(indexer, this.currentRevision, this.ringCapacity));
  }

  /** Fill from the durable store at start-up; no events are produced. */
  load(resourceKey: string, entry: CachedObject): void {
    this.resource(resourceKey).put(entry, undefined);
  }

  /** Marks the start-up revision: older resourceVersions cannot be watched from. */
  setStartRevision(revision: number): void {
    this.currentRevision = revision;
    for (const resource of this.resources.values()) resource.oldestServable = revision;
  }

  get(resourceKey: string, key: string): CachedObject | undefined {
    return this.resources.get(resourceKey)?.entries.get(key);
  }

  /** Objects of a resource, optionally in one namespace, narrowed by an exact index value when given. */
  candidates(resourceKey: string, namespace?: string, index?: { name: string; value: string }): Iterable<CachedObject> {
    const resource = this.resource(resourceKey);
    if (index) {
      const keys = resource.indexes.get(index.name)?.get(index.value);
      if (!keys) return [];
      const found: CachedObject[] = [];
      for (const key of keys) {
        const entry = resource.entries.get(key)!;
        if (namespace === undefined || entry.location.namespace === namespace) found.push(entry);
      }
      return found;
    }
    if (namespace !== undefined) return resource.byNamespace.get(namespace)?.values() ?? [];
    return resource.entries.values();
  }

  count(resourceKey: string): number {
    return this.resource(resourceKey).entries.size;
  }

  /** Apply one committed change and fan it out to watchers. Called in revision order. */
  apply(resourceKey: string, type: MutationType, entry: CachedObject): void {
    const resource = this.resource(resourceKey);
    const previous = resource.entries.get(entry.key);
    if (type === 'DELETED') resource.remove(entry);
    else resource.put(entry, previous);
    const event: CacheEvent = { type, revision: entry.revision, current: entry, previous };
    resource.record(event);
    this.currentRevision = Math.max(this.currentRevision, entry.revision);
    for (const watcher of resource.watchers) deliver(watcher, event);
    this.wakeRevisionWaiters();
  }

  /**
   * Start a watch. With `fromRevision` undefined the watcher first gets a synthetic ADDED for every
   * matching object (resourceVersion unset or "0"); otherwise it gets the recorded events after that
   * revision (TooOldResourceVersionError when they are no longer in the ring).
   */
  watch(resourceKey: string, sink: WatchSink, fromRevision: number | undefined, namespace?: string): () => void {
    const resource = this.resource(resourceKey);
    if (fromRevision === undefined) {
      for (const entry of this.candidates(resourceKey, namespace)) if (sink.matches(entry)) sink.push({ type: 'ADDED', object: entry });
    } else {
      for (const event of resource.eventsSince(fromRevision)) deliver(sink, event);
    }
    resource.watchers.add(sink);
    return () => resource.watchers.delete(sink);
  }

  /** Resolves true once the cache has reached `revision`, false after `timeoutMs`. */
  waitForRevision(revision: number, timeoutMs: number): Promise<boolean> {
    if (this.currentRevision >= revision) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = { revision, resolve: () => resolve(true) };
      this.revisionWaiters.push(waiter);
      setTimeout(() => {
        this.revisionWaiters = this.revisionWaiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs).unref();
    });
  }

  private wakeRevisionWaiters(): void {
    if (this.revisionWaiters.length === 0) return;
    const ready = this.revisionWaiters.filter((w) => w.revision <= this.currentRevision);
    this.revisionWaiters = this.revisionWaiters.filter((w) => w.revision > this.currentRevision);
    for (const w of ready) w.resolve();
  }

  private resource(resourceKey: string): ResourceCache {
    const resource = this.resources.get(resourceKey);
    if (!resource) throw new Error(`resource ${resourceKey} is not registered with the watch cache`);
    return resource;
  }
}

/**
 * Turn a change into what one watcher sees: an object entering its filter is ADDED, one leaving it
 * is DELETED — carrying its last matching state at the new resourceVersion, so a client that filters
 * locally agrees — as the apiserver's cache watcher does.
 */
function deliver(watcher: WatchSink, event: CacheEvent): void {
  const nowMatches = event.type !== 'DELETED' && watcher.matches(event.current);
  const matchedBefore = event.previous !== undefined && watcher.matches(event.previous);
  if (event.type === 'DELETED') {
    if (watcher.matches(event.current)) watcher.push({ type: 'DELETED', object: event.current });
  } else if (nowMatches) {
    watcher.push({ type: matchedBefore ? 'MODIFIED' : 'ADDED', object: event.current });
  } else if (matchedBefore) {
    const prev = event.previous!;
    const object = { ...prev.object, metadata: { ...prev.object.metadata, resourceVersion: String(event.revision) } };
    watcher.push({ type: 'DELETED', object: new CachedObject(prev.key, prev.location, event.revision, object) });
  }
}
