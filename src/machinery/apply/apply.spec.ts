import { StatusError } from '../errors/status-error';
import {
  ApplyConflictError,
  applyConflictToStatusError,
  ignoreManagedFieldsTimestamps,
  LAST_APPLIED_ANNOTATION,
  managerFromUserAgent,
  serverSideApply,
  updateManagedFields,
  type ManagedFieldsEntry,
  type ServerSideApplyArgs,
} from './index';

type Obj = Record<string, unknown>;

const CM = 'io.k8s.api.core.v1.ConfigMap';
const POD = 'io.k8s.api.core.v1.Pod';
const DEPLOYMENT = 'io.k8s.api.apps.v1.Deployment';

const T1 = '2024-05-01T10:00:00Z';
const T2 = '2024-05-01T10:05:00Z';
const T3 = '2024-05-01T10:10:00Z';

function apply(live: Obj | undefined, config: Obj, manager: string, extra: Partial<ServerSideApplyArgs> = {}): Obj {
  const apiVersion = typeof config.apiVersion === 'string' ? config.apiVersion : 'v1';
  return serverSideApply({ live, config, manager, force: false, definition: CM, apiVersion, now: T1, ...extra });
}

function update(old: Obj | undefined, next: Obj, manager: string, extra: Partial<Parameters<typeof updateManagedFields>[0]> = {}): Obj {
  return updateManagedFields({ old, next, manager, definition: CM, apiVersion: 'v1', now: T1, ...extra });
}

function entries(obj: Obj): ManagedFieldsEntry[] {
  const metadata = obj.metadata as Obj;
  return (metadata.managedFields as ManagedFieldsEntry[] | undefined) ?? [];
}

function entryOf(obj: Obj, manager: string, operation?: 'Apply' | 'Update'): ManagedFieldsEntry | undefined {
  return entries(obj).find((e) => e.manager === manager && (!operation || e.operation === operation));
}

function withUid(obj: Obj): Obj {
  return { ...obj, metadata: { ...(obj.metadata as Obj), uid: '6b3c8f34-0f5e-4c89-9d1c-0d4e4f0a1b2c', resourceVersion: '1' } };
}

function stripManaged(obj: Obj): Obj {
  const { managedFields: _m, ...metadata } = obj.metadata as Obj;
  void _m;
  return { ...obj, metadata };
}

function conflictOf(run: () => unknown): ApplyConflictError {
  try {
    run();
  } catch (err) {
    if (err instanceof ApplyConflictError) return err;
    throw err;
  }
  throw new Error('expected an apply conflict');
}

function cm(data: Record<string, string>, metadata: Obj = {}): Obj {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default', ...metadata }, data };
}

