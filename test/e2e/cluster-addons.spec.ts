/**
 * What a new cluster runs besides the control plane, as kubeadm installs it: CoreDNS in
 * kube-system behind the kube-dns Service, which every pod's resolv.conf names.
 */
import { parseTable, startKubemu, type Kubemu } from '../support/kubemu';

let k: Kubemu;

beforeAll(async () => {
  k = await startKubemu();
});
afterAll(() => k.close());

const ok = (args: string[]) => k.ok(args);

describe('cluster add-ons', () => {
  it('runs CoreDNS behind kube-dns on the tenth address of the service range', async () => {
    await ok(['rollout', 'status', 'deployment/coredns', '-n', 'kube-system', '--timeout=30s']);
    const pods = parseTable(await ok(['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-dns'])).rows;
    expect(pods).toHaveLength(2);
    for (const row of pods) expect(row.slice(1, 3)).toEqual(['1/1', 'Running']);
    const svc = parseTable(await ok(['get', 'service', 'kube-dns', '-n', 'kube-system'])).rows[0];
    expect(svc.slice(0, 5)).toEqual(['kube-dns', 'ClusterIP', '10.96.0.10', '<none>', '53/UDP,53/TCP,9153/TCP']);
    expect(await ok(['cluster-info'])).toContain('CoreDNS is running at');
  });

  it("is the nameserver of every pod's resolv.conf", async () => {
    await ok(['run', 'client', '--image=busybox', '--', 'sleep', '3600']);
    await ok(['wait', '--for=condition=Ready', 'pod/client', '--timeout=30s']);
    expect(await ok(['exec', 'client', '--', 'cat', '/etc/resolv.conf'])).toBe('search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
  });
});
