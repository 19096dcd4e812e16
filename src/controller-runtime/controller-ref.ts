import type { KubeObject, OwnerReference } from '../machinery/meta/types';
import type { WriteOptions } from '../registry/generic-store';

/** The field manager the controller manager's writes are recorded under (its User-Agent's name). */
export const CONTROLLER_MANAGER = 'kube-controller-manager';
export const CONTROLLER_WRITE: WriteOptions = { fieldManager: CONTROLLER_MANAGER };

/** The owner reference marked controller=true, if any (metav1.GetControllerOf). */
export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((ref) => ref.controller === true);
}

/** The reference a controller puts on what it creates or adopts (metav1.NewControllerRef). */
export function newControllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion!,
    kind: owner.kind!,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Whether `obj` is controlled by `owner` (same uid). */
export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  return controllerOf(obj)?.uid === owner.metadata.uid;
}

/** What claiming needs of the dependents' store: a read-modify-write. */
interface DependentWriter {
  guaranteedUpdate(namespace: string | undefined, name: string, tryUpdate: (current: KubeObject) => KubeObject, opts?: WriteOptions): Promise<unknown>;
}

/**
 * ClaimObjects of the controller ref manager: of `candidates` (same namespace), keep those this
 * owner controls and its selector still matches, adopt matching orphans, and release owned ones
 * that no longer match. A deleting owner adopts nothing and releases nothing. Objects that
 * vanished or changed meanwhile are skipped; the next pass sees them as they are.
 */
export async function claimDependents<T extends KubeObject>(
  owner: KubeObject,
  matches: (obj: T) => boolean,
  candidates: readonly T[],
  store: DependentWriter,
): Promise<T[]> {
  const claimed: T[] = [];
  const ownerDeleting = owner.metadata.deletionTimestamp !== undefined;
  const uid = owner.metadata.uid;
  for (const obj of candidates) {
    const ref = controllerOf(obj);
    const name = obj.metadata.name!;
    const namespace = obj.metadata.namespace;
    if (ref) {
      if (ref.uid !== uid) continue;
      if (matches(obj)) {
        claimed.push(obj);
        continue;
      }
      if (ownerDeleting) continue;
      await ignoreMissing(
        store.guaranteedUpdate(namespace, name, (current) => {
          current.metadata.ownerReferences = (current.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
          if (current.metadata.ownerReferences.length === 0) delete current.metadata.ownerReferences;
          return current;
        }, CONTROLLER_WRITE),
      );
      continue;
    }
    if (ownerDeleting || obj.metadata.deletionTimestamp || !matches(obj)) continue;
    let adopted: KubeObject | undefined;
    await ignoreMissing(
      store.guaranteedUpdate(namespace, name, (current) => {
        // Someone else may have taken it meanwhile.
        if (controllerOf(current)) return current;
        current.metadata.ownerReferences = [...(current.metadata.ownerReferences ?? []), newControllerRef(owner)];
        adopted = current;
        return current;
      }, CONTROLLER_WRITE),
    );
    if (adopted) claimed.push(adopted as T);
  }
  return claimed;
}

async function ignoreMissing(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    // Gone (404) or changed under us (409 / 422): the next pass decides again.
    if (code !== 404 && code !== 409 && code !== 422) throw err;
  }
}
