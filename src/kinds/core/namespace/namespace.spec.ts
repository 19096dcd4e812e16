import { dns1123LabelErrors } from '../../../machinery/validation/names';
import { metaOptionsOf } from '../../../machinery/validation/object-meta';
import { namespaceResource as namespaces, type Namespace } from './namespace.resource';

const text = (errors: { toString(): string }[]) => errors.map((e) => e.toString());
const ns = (extra: Partial<Namespace> = {}): Namespace => ({ metadata: { name: 'team-a', creationTimestamp: '2024-05-01T10:00:00Z' }, ...extra });

describe('Namespace', () => {
  it('uses DNS-1123 label names and is cluster-scoped', () => {
    const opts = metaOptionsOf(namespaces);
    expect(opts.nameErrors).toBe(dns1123LabelErrors);
    expect(opts.namespaced).toBe(false);
  });

  it('labels itself with its name', () => {
    const obj = ns({ metadata: { name: 'team-a', labels: { env: 'prod' } } });
    namespaces.applyDefaults!(obj);
    expect(obj.metadata.labels).toEqual({ env: 'prod', 'kubernetes.io/metadata.name': 'team-a' });
  });

  it('starts Active with the kubernetes finalizer, whatever the client sent', () => {
    const obj = ns({ spec: { finalizers: ['example.com/x'] }, status: { phase: 'Terminating' } });
    namespaces.prepareForCreate!(obj);
    expect(obj.status).toEqual({ phase: 'Active' });
    expect(obj.spec).toEqual({ finalizers: ['example.com/x', 'kubernetes'] });
  });

  it('ignores spec.finalizers changes on update; /finalize changes them', () => {
    const old = ns({ spec: { finalizers: ['kubernetes'] } });
    const edited = ns({ spec: { finalizers: [] } });
    namespaces.prepareForUpdate!(edited, old);
    expect(edited.spec).toEqual({ finalizers: ['kubernetes'] });

    const stored = ns({ metadata: { name: 'team-a', deletionTimestamp: '2024-05-01T11:00:00Z' }, spec: { finalizers: ['kubernetes'] } });
    namespaces.subresourceWriters!.finalize(stored, ns({ spec: { finalizers: [] }, status: { phase: 'Active' } }));
    expect(stored.spec).toEqual({});
  });

  it('checks /finalize and /status updates like upstream', () => {
    const active = ns({ spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
    expect(namespaces.validateUpdate!(active, active)).toEqual([]);
    expect(text(namespaces.validateUpdate!(ns({ spec: { finalizers: ['custom'] }, status: { phase: 'Active' } }), active))).toEqual([
      'spec.finalizers[0]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
    ]);
    expect(text(namespaces.validateUpdate!(ns({ status: { phase: 'Terminating' } }), active))).toEqual([
      `status.Phase: Invalid value: "Terminating": may only be 'Active' if \`deletionTimestamp\` is empty`,
    ]);
  });

  it('validates spec.finalizers names', () => {
    expect(namespaces.validate!(ns({ spec: { finalizers: ['kubernetes', 'example.com/cleanup'] } }))).toEqual([]);
    expect(text(namespaces.validate!(ns({ spec: { finalizers: ['custom'] } })))).toEqual([
      'spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
    ]);
  });

  it('moves to Terminating on delete and stays until the finalizers are gone', () => {
    const obj = ns({ spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
    expect(namespaces.beforeDelete!(obj)).toBe(true);
    expect(obj.status?.phase).toBe('Terminating');
    expect(namespaces.readyToRemove!(obj)).toBe(false);
    expect(namespaces.readyToRemove!(ns({ spec: {}, metadata: { name: 'x', finalizers: ['a/b'] } }))).toBe(false);
    expect(namespaces.readyToRemove!(ns({ spec: {} }))).toBe(true);
    expect(namespaces.beforeDelete!(ns({ spec: {} }))).toBe(false);
  });

  it('prints NAME STATUS AGE and selects by status.phase', () => {
    expect(namespaces.table!.columns.map((c) => c.name)).toEqual(['Name', 'Status', 'Age']);
    expect(namespaces.table!.cells(ns({ status: { phase: 'Active' } }), new Date('2024-05-03T10:00:00Z'))).toEqual(['team-a', 'Active', '2d']);
    expect(namespaces.selectableFields!(ns({ status: { phase: 'Active' } }))).toEqual({ 'status.phase': 'Active', name: 'team-a' });
  });

  it('does not track generation', () => {
    expect(namespaces.generationFields).toBeUndefined();
  });
});
