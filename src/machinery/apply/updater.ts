/**
 * structured-merge-diff's merge.Updater: the ownership algebra behind Apply and Update. All
 * managers are read against one schema (the emulator serves one version per kind's schema), so
 * the per-version conversions of the Go code collapse to a single comparison.
 */
import { FieldSet, type FieldPath } from './fieldpath';
import type { VersionedSet } from './managed-fields';
import { compare, ensureNamedFieldsAreMembers, merge, removeItems, toFieldSet, type Comparison, type TypeRef } from './typed';
import { jsonEquals } from './go-json';

export type ManagerSets = Map<string, VersionedSet>;

export interface Conflict {
  /** Manager identifier (the JSON form, see buildManagerIdentifier). */
  manager: string;
  path: FieldPath;
}

/** merge.Conflicts: what Apply without force refuses to take over. */
export class ConflictsError extends Error {
  constructor(readonly conflicts: Conflict[]) {
    super(`${conflicts.length} conflict(s)`);
  }
}

export interface UpdaterOptions {
  type: TypeRef;
  /** Fields reset by the strategy (status on the main resource, spec on /status): never owned, never conflicting. */
  ignored?: FieldSet;
  /**
   * How objects look when the Go code compares them (typed, with zero-valued structs present). Only
   * comparisons see it; merged objects keep the caller's shape.
   */
  shape?: (obj: unknown) => unknown;
}

function filter(set: FieldSet, ignored: FieldSet | undefined): FieldSet {
  return ignored ? set.recursiveDifference(ignored) : set;
}

/**
 * Updater.update: compares old and new, strips what changed from every other manager (refusing
 * when `force` is off) and drops what was removed. Managers left with nothing are deleted.
 */
function update(options: UpdaterOptions, oldObject: unknown, newObject: unknown, managers: ManagerSets, workflow: string, force: boolean): Comparison {
  const shape = options.shape ?? ((obj: unknown): unknown => obj);
  const raw = compare(shape(oldObject), shape(newObject), options.type);
  const comparison: Comparison = {
    added: filter(raw.added, options.ignored),
    modified: filter(raw.modified, options.ignored),
    removed: filter(raw.removed, options.ignored),
  };
  const changed = comparison.modified.union(comparison.added);
  const conflicts = new Map<string, FieldSet>();
  for (const [manager, versioned] of managers) {
    if (manager === workflow) continue;
    const conflictSet = versioned.set.intersection(changed);
    if (!conflictSet.isEmpty()) conflicts.set(manager, conflictSet);
  }
  if (!force && conflicts.size > 0) {
    const list: Conflict[] = [];
    for (const manager of [...conflicts.keys()].sort()) {
      for (const path of (conflicts.get(manager) as FieldSet).paths()) list.push({ manager, path });
    }
    throw new ConflictsError(list);
  }
  for (const [manager, conflictSet] of conflicts) {
    const versioned = managers.get(manager) as VersionedSet;
    managers.set(manager, { ...versioned, set: versioned.set.difference(conflictSet) });
  }
  if (!comparison.removed.isEmpty()) {
    for (const [manager, versioned] of managers) {
      if (manager === workflow) continue;
      managers.set(manager, { ...versioned, set: versioned.set.difference(comparison.removed) });
    }
  }
  for (const [manager, versioned] of [...managers]) if (versioned.set.isEmpty()) managers.delete(manager);
  return comparison;
}

/**
 * Updater.Update: after a create/update/patch, `manager` owns what it added or modified (plus what
 * it owned and did not remove); others lose those fields without conflict.
 */
export function updaterUpdate(options: UpdaterOptions, liveObject: unknown, newObject: unknown, apiVersion: string, managers: ManagerSets, manager: string): ManagerSets {
  const comparison = update(options, liveObject, newObject, managers, manager, true);
  const previous = managers.get(manager)?.set ?? new FieldSet();
  const set = filter(previous.difference(comparison.removed).union(comparison.modified).union(comparison.added), options.ignored);
  if (set.isEmpty()) managers.delete(manager);
  else managers.set(manager, { set, apiVersion, applied: false });
  return managers;
}

export interface ApplyOutcome {
  /** The merged object, or undefined when applying changed nothing. */
  object: unknown;
  managers: ManagerSets;
}

/**
 * Updater.Apply: merge the configuration into the live object, make the applier own exactly what
 * it applied, prune what it applied last time and no longer does (unless someone else owns it),
 * then settle ownership against everyone else — conflicts unless forced.
 */
export function updaterApply(options: UpdaterOptions, liveObject: unknown, config: unknown, apiVersion: string, managers: ManagerSets, manager: string, force: boolean): ApplyOutcome {
  let newObject = merge(liveObject, config, options.type);
  const lastSet = managers.get(manager);
  const set = filter(toFieldSet(config, options.type), options.ignored);
  managers.set(manager, { set, apiVersion, applied: true });
  newObject = prune(options, newObject, managers, lastSet);
  update(options, liveObject, newObject, managers, manager, force);
  return { object: jsonEquals(liveObject, newObject) ? undefined : newObject, managers };
}

/**
 * Removes a field, list or map item iff the applier applied it last time, did not apply it this
 * time and no other manager claims it (prune + addBackOwnedItems + addBackDanglingItems).
 */
function prune(options: UpdaterOptions, merged: unknown, managers: ManagerSets, lastSet: VersionedSet | undefined): unknown {
  if (!lastSet || lastSet.set.isEmpty()) return merged;
  const type = options.type;
  const ensure = (s: FieldSet): FieldSet => ensureNamedFieldsAreMembers(s, type);
  let pruned = removeItems(merged, ensure(lastSet.set), type);

  // addBackOwnedItems: keep whatever anybody (the applier's new set included) still owns.
  let managed = new FieldSet();
  for (const versioned of managers.values()) managed = managed.union(versioned.set);
  const mergedSet = ensure(toFieldSet(merged, type));
  const prunedSet = ensure(toFieldSet(pruned, type));
  pruned = removeItems(merged, mergedSet.difference(prunedSet.union(ensure(managed))), type);

  // addBackDanglingItems: only remove what the applier itself owned before.
  const keptSet = ensure(toFieldSet(pruned, type));
  const last = ensure(lastSet.set);
  return removeItems(merged, mergedSet.difference(keptSet).intersection(last), type);
}
