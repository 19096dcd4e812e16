/**
 * The HorizontalPodAutoscaler walkthrough through real kubectl on a server whose clock runs 60 times
 * faster (the 15 s sync period takes a quarter second, the 5-minute downscale window five seconds):
 * php-apache with a 200m CPU request behind a Service, `kubectl autoscale` (protobuf from 1.32, JSON
 * from 1.27), a load generator that makes the HPA scale the Deployment up, and the scale-down once it
 * is gone; the autoscaling/v1 view, apply of v1 and v2 manifests, validation, and a pod without a CPU
 * request reported through the ScalingActive condition.
 */
import { eventually, kubectlBinary, parseTable, startKubemu, type Kubemu } from '../support/kubemu';
import { ensureDebianPackage, runProcess } from '../support/process';

let k: Kubemu;

beforeAll(async () => {
  k = await startKubemu({ timeScale: 60 });
});
afterAll(() => k.close());

const ok = (args: string[], stdin?: string, binary?: string) => k.ok(args, { stdin, binary });

const PHP_APACHE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: php-apache
spec:
  selector:
    matchLabels:
      run: php-apache
  template:
    metadata:
      labels:
        run: php-apache
    spec:
      containers:
      - name: php-apache
        image: registry.k8s.io/hpa-example
        ports:
        - containerPort: 80
        resources:
          limits:
            cpu: 500m
          requests:
            cpu: 200m
---
apiVersion: v1
kind: Service
metadata:
  name: php-apache
  labels:
    run: php-apache
spec:
  ports:
  - port: 80
  selector:
    run: php-apache
