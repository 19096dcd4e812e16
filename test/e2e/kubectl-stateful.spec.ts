/**
 * Storage and stateful workloads through real kubectl, with the reconcilers, the scheduler and the
 * simulated kubelets at work: StorageClasses, PersistentVolumes and claims (the seed's 5Gi volume
 * and 8Gi claim, static binding, provisioning for the default class when a pod consumes a claim),
 * StatefulSets (ordered pods, stable DNS names, claims from templates kept after the set goes,
 * scaling, rollouts) and DaemonSets (one pod per node).
 */
import { parseTable, startKubemu, type Kubemu } from '../support/kubemu';
import { ensureDebianPackage, runProcess } from '../support/process';

let k: Kubemu;

beforeAll(async () => {
  k = await startKubemu();
});
afterAll(() => k.close());

const ok = (args: string[], stdin?: string) => k.ok(args, { stdin });

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

  it('grows a bound claim of a class that allows expansion, and refuses it otherwise', async () => {
    await ok(['create', '-f', '-'], `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: expandable
provisioner: kubemu.io/hostpath
allowVolumeExpansion: true
volumeBindingMode: Immediate
`);
    expect(parseTable(await ok(['get', 'sc', 'expandable'])).rows[0].slice(0, 5)).toEqual(['expandable', 'kubemu.io/hostpath', 'Delete', 'Immediate', 'true']);
    await ok(['create', '-f', '-'], SEED_CLAIM.replace('myclaim', 'growing').replace('8Gi', '1Gi').replace('  accessModes:', '  storageClassName: expandable\n  accessModes:'));
    // Immediate binding: provisioned and bound without any pod.
    await eventually(async () => parseTable(await ok(['get', 'pvc', 'growing'])).rows[0], (row) => row[1] === 'Bound');
    await ok(['patch', 'pvc', 'growing', '-p', '{"spec":{"resources":{"requests":{"storage":"3Gi"}}}}']);
    const grown = await eventually(async () => parseTable(await ok(['get', 'pvc', 'growing'])).rows[0], (row) => row[3] === '3Gi');
    expect(grown[3]).toBe('3Gi');
    expect(await ok(['get', 'pv', grown[2], '-o', 'jsonpath={.spec.capacity.storage}'])).toBe('3Gi');

    // A statically bound claim cannot grow; an unbound one cannot change at all.
    await ok(['create', '-f', '-'], SEED_PV.replace('pv0003', 'static-1g').replace('5Gi', '1Gi'));
    await ok(['create', '-f', '-'], SEED_CLAIM.replace('myclaim', 'fixed').replace('8Gi', '1Gi').replace('  accessModes:', '  volumeName: static-1g\n  storageClassName: ""\n  accessModes:'));
    await eventually(async () => parseTable(await ok(['get', 'pvc', 'fixed'])).rows[0], (row) => row[1] === 'Bound');
    const refused = await k.kubectl(['patch', 'pvc', 'fixed', '-p', '{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}']);
    expect(refused.stderr).toContain(
      'Error from server (Forbidden): persistentvolumeclaims "fixed" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize',
    );
    const unbound = await k.kubectl(['patch', 'pvc', 'noclass', '-p', '{"spec":{"resources":{"requests":{"storage":"9Gi"}}}}']);
    expect(unbound.stderr).toContain('spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims');
    await ok(['delete', 'pvc', 'growing', 'fixed']);
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

// The seed's kafka example: a headless Service and a StatefulSet of three brokers with their own storage.
const KAFKA_YAML = `apiVersion: v1
kind: Service
metadata:
  name: kafka
  labels:
    app: kafka
spec:
  clusterIP: None
  selector:
    app: kafka
  ports:
  - name: broker
    port: 9092
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: kafka
spec:
  serviceName: kafka
  replicas: 3
  selector:
    matchLabels:
      app: kafka
  template:
    metadata:
      labels:
        app: kafka
    spec:
      containers:
      - name: kafka
        image: kafka:3.7
        ports:
        - containerPort: 9092
        volumeMounts:
        - name: data
          mountPath: /var/lib/kafka
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: ["ReadWriteOnce"]
      resources:
        requests:
          storage: 1Gi
`;

interface PodJson {
  metadata: { name: string; creationTimestamp: string; labels: Record<string, string> };
  spec: { hostname?: string; subdomain?: string; containers: { image: string }[] };
  status: { podIP?: string; conditions?: { type: string; status: string; lastTransitionTime: string }[] };
}

async function kafkaPods(): Promise<PodJson[]> {
  return (JSON.parse(await ok(['get', 'pods', '-l', 'app=kafka', '-o', 'json'])) as { items: PodJson[] }).items;
}

describe('kubectl and StatefulSets', () => {
  it('starts the seed\'s kafka brokers in order, each with its own claim, and rolls out', async () => {
    expect(await ok(['apply', '-f', '-'], KAFKA_YAML)).toBe('service/kafka created\nstatefulset.apps/kafka created\n');
    expect(await ok(['rollout', 'status', 'statefulset/kafka', '--timeout=90s'])).toContain('partitioned roll out complete: 3 new pods have been updated...');
    const pods = (await kafkaPods()).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    expect(pods.map((p) => p.metadata.name)).toEqual(['kafka-0', 'kafka-1', 'kafka-2']);
    // Ordered: each broker was created no earlier than the one before it became Ready.
    for (let i = 1; i < pods.length; i++) {
      const readySince = pods[i - 1].status.conditions!.find((c) => c.type === 'Ready')!.lastTransitionTime;
      expect(Date.parse(pods[i].metadata.creationTimestamp)).toBeGreaterThanOrEqual(Date.parse(readySince));
    }
    for (const pod of pods) expect(pod.spec).toMatchObject({ hostname: pod.metadata.name, subdomain: 'kafka' });

    const table = parseTable(await ok(['get', 'sts', '-o', 'wide']));
    expect(columns(table.header)).toEqual(['NAME', 'READY', 'AGE', 'CONTAINERS', 'IMAGES']);
    expect(table.rows[0].filter((_, i) => i !== 2)).toEqual(['kafka', '3/3', 'kafka', 'kafka:3.7']);

    const claims = await eventually(async () => parseTable(await ok(['get', 'pvc', '-l', 'app=kafka'])).rows, (rows) => rows.length === 3 && rows.every((r) => r[1] === 'Bound'));
    expect(claims.map((r) => [r[0], r[1], r[3], r[5]])).toEqual([
      ['data-kafka-0', 'Bound', '1Gi', 'standard'],
      ['data-kafka-1', 'Bound', '1Gi', 'standard'],
      ['data-kafka-2', 'Bound', '1Gi', 'standard'],
    ]);
    const described = await ok(['describe', 'sts', 'kafka']);
    expect(described).toMatch(/Normal\s+SuccessfulCreate\s+.*statefulset-controller\s+create Claim data-kafka-0 Pod kafka-0 in StatefulSet kafka success/);
    expect(described).toMatch(/Normal\s+SuccessfulCreate\s+.*statefulset-controller\s+create Pod kafka-2 in StatefulSet kafka successful/);
  });

  it('gives each broker a stable DNS name under the headless Service', async () => {
    const pods = await kafkaPods();
    const ipOf = (name: string) => pods.find((p) => p.metadata.name === name)!.status.podIP!;
    const one = await ok(['exec', 'kafka-0', '--', 'nslookup', 'kafka-1.kafka']);
    expect(one).toContain('Name:\tkafka-1.kafka.default.svc.cluster.local');
    expect(one).toContain(`Address: ${ipOf('kafka-1')}`);
    const fqdn = await ok(['exec', 'kafka-2', '--', 'nslookup', 'kafka-0.kafka.default.svc.cluster.local']);
    expect(fqdn).toContain(`Address: ${ipOf('kafka-0')}`);
    const all = await ok(['exec', 'kafka-0', '--', 'nslookup', 'kafka']);
    for (const pod of pods) expect(all).toContain(`Address: ${pod.status.podIP}`);
    expect(await ok(['exec', 'kafka-1', '--', 'hostname'])).toBe('kafka-1\n');
  });

  it('scales through kubectl scale, from the highest ordinal, keeping the claims', async () => {
    expect(await ok(['scale', 'sts', 'kafka', '--replicas=2'])).toBe('statefulset.apps/kafka scaled\n');
    const left = await eventually(async () => (await kafkaPods()).map((p) => p.metadata.name).sort(), (names) => names.length === 2);
    expect(left).toEqual(['kafka-0', 'kafka-1']);
    expect(parseTable(await ok(['get', 'pvc', '-l', 'app=kafka'])).rows.map((r) => r[0])).toEqual(['data-kafka-0', 'data-kafka-1', 'data-kafka-2']);
    await ok(['scale', 'sts', 'kafka', '--replicas=3']);
    await ok(['rollout', 'status', 'sts/kafka', '--timeout=90s']);
    // kafka-2 comes back to its own claim.
    expect(await ok(['get', 'pod', 'kafka-2', '-o', 'jsonpath={.spec.volumes[?(@.name=="data")].persistentVolumeClaim.claimName}'])).toBe('data-kafka-2');
  });

  it('rolls a new image out, keeps revisions for rollout history, and undoes it', async () => {
    await ok(['set', 'image', 'sts/kafka', 'kafka=kafka:3.8']);
    expect(await ok(['rollout', 'status', 'sts/kafka', '--timeout=90s'])).toContain('partitioned roll out complete: 3 new pods have been updated...');
    expect((await kafkaPods()).map((p) => p.spec.containers[0].image)).toEqual(['kafka:3.8', 'kafka:3.8', 'kafka:3.8']);
    const history = await ok(['rollout', 'history', 'sts/kafka']);
    expect(history).toMatch(/^statefulset\.apps\/kafka\s*\nREVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>\n/);
    const revisions = parseTable(await ok(['get', 'controllerrevisions']));
    expect(columns(revisions.header)).toEqual(['NAME', 'CONTROLLER', 'REVISION', 'AGE']);
    expect(revisions.rows.filter((r) => r[1] === 'statefulset.apps/kafka').map((r) => r[2]).sort()).toEqual(['1', '2']);
    expect(await ok(['rollout', 'undo', 'sts/kafka'])).toBe('statefulset.apps/kafka rolled back\n');
    await ok(['rollout', 'status', 'sts/kafka', '--timeout=90s']);
    const images = await eventually(async () => (await kafkaPods()).map((p) => p.spec.containers[0].image), (list) => list.length === 3 && list.every((i) => i === 'kafka:3.7'));
    expect(images).toEqual(['kafka:3.7', 'kafka:3.7', 'kafka:3.7']);
  });

  it('deletes the claims with the pods and the set when the retention policy says Delete', async () => {
    const yaml = KAFKA_YAML.replace(/kafka/g, 'cache').replace('  serviceName: cache\n', '  serviceName: cache\n  persistentVolumeClaimRetentionPolicy:\n    whenDeleted: Delete\n    whenScaled: Delete\n');
    await ok(['apply', '-f', '-'], yaml);
    await ok(['rollout', 'status', 'sts/cache', '--timeout=90s']);
    const claimNames = async () => parseTable(await ok(['get', 'pvc', '-l', 'app=cache'])).rows.map((r) => r[0]);
    expect(await claimNames()).toEqual(['data-cache-0', 'data-cache-1', 'data-cache-2']);
    await ok(['scale', 'sts', 'cache', '--replicas=1']);
    expect(await eventually(claimNames, (names) => names.length === 1)).toEqual(['data-cache-0']);
    await ok(['delete', '-f', '-'], yaml);
    expect(await eventually(claimNames, (names) => names.length === 0)).toEqual([]);
  });

  it('keeps the claims after kubectl delete sts', async () => {
    expect(await ok(['delete', 'sts', 'kafka'])).toBe('statefulset.apps "kafka" deleted\n');
    await eventually(kafkaPods, (pods) => pods.length === 0);
    expect(await kafkaPods()).toEqual([]);
    expect(parseTable(await ok(['get', 'pvc', '-l', 'app=kafka'])).rows.map((r) => [r[0], r[1]])).toEqual([
      ['data-kafka-0', 'Bound'],
      ['data-kafka-1', 'Bound'],
      ['data-kafka-2', 'Bound'],
    ]);
  });
});

const AGENT_YAML = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: log-agent
  namespace: kube-system
spec:
  selector:
    matchLabels:
      app: log-agent
  template:
    metadata:
      labels:
        app: log-agent
    spec:
      containers:
      - name: agent
        image: fluentd:1.16
`;

describe('kubectl and DaemonSets', () => {
  const nodesOf = async (): Promise<string[]> =>
    (await ok(['get', 'pods', '-n', 'kube-system', '-l', 'app=log-agent', '-o', 'jsonpath={range .items[*]}{.spec.nodeName}{"\\n"}{end}'])).trim().split('\n').filter(Boolean).sort();

  it('runs one pod on every node and rolls out', async () => {
    expect(await ok(['apply', '-f', '-'], AGENT_YAML)).toBe('daemonset.apps/log-agent created\n');
    expect(await ok(['rollout', 'status', 'ds/log-agent', '-n', 'kube-system', '--timeout=90s'])).toContain('daemon set "log-agent" successfully rolled out');
    const nodes = (await ok(['get', 'nodes', '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ').sort();
    expect(await nodesOf()).toEqual(nodes);
    const table = parseTable(await ok(['get', 'ds', '-n', 'kube-system', '-o', 'wide']));
    expect(columns(table.header)).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    const n = String(nodes.length);
    expect(table.rows[0].filter((_, i) => i !== 7)).toEqual(['log-agent', n, n, n, n, n, '<none>', 'agent', 'fluentd:1.16', 'app=log-agent']);
    const pod = JSON.parse(await ok(['get', 'pods', '-n', 'kube-system', '-l', 'app=log-agent', '-o', 'json'])) as { items: { spec: { nodeName: string; affinity: unknown } }[] };
    const first = pod.items[0];
    expect(first.spec.affinity).toEqual({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [first.spec.nodeName] }] }] } } });
  });

  it('replaces the pods with a new image, keeps the history and undoes it', async () => {
    await ok(['set', 'image', 'ds/log-agent', '-n', 'kube-system', 'agent=fluentd:1.17']);
    expect(await ok(['rollout', 'status', 'ds/log-agent', '-n', 'kube-system', '--timeout=90s'])).toContain('daemon set "log-agent" successfully rolled out');
    const images = async () => (await ok(['get', 'pods', '-n', 'kube-system', '-l', 'app=log-agent', '-o', 'jsonpath={.items[*].spec.containers[0].image}'])).split(' ');
    expect(new Set(await eventually(images, (list) => list.every((i) => i === 'fluentd:1.17')))).toEqual(new Set(['fluentd:1.17']));
    expect(await ok(['rollout', 'history', 'ds/log-agent', '-n', 'kube-system'])).toMatch(/^daemonset\.apps\/log-agent\s*\nREVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>\n/);
    expect(await ok(['rollout', 'undo', 'ds/log-agent', '-n', 'kube-system'])).toBe('daemonset.apps/log-agent rolled back\n');
    await ok(['rollout', 'status', 'ds/log-agent', '-n', 'kube-system', '--timeout=90s']);
    expect(new Set(await eventually(images, (list) => list.every((i) => i === 'fluentd:1.16')))).toEqual(new Set(['fluentd:1.16']));
  });

  it('follows a node selector, shown in its column, and cleans up with the set', async () => {
    const node = (await ok(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
    await ok(['apply', '-f', '-'], AGENT_YAML.replace(/log-agent/g, 'pinned').replace('    spec:\n      containers:', `    spec:\n      nodeSelector:\n        kubernetes.io/hostname: ${node}\n      containers:`));
    await ok(['rollout', 'status', 'ds/pinned', '-n', 'kube-system', '--timeout=90s']);
    const row = parseTable(await ok(['get', 'ds', 'pinned', '-n', 'kube-system'])).rows[0];
    expect(row.slice(0, 7)).toEqual(['pinned', '1', '1', '1', '1', '1', `kubernetes.io/hostname=${node}`]);
    expect(await ok(['get', 'pods', '-n', 'kube-system', '-l', 'app=pinned', '-o', 'jsonpath={.items[*].spec.nodeName}'])).toBe(node);
    await ok(['delete', 'ds', 'pinned', 'log-agent', '-n', 'kube-system']);
    await eventually(nodesOf, (list) => list.length === 0);
    expect(await nodesOf()).toEqual([]);
  });
});

describe('the Python client and storage', () => {
  it('reads StatefulSets, claims, volumes, classes and revisions as typed objects', async () => {
    await ensureDebianPackage('python3-kubernetes', { command: '/usr/bin/python3', args: ['-c', 'import kubernetes'] });
    await ok(['apply', '-f', '-'], KAFKA_YAML.replace(/kafka/g, 'zk'));
    await ok(['rollout', 'status', 'sts/zk', '--timeout=90s']);
    const script = k.writeFile(
      'typed.py',
      `import json, sys
from kubernetes import client
cfg = client.Configuration()
cfg.host = sys.argv[1]
api = client.ApiClient(cfg)
apps, core, storage = client.AppsV1Api(api), client.CoreV1Api(api), client.StorageV1Api(api)
sts = apps.read_namespaced_stateful_set('zk', 'default')
out = {
  'sts': [sts.status.replicas, sts.status.ready_replicas, sts.status.current_revision == sts.status.update_revision, sts.spec.volume_claim_templates[0].metadata.name],
  'scale': apps.read_namespaced_stateful_set_scale('zk', 'default').spec.replicas,
  'claims': sorted([c.metadata.name, c.status.phase, c.status.capacity['storage']] for c in core.list_namespaced_persistent_volume_claim('default', label_selector='app=zk').items),
  'volumes': sorted({v.status.phase for v in core.list_persistent_volume().items if v.spec.claim_ref and v.spec.claim_ref.name.startswith('data-zk-')}),
  'classes': [[c.metadata.name, c.provisioner, c.volume_binding_mode] for c in storage.list_storage_class().items if c.metadata.name == 'standard'],
  'revisions': [r.revision for r in apps.list_namespaced_controller_revision('default', label_selector='app=zk').items],
}
print(json.dumps(out))
`,
    );
    const r = await runProcess('/usr/bin/python3', [script, k.url], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: k.dir, LANG: 'C.UTF-8' }, timeoutMs: 30_000 });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      sts: [3, 3, true, 'data'],
      scale: 3,
      claims: [
        ['data-zk-0', 'Bound', '1Gi'],
        ['data-zk-1', 'Bound', '1Gi'],
        ['data-zk-2', 'Bound', '1Gi'],
      ],
      volumes: ['Bound'],
      classes: [['standard', 'kubemu.io/hostpath', 'WaitForFirstConsumer']],
      revisions: [1],
    });
    await ok(['delete', '-f', '-'], KAFKA_YAML.replace(/kafka/g, 'zk'));
  });
});
