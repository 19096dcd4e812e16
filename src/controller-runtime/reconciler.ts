import type { KubeObject } from '../machinery/meta/types';
import type { ResourceRegistry } from '../registry/registry';
import type { Clock } from '../simulation/clock';

export interface ReconcileResult {
  /** Run again after this long (clock time), e.g. for time-driven work. */
  requeueAfterMs?: number;
}

/** What changes of one kind enqueue: by default the changed object's own key. */
export interface WatchSpec {
  group: string;
  kind: string;
  /** Keys ("namespace/name" or "name") to reconcile for a change of `obj`. */
  keysFor?(obj: KubeObject): string[];
  /** Keys for a deletion; defaults to keysFor. */
  keysForDeleted?(obj: KubeObject): string[];
}

/**
 * A Kubernetes controller, level-based: `reconcile` gets only a key, reads current state through
 * the registry and converges. Throwing requeues the key with backoff.
 */
export interface Reconciler {
  readonly name: string;
  readonly watches: WatchSpec[];
  reconcile(key: string): Promise<ReconcileResult | void>;
  /**
   * Keys from outside the API (a simulated runtime's events): each source is started with the
   * function that enqueues a key and answers how to stop it.
   */
  readonly sources?: ((enqueue: (key: string) => void) => () => void)[];
  /** Releases what the reconciler holds outside the API (listeners, timers) when the cluster stops. */
  stop?(): void;
}

export type ReconcilerFactory = (registry: ResourceRegistry, clock: Clock) => Reconciler;

export const RECONCILER_MARK = Symbol.for('kubemu.reconciler');

/** Marks a factory so the startup scan of src/kinds/ finds it. */
export function defineReconciler(factory: ReconcilerFactory): ReconcilerFactory {
  return Object.assign(factory, { [RECONCILER_MARK]: true });
}

export function isReconcilerFactory(value: unknown): value is ReconcilerFactory {
  return typeof value === 'function' && (value as unknown as Record<symbol, unknown>)[RECONCILER_MARK] === true;
}

/** "namespace/name" for namespaced objects, "name" for cluster-scoped ones. */
export function objectKey(obj: KubeObject): string {
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name!;
}

export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { namespace: undefined, name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
