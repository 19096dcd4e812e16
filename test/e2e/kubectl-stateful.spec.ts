/**
 * Storage and stateful workloads through real kubectl, with the reconcilers, the scheduler and the
 * simulated kubelets at work: StorageClasses, PersistentVolumes and claims (the seed's 5Gi volume
 * and 8Gi claim, static binding, provisioning for the default class when a pod consumes a claim),
 * StatefulSets (ordered pods, stable DNS names, claims from templates kept after the set goes,
 * scaling, rollouts) and DaemonSets (one pod per node).
 */
import { parseTable, startKubemu, type Kubemu } from '../support/kubemu';

let k: Kubemu;

beforeAll(async () => {
  k = await startKubemu();
});
afterAll(() => k.close());

async function ok(args: string[], stdin?: string): Promise<string> {
  const r = await k.kubectl(args, { stdin, timeoutMs: 90_000 });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const columns = (header: string) => header.split(/\s{2,}/);

// The seed's PersistentVolume and claim, as its YAML has them.
const SEED_PV = `apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv0003
spec:
  capacity:
    storage: 5Gi
  accessModes:
    - ReadWriteOnce
  nfs:
    path: /somepath
    server: 172.17.0.2
`;

const SEED_CLAIM = `kind: PersistentVolumeClaim
apiVersion: v1
metadata:
  name: myclaim
spec:
  accessModes:
    - ReadWriteOnce
  resources:
    requests:
      storage: 8Gi
`;

describe('kubectl and storage', () => {
  it('starts with a default StorageClass, printed as the real printer does', async () => {
    const classes = parseTable(await ok(['get', 'sc']));
    expect(columns(classes.header)).toEqual(['NAME', 'PROVISIONER', 'RECLAIMPOLICY', 'VOLUMEBINDINGMODE', 'ALLOWVOLUMEEXPANSION', 'AGE']);
    expect(classes.rows[0].slice(0, 5)).toEqual(['standard (default)', 'kubemu.io/hostpath', 'Delete', 'WaitForFirstConsumer', 'false']);
  });

  it("keeps the seed's 8Gi claim Pending next to its 5Gi volume, and binds a claim that fits", async () => {
    expect(await ok(['create', '-f', '-'], SEED_PV)).toBe('persistentvolume/pv0003 created\n');
    expect(await ok(['create', '-f', '-'], SEED_CLAIM)).toBe('persistentvolumeclaim/myclaim created\n');
    const volumes = parseTable(await ok(['get', 'pv']));
    expect(columns(volumes.header)).toEqual(['NAME', 'CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'REASON', 'AGE']);
    const available = await eventually(async () => parseTable(await ok(['get', 'pv', 'pv0003'])).rows[0], (row) => row[4] === 'Available');
    expect(available.slice(0, 6)).toEqual(['pv0003', '5Gi', 'RWO', 'Retain', 'Available', '<unset>']);
    // The claim got the default class, whose volumes wait for a pod.
    const claims = parseTable(await ok(['get', 'pvc']));
    expect(columns(claims.header)).toEqual(['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE']);
    expect(claims.rows[0].slice(0, 4)).toEqual(['myclaim', 'Pending', 'standard', '<unset>']);
    const described = await eventually(() => ok(['describe', 'pvc', 'myclaim']), (text) => text.includes('WaitForFirstConsumer'));
    expect(described).toMatch(/Normal\s+WaitForFirstConsumer\s+.*persistentvolume-controller\s+waiting for first consumer to be created before binding/);

    // Without a class (storageClassName: ""), the 8Gi claim cannot take the 5Gi volume; a 4Gi claim can.
    await ok(['create', '-f', '-'], SEED_CLAIM.replace('myclaim', 'noclass').replace('  accessModes:', '  storageClassName: ""\n  accessModes:'));
    await ok(['create', '-f', '-'], SEED_CLAIM.replace('myclaim', 'fits').replace('8Gi', '4Gi').replace('  accessModes:', '  storageClassName: ""\n  accessModes:'));
    const bound = await eventually(async () => parseTable(await ok(['get', 'pvc', 'fits'])).rows[0], (row) => row[1] === 'Bound');
    expect(bound.slice(0, 6)).toEqual(['fits', 'Bound', 'pv0003', '5Gi', 'RWO', '<unset>']);
    expect(parseTable(await ok(['get', 'pv', 'pv0003'])).rows[0].slice(0, 6)).toEqual(['pv0003', '5Gi', 'RWO', 'Retain', 'Bound', 'default/fits']);
    const noClass = await eventually(() => ok(['describe', 'pvc', 'noclass']), (text) => text.includes('FailedBinding'));
    expect(noClass).toMatch(/^Status:\s+Pending$/m);
    expect(noClass).toMatch(/Normal\s+FailedBinding\s+.*persistentvolume-controller\s+no persistent volumes available for this claim and no storage class is set/);

    // The claim goes; a Retain volume stays, Released.
    await ok(['delete', 'pvc', 'fits']);
    const released = await eventually(async () => parseTable(await ok(['get', 'pv', 'pv0003'])).rows[0], (row) => row[4] === 'Released');
    expect(released[4]).toBe('Released');
  });

  it('provisions a volume for a claim of the default class once a pod uses it, on the pod\'s node', async () => {
    await ok(['create', '-f', '-'], `apiVersion: v1
kind: Pod
metadata:
  name: consumer
spec:
  containers:
  - name: app
    image: nginx
    volumeMounts:
    - name: data
      mountPath: /data
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: myclaim
`);
    await ok(['wait', '--for=condition=Ready', 'pod/consumer', '--timeout=60s']);
    const claim = JSON.parse(await ok(['get', 'pvc', 'myclaim', '-o', 'json'])) as { metadata: { uid: string; annotations: Record<string, string> }; spec: { volumeName: string }; status: { phase: string } };
    expect(claim.status.phase).toBe('Bound');
    expect(claim.spec.volumeName).toBe(`pvc-${claim.metadata.uid}`);
    const node = await ok(['get', 'pod', 'consumer', '-o', 'jsonpath={.spec.nodeName}']);
    expect(claim.metadata.annotations['volume.kubernetes.io/selected-node']).toBe(node);
    const pv = parseTable(await ok(['get', 'pv', claim.spec.volumeName])).rows[0];
    expect(pv.slice(0, 7)).toEqual([claim.spec.volumeName, '8Gi', 'RWO', 'Delete', 'Bound', 'default/myclaim', 'standard']);
    expect(await ok(['get', 'pv', claim.spec.volumeName, '-o', 'jsonpath={.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]}'])).toBe(node);
    const events = await ok(['describe', 'pvc', 'myclaim']);
    expect(events).toMatch(/Normal\s+ProvisioningSucceeded\s+.*Successfully provisioned volume pvc-/);

    // A claim in use is kept (Terminating) until its pod is gone; its Delete volume follows it.
    await ok(['delete', 'pvc', 'myclaim', '--wait=false']);
    expect(parseTable(await ok(['get', 'pvc', 'myclaim'])).rows[0][1]).toBe('Terminating');
    await ok(['delete', 'pod', 'consumer', '--grace-period=0', '--force']);
    await ok(['wait', '--for=delete', 'pvc/myclaim', '--timeout=30s']);
    await ok(['wait', '--for=delete', `pv/${claim.spec.volumeName}`, '--timeout=30s']);
  });

  it('keeps a pod whose claim is missing Pending, with the scheduler\'s reason', async () => {
    await ok(['run', 'orphan', '--image=nginx', '--overrides={"spec":{"volumes":[{"name":"d","persistentVolumeClaim":{"claimName":"nope"}}]}}']);
    const described = await eventually(() => ok(['describe', 'pod', 'orphan']), (text) => text.includes('FailedScheduling'));
    expect(described).toContain('0/3 nodes are available: persistentvolumeclaim "nope" not found. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');
    await ok(['delete', 'pod', 'orphan', '--grace-period=0', '--force']);
  });

  it('answers invalid volumes and claims as a real server does', async () => {
    const pv = await k.kubectl(['create', '-f', '-'], { stdin: SEED_PV.replace('pv0003', 'bad').replace('  nfs:', '  hostPath:\n    path: /tmp\n  nfs:').replace('5Gi', '0') });
    expect(pv.code).not.toBe(0);
    expect(pv.stderr).toContain('The PersistentVolume "bad" is invalid');
    expect(pv.stderr).toContain('spec.capacity[storage]: Invalid value: "0": must be greater than zero');
    expect(pv.stderr).toContain('spec.nfs: Forbidden: may not specify more than 1 volume type');
    const pvc = await k.kubectl(['create', '-f', '-'], { stdin: SEED_CLAIM.replace('myclaim', 'badclaim').replace('ReadWriteOnce', 'ReadWriteSometimes') });
    expect(pvc.stderr).toContain('spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"');
  });
});
