import { StatusError, FieldError } from '../errors/status-error';
import { canEncode, decodeProtobufObject, decodeWatchEvent, encodeProtobufObject, encodeWatchEvent, PROTOBUF_MEDIA_TYPE } from './index';

/*
 * Round trips JSON → protobuf → JSON. The objects are written as the JSON wire form has them (omitempty
 * zeros left out, canonical quantities and timestamps, pointer fields with zero values kept), so a round
 * trip must give them back unchanged.
 */

type Json = Record<string, unknown>;

const managedFields = [
  {
    manager: 'kube-controller-manager',
    operation: 'Update',
    apiVersion: 'v1',
    time: '2024-05-01T10:00:00Z',
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {} } } } },
  },
];

const RICH_POD: Json = {
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: {
    name: 'web-7d4b9c8f5d-x2x9q',
    generateName: 'web-7d4b9c8f5d-',
    namespace: 'default',
    uid: '3f5d1c52-5e7b-4b7a-9a53-1f0c9a1e2b3c',
    resourceVersion: '12345',
    generation: 1,
    creationTimestamp: '2024-05-01T10:00:00Z',
    labels: { app: 'web', 'pod-template-hash': '7d4b9c8f5d' },
    annotations: { 'kubernetes.io/psp': 'restricted', note: 'ünïcödé ✓ 🚀' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d4b9c8f5d', uid: 'a1b2c3d4-0000-4000-8000-000000000001', controller: true, blockOwnerDeletion: true }],
    finalizers: ['example.com/guard'],
    managedFields,
  },
  spec: {
    volumes: [
      { name: 'config', configMap: { name: 'web-config', items: [{ key: 'app.conf', path: 'app.conf', mode: 420 }], defaultMode: 420, optional: false } },
      { name: 'tls', secret: { secretName: 'web-tls', defaultMode: 256 } },
      {
        name: 'kube-api-access-abcde',
        projected: {
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
          ],
          defaultMode: 420,
        },
      },
      { name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
      { name: 'cache', emptyDir: {} },
    ],
    initContainers: [{ name: 'init', image: 'busybox:1.36', command: ['sh', '-c', 'echo init'], resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent' }],
    containers: [
      {
        name: 'web',
        image: 'nginx:1.27',
        command: ['nginx'],
        args: ['-g', 'daemon off;'],
        workingDir: '/srv',
        ports: [
          { name: 'http', containerPort: 8080, protocol: 'TCP' },
          { name: 'metrics', hostPort: 9090, containerPort: 9090, protocol: 'TCP' },
        ],
        envFrom: [{ configMapRef: { name: 'web-env' } }],
        env: [
          { name: 'MODE', value: 'production' },
          { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
          { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'web-secret', key: 'password', optional: true } } },
          { name: 'LIMIT', valueFrom: { resourceFieldRef: { containerName: 'web', resource: 'limits.memory', divisor: '1Mi' } } },
        ],
        resources: { limits: { cpu: '500m', memory: '128Mi', 'nvidia.com/gpu': '1' }, requests: { cpu: '250m', 'ephemeral-storage': '1Gi', memory: '64Mi' } },
        volumeMounts: [
          { name: 'config', readOnly: true, mountPath: '/etc/web' },
          { name: 'kube-api-access-abcde', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
        ],
        livenessProbe: { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP', httpHeaders: [{ name: 'X-Probe', value: 'yes' }] }, initialDelaySeconds: 5, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
        readinessProbe: { tcpSocket: { port: 'http' }, timeoutSeconds: 1, periodSeconds: 5, successThreshold: 1, failureThreshold: 3 },
        startupProbe: { exec: { command: ['cat', '/tmp/ready'] }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 30, terminationGracePeriodSeconds: 0 },
        lifecycle: { preStop: { sleep: { seconds: 5 } } },
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        imagePullPolicy: 'IfNotPresent',
        securityContext: { capabilities: { drop: ['ALL'] }, runAsUser: 1000, runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
        stdin: true,
        tty: true,
      },
    ],
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    serviceAccountName: 'web',
    serviceAccount: 'web',
    automountServiceAccountToken: false,
    nodeName: 'node-1',
    securityContext: { runAsUser: 1000, supplementalGroups: [4000, 5000], fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' } },
    imagePullSecrets: [{ name: 'registry' }],
    hostname: 'web-0',
    subdomain: 'web',
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['eu-1a', 'eu-1b'] }] }] },
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: 'disktype', operator: 'Exists' }] } }],
      },
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] }, topologyKey: 'kubernetes.io/hostname' } },
        ],
      },
    },
    schedulerName: 'default-scheduler',
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' },
    ],
    hostAliases: [{ ip: '10.0.0.1', hostnames: ['db.local'] }],
    priorityClassName: 'high',
    priority: 0,
    dnsConfig: { nameservers: ['1.1.1.1'], options: [{ name: 'ndots', value: '2' }] },
    enableServiceLinks: true,
    preemptionPolicy: 'PreemptLowerPriority',
    overhead: { cpu: '10m' },
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } } }],
  },
  status: {
    phase: 'Running',
    conditions: [
      { type: 'Initialized', status: 'True', lastTransitionTime: '2024-05-01T10:00:01Z' },
      { type: 'Ready', status: 'False', lastTransitionTime: '2024-05-01T10:00:05Z', reason: 'ContainersNotReady', message: 'containers with unready status: [web]' },
    ],
    hostIP: '192.168.1.10',
    hostIPs: [{ ip: '192.168.1.10' }],
    podIP: '10.244.1.7',
    podIPs: [{ ip: '10.244.1.7' }, { ip: 'fd00::7' }],
    startTime: '2024-05-01T10:00:00Z',
    initContainerStatuses: [
      {
        name: 'init',
        state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: '2024-05-01T10:00:01Z', finishedAt: '2024-05-01T10:00:02Z', containerID: 'containerd://aaa' } },
        lastState: {},
        ready: true,
        restartCount: 0,
        image: 'docker.io/library/busybox:1.36',
        imageID: 'docker.io/library/busybox@sha256:abc',
        containerID: 'containerd://aaa',
      },
    ],
    containerStatuses: [
      {
        name: 'web',
        state: { running: { startedAt: '2024-05-01T10:00:03Z' } },
        lastState: { terminated: { exitCode: 137, signal: 9, reason: 'OOMKilled', startedAt: '2024-05-01T09:00:00Z', finishedAt: '2024-05-01T09:59:59Z', containerID: 'containerd://bbb' } },
        ready: false,
        restartCount: 2,
        image: 'docker.io/library/nginx:1.27',
        imageID: 'docker.io/library/nginx@sha256:def',
        containerID: 'containerd://ccc',
        started: true,
      },
    ],
    qosClass: 'Burstable',
  },
};