describe('serverSideApply: create and re-apply', () => {
  it('creates the object with one Apply entry owning what was applied (metadata basics stripped)', () => {
    const created = apply(undefined, cm({ color: 'blue', size: 'L' }, { labels: { team: 'a' } }), 'deployer');
    expect(stripManaged(created)).toEqual(cm({ color: 'blue', size: 'L' }, { labels: { team: 'a' } }));
    expect(entries(created)).toEqual([
      {
        manager: 'deployer',
        operation: 'Apply',
        apiVersion: 'v1',
        time: T1,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { 'f:color': {}, 'f:size': {} }, 'f:metadata': { 'f:labels': { 'f:team': {} } } },
      },
    ]);
    expect(Object.keys(entries(created)[0])).toEqual(['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1']);
  });

  it('re-applying with a change updates the value and the entry time, keeping one entry', () => {
    const created = withUid(apply(undefined, cm({ color: 'blue' }), 'deployer'));
    const changed = apply(created, cm({ color: 'green' }), 'deployer', { now: T2 });
    expect((changed.data as Obj).color).toBe('green');
    expect(entries(changed)).toHaveLength(1);
    expect(entries(changed)[0].time).toBe(T2);
    expect((changed.metadata as Obj).uid).toBe((created.metadata as Obj).uid);
  });

  it('re-applying the same configuration changes nothing, not even the time', () => {
    const created = withUid(apply(undefined, cm({ color: 'blue' }), 'deployer'));
    const again = apply(created, cm({ color: 'blue' }), 'deployer', { now: T3 });
    expect(again).toEqual(created);
  });

  it('keeps server-populated metadata that a manifest sets to null', () => {
    const created = withUid(apply(undefined, cm({ a: '1' }), 'deployer'));
    const live = { ...created, metadata: { ...(created.metadata as Obj), creationTimestamp: '2024-05-01T09:00:00Z' } };
    const out = apply(live, { ...cm({ a: '2' }), metadata: { name: 'settings', namespace: 'default', creationTimestamp: null } }, 'deployer', { now: T2 });
    expect((out.metadata as Obj).creationTimestamp).toBe('2024-05-01T09:00:00Z');
    expect((out.metadata as Obj).uid).toBe((live.metadata as Obj).uid);
    expect(entries(out)[0].fieldsV1).toEqual({ 'f:data': { 'f:a': {} } });
  });

  it('truncates the request time to whole seconds', () => {
    const created = apply(undefined, cm({ a: '1' }), 'deployer', { now: '2024-05-01T10:00:00.987654Z' });
    expect(entries(created)[0].time).toBe('2024-05-01T10:00:00Z');
  });

  it('drops the entry of a manager that applies nothing it can own', () => {
    const created = withUid(apply(undefined, cm({ a: '1' }), 'deployer'));
    const bare = apply(created, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' } }, 'deployer', { now: T2 });
    expect(bare.data).toBeUndefined();
    expect(entries(bare)).toEqual([]);
    expect((bare.metadata as Obj).managedFields).toBeUndefined();
  });
});

describe('serverSideApply: removing fields from the configuration', () => {
  it('removes a field only the applier owned', () => {
    const created = withUid(apply(undefined, cm({ a: '1', b: '2' }, { labels: { x: 'y' } }), 'deployer'));
    const next = apply(created, cm({ a: '1' }), 'deployer', { now: T2 });
    expect(next.data).toEqual({ a: '1' });
    expect((next.metadata as Obj).labels).toBeUndefined();
    expect(entries(next)[0].fieldsV1).toEqual({ 'f:data': { 'f:a': {} } });
  });

  it('keeps a field another applier also applied (shared ownership), dropping only the first applier', () => {
    const one = withUid(apply(undefined, cm({ a: '1', b: '2' }), 'one'));
    const two = apply(one, cm({ b: '2' }), 'two', { now: T2 });
    expect(entryOf(two, 'one')?.fieldsV1).toEqual({ 'f:data': { 'f:a': {}, 'f:b': {} } });
    expect(entryOf(two, 'two')?.fieldsV1).toEqual({ 'f:data': { 'f:b': {} } });
    // The second applier changed nothing: it gets an entry but no time (the object did not change).
    expect(entryOf(two, 'two')?.time).toBeUndefined();

    const after = apply(two, cm({ a: '1' }), 'one', { now: T3 });
    expect(after.data).toEqual({ a: '1', b: '2' });
    expect(entryOf(after, 'one')?.fieldsV1).toEqual({ 'f:data': { 'f:a': {} } });
    expect(entryOf(after, 'two')?.fieldsV1).toEqual({ 'f:data': { 'f:b': {} } });
  });

  it('keeps a field an updater took over', () => {
    const applied = withUid(apply(undefined, cm({ a: '1', b: '2' }), 'deployer'));
    const edited = update(applied, { ...applied, data: { a: '1', b: 'edited' } }, 'kubectl-edit', { now: T2 });
    const reapplied = apply(edited, cm({ a: '1' }), 'deployer', { now: T3 });
    expect(reapplied.data).toEqual({ a: '1', b: 'edited' });
  });

  it('removes a list item the applier stops applying, leaving items of other managers (SMD remove_one_keep_one)', () => {
    const pod = (containers: string[]): Obj => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: containers.map((name) => ({ name, image: `${name}:1` })) } });
    const args = { definition: POD };
    const one = withUid(apply(undefined, pod(['a', 'b', 'c']), 'apply-one', args));
    const two = apply(one, pod(['c', 'd']), 'apply-two', args);
    const last = apply(two, pod(['a']), 'apply-one', args);
    expect(((last.spec as Obj).containers as Obj[]).map((c) => c.name)).toEqual(['a', 'c', 'd']);
  });
});

