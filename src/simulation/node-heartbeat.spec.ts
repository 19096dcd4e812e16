import { Cluster } from '../cluster';
import { loadConfig } from '../config/config';
import { ManualClock } from './clock';
import { NODE_LEASE_NAMESPACE } from './node-heartbeat';
import { until } from '../../test/support/until';

describe('node heartbeats', () => {
  it('keeps a Lease per simulated node, owned by the Node and renewed every ten seconds', async () => {
    const clock = new ManualClock(Date.now());
    const cluster = await Cluster.open(loadConfig(['--data-dir', ':memory:', '--log-level', 'silent', '--nodes', '2'], {}), clock);
    try {
      const leases = cluster.registry.forKind('coordination.k8s.io', 'Lease');
      const lease = () => leases.find(NODE_LEASE_NAMESPACE, 'kubemu-node-2')?.object as { metadata: { ownerReferences?: { kind: string; name: string }[] }; spec: { renewTime: string; leaseDurationSeconds: number } } | undefined;
      const first = await until(lease, 'the lease');
      expect(first.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Node', name: 'kubemu-node-2' })]);
      expect(first.spec.leaseDurationSeconds).toBe(40);
      expect(first.spec.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      clock.advance(10_000);
      await until(() => (lease()!.spec.renewTime !== first.spec.renewTime ? true : undefined), 'a renewal');
      expect(Date.parse(lease()!.spec.renewTime) - Date.parse(first.spec.renewTime)).toBeGreaterThanOrEqual(10_000);
      expect(leases.find(NODE_LEASE_NAMESPACE, 'kubemu-node-3')).toBeUndefined();
    } finally {
      await cluster.close();
    }
  });
});
