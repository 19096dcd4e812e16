import { canonicalOrder } from '../machinery/meta/canonical-order';
import type { KubeObject } from '../machinery/meta/types';
import { GroupCommitter } from './group-commit';
import { storageKey, type Mutation, type MutationType, type ObjectLocation, type Store } from './store';
import { CachedObject, WatchCache, type IndexFunction } from './watch-cache';

interface InFlight {
  resourceKey: string;
  type: MutationType;
  entry: CachedObject;
}

/** "group/resource", the name the cache keeps each resource under. */
export function resourceKeyOf(loc: { group: string; resource: string }): string {
  return `${loc.group}/${loc.resource}`;
}

/**
 * Durable writes in front of the watch cache. Revisions are handed out here, in memory, so a write
 * is decided synchronously against the latest state (committed or still in flight) and needs no
 * retry loop in one process; the commit itself is shared with concurrent writes (group commit) and
 * the cache applies it, in revision order, before the writer is answered.
 */
export class ObjectStorage {
  readonly cache: WatchCache;
  private lastRevision = 0;
  private readonly committer: GroupCommitter;
  /** Writes handed to the committer but not yet committed, by storage key (null = deleted). */
  private readonly pending = new Map<string, { revision: number; entry: CachedObject | null }>();
  private readonly inFlight = new Map<number, InFlight>();
  private compactTimer?: NodeJS.Timeout;

  constructor(
    private readonly store: Store,
    ringCapacity?: number,
  ) {
    this.cache = new WatchCache(ringCapacity);
    this.committer = new GroupCommitter(
      store,
      (batch) => this.committed(batch),
      (batch) => this.failed(batch),
    );
  }

  registerResource(resourceKey: string, indexer: IndexFunction): void {
    this.cache.registerResource(resourceKey, indexer);
  }

  /** Load every stored object into the cache. Resources must be registered first. */
  async start(): Promise<void> {
    const { revision, objects } = await this.store.load();
    for (const stored of objects) {
      const resourceKey = resourceKeyOf(stored.location);
      const object = JSON.parse(stored.value) as KubeObject;
      this.cache.load(resourceKey, new CachedObject(stored.key, stored.location, stored.revision, object, stored.value));
    }
    this.lastRevision = revision;
    this.cache.setStartRevision(revision);
    // Keep the change log bounded; the objects table holds current state independently of it.
    this.compactTimer = setInterval(() => void this.store.compact(this.lastRevision - 50_000).catch(() => undefined), 60_000);
    this.compactTimer.unref();
  }

  get revision(): number {
    return this.cache.revision;
  }

  /** The newest state of an object, counting writes that are still being committed. */
  latest(resourceKey: string, loc: ObjectLocation): CachedObject | undefined {
    const key = storageKey(loc);
    const pending = this.pending.get(key);
    if (pending !== undefined) return pending.entry ?? undefined;
    return this.cache.get(resourceKey, key);
  }

  /** Every object of a resource as it stands, counting writes that are still being committed. */
  *latestOf(resourceKey: string): Iterable<CachedObject> {
    for (const entry of this.cache.candidates(resourceKey)) if (!this.pending.has(entry.key)) yield entry;
    for (const { entry } of this.pending.values()) if (entry && resourceKeyOf(entry.location) === resourceKey) yield entry;
  }

  /**
   * Write `object` (ADDED/MODIFIED) or remove the object (DELETED; `object` is its final state).
   * Sets metadata.resourceVersion to the new revision. `previous` must be what `latest` returned.
   */
  write(type: MutationType, loc: ObjectLocation, object: KubeObject, previous: CachedObject | undefined): Promise<CachedObject> {
    const resourceKey = resourceKeyOf(loc);
    const key = storageKey(loc);
    const revision = ++this.lastRevision;
    object.metadata.resourceVersion = String(revision);
    const entry = new CachedObject(key, loc, revision, canonicalOrder(object));
    const mutation: Mutation = {
      type,
      key,
      location: loc,
      uid: object.metadata.uid ?? '',
      revision,
      prevRevision: previous?.revision ?? 0,
      value: entry.json(),
    };
    this.pending.set(key, { revision, entry: type === 'DELETED' ? null : entry });
    this.inFlight.set(revision, { resourceKey, type, entry });
    return this.committer.submit(mutation).then(() => entry);
  }

  async close(): Promise<void> {
    if (this.compactTimer) clearInterval(this.compactTimer);
    await this.committer.drain();
    await this.store.close();
  }

  private committed(batch: readonly Mutation[]): void {
    for (const mutation of batch) {
      const flight = this.inFlight.get(mutation.revision)!;
      this.inFlight.delete(mutation.revision);
      if (this.pending.get(mutation.key)?.revision === mutation.revision) this.pending.delete(mutation.key);
      this.cache.apply(flight.resourceKey, flight.type, flight.entry);
    }
  }

  private failed(batch: readonly Mutation[]): void {
    for (const mutation of batch) {
      this.inFlight.delete(mutation.revision);
      this.pending.delete(mutation.key);
    }
  }
}