describe('serverSideApply: conflicts', () => {
  const createdByKubectl = (): Obj => withUid(update(undefined, cm({ key: 'old', other: 'x' }), 'kubectl-client-side-apply'));

  it('refuses to change a field an updater owns, with the real message and causes', () => {
    const err = conflictOf(() => apply(createdByKubectl(), cm({ key: 'new' }), 'kubectl', { now: T2 }));
    expect(err).toBeInstanceOf(StatusError);
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.key');
    expect(err.toStatus()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.key',
      reason: 'Conflict',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using v1', field: '.data.key' }] },
      code: 409,
    });
    expect(err.conflicts).toEqual([
      { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'v1', field: '.data.key', display: '"kubectl-client-side-apply" using v1' },
    ]);
    const plain = applyConflictToStatusError(err);
    expect(plain).not.toBeInstanceOf(ApplyConflictError);
    expect(plain.toStatus()).toEqual(err.toStatus());
  });

  it('groups several conflicts by manager in the message', () => {
    const live = createdByKubectl();
    const other = apply(live, cm({ extra: 'e' }), 'helm', { now: T2 });
    const err = conflictOf(() => apply(other, cm({ key: 'k', other: 'o', extra: 'z' }), 'kubectl', { now: T3 }));
    expect(err.message).toBe(
      'Apply failed with 3 conflicts: conflicts with "helm":\n- .data.extra\nconflicts with "kubectl-client-side-apply" using v1:\n- .data.key\n- .data.other',
    );
    expect(err.details?.causes).toEqual([
      { reason: 'FieldManagerConflict', message: 'conflict with "helm"', field: '.data.extra' },
      { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using v1', field: '.data.key' },
      { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using v1', field: '.data.other' },
    ]);
  });

  it('force takes the fields over; the previous owner keeps the rest', () => {
    const forced = apply(createdByKubectl(), cm({ key: 'new' }), 'kubectl', { force: true, now: T2 });
    expect(forced.data).toEqual({ key: 'new', other: 'x' });
    expect(entryOf(forced, 'kubectl', 'Apply')?.fieldsV1).toEqual({ 'f:data': { 'f:key': {} } });
    expect(entryOf(forced, 'kubectl-client-side-apply')?.fieldsV1).toEqual({ 'f:data': { '.': {}, 'f:other': {} } });
    // Apply entries sort before Update entries.
    expect(entries(forced).map((e) => e.operation)).toEqual(['Apply', 'Update']);
  });

  it('applying the value another manager already set is shared ownership, not a conflict', () => {
    const shared = apply(createdByKubectl(), cm({ key: 'old' }), 'kubectl', { now: T2 });
    expect(entryOf(shared, 'kubectl')?.fieldsV1).toEqual({ 'f:data': { 'f:key': {} } });
    expect(entryOf(shared, 'kubectl-client-side-apply')?.fieldsV1).toEqual({ 'f:data': { '.': {}, 'f:key': {}, 'f:other': {} } });
  });

  it('an updater in between does not conflict on fields it left alone (SMD apply_update_apply_no_conflict)', () => {
    const applied = withUid(apply(undefined, cm({ numeric: '1', string: 's' }), 'default'));
    const controlled = update(applied, { ...applied, data: { numeric: '1', string: 's', bool: 'true' } }, 'controller', { now: T2 });
    const reapplied = apply(controlled, cm({ numeric: '2', string: 's' }), 'default', { now: T3 });
    expect(reapplied.data).toEqual({ numeric: '2', string: 's', bool: 'true' });
    expect(entryOf(reapplied, 'controller')?.fieldsV1).toEqual({ 'f:data': { 'f:bool': {} } });
  });

  it('conflicts with an Update on a subresource name the subresource', () => {
    const podDef = { definition: POD };
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] }, status: { phase: 'Pending' } };
    const created = withUid(apply(undefined, pod, 'user', podDef));
    const kubelet = update(created, { ...created, status: { phase: 'Running' } }, 'kubelet', { ...podDef, subresource: 'status', now: T2 });
    expect(entryOf(kubelet, 'kubelet')).toMatchObject({ operation: 'Update', subresource: 'status', fieldsV1: { 'f:status': { 'f:phase': {} } } });
    const err = conflictOf(() => apply(kubelet, { ...pod, status: { phase: 'Failed' } }, 'status-writer', { ...podDef, subresource: 'status', now: T3 }));
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "kubelet" with subresource "status" using v1: .status.phase');
  });
});

