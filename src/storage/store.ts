/** The durable layer under the watch cache: SQLite today, PostgreSQL for replicas next. */

export type MutationType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** Where an object lives; `key` is derived from the rest and unique across kinds. */
export interface ObjectLocation {
  group: string;
  resource: string;
  namespace: string;
  name: string;
}

export function storageKey(loc: ObjectLocation): string {
  return `/${loc.group || 'core'}/${loc.resource}/${loc.namespace}/${loc.name}`;
}

export interface Mutation {
  type: MutationType;
  key: string;
  location: ObjectLocation;
  uid: string;
  /** The revision this write creates (the object's new resourceVersion). */
  revision: number;
  /** The object's resourceVersion before this write; 0 for a create. The write fails if it moved. */
  prevRevision: number;
  /** The object as JSON (for DELETED, its last state). */
  value: string;
}

export interface StoredObject {
  key: string;
  location: ObjectLocation;
  revision: number;
  value: string;
}

export interface Store {
  /** Every live object and the highest revision ever written, to fill the watch cache at start. */
  load(): Promise<{ revision: number; objects: StoredObject[] }>;
  /** Apply the mutations atomically and durably; resolves only once they are committed. */
  commit(batch: readonly Mutation[]): Promise<void>;
  /** Drop change-log rows at or below `revision` (objects keep their latest state regardless). */
  compact(revision: number): Promise<void>;
  close(): Promise<void>;
}

/** A write lost a compare-and-swap in SQL: someone else changed the row (only possible with replicas). */
export class StoreConflictError extends Error {}