`;

interface HpaRow {
  name: string;
  reference: string;
  targets: string;
  minPods: string;
  maxPods: string;
  replicas: number;
}

async function hpaRow(name: string): Promise<HpaRow> {
  const [row] = parseTable(await ok(['get', 'hpa', name])).rows;
  const [rowName, reference, targets, minPods, maxPods, replicas] = row;
  return { name: rowName, reference, targets, minPods, maxPods, replicas: Number(replicas) };
}

const specReplicas = async (deployment: string) => Number(await ok(['get', 'deployment', deployment, '-o', 'jsonpath={.spec.replicas}']));

describe('kubectl and the HorizontalPodAutoscaler', () => {
  it('autoscales php-apache up under a load generator and back down after the stabilization window', async () => {
    await ok(['apply', '-f', '-'], PHP_APACHE);
    await ok(['rollout', 'status', 'deployment/php-apache', '--timeout=60s']);
    expect(await ok(['autoscale', 'deployment', 'php-apache', '--cpu-percent=50', '--min=1', '--max=10'])).toBe('horizontalpodautoscaler.autoscaling/php-apache autoscaled\n');

    const table = parseTable(await ok(['get', 'hpa']));
    expect(table.header.trim().split(/\s{2,}/)).toEqual(['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE']);
    const idle = await eventually(async () => {
      const row = await hpaRow('php-apache');
      return /^cpu: \d+%\/50%$/.test(row.targets) ? row : undefined;
    }, 20_000, 'the first metrics');
    expect(idle).toMatchObject({ reference: 'Deployment/php-apache', minPods: '1', maxPods: '10', replicas: 1 });
    expect(Number(/cpu: (\d+)%/.exec(idle.targets)![1])).toBeLessThan(10);

    await ok(['run', 'load-generator', '--image=busybox:1.28', '--restart=Never', '--', '/bin/sh', '-c', 'while sleep 0.01; do wget -q -O- http://php-apache; done']);
    const loaded = await eventually(async () => {
      const row = await hpaRow('php-apache');
      return row.replicas >= 4 ? row : undefined;
    }, 30_000, 'the scale-up');
    expect(loaded.targets).toMatch(/^cpu: \d+%\/50%$/);
    expect(await specReplicas('php-apache')).toBeGreaterThanOrEqual(4);
    const described = await ok(['describe', 'hpa', 'php-apache']);
    expect(described).toMatch(/Reference:\s+Deployment\/php-apache/);
    expect(described).toMatch(/resource cpu on pods\s+\(as a percentage of request\):\s+\d+% \(\d+m\) \/ 50%/);
    expect(described).toMatch(/AbleToScale\s+True/);
    expect(described).toMatch(/ScalingActive\s+True\s+ValidMetricFound\s+the HPA was able to successfully calculate a replica count from cpu resource utilization \(percentage of request\)/);
    expect(described).toContain('New size: 4; reason: cpu resource utilization (percentage of request) above target');
    // Spread over several pods the load settles near the target.
    await eventually(async () => {
      const row = await hpaRow('php-apache');
      const utilization = Number(/cpu: (\d+)%/.exec(row.targets)?.[1]);
      return row.replicas > 4 && utilization <= 70 ? row : undefined;
    }, 30_000, 'the load spread over more pods');

    await ok(['delete', 'pod', 'load-generator', '--wait=false']);
    const started = Date.now();
    const quiet = await eventually(async () => {
      const row = await hpaRow('php-apache');
      return row.replicas === 1 ? row : undefined;
    }, 40_000, 'the scale-down');
    // Five minutes of cluster time: about five seconds here.
    expect(Date.now() - started).toBeGreaterThan(3_000);
    expect(quiet.targets).toMatch(/^cpu: \d%\/50%$/);
    expect(await specReplicas('php-apache')).toBe(1);
    expect(await ok(['describe', 'hpa', 'php-apache'])).toContain('New size: 1; reason: All metrics below target');
  });

  it('serves the same HPA as autoscaling/v1, with targetCPUUtilizationPercentage and the v2 status in annotations', async () => {
    const v1 = JSON.parse(await ok(['get', 'horizontalpodautoscalers.v1.autoscaling', 'php-apache', '-o', 'json'])) as {
      apiVersion: string;
      metadata: { annotations: Record<string, string> };
      spec: Record<string, unknown>;
      status: Record<string, unknown>;
    };
    expect(v1.apiVersion).toBe('autoscaling/v1');
    expect(v1.spec).toEqual({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'php-apache' }, minReplicas: 1, maxReplicas: 10, targetCPUUtilizationPercentage: 50 });
    expect(v1.status).toMatchObject({ currentReplicas: 1, desiredReplicas: 1, currentCPUUtilizationPercentage: expect.any(Number), lastScaleTime: expect.any(String) });
    const conditions = JSON.parse(v1.metadata.annotations['autoscaling.alpha.kubernetes.io/conditions']) as { type: string }[];
    expect(conditions.map((c) => c.type)).toEqual(['AbleToScale', 'ScalingActive', 'ScalingLimited']);
    expect(v1.metadata.annotations['autoscaling.alpha.kubernetes.io/current-metrics']).toMatch(/^\[\{"type":"Resource","resource":\{"name":"cpu","currentAverageUtilization":\d+,"currentAverageValue":"\d+m"\}\}\]$/);
    // kubectl 1.27 keeps the version of a short name (1.32 and later resolve hpa.v1.autoscaling to the preferred v2).
    const yaml = await ok(['get', 'hpa.v1.autoscaling', 'php-apache', '-o', 'yaml'], undefined, kubectlBinary(27));
    expect(yaml).toContain('apiVersion: autoscaling/v1');
    expect(yaml).toContain('targetCPUUtilizationPercentage: 50');
    const v2 = JSON.parse(await ok(['get', 'hpa', 'php-apache', '-o', 'json'])) as { apiVersion: string; metadata: { annotations?: Record<string, string> }; spec: { metrics: unknown[] } };
    expect(v2.apiVersion).toBe('autoscaling/v2');
    expect(v2.metadata.annotations).toBeUndefined();
    expect(v2.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }]);
  });

  it('applies v1 and v2 manifests, and refuses invalid ones with the upstream message', async () => {
    await ok(['create', 'deployment', 'web', '--image=nginx'], undefined, kubectlBinary(27));
    expect(await ok(['autoscale', 'deployment', 'web', '--max=3'], undefined, kubectlBinary(27))).toBe('horizontalpodautoscaler.autoscaling/web autoscaled\n');
    // Without --cpu-percent the controller's default target applies.
    expect((await hpaRow('web')).targets).toMatch(/^cpu: (<unknown>|\d+%)\/80%$/);
    await ok(['delete', 'hpa', 'web']);
    // kubectl 1.32 sends the HPA as protobuf.
    expect(await ok(['autoscale', 'deployment', 'web', '--max=2', '--cpu-percent=40', '--name=web-32'], undefined, kubectlBinary(32))).toBe(
      'horizontalpodautoscaler.autoscaling/web-32 autoscaled\n',
    );
    expect(await hpaRow('web-32')).toMatchObject({ reference: 'Deployment/web', minPods: '1', maxPods: '2' });
    await ok(['delete', 'hpa', 'web-32']);

    const v1 = `apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata:
  name: web-v1
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 4
  targetCPUUtilizationPercentage: 70