describe('updateManagedFields', () => {
  it('records the creator as an Update entry with "." on fields that did not exist in the empty typed object', () => {
    const created = update(undefined, cm({ a: '1' }, { labels: { app: 'web' } }), 'kubectl-create');
    expect(entries(created)).toEqual([
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'v1',
        time: T1,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { '.': {}, 'f:a': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } },
      },
    ]);
  });

  it('records a Deployment like a real server: value structs and defaulted container fields', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'nginx', image: 'nginx', imagePullPolicy: 'Always', ports: [{ containerPort: 80, protocol: 'TCP' }] }], restartPolicy: 'Always' },
        },
      },
    };
    const created = update(undefined, deployment, 'kubectl-create', { definition: DEPLOYMENT, apiVersion: 'apps/v1' });
    expect(entries(created)[0].fieldsV1).toEqual({
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:strategy': { 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {}, 'f:maxUnavailable': {} }, 'f:type': {} },
        'f:template': {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': {
            'f:containers': {
              'k:{"name":"nginx"}': {
                '.': {},
                'f:image': {},
                'f:imagePullPolicy': {},
                'f:name': {},
                'f:ports': { '.': {}, 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } },
                'f:resources': {},
              },
            },
            'f:restartPolicy': {},
          },
        },
      },
    });
  });

  it('an edit transfers ownership of the changed fields without conflict', () => {
    const deployment = (replicas: number): Obj => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
    });
    const d = { definition: DEPLOYMENT, apiVersion: 'apps/v1' };
    const applied = withUid(apply(undefined, deployment(2), 'gitops', d));
    const edited = update(applied, { ...applied, spec: { ...(applied.spec as Obj), replicas: 3 } }, 'kubectl-edit', { ...d, now: T2 });
    expect(entryOf(edited, 'kubectl-edit')?.fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(entryOf(edited, 'gitops')?.fieldsV1).not.toHaveProperty(['f:spec', 'f:replicas']);
    const err = conflictOf(() => apply(edited, deployment(2), 'gitops', { ...d, now: T3 }));
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas');
  });

  it('an update that changes nothing leaves entries and times alone', () => {
    const created = withUid(update(undefined, cm({ a: '1' }), 'creator'));
    const same = update(created, { ...created }, 'someone-else', { now: T2 });
    expect(entries(same)).toEqual(entries(created));
  });

  it('merges repeated updates of one manager into one entry and moves its time', () => {
    const created = withUid(update(undefined, cm({ a: '1' }), 'ctl'));
    const second = update(created, { ...created, data: { a: '1', b: '2' } }, 'ctl', { now: T2 });
    expect(entries(second)).toHaveLength(1);
    expect(entries(second)[0]).toMatchObject({ time: T2, fieldsV1: { 'f:data': { '.': {}, 'f:a': {}, 'f:b': {} } } });
  });

  it('keeps updates through different subresources (or versions) apart', () => {
    const podDef = { definition: POD };
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] } };
    const created = withUid(update(undefined, pod, 'ctl', podDef));
    const status = update(created, { ...created, status: { phase: 'Running' } }, 'ctl', { ...podDef, subresource: 'status', now: T2 });
    expect(entries(status).map((e) => [e.manager, e.subresource])).toEqual([
      ['ctl', undefined],
      ['ctl', 'status'],
    ]);
    expect(Object.keys(entries(status)[1])).toEqual(['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1', 'subresource']);
  });

  it('drops managers left with nothing', () => {
    const created = withUid(update(undefined, cm({ a: '1', b: '1' }), 'first'));
    const replaced = update(created, { ...created, data: { a: '2', b: '1' } }, 'second', { now: T2 });
    expect(entries(replaced).map((e) => e.manager)).toEqual(['first', 'second']);
    expect(entryOf(replaced, 'first')?.fieldsV1).toEqual({ 'f:data': { '.': {}, 'f:b': {} } });
    const taken = update(replaced, { ...replaced, data: { a: '2', b: '2' } }, 'second', { now: T3 });
    // Only the map itself is left: a member without children is written as {}.
    expect(entryOf(taken, 'first')?.fieldsV1).toEqual({ 'f:data': {} });
    // Removing data takes it from the first manager too; a removal is owned by nobody.
    const gone = update(taken, { ...taken, data: undefined }, 'third', { now: T3 });
    expect((gone.metadata as Obj).managedFields).toBeUndefined();
  });

  it('honours managedFields sent by the client, and an empty list resets them', () => {
    const created = withUid(update(undefined, cm({ a: '1' }), 'creator'));
    const reset = update(created, { ...created, metadata: { ...(created.metadata as Obj), managedFields: [] }, data: { a: '2' } }, 'editor', { now: T2 });
    expect((reset.metadata as Obj).managedFields).toBeUndefined();
    const stillUntracked = update(reset, { ...reset, data: { a: '3' } }, 'editor', { now: T3 });
    expect((stillUntracked.metadata as Obj).managedFields).toBeUndefined();

    // A client may rewrite the entries (kubectl's client-side-apply migration does): they are kept as sent.
    const custom: ManagedFieldsEntry[] = [{ manager: 'imported', operation: 'Apply', apiVersion: 'v1', time: T1, fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } }];
    const rewritten = update(created, { ...created, metadata: { ...(created.metadata as Obj), managedFields: custom } }, 'migrator', { now: T2 });
    expect(entries(rewritten)).toEqual(custom);
    // On create everything is new, so the creator takes over whatever the sent entries claimed.
    const withCustom = update(undefined, { ...cm({ a: '1', b: '2' }), metadata: { name: 'settings', managedFields: custom } }, 'creator');
    expect(entries(withCustom).map((e) => e.manager)).toEqual(['creator']);
  });

  it('ignores managedFields in a subresource request', () => {
    const created = withUid(update(undefined, cm({ a: '1' }), 'creator'));
    const next = { ...created, metadata: { ...(created.metadata as Obj), managedFields: [] } };
    const out = update(created, next, 'status-writer', { subresource: 'status', now: T2 });
    expect(entries(out)).toEqual(entries(created));
  });

  it('folds the oldest of more than ten updaters into "ancient-changes"', () => {
    let obj = withUid(update(undefined, cm({ k0: 'v' }), 'm0', { now: '2024-01-01T00:00:00Z' }));
    for (let i = 1; i <= 11; i++) {
      obj = update(obj, { ...obj, data: { ...(obj.data as Obj), [`k${i}`]: 'v' } }, `m${i}`, { now: `2024-01-01T00:00:${String(i).padStart(2, '0')}Z` });
    }
    const names = entries(obj).map((e) => e.manager);
    expect(names).toHaveLength(10);
    expect(names[0]).toBe('ancient-changes');
    expect(entryOf(obj, 'ancient-changes')?.fieldsV1).toEqual({ 'f:data': { '.': {}, 'f:k0': {}, 'f:k1': {}, 'f:k2': {} } });
    expect(entryOf(obj, 'ancient-changes')?.time).toBe('2024-01-01T00:00:02Z');
  });
});

