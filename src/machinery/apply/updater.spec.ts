/**
 * The merge algebra on its own (no apiserver layers: no stripping, no identifiers), checked against
 * cases from structured-merge-diff's merge tests, re-expressed on a small schema of ours.
 */
import { Schemas } from '../schema/schemas';
import type { SchemaNode } from '../schema/schema-node';
import { pathString } from './fieldpath';
import { ConflictsError, updaterApply, updaterUpdate, type ManagerSets } from './updater';

const schemas = new Schemas({
  'test.Root': {
    type: 'object',
    properties: {
      numeric: { type: 'integer' },
      string: { type: 'string' },
      bool: { type: 'boolean' },
      struct: { $ref: '#/definitions/test.Struct' },
      listOfLists: { type: 'array', items: { $ref: '#/definitions/test.Item' }, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] },
      mapOfMapsRecursive: { $ref: '#/definitions/test.RecursiveMap' },
      list: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
    },
  },
  'test.Struct': { type: 'object', properties: { name: { type: 'string' }, value: { type: 'integer' } } },
  'test.Item': { type: 'object', properties: { name: { type: 'string' }, value: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' } } },
  'test.RecursiveMap': { type: 'object', additionalProperties: { $ref: '#/definitions/test.RecursiveMap' } },
});
const type = schemas.definitionOf('test.Root') as SchemaNode;

/** fixture.State: a live object and its managers, driven by Apply and Update operations. */
class State {
  live: unknown = undefined;
  managers: ManagerSets = new Map();

  apply(config: unknown, manager: string, force = false): void {
    const outcome = updaterApply({ type }, this.live ?? {}, config, 'v1', new Map(this.managers), manager, force);
    this.managers = outcome.managers;
    if (outcome.object !== undefined) this.live = outcome.object;
  }

  update(object: unknown, manager: string): void {
    this.managers = updaterUpdate({ type }, this.live ?? {}, object, 'v1', new Map(this.managers), manager);
    this.live = object;
  }

  managed(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [manager, versioned] of [...this.managers].sort(([a], [b]) => (a < b ? -1 : 1))) out[manager] = versioned.set.paths().map(pathString);
    return out;
  }
}