`;
    expect(await ok(['apply', '-f', '-'], v1)).toBe('horizontalpodautoscaler.autoscaling/web-v1 created\n');
    expect(await ok(['apply', '-f', '-'], v1)).toBe('horizontalpodautoscaler.autoscaling/web-v1 unchanged\n');
    expect((await hpaRow('web-v1')).targets).toMatch(/\/70%$/);

    const v2 = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web-v2
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 5
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 60
  metrics:
  - type: Resource
    resource: {name: memory, target: {type: AverageValue, averageValue: 100Mi}}
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
`;
    expect(await ok(['apply', '-f', '-'], v2)).toBe('horizontalpodautoscaler.autoscaling/web-v2 created\n');
    const stored = JSON.parse(await ok(['get', 'hpa', 'web-v2', '-o', 'json'])) as { spec: { minReplicas: number; behavior: Record<string, unknown> } };
    expect(stored.spec.minReplicas).toBe(1);
    expect(stored.spec.behavior).toEqual({
      scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
    });
    const asV1 = JSON.parse(await ok(['get', 'horizontalpodautoscalers.v1.autoscaling', 'web-v2', '-o', 'json'])) as { metadata: { annotations: Record<string, string> }; spec: Record<string, unknown> };
    expect(asV1.spec.targetCPUUtilizationPercentage).toBe(60);
    expect(asV1.metadata.annotations['autoscaling.alpha.kubernetes.io/metrics']).toBe('[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"100Mi"}}]');
    expect(JSON.parse(asV1.metadata.annotations['autoscaling.alpha.kubernetes.io/behavior'])).toMatchObject({ ScaleDown: { StabilizationWindowSeconds: 60 } });

    const invalid = await k.kubectl(['apply', '-f', '-'], { stdin: v2.replace('maxReplicas: 5', 'minReplicas: 3\n  maxReplicas: 2') });
    expect(invalid.code).not.toBe(0);
    expect(invalid.stderr).toContain('The HorizontalPodAutoscaler "web-v2" is invalid: spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`');
    const noTarget = await k.kubectl(['apply', '-f', '-'], { stdin: v1.replace('web-v1', 'broken').replace('  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n', '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment}\n') });
    expect(noTarget.stderr).toContain('spec.scaleTargetRef.name: Required value');
  });

  it('reports pods without a CPU request through the ScalingActive condition', async () => {
    await ok(['create', 'deployment', 'norequest', '--image=registry.k8s.io/hpa-example']);
    await ok(['rollout', 'status', 'deployment/norequest', '--timeout=60s']);
    await ok(['autoscale', 'deployment', 'norequest', '--cpu-percent=50', '--max=3']);
    const described = await eventually(async () => {
      const text = await ok(['describe', 'hpa', 'norequest']);
      // The events come before the status write; wait for both.
      return /ScalingActive\s+False/.test(text) && text.includes('FailedComputeMetricsReplicas') ? text : undefined;
    }, 20_000, 'the missing request reported');
    expect(described).toMatch(/ScalingActive\s+False\s+FailedGetResourceMetric\s+the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container hpa-example of Pod norequest-/);
    expect(described).toMatch(/Warning\s+FailedGetResourceMetric/);
    expect(described).toMatch(/Warning\s+FailedComputeMetricsReplicas/);
    expect((await hpaRow('norequest')).targets).toBe('cpu: <unknown>/50%');
  });
});