describe('lists in apply', () => {
  const podDef = { definition: POD };
  const pod = (containers: Obj[]): Obj => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers } });

  it('merges containers by name and ports by containerPort+protocol between appliers', () => {
    const base = withUid(apply(undefined, pod([{ name: 'app', image: 'app:1', ports: [{ containerPort: 80 }] }]), 'app-team', podDef));
    const sidecar = apply(base, pod([{ name: 'proxy', image: 'envoy' }, { name: 'app', ports: [{ containerPort: 9901 }] }]), 'mesh', { ...podDef, now: T2 });
    // New items go where the applied list puts them relative to the items it shares with live.
    expect((sidecar.spec as Obj).containers).toEqual([
      { name: 'proxy', image: 'envoy' },
      { name: 'app', image: 'app:1', ports: [{ containerPort: 80 }, { containerPort: 9901 }] },
    ]);
    expect(entryOf(sidecar, 'mesh')?.fieldsV1).toEqual({
      'f:spec': {
        'f:containers': {
          'k:{"name":"app"}': { '.': {}, 'f:name': {}, 'f:ports': { 'k:{"containerPort":9901,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } } },
          'k:{"name":"proxy"}': { '.': {}, 'f:image': {}, 'f:name': {} },
        },
      },
    });
    // The app team drops its port: the mesh's port and the shared container stay.
    const dropped = apply(sidecar, pod([{ name: 'app', image: 'app:1' }]), 'app-team', { ...podDef, now: T3 });
    expect((dropped.spec as Obj).containers).toEqual([
      { name: 'proxy', image: 'envoy' },
      { name: 'app', image: 'app:1', ports: [{ containerPort: 9901 }] },
    ]);
  });

  it('treats finalizers as a set (SMD apply_update_apply_no_overlap)', () => {
    const withFinalizers = (list: string[]): Obj => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', finalizers: list } });
    const applied = withUid(apply(undefined, withFinalizers(['a', 'c']), 'default'));
    const controlled = update(applied, { ...applied, metadata: { ...(applied.metadata as Obj), finalizers: ['a', 'b', 'c', 'd'] } }, 'controller', { now: T2 });
    const reapplied = apply(controlled, withFinalizers(['a', 'aprime', 'c', 'cprime']), 'default', { now: T3 });
    expect((reapplied.metadata as Obj).finalizers).toEqual(['a', 'b', 'aprime', 'c', 'd', 'cprime']);
    expect(entryOf(reapplied, 'default')?.fieldsV1).toEqual({ 'f:metadata': { 'f:finalizers': { 'v:"a"': {}, 'v:"aprime"': {}, 'v:"c"': {}, 'v:"cprime"': {} } } });
    expect(entryOf(reapplied, 'controller')?.fieldsV1).toEqual({ 'f:metadata': { 'f:finalizers': { 'v:"b"': {}, 'v:"d"': {} } } });
  });

  it('does not conflict on struct fields that a typed object always has (containers[].resources)', () => {
    const d = { definition: DEPLOYMENT, apiVersion: 'apps/v1' };
    const deployment = (container: Obj): Obj => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container] } } },
    });
    const created = withUid(update(undefined, deployment({ name: 'web', image: 'nginx' }), 'kubectl-create', d));
    // kubectl-create owns .resources (an empty struct in the typed object) ...
    expect(entries(created)[0].fieldsV1).toHaveProperty(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"web"}', 'f:resources'], {});
    // ... yet setting limits only adds fields below it.
    const applied = apply(created, deployment({ name: 'web', resources: { limits: { cpu: '1' } } }), 'tuner', { ...d, now: T2 });
    expect(((applied.spec as Obj).template as { spec: { containers: Obj[] } }).spec.containers[0]).toEqual({ name: 'web', image: 'nginx', resources: { limits: { cpu: '1' } } });
  });

  it('replaces atomic lists whole and conflicts on them as one field', () => {
    const base = withUid(apply(undefined, pod([{ name: 'app', image: 'i', args: ['--a', '--b'] }]), 'one', podDef));
    const err = conflictOf(() => apply(base, pod([{ name: 'app', args: ['--c'] }]), 'two', { ...podDef, now: T2 }));
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "one": .spec.containers[name="app"].args');
    const forced = apply(base, pod([{ name: 'app', args: ['--c'] }]), 'two', { ...podDef, now: T2, force: true });
    expect(((forced.spec as Obj).containers as Obj[])[0].args).toEqual(['--c']);
  });
});

