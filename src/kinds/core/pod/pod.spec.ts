import { admitPod } from './pod.admission';
import { computeQosClass, defaultPullPolicy } from './pod.defaults';
import { podResource as pods, type Pod } from './pod.resource';
import type { Container, PodSpec } from './pod.types';

const text = (errors: { toString(): string }[]) => errors.map((e) => e.toString());
const now = new Date('2024-05-01T12:00:00Z');

function pod(spec: Partial<PodSpec> = {}, extra: Partial<Pod> = {}): Pod {
  const p: Pod = {
    metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-05-01T11:55:00Z' },
    spec: { containers: [{ name: 'web', image: 'nginx:1.25' }], ...spec },
    ...extra,
  };
  pods.applyDefaults!(p);
  return p;
}

/** A pod as the store holds it after create. */
function created(spec: Partial<PodSpec> = {}): Pod {
  const p = pod(spec);
  pods.prepareForCreate!(p);
  return p;
}

const validate = (spec: Partial<PodSpec>) => text(pods.validate!(pod(spec)));
const container = (extra: Partial<Container>): Container => ({ name: 'web', image: 'nginx:1.25', ...extra });

describe('Pod defaults', () => {
  it('picks the pull policy from the image tag', () => {
    expect(defaultPullPolicy('nginx')).toBe('Always');
    expect(defaultPullPolicy('nginx:latest')).toBe('Always');
    expect(defaultPullPolicy('nginx:1.25')).toBe('IfNotPresent');
    expect(defaultPullPolicy('registry.local:5000/team/app')).toBe('Always');
    expect(defaultPullPolicy('registry.local:5000/team/app:v2')).toBe('IfNotPresent');
    expect(defaultPullPolicy('nginx@sha256:0123456789abcdef')).toBe('IfNotPresent');
    expect(pod({ containers: [{ name: 'a', image: 'busybox' }] }).spec!.containers![0].imagePullPolicy).toBe('Always');
    expect(pod({ containers: [{ name: 'a', image: 'busybox', imagePullPolicy: 'Never' }] }).spec!.containers![0].imagePullPolicy).toBe('Never');
  });

  it('fills container, probe and volume defaults', () => {
    const p = pod({
      containers: [container({ ports: [{ containerPort: 80 }], livenessProbe: { httpGet: { port: 80 } } })],
      volumes: [{ name: 'scratch' }, { name: 'cfg', configMap: { name: 'c' } }],
    });
    const c = p.spec!.containers![0];
    expect(c.ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    expect(c.terminationMessagePath).toBe('/dev/termination-log');
    expect(c.terminationMessagePolicy).toBe('File');
    expect(c.livenessProbe).toEqual({ httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    expect(p.spec!.volumes).toEqual([
      { name: 'scratch', emptyDir: {} },
      { name: 'cfg', configMap: { name: 'c', defaultMode: 420 } },
    ]);
    expect(p.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30, schedulerName: 'default-scheduler', enableServiceLinks: true, securityContext: {} });
  });

  it('copies limits into missing requests and canonicalizes quantities', () => {
    const p = pod({ containers: [container({ resources: { limits: { cpu: '0.5', memory: '1024Mi' }, requests: { cpu: '100m' } } })] });
    expect(p.spec!.containers![0].resources).toEqual({ limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '100m', memory: '1Gi' } });
  });

  it('makes container ports host ports under host networking', () => {
    const p = pod({ hostNetwork: true, containers: [container({ ports: [{ containerPort: 8080 }] })] });
    expect(p.spec!.containers![0].ports![0].hostPort).toBe(8080);
  });
});

describe('Pod create', () => {
  it('sets the status itself: Pending with the QoS class', () => {
    const p = pod({}, { status: { phase: 'Running', podIP: '10.0.0.9' } });
    pods.prepareForCreate!(p);
    expect(p.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('computes the QoS class from requests and limits', () => {
    expect(computeQosClass(pod().spec)).toBe('BestEffort');
    expect(computeQosClass(pod({ containers: [container({ resources: { requests: { cpu: '100m' } } })] }).spec)).toBe('Burstable');
    expect(computeQosClass(pod({ containers: [container({ resources: { limits: { cpu: '1', memory: '1Gi' } } })] }).spec)).toBe('Guaranteed');
    expect(computeQosClass(pod({ containers: [container({ resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } } })] }).spec)).toBe('Burstable');
    const two = pod({ containers: [container({ resources: { limits: { cpu: '1', memory: '1Gi' } } }), container({ name: 'b', resources: { limits: { cpu: '1' } } })] });
    expect(computeQosClass(two.spec)).toBe('Burstable');
  });

  it('marks a gated pod as not schedulable yet', () => {
    const p = created({ schedulingGates: [{ name: 'example.com/wait' }] });
    expect(p.status?.conditions).toEqual([
      { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: null, reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' },
    ]);
  });

  it('accepts a typical pod', () => {
    expect(
      validate({
        containers: [
          container({
            ports: [{ name: 'http', containerPort: 80 }],
            env: [{ name: 'MODE', value: 'prod' }, { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
            envFrom: [{ configMapRef: { name: 'settings' } }],
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
            resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
            readinessProbe: { httpGet: { path: '/healthz', port: 'http' } },
          }),
        ],
        initContainers: [{ name: 'init', image: 'busybox:1.36', command: ['true'] }],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
        serviceAccountName: 'default',
      }),
    ).toEqual([]);
  });

  it('requires containers, names and images', () => {
    expect(validate({ containers: [] })).toEqual(['spec.containers: Required value']);
    const bare: Pod = { metadata: { name: 'bare', namespace: 'default' } };
    pods.applyDefaults!(bare);
    expect(text(pods.validate!(bare))).toEqual(['spec.containers: Required value']);
    expect(validate({ containers: [{ name: '', image: '' }] })).toEqual(['spec.containers[0].name: Required value', 'spec.containers[0].image: Required value']);
    expect(validate({ containers: [container({ name: 'Web_1' })] })).toEqual([
      `spec.containers[0].name: Invalid value: "Web_1": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    ]);
    expect(validate({ containers: [container({ image: ' nginx' })] })).toEqual(['spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace']);
  });

  it('requires unique container names, across init containers too', () => {
    expect(validate({ containers: [container({}), container({ image: 'redis:7' })] })).toEqual(['spec.containers[1].name: Duplicate value: "web"']);
    expect(validate({ initContainers: [container({})] })).toEqual(['spec.initContainers[0].name: Duplicate value: "web"']);
  });

  it('checks container ports', () => {
    expect(
      validate({
        containers: [
          container({
            ports: [
              { containerPort: 70000, protocol: 'TCP' },
              { containerPort: 0, protocol: 'HTTP', name: 'Web' },
              { containerPort: 81, name: 'metrics' },
              { containerPort: 82, name: 'metrics' },
            ],
          }),
        ],
      }),
    ).toEqual([
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.containers[0].ports[1].name: Invalid value: "Web": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'spec.containers[0].ports[1].containerPort: Required value',
      'spec.containers[0].ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      'spec.containers[0].ports[3].name: Duplicate value: "metrics"',
    ]);
  });

  it('rejects conflicting host ports', () => {
    expect(validate({ containers: [container({ ports: [{ containerPort: 80, hostPort: 8080 }] }), container({ name: 'b', ports: [{ containerPort: 81, hostPort: 8080 }] })] })).toEqual([
      'spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"',
    ]);
  });

  it('checks environment variables', () => {
    expect(
      validate({
        containers: [
          container({
            env: [
              { name: 'A=B' },
              { name: '' },
              { name: 'X', value: 'v', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
              { name: 'Y', valueFrom: {} },
              { name: 'Z', valueFrom: { fieldRef: { fieldPath: 'spec.nodeSelector' } } },
              { name: 'W', valueFrom: { fieldRef: { fieldPath: 'status.phase' } } },
            ],
            envFrom: [{}],
          }),
        ],
      }),
    ).toEqual([
      `spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`,
      'spec.containers[0].env[1].name: Required value',
      'spec.containers[0].env[2].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
      'spec.containers[0].env[3].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
      'spec.containers[0].env[4].valueFrom.fieldRef.fieldPath: Invalid value: "spec.nodeSelector": error converting fieldPath: field label not supported: spec.nodeSelector',
      'spec.containers[0].env[5].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
      'spec.containers[0].envFrom: Invalid value: "": must specify one of: `configMapRef` or `secretRef`',
    ]);
  });

  it('checks resource requests and limits', () => {
    expect(
      validate({
        containers: [
          container({
            resources: {
              requests: { cpu: '2', memory: '-1', widgets: '1', 'example.com/gpu': '1' },
              limits: { cpu: '1' },
            },
          }),
        ],
      }),
    ).toEqual([
      'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
      'spec.containers[0].resources.requests[memory]: Invalid value: "-1": must be greater than or equal to 0',
      'spec.containers[0].resources.requests[widgets]: Invalid value: "widgets": must be a standard resource type or fully qualified',
      'spec.containers[0].resources.requests[widgets]: Invalid value: "widgets": must be a standard resource for containers',
      'spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources',
    ]);
  });

  it('checks volumes and mounts', () => {
    expect(
      validate({
        containers: [container({ volumeMounts: [{ name: 'missing', mountPath: '/a' }, { name: 'v1', mountPath: '/a', subPath: '../x' }] })],
        volumes: [
          { name: 'v1', emptyDir: {} },
          { name: 'v1', emptyDir: {} },
          { name: 'v2', secret: {}, configMap: { name: 'c' } },
          { name: 'Bad', hostPath: { path: '' } },
        ],
      }),
    ).toEqual([
      'spec.volumes[1].name: Duplicate value: "v1"',
      'spec.volumes[2].secret.secretName: Required value',
      'spec.volumes[2].configMap: Forbidden: may not specify more than 1 volume type',
      'spec.volumes[3].hostPath.path: Required value',
      expect.stringMatching(/^spec\.volumes\[3\]\.name: Invalid value: "Bad": a lowercase RFC 1123 label/),
      'spec.containers[0].volumeMounts[0].name: Not found: "missing"',
      'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/a": must be unique',
      `spec.containers[0].volumeMounts.subPath: Invalid value: "../x": must not contain '..'`,
    ]);
  });

  it('checks probes and lifecycle handlers', () => {
    expect(
      validate({
        containers: [
          container({
            livenessProbe: { successThreshold: 2, exec: { command: [] } },
            readinessProbe: { httpGet: { path: '/', port: 0 }, tcpSocket: { port: 80 } },
            lifecycle: { preStop: { sleep: { seconds: 60 } } },
          }),
        ],
      }),
    ).toEqual([
      'spec.containers[0].lifecycle.preStop.sleep: Invalid value: 60: must be non-negative and less than terminationGracePeriodSeconds (30)',
      'spec.containers[0].livenessProbe.exec.command: Required value',
      'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
      'spec.containers[0].readinessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type',
    ]);
  });

  it('keeps probes off plain init containers and allows them on sidecars', () => {
    const probe = { exec: { command: ['true'] } };
    expect(validate({ initContainers: [{ name: 'init', image: 'busybox', readinessProbe: probe }] })).toEqual([
      'spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
    ]);
    expect(validate({ initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always', readinessProbe: probe }] })).toEqual([]);
    expect(validate({ initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'OnFailure' }] })).toEqual([
      'spec.initContainers[0].restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
    ]);
    expect(validate({ containers: [container({ restartPolicy: 'Always' })] })).toEqual(['spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers']);
  });

  it('checks pod-level enums and names', () => {
    expect(validate({ restartPolicy: 'Sometimes', dnsPolicy: 'Nope', nodeName: 'Node_1', activeDeadlineSeconds: 0, os: { name: 'plan9' } })).toEqual([
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
      'spec.dnsPolicy: Unsupported value: "Nope": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
      expect.stringMatching(/^spec\.nodeName: Invalid value: "Node_1": a lowercase RFC 1123 subdomain/),
      'spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive',
      'spec.os.name: Unsupported value: "plan9": supported values: "linux", "windows"',
    ]);
    expect(validate({ dnsPolicy: 'None' })).toEqual(['spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None']);
    expect(validate({ tolerations: [{ operator: 'Equal', value: 'x' }] })).toEqual([
      'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
    ]);
  });

  it('refuses ephemeral containers and a node name with scheduling gates on create', () => {
    expect(validate({ ephemeralContainers: [{ name: 'debug', image: 'busybox' }] })).toEqual(['spec.ephemeralContainers: Forbidden: cannot be set on create']);
    expect(validate({ nodeName: 'node-1', schedulingGates: [{ name: 'example.com/gate' }] })).toEqual([
      'spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared',
    ]);
  });

  it('warns when the name is not a DNS label', () => {
    expect(pods.warnings!(pod())).toEqual([]);
    expect(pods.warnings!(pod({}, { metadata: { name: 'web.v1', namespace: 'default' } }))).toEqual([
      "metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]",
    ]);
  });
});

describe('Pod update', () => {
  const update = (change: (p: Pod) => void) => {
    const old = created({ activeDeadlineSeconds: 600 });
    const next = structuredClone(old);
    change(next);
    pods.applyDefaults!(next);
    pods.prepareForUpdate!(next, old);
    return text(pods.validateUpdate!(next, old));
  };

  it('allows image changes, a shorter deadline and new tolerations', () => {
    expect(
      update((p) => {
        p.spec!.containers![0].image = 'nginx:1.26';
        p.spec!.activeDeadlineSeconds = 300;
        p.spec!.tolerations = [{ key: 'k', operator: 'Exists' }];
      }),
    ).toEqual([]);
  });

  it('forbids other spec changes with the upstream message', () => {
    const errors = update((p) => {
      p.spec!.containers![0].command = ['sleep', '1'];
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\]\.image`,`spec.initContainers\[\*\]\.image`,`spec.activeDeadlineSeconds`,`spec.tolerations` \(only additions to existing tolerations\),`spec.terminationGracePeriodSeconds` \(allow it to be set to 1 if it was previously negative\)\n/,
    );
    expect(errors[0]).toContain('containers[0].command');
  });

  it('forbids adding containers and lengthening the deadline', () => {
    expect(update((p) => p.spec!.containers!.push(container({ name: 'b' })))).toEqual(['spec.containers: Forbidden: pod updates may not add or remove containers']);
    expect(update((p) => (p.spec!.activeDeadlineSeconds = 900))).toEqual(['spec.activeDeadlineSeconds: Invalid value: 900: must be less than or equal to previous value']);
  });

  it('keeps the status out of reach of plain updates', () => {
    const old = created();
    const next = structuredClone(old);
    next.status = { phase: 'Running' };
    pods.prepareForUpdate!(next, old);
    expect(next.status).toEqual(old.status);
  });
});

describe('Pod table', () => {
  const table = pods.table!;
  const running = (): Pod =>
    created({ nodeName: 'node-1' }) && {
      ...created({ nodeName: 'node-1' }),
      status: {
        phase: 'Running',
        podIP: '10.244.1.5',
        podIPs: [{ ip: '10.244.1.5' }],
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [{ name: 'web', ready: true, restartCount: 2, state: { running: { startedAt: '2024-05-01T11:56:00Z' } }, lastState: { terminated: { exitCode: 1, finishedAt: '2024-05-01T11:55:30Z' } } }],
      },
    };

  it('has the upstream columns, wide ones at priority 1', () => {
    expect(table.columns.map((c) => `${c.name}${c.priority ? '*' : ''}`)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP*', 'Node*', 'Nominated Node*', 'Readiness Gates*']);
    expect(table.columns[0].format).toBe('name');
  });

  it('prints a pending pod', () => {
    expect(table.cells(created(), now)).toEqual(['web', '0/1', 'Pending', '0', '5m', '<none>', '<none>', '<none>', '<none>']);
  });

  it('prints a running pod with its restarts', () => {
    expect(table.cells(running(), now)).toEqual(['web', '1/1', 'Running', '2 (4m30s ago)', '5m', '10.244.1.5', 'node-1', '<none>', '<none>']);
  });

  it('prints Terminating once a deletionTimestamp is set', () => {
    const p = running();
    p.metadata.deletionTimestamp = '2024-05-01T11:59:00Z';
    expect(table.cells(p, now)[2]).toBe('Terminating');
  });

  it('prints container and init container states', () => {
    const crash = running();
    crash.status!.containerStatuses![0] = { name: 'web', ready: false, restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff' } } };
    expect(table.cells(crash, now).slice(1, 4)).toEqual(['0/1', 'CrashLoopBackOff', '5']);

    const init = created({ initContainers: [{ name: 'init', image: 'busybox' }] });
    init.status!.initContainerStatuses = [{ name: 'init', state: { running: {} } }];
    expect(table.cells(init, now)[2]).toBe('Init:0/1');

    const done = running();
    done.status!.phase = 'Succeeded';
    done.status!.containerStatuses![0] = { name: 'web', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } };
    expect(table.cells(done, now).slice(1, 4)).toEqual(['0/1', 'Completed', '0']);
  });

  it('counts sidecars and readiness gates', () => {
    const p = created({ initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }], readinessGates: [{ conditionType: 'example.com/ready' }] });
    p.status = {
      phase: 'Running',
      conditions: [{ type: 'Initialized', status: 'True' }, { type: 'example.com/ready', status: 'True' }],
      initContainerStatuses: [{ name: 'proxy', started: true, ready: true, state: { running: {} } }],
      containerStatuses: [{ name: 'web', ready: true, state: { running: {} } }],
    };
    const cells = table.cells(p, now);
    expect([cells[1], cells[2], cells[8]]).toEqual(['2/2', 'Running', '1/1']);
  });
});

describe('Pod registration', () => {
  it('selects by the fields upstream exposes', () => {
    const p = created({ nodeName: 'node-1', serviceAccountName: 'builder' });
    p.status = { ...p.status, podIPs: [{ ip: '10.0.0.7' }] };
    pods.applyDefaults!(p);
    expect(pods.selectableFields!(p)).toEqual({
      'spec.nodeName': 'node-1',
      'spec.restartPolicy': 'Always',
      'spec.schedulerName': 'default-scheduler',
      'spec.serviceAccountName': 'builder',
      'spec.hostNetwork': 'false',
      'status.phase': 'Pending',
      'status.podIP': '10.0.0.7',
      'status.nominatedNodeName': '',
    });
  });

  it('tracks generation on spec changes and answers DELETE with the object', () => {
    expect(pods.generationFields).toEqual(['spec']);
    expect(pods.returnDeletedObject).toBe(true);
  });
});

describe('pod admission', () => {
  it('fills the service account, priority and default tolerations like the real admission plugins', () => {
    const pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }], tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }] } };
    admitPod(pod);
    expect(pod.spec).toMatchObject({ serviceAccountName: 'default', serviceAccount: 'default', priority: 0, preemptionPolicy: 'PreemptLowerPriority' });
    expect(pod.spec.tolerations).toEqual([
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
  });

  it('keeps a chosen service account and takes the priority of the chosen class', () => {
    const pod = { metadata: { name: 'p' }, spec: { serviceAccountName: 'builder', priorityClassName: 'high', containers: [] } };
    const high = { metadata: { name: 'high' }, value: 1000, preemptionPolicy: 'Never' };
    admitPod(pod, { objectsOf: () => [high] });
    expect(pod.spec).toMatchObject({ serviceAccountName: 'builder', serviceAccount: 'builder', priority: 1000, preemptionPolicy: 'Never' });
  });
});
