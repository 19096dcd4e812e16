import { updateManagedFields } from './index';

type Obj = Record<string, unknown>;

const NOW = '2024-05-01T10:00:00Z';

/**
 * A create whose body has no managedFields takes a short path; a body with `managedFields: []`
 * (a reset) still runs the whole field-manager chain from an empty state. Both must record the same.
 */
function bothPaths(definition: string, obj: Obj, manager = 'kubectl', resetFields?: string[][]): [Obj, Obj] {
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : 'v1';
  const args = { old: undefined, manager, definition, apiVersion, now: NOW, resetFields };
  const fast = updateManagedFields({ ...args, next: structuredClone(obj) });
  const metadata = { ...(obj.metadata as Obj), managedFields: [] };
  const full = updateManagedFields({ ...args, next: { ...structuredClone(obj), metadata } });
  return [fast, full];
}

const pod: Obj = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', uid: 'u', creationTimestamp: NOW, labels: { app: 'web', tier: '' }, annotations: { note: 'x' }, finalizers: ['a/b'] },
  spec: {
    containers: [
      {
        name: 'app',
        image: 'nginx:1.27',
        ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443, protocol: 'TCP', name: 'tls' }],
        env: [{ name: 'A', value: '1' }, { name: 'B', valueFrom: { fieldRef: { fieldPath: 'metadata.name', apiVersion: 'v1' } } }],
        resources: {},
        volumeMounts: [{ name: 'data', mountPath: '/data' }],
        terminationMessagePath: '/dev/termination-log',
        imagePullPolicy: 'IfNotPresent',
      },
      { name: 'side', image: 'busybox', command: ['sh', '-c', 'sleep 1'], securityContext: {} },
    ],
    volumes: [{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: { name: 'cfg', defaultMode: 420 } }],
    restartPolicy: 'Always',
    dnsPolicy: 'ClusterFirst',
    securityContext: {},
    tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
    nodeSelector: {},
    priority: 0,
    enableServiceLinks: true,
  },
  status: { phase: 'Pending', qosClass: 'BestEffort', conditions: [{ type: 'PodScheduled', status: 'False' }] },
};

const deployment: Obj = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'd', namespace: 'default', generation: 1 },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'd' } },
    template: { metadata: { labels: { app: 'd' }, creationTimestamp: null }, spec: { containers: [{ name: 'c', image: 'i' }] } },
    strategy: {},
  },
  status: {},
};

const cases: Array<[string, string, Obj, string[][] | undefined]> = [
  ['a pod with status reset', 'io.k8s.api.core.v1.Pod', pod, [['status']]],
  ['a pod with nothing reset', 'io.k8s.api.core.v1.Pod', pod, []],
  ['a deployment with an empty strategy and a null timestamp', 'io.k8s.api.apps.v1.Deployment', deployment, [['status']]],
  ['a ConfigMap', 'io.k8s.api.core.v1.ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1', '': '' }, binaryData: {} }, []],
  ['a Namespace with an empty spec', 'io.k8s.api.core.v1.Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', labels: {} }, spec: {} }, [['status']]],
  [
    'a Service with ports and selector',
    'io.k8s.api.core.v1.Service',
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's', ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'x' }] },
      spec: { ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }], selector: { app: 'x' }, type: 'ClusterIP', clusterIPs: ['10.0.0.1'] },
    },
    [['status']],
  ],
];

describe('managedFields of a create', () => {
  it.each(cases)('records the same entry on the short path and the full chain: %s', (_name, definition, obj, reset) => {
    const [fast, full] = bothPaths(definition, obj, 'kubectl', reset);
    expect(fast).toEqual(full);
    expect((fast.metadata as Obj).managedFields).toBeDefined();
  });

  it('records "unknown" for a nameless manager, as the chain does', () => {
    const [fast, full] = bothPaths('io.k8s.api.core.v1.ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } }, '');
    expect(fast).toEqual(full);
    expect(((fast.metadata as Obj).managedFields as Obj[])[0].manager).toBe('unknown');
  });

  it('records nothing when the manager would own no field', () => {
    const [fast, full] = bothPaths('io.k8s.api.core.v1.ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', uid: 'u' } });
    expect(fast).toEqual(full);
    expect((fast.metadata as Obj).managedFields).toBeUndefined();
  });

  it('leaves the caller\'s object untouched', () => {
    const obj = structuredClone(pod);
    updateManagedFields({ old: undefined, next: obj, manager: 'm', definition: 'io.k8s.api.core.v1.Pod', apiVersion: 'v1', now: NOW });
    expect(obj).toEqual(pod);
  });
});
