import { splitKey, type Reconciler, type WatchSpec } from '../controller-runtime/reconciler';
import { StatusError } from '../machinery/errors/status-error';
import { parseApiVersion, type KubeObject, type OwnerReference } from '../machinery/meta/types';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER, type GenericStore } from '../registry/generic-store';
import type { ResourceRegistry } from '../registry/registry';

const WAIT_FOR_DEPENDENTS_MS = 500;

interface ObjectRef {
  store: GenericStore;
  namespace: string | undefined;
  name: string;
}

/**
 * The garbage collector: deletes objects whose owners are all gone (background cascading), removes
 * owner references for orphaning deletes, and holds foreground-deleted owners until their blocking
 * dependents are gone. Keys are "<group>/<kind>/<namespace>/<name>".
 */
export function garbageCollector(registry: ResourceRegistry): Reconciler {
  const storesByKind = new Map(registry.allStores().map((s) => [`${s.type.group}/${s.type.kind}`, s]));
  /** owner uid → keys of objects that name it in ownerReferences. */
  const dependents = new Map<string, Set<string>>();
  /** object key → the owner uids it was indexed under, to unindex it cheaply. */
  const ownersOf = new Map<string, string[]>();
  const keyOf = (store: GenericStore, obj: KubeObject) => `${store.type.group}/${store.type.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;

  const resolve = (key: string): ObjectRef | undefined => {
    const [group, kind, ...rest] = key.split('/');
    const store = storesByKind.get(`${group}/${kind}`);
    const { namespace, name } = splitKey(rest.join('/'));
    return store && { store, namespace: namespace || undefined, name };
  };

  /** Whether the owner a reference names still exists (unknown kinds count as existing: we cannot tell). */
  const ownerState = (ref: OwnerReference, namespace: string | undefined): 'present' | 'absent' | 'deleting-foreground' => {
    const store = storesByKind.get(`${parseApiVersion(ref.apiVersion).group}/${ref.kind}`);
    if (!store) return 'present';
    const owner = store.find(store.type.namespaced ? namespace : undefined, ref.name)?.object;
    if (!owner || owner.metadata.uid !== ref.uid) return 'absent';
    if (owner.metadata.deletionTimestamp && owner.metadata.finalizers?.includes(FOREGROUND_FINALIZER)) return 'deleting-foreground';
    return 'present';
  };

  const track = (store: GenericStore, obj: KubeObject, removed: boolean): string[] => {
    const key = keyOf(store, obj);
    const keys: string[] = [];
    for (const uid of ownersOf.get(key) ?? []) {
      const set = dependents.get(uid);
      set?.delete(key);
      if (set?.size === 0) dependents.delete(uid);
    }
    ownersOf.delete(key);
    if (!removed) {
      const refs = obj.metadata.ownerReferences ?? [];
      if (refs.length) ownersOf.set(key, refs.map((r) => r.uid));
      for (const ref of refs) {
        let set = dependents.get(ref.uid);
        if (!set) dependents.set(ref.uid, (set = new Set()));
        set.add(key);
      }
      if (obj.metadata.ownerReferences?.length) keys.push(key);
    }
    const uid = obj.metadata.uid;
    if (uid && (removed || obj.metadata.deletionTimestamp)) keys.push(...(dependents.get(uid) ?? []));
    if (obj.metadata.deletionTimestamp && (obj.metadata.finalizers ?? []).some((f) => f === FOREGROUND_FINALIZER || f === ORPHAN_FINALIZER)) keys.push(key);
    // A dependent going away may be what a foreground-deleting owner waits for.
    if (removed) for (const ref of obj.metadata.ownerReferences ?? []) keys.push(...ownerKeys(ref, obj.metadata.namespace));
    return keys;
  };

  const ownerKeys = (ref: OwnerReference, namespace: string | undefined): string[] => {
    const store = storesByKind.get(`${parseApiVersion(ref.apiVersion).group}/${ref.kind}`);
    return store ? [`${store.type.group}/${store.type.kind}/${store.type.namespaced ? (namespace ?? '') : ''}/${ref.name}`] : [];
  };

  const removeFinalizer = (target: ObjectRef, finalizer: string) =>
    target.store.guaranteedUpdate(target.namespace, target.name, (current) => ({
      ...current,
      metadata: { ...current.metadata, finalizers: (current.metadata.finalizers ?? []).filter((f) => f !== finalizer) },
    }));

  const ignoreGone = (err: unknown) => {
    if (!(err instanceof StatusError && err.code === 404)) throw err;
  };

  return {
    name: 'garbage-collector',
    watches: registry.allStores().map(
      (store): WatchSpec => ({
        group: store.type.group,
        kind: store.type.kind,
        keysFor: (obj) => track(store, obj, false),
        keysForDeleted: (obj) => track(store, obj, true),
      }),
    ),
    async reconcile(key) {
      const target = resolve(key);
      if (!target) return;
      const obj = target.store.find(target.namespace, target.name)?.object;
      if (!obj) return;
      const finalizers = obj.metadata.finalizers ?? [];
      const deps = [...(dependents.get(obj.metadata.uid ?? '') ?? [])].map(resolve).filter((d): d is ObjectRef => !!d);
      if (obj.metadata.deletionTimestamp && finalizers.includes(ORPHAN_FINALIZER)) {
        for (const dep of deps) {
          await dep.store
            .guaranteedUpdate(dep.namespace, dep.name, (current) => ({
              ...current,
              metadata: { ...current.metadata, ownerReferences: (current.metadata.ownerReferences ?? []).filter((r) => r.uid !== obj.metadata.uid) },
            }))
            .catch(ignoreGone);
        }
        await removeFinalizer(target, ORPHAN_FINALIZER).catch(ignoreGone);
        return;
      }
      if (obj.metadata.deletionTimestamp && finalizers.includes(FOREGROUND_FINALIZER)) {
        let blocking = 0;
        for (const dep of deps) {
          const depObj = dep.store.find(dep.namespace, dep.name)?.object;
          if (!depObj) continue;
          const ref = depObj.metadata.ownerReferences?.find((r) => r.uid === obj.metadata.uid);
          if (ref?.blockOwnerDeletion) blocking++;
          if (!depObj.metadata.deletionTimestamp) await dep.store.delete(dep.namespace, dep.name, { propagationPolicy: 'Foreground' }).catch(ignoreGone);
        }
        if (blocking > 0) return { requeueAfterMs: WAIT_FOR_DEPENDENTS_MS };
        await removeFinalizer(target, FOREGROUND_FINALIZER).catch(ignoreGone);
        return;
      }
      // A dependent: collect it once no owner is left; drop references to owners that are gone.
      const refs = obj.metadata.ownerReferences ?? [];
      if (refs.length === 0) return;
      const states = refs.map((ref) => ownerState(ref, obj.metadata.namespace));
      if (states.every((s) => s === 'absent')) {
        if (!obj.metadata.deletionTimestamp) await target.store.delete(target.namespace, target.name, { propagationPolicy: 'Background' }).catch(ignoreGone);
        return;
      }
      if (states.includes('deleting-foreground') && !obj.metadata.deletionTimestamp) {
        await target.store.delete(target.namespace, target.name, { propagationPolicy: 'Foreground' }).catch(ignoreGone);
        return;
      }
      if (states.includes('absent')) {
        const gone = new Set(refs.filter((_, i) => states[i] === 'absent').map((r) => r.uid));
        await target.store
          .guaranteedUpdate(target.namespace, target.name, (current) => ({
            ...current,
            metadata: { ...current.metadata, ownerReferences: (current.metadata.ownerReferences ?? []).filter((r) => !gone.has(r.uid)) },
          }))
          .catch(ignoreGone);
      }
    },
  };
}