const CONFIG_MAP: Json = {
  kind: 'ConfigMap',
  apiVersion: 'v1',
  metadata: { name: 'settings', namespace: 'default', uid: 'u-1', resourceVersion: '7', creationTimestamp: '2024-05-01T10:00:00Z' },
  data: { 'app.conf': 'listen 8080;\n', empty: '' },
  binaryData: { 'blob.bin': Buffer.from([0, 1, 2, 253, 254, 255]).toString('base64'), 'none.bin': '' },
};

const SECRET: Json = {
  kind: 'Secret',
  apiVersion: 'v1',
  metadata: { name: 'creds', namespace: 'default' },
  immutable: false,
  data: { password: Buffer.from('s3cr3t\u0000\u00ff').toString('base64'), token: Buffer.from('abc').toString('base64') },
  type: 'Opaque',
};

const NAMESPACE: Json = {
  kind: 'Namespace',
  apiVersion: 'v1',
  metadata: { name: 'team-a', uid: 'n-1', resourceVersion: '3', creationTimestamp: '2024-05-01T10:00:00Z', labels: { 'kubernetes.io/metadata.name': 'team-a' } },
  spec: { finalizers: ['kubernetes'] },
  status: { phase: 'Active' },
};

const NODE: Json = {
  kind: 'Node',
  apiVersion: 'v1',
  metadata: { name: 'node-1', uid: 'n-2', resourceVersion: '99', creationTimestamp: '2024-05-01T09:00:00Z', labels: { 'kubernetes.io/hostname': 'node-1', 'node-role.kubernetes.io/control-plane': '' } },
  spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'], providerID: 'kubemu://node-1', taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2024-05-01T09:30:00Z' }] },
  status: {
    capacity: { cpu: '4', 'ephemeral-storage': '100Gi', memory: '16Gi', pods: '110' },
    allocatable: { cpu: '3800m', 'ephemeral-storage': '95Gi', memory: '15Gi', pods: '110' },
    conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2024-05-01T10:00:00Z', lastTransitionTime: '2024-05-01T09:00:10Z', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
    addresses: [{ type: 'InternalIP', address: '192.168.1.10' }, { type: 'Hostname', address: 'node-1' }],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: 'm',
      systemUUID: 's',
      bootID: 'b',
      kernelVersion: '6.1.0',
      osImage: 'Debian GNU/Linux 12',
      containerRuntimeVersion: 'containerd://1.7.0',
      kubeletVersion: 'v1.32.0',
      kubeProxyVersion: 'v1.32.0',
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
    images: [{ names: ['docker.io/library/nginx:1.27'], sizeBytes: 72000000123 }],
  },
};