describe('merge.Updater (SMD fixture cases)', () => {
  it('leaf: apply, update, apply with conflict, then force', () => {
    const s = new State();
    s.apply({ numeric: 1, string: 'string' }, 'default');
    s.update({ numeric: 1, string: 'controller string', bool: true }, 'controller');
    let conflict: ConflictsError | undefined;
    try {
      s.apply({ numeric: 2, string: 'user string' }, 'default');
    } catch (err) {
      conflict = err as ConflictsError;
    }
    expect(conflict?.conflicts.map((c) => [c.manager, pathString(c.path)])).toEqual([['controller', '.string']]);
    s.apply({ numeric: 2, string: 'user string' }, 'default', true);
    expect(s.live).toEqual({ numeric: 2, string: 'user string', bool: true });
    expect(s.managed()).toEqual({ controller: ['.bool'], default: ['.numeric', '.string'] });
  });

  it('multiple appliers: remove one item, keep the dangling sub-item others own', () => {
    const s = new State();
    s.apply({ listOfLists: [{ name: 'a' }, { name: 'b', value: ['c'] }] }, 'apply-one');
    s.apply({ listOfLists: [{ name: 'b', value: ['d'] }] }, 'apply-two');
    s.update({ listOfLists: [{ name: 'a' }, { name: 'b', value: ['c', 'd', 'e'] }] }, 'controller');
    s.apply({ listOfLists: [{ name: 'a' }] }, 'apply-one');
    expect(s.live).toEqual({ listOfLists: [{ name: 'a' }, { name: 'b', value: ['d', 'e'] }] });
    expect(s.managed()).toEqual({
      'apply-one': ['.listOfLists[name="a"]', '.listOfLists[name="a"].name'],
      'apply-two': ['.listOfLists[name="b"]', '.listOfLists[name="b"].name', '.listOfLists[name="b"].value[="d"]'],
      controller: ['.listOfLists[name="b"].value[="e"]'],
    });
  });

  it('multiple appliers: an item with only a dangling sub-item left goes away', () => {
    const s = new State();
    s.apply({ listOfLists: [{ name: 'a' }, { name: 'b', value: ['c'] }] }, 'apply-one');
    s.apply({ listOfLists: [{ name: 'a', value: ['b'] }] }, 'apply-two');
    s.update({ listOfLists: [{ name: 'a', value: ['b'] }, { name: 'b', value: ['c', 'd'] }] }, 'controller');
    s.apply({ listOfLists: [{ name: 'a' }] }, 'apply-one');
    expect(s.live).toEqual({ listOfLists: [{ name: 'a', value: ['b'] }] });
    expect(s.managed()).toEqual({
      'apply-one': ['.listOfLists[name="a"]', '.listOfLists[name="a"].name'],
      'apply-two': ['.listOfLists[name="a"]', '.listOfLists[name="a"].name', '.listOfLists[name="a"].value[="b"]'],
    });
  });

  it('unsetting a scalar shared with an updater keeps it', () => {
    const s = new State();
    s.update({ struct: { name: 'a', value: 1 } }, 'updater');
    s.apply({ struct: { name: 'a', value: 1 } }, 'applier');
    s.apply({ struct: { name: 'a' } }, 'applier');
    expect(s.live).toEqual({ struct: { name: 'a', value: 1 } });
    expect(s.managed()).toEqual({ applier: ['.struct.name'], updater: ['.struct', '.struct.name', '.struct.value'] });
  });

  it('nested structs: removal down to nothing, dangling structs and take-overs', () => {
    const removeAll = new State();
    removeAll.apply({ struct: { name: 'a', value: 1 } }, 'default');
    removeAll.apply({}, 'default');
    expect(removeAll.live).toBeNull();
    expect(removeAll.managed()).toEqual({});

    const dangling = new State();
    dangling.apply({ struct: { name: 'a' } }, 'default');
    dangling.apply({ struct: null }, 'default');
    expect(dangling.live).toEqual({ struct: null });
    expect(dangling.managed()).toEqual({ default: ['.struct'] });

    const updated = new State();
    updated.apply({ struct: { name: 'a' } }, 'default');
    updated.update({ struct: { name: 'a', value: 1 } }, 'controller');
    updated.apply({ struct: {} }, 'default');
    expect(updated.live).toEqual({ struct: { value: 1 } });

    const tookOver = new State();
    tookOver.apply({ struct: { name: 'a' } }, 'default');
    tookOver.update({ struct: { name: 'b', value: 1 } }, 'controller');
    tookOver.apply({ struct: null }, 'default');
    expect(tookOver.live).toEqual({ struct: { name: 'b', value: 1 } });
  });

  it('recursive maps: applying a sibling replaces the dangling branch', () => {
    const s = new State();
    s.apply({ mapOfMapsRecursive: { a: { b: { c: null } } } }, 'default');
    s.apply({ mapOfMapsRecursive: { a: { d: { c: null } } } }, 'default');
    expect(s.live).toEqual({ mapOfMapsRecursive: { a: { d: { c: null } } } });
    expect(s.managed()).toEqual({ default: ['.mapOfMapsRecursive.a', '.mapOfMapsRecursive.a.d', '.mapOfMapsRecursive.a.d.c'] });
  });

  it('sets: applying a subset of an updater-extended set keeps the updater items (apply_update_apply_with_overlap)', () => {
    const s = new State();
    s.apply({ list: ['a', 'c'] }, 'default');
    s.update({ list: ['a', 'b', 'c', 'd'] }, 'controller');
    s.apply({ list: ['a', 'b', 'c'] }, 'default');
    expect(s.live).toEqual({ list: ['a', 'b', 'c', 'd'] });
    expect(s.managed()).toEqual({ controller: ['.list[="b"]', '.list[="d"]'], default: ['.list[="a"]', '.list[="b"]', '.list[="c"]'] });
  });
});
