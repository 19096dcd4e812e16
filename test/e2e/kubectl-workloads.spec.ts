/**
 * Deployments and ReplicaSets through real kubectl, with the reconcilers, the scheduler and the
 * simulated kubelets at work: create (protobuf from kubectl 1.32+, JSON from 1.27), apply, the
 * printers, scale, set image and the rollout commands, ownership and cascading deletion.
 */
import { clientNodeFor } from '../support/client-node';
import { kubectlBinary, parseTable, startKubemu, type Kubemu } from '../support/kubemu';
import { ensureDebianPackage, runProcess } from '../support/process';

let k: Kubemu;

beforeAll(async () => {
  k = await startKubemu();
});
afterAll(() => k.close());

const ok = (args: string[], binary?: string) => k.ok(args, { binary });

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface ReplicaSetJson {
  metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string>; ownerReferences?: { kind: string; name: string; uid: string; controller: boolean; blockOwnerDeletion: boolean }[] };
  spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
}

async function replicaSetsOf(deployment: string): Promise<ReplicaSetJson[]> {
  const out = await ok(['get', 'rs', '-l', `app=${deployment}`, '-o', 'json']);
  return (JSON.parse(out) as { items: ReplicaSetJson[] }).items;
}

const WEB_YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels:
    app: api
spec:
  replicas: 2
  selector:
    matchLabels:
      app: api
  strategy:
    type: Recreate
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: api
        image: nginx:1.27
        ports:
        - containerPort: 80
`;

const SEED_EXTENSIONS = `apiVersion: extensions/v1beta1
kind: Deployment
metadata:
  name: legacy
spec:
  replicas: 1
  template:
    metadata:
      labels:
        app: legacy
    spec:
      containers:
      - name: legacy
        image: nginx