const CORE_EVENT: Json = {
  kind: 'Event',
  apiVersion: 'v1',
  metadata: { name: 'web.17c9', namespace: 'default', resourceVersion: '55', creationTimestamp: '2024-05-01T10:00:00Z' },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'p-1', apiVersion: 'v1', resourceVersion: '50', fieldPath: 'spec.containers{web}' },
  reason: 'Pulled',
  message: 'Successfully pulled image "nginx:1.27"',
  source: { component: 'kubelet', host: 'node-1' },
  firstTimestamp: '2024-05-01T10:00:00Z',
  lastTimestamp: '2024-05-01T10:05:00Z',
  count: 3,
  type: 'Normal',
  eventTime: '2024-05-01T10:00:00.123456Z',
  series: { count: 2, lastObservedTime: '2024-05-01T10:05:00.000001Z' },
  reportingComponent: 'kubelet',
  reportingInstance: 'node-1',
};

const EVENTS_V1_EVENT: Json = {
  kind: 'Event',
  apiVersion: 'events.k8s.io/v1',
  metadata: { name: 'web.17ca', namespace: 'default' },
  eventTime: '2024-05-01T10:00:00.999999Z',
  reportingController: 'kubemu.io/scheduler',
  reportingInstance: 'scheduler-0',
  action: 'Binding',
  reason: 'Scheduled',
  regarding: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'p-1', apiVersion: 'v1' },
  note: 'Successfully assigned default/web to node-1',
  type: 'Normal',
};

const LEASE: Json = {
  kind: 'Lease',
  apiVersion: 'coordination.k8s.io/v1',
  metadata: { name: 'node-1', namespace: 'kube-node-lease', resourceVersion: '77' },
  spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, acquireTime: '2024-05-01T09:00:00.000000Z', renewTime: '2024-05-01T10:00:00.123456Z', leaseTransitions: 0 },
};

