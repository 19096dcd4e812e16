import { metaOptionsOf } from '../../../machinery/validation/object-meta';
import { leaseResource as leases, type Lease } from './lease.resource';

const text = (errors: { toString(): string }[]) => errors.map((e) => e.toString());
const lease = (spec: Lease['spec'] = {}): Lease => ({
  metadata: { name: 'kube-scheduler', namespace: 'kube-system', creationTimestamp: '2024-05-01T11:00:00Z' },
  spec,
});

describe('Lease', () => {
  it('accepts a held lease', () => {
    expect(
      leases.validate!(lease({ holderIdentity: 'node-1', leaseDurationSeconds: 15, leaseTransitions: 0, renewTime: '2024-05-01T11:00:00.000000Z' })),
    ).toEqual([]);
  });

  it('checks durations and transitions', () => {
    expect(text(leases.validate!(lease({ leaseDurationSeconds: 0, leaseTransitions: -1 })))).toEqual([
      'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
      'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });

  it('checks the coordinated strategy like upstream, doubled path segment included', () => {
    expect(text(leases.validate!(lease({ strategy: 'Newest' })))).toEqual([
      'spec.strategy.strategy: Unsupported value: "Newest": supported values: "OldestEmulationVersion"',
    ]);
    expect(leases.validate!(lease({ strategy: 'example.com/mine' }))).toEqual([]);
    expect(text(leases.validate!(lease({ preferredHolder: 'a' })))).toEqual(['spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined']);
  });

  it('validates updates the same way', () => {
    expect(text(leases.validateUpdate!(lease({ leaseDurationSeconds: -5 }), lease()))).toEqual(['spec.leaseDurationSeconds: Invalid value: -5: must be greater than 0']);
  });

  it('skips the core finalizer-name rule', () => {
    expect(metaOptionsOf(leases).kubeFinalizerNames).toBe(false);
  });

  it('prints NAME HOLDER AGE with an empty holder when unheld', () => {
    expect(leases.table!.columns.map((c) => c.name)).toEqual(['Name', 'Holder', 'Age']);
    const now = new Date('2024-05-01T11:30:00Z');
    expect(leases.table!.cells(lease({ holderIdentity: 'node-1' }), now)).toEqual(['kube-scheduler', 'node-1', '30m']);
    expect(leases.table!.cells(lease(), now)[1]).toBe('');
  });
});