`;

describe('kubectl and Deployments', () => {
  it('creates a deployment (protobuf body) whose pods roll out to Ready, with the real printers', async () => {
    expect(await ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=3'])).toBe('deployment.apps/web created\n');
    expect(await ok(['rollout', 'status', 'deployment/web', '--timeout=60s'])).toContain('deployment "web" successfully rolled out');

    const deploys = parseTable(await ok(['get', 'deploy', 'web', '-o', 'wide']));
    expect(deploys.header.split(/\s{2,}/)).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(deploys.rows[0].filter((_, i) => i !== 4)).toEqual(['web', '3/3', '3', '3', 'nginx', 'nginx', 'app=web']);

    const [rs] = await replicaSetsOf('web');
    const hash = rs.metadata.labels['pod-template-hash'];
    expect(rs.metadata.name).toBe(`web-${hash}`);
    const sets = parseTable(await ok(['get', 'rs', '-o', 'wide']));
    expect(sets.header.split(/\s{2,}/)).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(sets.rows.find((r) => r[0] === rs.metadata.name)?.filter((_, i) => i !== 4)).toEqual([rs.metadata.name, '3', '3', '3', 'nginx', 'nginx', `app=web,pod-template-hash=${hash}`]);

    const all = parseTable(await ok(['get', 'deploy,rs,pods', '-l', 'app=web']));
    const names = all.lines.map((l) => l.split(/\s+/)[0]);
    expect(names).toContain('deployment.apps/web');
    expect(names).toContain(`replicaset.apps/${rs.metadata.name}`);
    const pods = names.filter((n) => n.startsWith('pod/'));
    expect(pods).toHaveLength(3);
    for (const pod of pods) expect(pod).toMatch(new RegExp(`^pod/web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));

    const described = await ok(['describe', 'deployment', 'web']);
    expect(described).toMatch(/^Replicas:\s+3 desired \| 3 updated \| 3 total \| 3 available \| 0 unavailable$/m);
    expect(described).toMatch(/^StrategyType:\s+RollingUpdate$/m);
    expect(described).toMatch(/^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge$/m);
    expect(described).toMatch(/Available\s+True\s+MinimumReplicasAvailable/);
    expect(described).toMatch(/Progressing\s+True\s+NewReplicaSetAvailable/);
    expect(described).toMatch(new RegExp(`^NewReplicaSet:\\s+web-${hash} \\(3/3 replicas created\\)$`, 'm'));
    expect(described).toMatch(new RegExp(`Normal\\s+ScalingReplicaSet\\s+.*deployment-controller\\s+Scaled up replica set web-${hash} from 0 to 3`));
    const rsDescribed = await ok(['describe', 'rs', rs.metadata.name]);
    expect(rsDescribed).toMatch(/^Controlled By:\s+Deployment\/web$/m);
    expect(rsDescribed).toMatch(/^Pods Status:\s+3 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed$/m);
    expect(rsDescribed).toMatch(/Normal\s+SuccessfulCreate\s+.*replicaset-controller\s+Created pod: web-/);
  });

  it('links pods, ReplicaSets and deployments through controller ownerReferences', async () => {
    const deployUid = await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.uid}']);
    const [rs] = await replicaSetsOf('web');
    expect(rs.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: deployUid, controller: true, blockOwnerDeletion: true }]);
    const rsUid = await ok(['get', 'rs', rs.metadata.name, '-o', 'jsonpath={.metadata.uid}']);
    const owners = await ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].uid}{"\\n"}{end}']);
    expect(owners.trim().split('\n')).toEqual(Array(3).fill(`ReplicaSet/${rsUid}`));
    expect(rs.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
  });

  it('scales through the scale subresource', async () => {
    expect(await ok(['scale', 'deployment', 'web', '--replicas=5'])).toBe('deployment.apps/web scaled\n');
    const scale = JSON.parse(await ok(['get', '--raw', '/apis/apps/v1/namespaces/default/deployments/web/scale']));
    expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 5 }, status: { selector: 'app=web' } });
    expect(await ok(['rollout', 'status', 'deployment/web', '--timeout=60s'])).toContain('successfully rolled out');
    expect(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.status.readyReplicas}/{.spec.replicas}'])).toBe('5/5');
    const scaleTable = parseTable(await ok(['get', 'deploy', 'web', '--subresource=scale']));
    expect(scaleTable.header.split(/\s{2,}/)).toEqual(['NAME', 'DESIRED', 'AVAILABLE']);
    expect(scaleTable.rows[0]).toEqual(['web', '5', '5']);
    const [rs] = await replicaSetsOf('web');
    expect(await ok(['scale', 'rs', rs.metadata.name, '--replicas=5'])).toContain('scaled');
  });

  it('rolls out a new image, shows the history, undoes, pauses and resumes', async () => {
    await ok(['set', 'image', 'deployment/web', 'nginx=nginx:1.27']);
    expect(await ok(['rollout', 'status', 'deployment/web', '--timeout=60s'])).toContain('successfully rolled out');
    let sets = await replicaSetsOf('web');
    expect(sets).toHaveLength(2);
    const byImage = (image: string) => sets.find((s) => s.spec.template.spec.containers[0].image === image)!;
    expect(byImage('nginx:1.27').spec.replicas).toBe(5);
    expect(byImage('nginx').spec.replicas).toBe(0);
    let history = parseTable(await ok(['rollout', 'history', 'deployment/web']));
    expect(history.rows.map((r) => r[0])).toEqual(['REVISION', '1', '2']);
    expect(await ok(['rollout', 'history', 'deployment/web', '--revision=2'])).toContain('nginx:1.27');

    expect(await ok(['rollout', 'undo', 'deployment/web'])).toBe('deployment.apps/web rolled back\n');
    expect(await ok(['rollout', 'status', 'deployment/web', '--timeout=60s'])).toContain('successfully rolled out');
    history = parseTable(await ok(['rollout', 'history', 'deployment/web']));
    expect(history.rows.map((r) => r[0])).toEqual(['REVISION', '2', '3']);
    sets = await replicaSetsOf('web');
    expect(byImage('nginx').metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' });
    expect(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}'])).toBe('3');

    expect(await ok(['rollout', 'pause', 'deployment/web'])).toBe('deployment.apps/web paused\n');
    await ok(['set', 'image', 'deployment/web', 'nginx=nginx:1.28']);
    const paused = await eventually(
      () => ok(['get', 'deploy', 'web', '-o', 'jsonpath={.status.conditions[?(@.type=="Progressing")].reason}']),
      (reason) => reason === 'DeploymentPaused',
    );
    expect(paused).toBe('DeploymentPaused');
    expect(await replicaSetsOf('web')).toHaveLength(2);
    expect(await ok(['rollout', 'resume', 'deployment/web'])).toBe('deployment.apps/web resumed\n');
    expect(await ok(['rollout', 'status', 'deployment/web', '--timeout=60s'])).toContain('successfully rolled out');
    sets = await replicaSetsOf('web');
    expect(sets).toHaveLength(3);
    expect(byImage('nginx:1.28').spec.replicas).toBe(5);
  });

  it('applies a Recreate deployment from YAML, and a second apply changes nothing', async () => {
    const file = k.writeFile('api.yaml', WEB_YAML);
    expect(await ok(['apply', '-f', file])).toBe('deployment.apps/api created\n');
    expect(await ok(['rollout', 'status', 'deployment/api', '--timeout=60s'])).toContain('successfully rolled out');
    expect(await ok(['apply', '-f', file])).toBe('deployment.apps/api unchanged\n');
    expect(await ok(['apply', '-f', k.writeFile('api2.yaml', WEB_YAML.replace('nginx:1.27', 'nginx:1.28'))])).toBe('deployment.apps/api configured\n');
    expect(await ok(['rollout', 'status', 'deployment/api', '--timeout=60s'])).toContain('successfully rolled out');
    const events = await ok(['get', 'events', '--field-selector', 'involvedObject.kind=Deployment,involvedObject.name=api', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}']);
    expect(events).toMatch(/Scaled down replica set api-\w+ from 2 to 0/);
    expect(events).toMatch(/Scaled up replica set api-\w+ from 0 to 2/);
  });

  it('answers invalid deployments with the real validation messages', async () => {
    const bad = WEB_YAML.replace('name: api\n', 'name: bad\n').replace(/labels:\n        app: api/, 'labels:\n        app: other');
    const r = await k.kubectl(['apply', '-f', k.writeFile('bad.yaml', bad)]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('The Deployment "bad" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`');
  });

  it("answers the seed's extensions/v1beta1 Deployment with kubectl's no-matches error", async () => {
    const r = await k.kubectl(['apply', '-f', k.writeFile('legacy.yaml', SEED_EXTENSIONS)]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('no matches for kind "Deployment" in version "extensions/v1beta1"');
  });

  it('creates deployments from kubectl 1.27 (JSON body) too', async () => {
    expect(await ok(['create', 'deployment', 'old-client', '--image=busybox', '--', 'sleep', '3600'], kubectlBinary(27))).toBe('deployment.apps/old-client created\n');
    expect(await ok(['rollout', 'status', 'deployment/old-client', '--timeout=60s'], kubectlBinary(27))).toContain('successfully rolled out');
  });

  it('runs a ReplicationController: get rc columns, scale rc, pods owned by it', async () => {
    const rc = `apiVersion: v1
kind: ReplicationController
metadata:
  name: legacy-rc
spec:
  replicas: 2
  template:
    metadata:
      labels:
        app: legacy-rc
    spec:
      containers:
      - name: nginx
        image: nginx
`;
    expect(await ok(['apply', '-f', k.writeFile('rc.yaml', rc)])).toBe('replicationcontroller/legacy-rc created\n');
    const ready = await eventually(
      async () => parseTable(await ok(['get', 'rc', 'legacy-rc', '-o', 'wide'])),
      (table) => table.rows[0]?.[3] === '2',
    );
    expect(ready.header.split(/\s{2,}/)).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(ready.rows[0].filter((_, i) => i !== 4)).toEqual(['legacy-rc', '2', '2', '2', 'nginx', 'nginx', 'app=legacy-rc']);
    expect(await ok(['scale', 'rc', 'legacy-rc', '--replicas=3'])).toBe('replicationcontroller/legacy-rc scaled\n');
    const pods = await eventually(
      async () => (await ok(['get', 'pods', '-l', 'app=legacy-rc', '-o', 'jsonpath={range .items[*]}{.metadata.ownerReferences[0].kind}{"\\n"}{end}'])).trim().split('\n'),
      (owners) => owners.length === 3,
    );
    expect(pods).toEqual(['ReplicationController', 'ReplicationController', 'ReplicationController']);
    const described = await ok(['describe', 'rc', 'legacy-rc']);
    expect(described).toMatch(/Normal\s+SuccessfulCreate\s+.*replication-controller\s+Created pod: legacy-rc-/);
  });

  it('serves the JavaScript client: typed deployments, ReplicaSets and scale', async () => {
    const { k8s, kc } = await clientNodeFor(k.url);
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const web = await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
    expect(web.status?.observedGeneration).toBe(web.metadata?.generation);
    expect(web.status?.conditions?.find((c) => c.type === 'Available')?.lastUpdateTime).toBeInstanceOf(Date);
    const sets = await apps.listNamespacedReplicaSet({ namespace: 'default', labelSelector: 'app=web' });
    expect(sets.items.every((rs) => rs.metadata?.ownerReferences?.[0].kind === 'Deployment')).toBe(true);
    const scale = await apps.readNamespacedDeploymentScale({ name: 'web', namespace: 'default' });
    expect(scale.spec?.replicas).toBe(web.spec?.replicas);
    expect(scale.status?.selector).toBe('app=web');
    const replaced = await apps.replaceNamespacedDeploymentScale({ name: 'web', namespace: 'default', body: { ...scale, spec: { replicas: 2 } } });
    expect(replaced.spec?.replicas).toBe(2);
    expect(await ok(['rollout', 'status', 'deployment/web', '--timeout=60s'])).toContain('successfully rolled out');
  });

  it('serves the Python client: typed deployments (optional counts absent), ReplicaSets and a scale patch', async () => {
    await ensureDebianPackage('python3-kubernetes', { command: '/usr/bin/python3', args: ['-c', 'import kubernetes'] });
    const script = k.writeFile(
      'workloads.py',
      `import json, sys
from kubernetes import client
cfg = client.Configuration()
cfg.host = sys.argv[1]
apps = client.AppsV1Api(client.ApiClient(cfg))
d = apps.read_namespaced_deployment('web', 'default')
sets = apps.list_namespaced_replica_set('default', label_selector='app=web').items
scale = apps.patch_namespaced_deployment_scale('web', 'default', {'spec': {'replicas': 3}})
print(json.dumps({'ready': d.status.ready_replicas, 'unavailable': d.status.unavailable_replicas,
  'conditions': sorted(c.type for c in d.status.conditions), 'owners': sorted({rs.metadata.owner_references[0].kind for rs in sets}),
  'scale': [scale.spec.replicas, scale.status.selector]}))
`,
    );
    const r = await runProcess('/usr/bin/python3', [script, k.url], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: k.dir, LANG: 'C.UTF-8' }, timeoutMs: 30_000 });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { ready: number; unavailable: number | null; conditions: string[]; owners: string[]; scale: [number, string] };
    expect(out.ready).toBeGreaterThan(0);
    // A count of zero is left out of the status, as Go's omitempty does; the client reads it as None.
    expect(out.unavailable).toBeNull();
    expect(out.conditions).toEqual(['Available', 'Progressing']);
    expect(out.owners).toEqual(['Deployment']);
    expect(out.scale).toEqual([3, 'app=web']);
    expect(await ok(['rollout', 'status', 'deployment/web', '--timeout=60s'])).toContain('successfully rolled out');
  });

  it('deletes a deployment with its ReplicaSets and pods (background cascade)', async () => {
    expect(await ok(['delete', 'deployment', 'web'])).toBe('deployment.apps "web" deleted\n');
    const left = await eventually(
      async () => (await ok(['get', 'rs,pods', '-l', 'app=web', '-o', 'name'])).trim(),
      (out) => out === '',
      60_000,
    );
    expect(left).toBe('');
  });
});