describe('status and subresources', () => {
  const podDef = { definition: POD };
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] } };

  it('an Apply on the main resource neither owns nor sets status', () => {
    const live = withUid({ ...pod, status: { phase: 'Running' } });
    const out = apply(live, { ...pod, status: { phase: 'Failed' } }, 'user', podDef);
    expect(out.status).toEqual({ phase: 'Running' });
    expect(entryOf(out, 'user')?.fieldsV1).not.toHaveProperty('f:status');
  });

  it('an Apply on /status owns status only', () => {
    const live = withUid(apply(undefined, pod, 'user', podDef));
    const out = apply(live, { ...pod, spec: { containers: [{ name: 'c', image: 'other' }] }, status: { phase: 'Running' } }, 'kubelet', { ...podDef, subresource: 'status', now: T2 });
    expect(out.spec).toEqual(pod.spec);
    expect(out.status).toEqual({ phase: 'Running' });
    expect(entryOf(out, 'kubelet')).toEqual({
      manager: 'kubelet',
      operation: 'Apply',
      apiVersion: 'v1',
      time: T2,
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:status': { 'f:phase': {} } },
      subresource: 'status',
    });
  });
});

describe('taking over objects managed before', () => {
  it('attributes existing fields to "before-first-apply" when nobody manages the object yet', () => {
    const legacy = withUid(cm({ a: '1', b: '2' }));
    const err = conflictOf(() => apply(legacy, cm({ a: 'changed' }), 'newcomer'));
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .data.a');
    const ok = apply(legacy, cm({ a: '1' }), 'newcomer');
    expect(entries(ok).map((e) => [e.manager, e.operation])).toEqual([
      ['newcomer', 'Apply'],
      ['before-first-apply', 'Update'],
    ]);
  });

  it('lets `kubectl apply --server-side` take over what the last-applied annotation shows (client-side apply upgrade)', () => {
    const lastApplied = `${JSON.stringify({ apiVersion: 'v1', data: { key: 'v1' }, kind: 'ConfigMap', metadata: { annotations: {}, name: 'settings', namespace: 'default' } })}\n`;
    const csa = withUid(update(undefined, cm({ key: 'v1' }, { annotations: { [LAST_APPLIED_ANNOTATION]: lastApplied } }), 'kubectl-client-side-apply'));
    const config = cm({ key: 'v2' });

    const other = conflictOf(() => apply(csa, config, 'someone-else', { now: T2 }));
    expect(other.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.key');

    const upgraded = apply(csa, config, 'kubectl', { now: T2 });
    expect(upgraded.data).toEqual({ key: 'v2' });
    expect(entryOf(upgraded, 'kubectl', 'Apply')?.fieldsV1).toEqual({ 'f:data': { 'f:key': {} } });
    // The annotation now records the server-side applied configuration, as encoding/json writes it.
    const annotations = (upgraded.metadata as Obj).annotations as Record<string, string>;
    expect(annotations[LAST_APPLIED_ANNOTATION]).toBe('{"apiVersion":"v1","data":{"key":"v2"},"kind":"ConfigMap","metadata":{"name":"settings","namespace":"default"}}\n');
  });
});

describe('client-side apply upgrade: what the annotation allows (apimachinery lastappliedmanager case)', () => {
  const d = { definition: DEPLOYMENT, apiVersion: 'apps/v1' };
  const deployment = (labels: Obj | undefined, replicas: number, selector: string, containers: Obj[]): Obj => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'my-deployment', ...(labels ? { labels } : {}) },
    spec: { replicas, selector: { matchLabels: { app: selector } }, template: { metadata: { labels: { app: selector } }, spec: { containers } } },
  });

  it('takes over only fields whose live value still matches the annotation', () => {
    const lastApplied = deployment(undefined, 3, 'my-app', [
      { name: 'my-c', image: 'my-image-v1' },
      { name: 'my-c2', image: 'my-image2' },
    ]);
    const original = deployment({ app: 'my-app' }, 100, 'my-app', [{ name: 'my-c', image: 'my-image-v2' }]);
    (original.metadata as Obj).annotations = { [LAST_APPLIED_ANNOTATION]: JSON.stringify(lastApplied) };
    const live = withUid(update(undefined, original, 'test_client_side_apply', d));
    const applied = deployment({ app: 'my-new-label' }, 333, 'my-new-label', [{ name: 'my-c', image: 'my-image-new' }]);
    const err = conflictOf(() => apply(live, applied, 'kubectl', { ...d, now: T2 }));
    expect(err.conflicts.map((c) => c.field)).toEqual(['.metadata.labels.app', '.spec.replicas', '.spec.template.spec.containers[name="my-c"].image']);
    expect(err.message).toBe(
      'Apply failed with 3 conflicts: conflicts with "test_client_side_apply" using apps/v1:\n- .metadata.labels.app\n- .spec.replicas\n- .spec.template.spec.containers[name="my-c"].image',
    );
    const forced = apply(live, applied, 'kubectl', { ...d, now: T2, force: true });
    expect((forced.spec as Obj).replicas).toBe(333);
  });
});