const DEPLOYMENT: Json = {
  kind: 'Deployment',
  apiVersion: 'apps/v1',
  metadata: { name: 'web', namespace: 'default', generation: 3, labels: { app: 'web' }, annotations: { 'deployment.kubernetes.io/revision': '2' } },
  spec: {
    replicas: 0,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: {} }], restartPolicy: 'Always' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 1 } },
    minReadySeconds: 5,
    revisionHistoryLimit: 10,
    paused: true,
    progressDeadlineSeconds: 600,
  },
  status: {
    observedGeneration: 3,
    replicas: 2,
    updatedReplicas: 2,
    readyReplicas: 1,
    availableReplicas: 1,
    unavailableReplicas: 1,
    conditions: [
      { type: 'Available', status: 'False', lastUpdateTime: '2024-05-01T10:00:00Z', lastTransitionTime: '2024-05-01T10:00:00Z', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' },
    ],
  },
};

const SERVICE: Json = {
  kind: 'Service',
  apiVersion: 'v1',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
  spec: {
    ports: [
      { name: 'http', protocol: 'TCP', appProtocol: 'http', port: 80, targetPort: 8080, nodePort: 30080 },
      { name: 'admin', protocol: 'TCP', port: 81, targetPort: 'admin', nodePort: 30081 },
    ],
    selector: { app: 'web' },
    clusterIP: '10.96.0.10',
    clusterIPs: ['10.96.0.10'],
    type: 'NodePort',
    sessionAffinity: 'ClientIP',
    externalTrafficPolicy: 'Local',
    sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    internalTrafficPolicy: 'Cluster',
  },
  status: { loadBalancer: {} },
};

function roundTrip(object: Json): Json {
  const bytes = encodeProtobufObject(object);
  return decodeProtobufObject(bytes).object;
}