describe('the Python client and the HorizontalPodAutoscaler', () => {
  it('creates and lists typed autoscaling/v1 objects, and reads the same objects as autoscaling/v2', async () => {
    await ensureDebianPackage('python3-kubernetes', { command: '/usr/bin/python3', args: ['-c', 'import kubernetes'] });
    const script = k.writeFile(
      'hpa.py',
      `
import json, sys
from kubernetes import client
cfg = client.Configuration()
cfg.host = sys.argv[1]
api = client.ApiClient(cfg)
v1 = client.AutoscalingV1Api(api)

def v2(path, response_type):
    # Debian's client (22.6) predates autoscaling/v2 (its v2beta2 models require conditions a fresh HPA has not got): read untyped.
    return api.call_api('/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers' + path, 'GET', {}, [], {'Accept': 'application/json'},
                        response_type=response_type, auth_settings=['BearerToken'], _return_http_data_only=True)

body = client.V1HorizontalPodAutoscaler(
    metadata=client.V1ObjectMeta(name='py-hpa'),
    spec=client.V1HorizontalPodAutoscalerSpec(
        scale_target_ref=client.V1CrossVersionObjectReference(api_version='apps/v1', kind='Deployment', name='php-apache'),
        min_replicas=1, max_replicas=4, target_cpu_utilization_percentage=60))
created = v1.create_namespaced_horizontal_pod_autoscaler('default', body)
read = v2('/py-hpa', 'object')
listed = v2('', 'object')
listed_v1 = v1.list_namespaced_horizontal_pod_autoscaler('default')
print(json.dumps({
    'created': created.spec.target_cpu_utilization_percentage,
    'metric': read['spec']['metrics'][0],
    'names': sorted(h['metadata']['name'] for h in listed['items']),
    'conditions': {h['metadata']['name']: [c['type'] for c in h['status'].get('conditions', [])] for h in listed['items']},
    'v1_desired': {h.metadata.name: h.status.desired_replicas for h in listed_v1.items},
    'v1_conditions': sorted(json.loads(h.metadata.annotations['autoscaling.alpha.kubernetes.io/conditions'])[0]['type'] for h in listed_v1.items if h.metadata.annotations and 'autoscaling.alpha.kubernetes.io/conditions' in h.metadata.annotations),
}))
`,
    );
    const r = await runProcess('/usr/bin/python3', [script, k.url], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: k.dir, LANG: 'C.UTF-8' }, timeoutMs: 30_000 });
    if (r.code !== 0) throw new Error(`python exited ${r.code}: ${r.stderr}`);
    const out = JSON.parse(r.stdout) as { created: number; metric: unknown; names: string[]; conditions: Record<string, string[]>; v1_desired: Record<string, number>; v1_conditions: string[] };
    expect(out.created).toBe(60);
    expect(out.metric).toEqual({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } });
    expect(out.names).toEqual(['norequest', 'php-apache', 'py-hpa', 'web-v1', 'web-v2']);
    expect(out.conditions['php-apache']).toEqual(['AbleToScale', 'ScalingActive', 'ScalingLimited']);
    expect(out.v1_desired['php-apache']).toBe(1);
    expect(out.v1_conditions).toContain('AbleToScale');
  });
});