describe('malformed apply requests', () => {
  it('rejects managedFields in the configuration', () => {
    const config = { ...cm({ a: '1' }), metadata: { name: 'settings', managedFields: [] } };
    expect(() => apply(undefined, config, 'm')).toThrow(expect.objectContaining({ code: 400, message: 'metadata.managedFields must be nil' }));
  });

  it('rejects an object of another kind or version', () => {
    expect(() => apply(undefined, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } }, 'm')).toThrow(
      expect.objectContaining({ code: 400, message: 'invalid object type: /v1, Kind=Secret' }),
    );
  });

  it('reports configurations that do not fit the schema as the server does (500, no reason)', () => {
    let caught: unknown;
    try {
      apply(undefined, { ...cm({ a: '1' }), datax: { b: '2' } }, 'm');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StatusError);
    const status = (caught as StatusError).toStatus();
    expect(status.code).toBe(500);
    expect(status.reason).toBeUndefined();
    expect(status.message).toBe('failed to create typed patch object (default/settings; /v1, Kind=ConfigMap): .datax: field not declared in schema');
  });

  it('reports duplicate keys in an applied list', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a' }, { name: 'a' }] } };
    expect(() => apply(undefined, pod, 'm', { definition: POD })).toThrow(
      'failed to create typed patch object (/p; /v1, Kind=Pod): .spec.containers: duplicate entries for key [name="a"]',
    );
  });
});

describe('helpers for the transport', () => {
  it('derives the default manager from the User-Agent', () => {
    expect(managerFromUserAgent(undefined, 'kubectl/v1.30.2 (linux/amd64) kubernetes/3968350')).toBe('kubectl');
    expect(managerFromUserAgent('', 'Go-http-client/2.0')).toBe('Go-http-client');
    expect(managerFromUserAgent('my-controller', 'kubectl/v1.30.2')).toBe('my-controller');
    expect(managerFromUserAgent(undefined, 'a\u0007b'.repeat(100))).toHaveLength(128);
  });

  it('puts old managedFields timestamps back when nothing else changed', () => {
    const created = withUid(apply(undefined, cm({ a: '1' }), 'm'));
    const retimed = { ...created, metadata: { ...(created.metadata as Obj), managedFields: entries(created).map((e) => ({ ...e, time: T3 })) } };
    expect(ignoreManagedFieldsTimestamps(retimed, created)).toEqual(created);
    const changed = { ...retimed, data: { a: '2' } };
    expect(ignoreManagedFieldsTimestamps(changed, created)).toBe(changed);
  });
});