describe('protobuf round trips (JSON → protobuf → JSON)', () => {
  const cases: Array<[string, Json]> = [
    ['a rich Pod', RICH_POD],
    ['a ConfigMap with binaryData', CONFIG_MAP],
    ['a Secret (byte data)', SECRET],
    ['a Namespace', NAMESPACE],
    ['a Node', NODE],
    ['a core/v1 Event (MicroTime eventTime, series)', CORE_EVENT],
    ['an events.k8s.io/v1 Event', EVENTS_V1_EVENT],
    ['a Lease (MicroTime)', LEASE],
    ['a Deployment (IntOrString percentages, pointer zero replicas)', DEPLOYMENT],
    ['a Service (IntOrString named and numeric targetPort)', SERVICE],
  ];
  it.each(cases)('%s', (_name, object) => {
    expect(roundTrip(object)).toStrictEqual(object);
  });

  it('keeps Secret bytes exact, including NUL and 0xff', () => {
    const out = roundTrip(SECRET) as { data: Record<string, string> };
    expect(Buffer.from(out.data.password, 'base64')).toEqual(Buffer.from('s3cr3t\u0000\u00ff'));
  });

  it('gives keys back in Go struct order (fields declared out of number order, inline structs)', () => {
    const pod = roundTrip(RICH_POD) as { metadata: Json; spec: { containers: Json[]; volumes: Json[] } };
    expect(Object.keys(pod)).toEqual(['kind', 'apiVersion', 'metadata', 'spec', 'status']);
    expect(Object.keys(pod.metadata)).toEqual(['name', 'generateName', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields']);
    // OwnerReference declares apiVersion (field 5) first.
    expect(Object.keys((pod.metadata.ownerReferences as Json[])[0])).toEqual(['apiVersion', 'kind', 'name', 'uid', 'controller', 'blockOwnerDeletion']);
    // envFrom (19) is declared before env (7); probes carry their handler inline, first.
    const container = pod.spec.containers[0];
    expect(Object.keys(container).slice(0, 8)).toEqual(['name', 'image', 'command', 'args', 'workingDir', 'ports', 'envFrom', 'env']);
    expect(Object.keys(container.livenessProbe as Json)[0]).toBe('httpGet');
    // Volume's VolumeSource is inline: name, then the source.
    expect(Object.keys(pod.spec.volumes[0])).toEqual(['name', 'configMap']);
  });

  it('reads MicroTime with microseconds and Time to the second, as the JSON forms print them', () => {
    expect((roundTrip(LEASE).spec as Json).renewTime).toBe('2024-05-01T10:00:00.123456Z');
    const withFraction = { ...NAMESPACE, metadata: { name: 'x', creationTimestamp: '2024-05-01T10:00:00.987654321+02:00' } };
    // Time keeps nanoseconds on the wire, but its JSON form is whole seconds in UTC.
    expect((roundTrip(withFraction).metadata as Json).creationTimestamp).toBe('2024-05-01T08:00:00Z');
  });

  it('drops what omitempty drops and keeps zero pointers and non-omitempty zeros', () => {
    const pod: Json = {
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { name: 'p', generation: 0, labels: {} },
      spec: {
        containers: [{ name: 'c', image: '', env: [{ name: 'EMPTY', value: '' }], ports: [{ containerPort: 0, hostPort: 0 }], stdin: false }],
        hostNetwork: false,
        priority: 0,
        enableServiceLinks: false,
      },
    };
    expect(roundTrip(pod)).toEqual({
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', env: [{ name: 'EMPTY' }], ports: [{ containerPort: 0 }] }], priority: 0, enableServiceLinks: false },
    });
  });

  it('encodes a Status error and reads it back', () => {
    const status = StatusError.invalid('apps', 'Deployment', 'web', [FieldError.required('spec.selector'), FieldError.invalid('spec.replicas', -1, 'must be greater than or equal to 0')]).toStatus();
    expect(canEncode('v1', 'Status')).toBe(true);
    expect(roundTrip(status as unknown as Json)).toEqual(status);
    const notFound = StatusError.notFound({ group: '', resource: 'pods' }, 'x').toStatus();
    expect(roundTrip(notFound as unknown as Json)).toEqual(notFound);
  });

  it('encodes an empty list; the absent items come back absent, as Go leaves a nil slice', () => {
    const list: Json = { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '42' }, items: [] };
    const bytes = encodeProtobufObject(list);
    expect(decodeProtobufObject(bytes).object).toEqual({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '42' } });
  });

  it('encodes a list with items (the items carry no apiVersion/kind on the wire)', () => {
    const items = [DEPLOYMENT, { ...DEPLOYMENT, metadata: { ...(DEPLOYMENT.metadata as Json), name: 'api' } }];
    const list: Json = { kind: 'DeploymentList', apiVersion: 'apps/v1', metadata: { resourceVersion: '99', continue: 'abc', remainingItemCount: 5 }, items };
    const out = decodeProtobufObject(encodeProtobufObject(list)).object;
    const strip = ({ kind: _kind, apiVersion: _apiVersion, ...rest }: Json): Json => rest;
    expect(out).toEqual({ ...list, items: items.map(strip) });
  });

  it('frames a watch event: big-endian length, WatchEvent without envelope, the object as a full envelope', () => {
    const frame = encodeWatchEvent('MODIFIED', CONFIG_MAP);
    expect(frame.readUInt32BE(0)).toBe(frame.length - 4);
    // WatchEvent.type = "MODIFIED"
    expect([...frame.subarray(4, 6)]).toEqual([0x0a, 8]);
    expect(frame.subarray(6, 14).toString()).toBe('MODIFIED');
    // WatchEvent.object: RawExtension{raw: "k8s\0" + Unknown}
    expect(frame[14]).toBe(0x12);
    const envelope = encodeProtobufObject(CONFIG_MAP);
    expect(frame.subarray(frame.length - envelope.length)).toEqual(envelope);
    const event = decodeWatchEvent(frame);
    expect(event.type).toBe('MODIFIED');
    expect(event.object).toEqual(CONFIG_MAP);
    expect(event.consumed).toBe(frame.length);
    // A pre-encoded envelope gives the same frame (one encode fanned out to many watchers).
    expect(encodeWatchEvent('MODIFIED', envelope)).toEqual(frame);
  });

  it('frames an ERROR event carrying a Status', () => {
    const status = StatusError.gone('too old resource version: 1 (5)').toStatus() as unknown as Json;
    const event = decodeWatchEvent(encodeWatchEvent('ERROR', status));
    expect(event).toMatchObject({ type: 'ERROR', object: status });
  });

  it('answers canEncode for served kinds, lists and meta kinds, and not for Table or custom kinds', () => {
    expect(PROTOBUF_MEDIA_TYPE).toBe('application/vnd.kubernetes.protobuf');
    for (const [apiVersion, kind] of [
      ['v1', 'Pod'],
      ['v1', 'PodList'],
      ['apps/v1', 'Deployment'],
      ['batch/v1', 'CronJob'],
      ['autoscaling/v1', 'Scale'],
      ['autoscaling/v2', 'HorizontalPodAutoscaler'],
      ['coordination.k8s.io/v1', 'Lease'],
      ['events.k8s.io/v1', 'Event'],
      ['policy/v1', 'Eviction'],
      ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'],
      ['networking.k8s.io/v1', 'Ingress'],
      ['storage.k8s.io/v1', 'StorageClass'],
      ['discovery.k8s.io/v1', 'EndpointSlice'],
      ['authorization.k8s.io/v1', 'SelfSubjectAccessReview'],
      ['authentication.k8s.io/v1', 'TokenRequest'],
      ['authentication.k8s.io/v1', 'SelfSubjectReview'],
      ['apps/v1', 'DeleteOptions'],
      ['v1', 'WatchEvent'],
      ['meta.k8s.io/v1', 'PartialObjectMetadataList'],
    ]) {
      expect([apiVersion, kind, canEncode(apiVersion, kind)]).toEqual([apiVersion, kind, true]);
    }
    expect(canEncode('meta.k8s.io/v1', 'Table')).toBe(false);
    expect(canEncode('example.com/v1', 'Widget')).toBe(false);
    expect(canEncode('apps/v1', 'Pod')).toBe(false);
    expect(() => encodeProtobufObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', rows: [] })).toThrow(
      expect.objectContaining({ code: 406, reason: 'NotAcceptable' }),
    );
  });

  it('round-trips the other special types: ControllerRevision raw data, Verbs-like lists, extra values, disrupted pods', () => {
    const revision: Json = { kind: 'ControllerRevision', apiVersion: 'apps/v1', metadata: { name: 'web-1' }, data: { spec: { template: { metadata: { labels: { a: 'b' } } } } }, revision: 1 };
    expect(roundTrip(revision)).toEqual(revision);
    const review: Json = {
      kind: 'SubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: {},
      spec: { resourceAttributes: { namespace: 'default', verb: 'get', resource: 'pods' }, user: 'alice', groups: ['dev'], extra: { scopes: ['a', 'b'], empty: [] }, uid: 'u' },
      status: { allowed: true, reason: 'RBAC' },
    };
    expect(roundTrip(review)).toEqual(review);
    const pdb: Json = {
      kind: 'PodDisruptionBudget',
      apiVersion: 'policy/v1',
      metadata: { name: 'web' },
      spec: { minAvailable: '50%', selector: { matchLabels: { app: 'web' } } },
      status: { disruptedPods: { 'web-1': '2024-05-01T10:00:00Z' }, disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 2 },
    };
    expect(roundTrip(pdb)).toEqual(pdb);
    const token: Json = {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name: 'default', namespace: 'default' },
      spec: { audiences: ['https://kubernetes.default.svc'], expirationSeconds: 3600, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'u' } },
      status: { token: 'eyJhbGciOi...', expirationTimestamp: '2024-05-01T11:00:00Z' },
    };
    expect(roundTrip(token)).toEqual(token);
  });
});
