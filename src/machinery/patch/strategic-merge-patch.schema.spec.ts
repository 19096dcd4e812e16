import { StatusError } from '../errors/status-error';
import { applyStrategicMergePatch, schemaLookupFor } from './strategic-merge-patch';

/**
 * The engine over the real schemas: the patch shapes `kubectl patch` and client-side
 * `kubectl apply` (three-way patches with $setElementOrder, $retainKeys, `$patch: delete` items and
 * null removals) send for Pods, Deployments, Services and ConfigMaps.
 */

type Json = Record<string, unknown>;

const POD = 'io.k8s.api.core.v1.Pod';
const DEPLOYMENT = 'io.k8s.api.apps.v1.Deployment';
const SERVICE = 'io.k8s.api.core.v1.Service';
const CONFIG_MAP = 'io.k8s.api.core.v1.ConfigMap';

function patchAs(definition: string, original: Json, patch: Json): Json {
  return applyStrategicMergePatch(original, patch, schemaLookupFor(definition));
}

function failureAs(definition: string, original: Json, patch: Json): StatusError {
  try {
    patchAs(definition, original, patch);
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error('the patch applied without error');
}

function container(name: string, extra: Json = {}): Json {
  return { name, image: `${name}:1`, imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', resources: {}, ...extra };
}

function pod(spec: Json, metadata: Json = {}): Json {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: 'u-1', resourceVersion: '7', ...metadata },
    spec: { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', ...spec },
  };
}

function containersOf(object: Json): Json[] {
  return (object.spec as Json).containers as Json[];
}

describe('schemaLookupFor', () => {
  const podLookup = schemaLookupFor(POD);

  it('reads patch strategies and merge keys from the schema', () => {
    expect(podLookup.patchMeta(['spec', 'containers'])).toEqual({ strategies: ['merge'], mergeKey: 'name' });
    expect(podLookup.patchMeta(['spec', 'containers', 'ports'])).toEqual({ strategies: ['merge'], mergeKey: 'containerPort' });
    expect(podLookup.patchMeta(['spec', 'containers', 'env'])).toEqual({ strategies: ['merge'], mergeKey: 'name' });
    expect(podLookup.patchMeta(['spec', 'volumes'])).toEqual({ strategies: ['merge', 'retainKeys'], mergeKey: 'name' });
    expect(podLookup.patchMeta(['metadata', 'finalizers'])).toEqual({ strategies: ['merge'], mergeKey: undefined });
    expect(podLookup.patchMeta(['metadata', 'ownerReferences'])).toEqual({ strategies: ['merge'], mergeKey: 'uid' });
    expect(podLookup.patchMeta(['spec', 'tolerations'])).toBeUndefined();
    expect(schemaLookupFor(DEPLOYMENT).patchMeta(['spec', 'strategy'])).toEqual({ strategies: ['retainKeys'], mergeKey: undefined });
    expect(schemaLookupFor(DEPLOYMENT).patchMeta(['spec', 'template', 'spec', 'containers'])).toEqual({ strategies: ['merge'], mergeKey: 'name' });
    expect(schemaLookupFor(SERVICE).patchMeta(['spec', 'ports'])).toEqual({ strategies: ['merge'], mergeKey: 'port' });
  });

  it("words lookup failures as Go's struct-tag walk does", () => {
    expect(podLookup.lookupError?.(['spec', 'containers'], 'list')).toBeUndefined();
    expect(podLookup.lookupError?.(['spec', 'nope'], 'map')).toBe('unable to find api field in struct PodSpec for the json field "nope"');
    expect(podLookup.lookupError?.(['metadata', 'labels', 'app'], 'map')).toBe('merging an object in json but data type is not struct, instead is: map');
    expect(podLookup.lookupError?.(['metadata', 'labels'], 'list')).toBe('expected slice or array type, but got: struct');
    // encoding/json matches field names case-insensitively as a fallback.
    expect(podLookup.lookupError?.(['spec', 'Containers'], 'list')).toBeUndefined();
    expect(podLookup.elementKind?.(['metadata', 'finalizers'])).toBe('string');
    expect(podLookup.elementKind?.(['spec', 'containers'])).toBe('struct');
  });

  it('rejects an unknown definition', () => {
    expect(() => schemaLookupFor('io.k8s.api.core.v1.Nope')).toThrow('unknown definition');
  });
});

describe('strategic merge patch on a Pod', () => {
  it('applies the three-way patch kubectl apply sends after editing image, env, ports and labels', () => {
    const live = pod(
      {
        containers: [
          container('app', {
            image: 'nginx:1.24',
            ports: [{ containerPort: 80, protocol: 'TCP' }],
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
          }),
          // Injected by a webhook: not in the last-applied configuration.
          container('istio-proxy'),
        ],
      },
      { labels: { app: 'web', tier: 'old' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"old":true}\n' } },
    );
    const patch = {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":true}\n' }, labels: { tier: null, version: 'v2' } },
      spec: {
        '$setElementOrder/containers': [{ name: 'app' }],
        containers: [
          {
            '$setElementOrder/env': [{ name: 'A' }, { name: 'C' }],
            '$setElementOrder/ports': [{ containerPort: 80 }, { containerPort: 443 }],
            env: [{ name: 'C', value: '3' }, { $patch: 'delete', name: 'B' }],
            image: 'nginx:1.25',
            name: 'app',
            ports: [{ containerPort: 443, protocol: 'TCP' }],
          },
        ],
      },
    };
    const result = patchAs(POD, live, patch);
    expect(result.metadata).toEqual({
      name: 'web',
      namespace: 'default',
      uid: 'u-1',
      resourceVersion: '7',
      labels: { app: 'web', version: 'v2' },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":true}\n' },
    });
    expect(containersOf(result)).toEqual([
      container('app', {
        image: 'nginx:1.25',
        ports: [
          { containerPort: 80, protocol: 'TCP' },
          { containerPort: 443, protocol: 'TCP' },
        ],
        env: [
          { name: 'A', value: '1' },
          { name: 'C', value: '3' },
        ],
      }),
      container('istio-proxy'),
    ]);
    expect((result.spec as Json).restartPolicy).toBe('Always');
  });

  it('removes and adds containers the way the apiserver orders them around a server-only one', () => {
    const live = pod({ containers: [container('app'), container('old'), container('sidecar')] });
    const patch = {
      spec: {
        '$setElementOrder/containers': [{ name: 'app' }, { name: 'new' }],
        containers: [{ name: 'new', image: 'new:1' }, { $patch: 'delete', name: 'old' }],
      },
    };
    // Go deletes in place in the slice it orders by, so the new container's slot follows the
    // server-only sidecar: the real server answers app, sidecar, new.
    expect(containersOf(patchAs(POD, live, patch)).map((c) => c.name)).toEqual(['app', 'sidecar', 'new']);
  });

  it('puts a container added by a plain kubectl patch first', () => {
    const live = pod({ containers: [container('app')] });
    const result = patchAs(POD, live, { spec: { containers: [{ name: 'debug', image: 'busybox' }] } });
    expect(containersOf(result)).toEqual([{ name: 'debug', image: 'busybox' }, container('app')]);
  });

  it('merges a container by name and an env var by name', () => {
    const live = pod({
      containers: [
        container('app', {
          env: [
            { name: 'A', value: '1' },
            { name: 'B', value: '2' },
            { name: 'C', value: '3' },
          ],
        }),
      ],
    });
    const result = patchAs(POD, live, {
      spec: { containers: [{ name: 'app', env: [{ name: 'B', $patch: 'delete' }, { name: 'C', value: null, valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] }] },
    });
    expect(containersOf(result)[0].env).toEqual([
      { name: 'A', value: '1' },
      { name: 'C', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ]);
  });

  it('switches a volume source with $retainKeys', () => {
    const live = pod({
      containers: [container('app')],
      volumes: [
        { name: 'data', emptyDir: {} },
        { name: 'cfg', configMap: { name: 'a', defaultMode: 420 } },
      ],
    });
    const patch = {
      spec: {
        '$setElementOrder/volumes': [{ name: 'data' }, { name: 'cfg' }],
        volumes: [{ $retainKeys: ['configMap', 'name'], configMap: { name: 'b' }, emptyDir: null, name: 'data' }],
      },
    };
    expect((patchAs(POD, live, patch).spec as Json).volumes).toEqual([
      { name: 'data', configMap: { name: 'b' } },
      { name: 'cfg', configMap: { name: 'a', defaultMode: 420 } },
    ]);
  });

  it('replaces tolerations, which have no merge strategy', () => {
    const live = pod({ containers: [container('app')], tolerations: [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists' }] });
    const result = patchAs(POD, live, { spec: { tolerations: [{ key: 'c', operator: 'Exists', effect: 'NoSchedule' }] } });
    expect((result.spec as Json).tolerations).toEqual([{ key: 'c', operator: 'Exists', effect: 'NoSchedule' }]);
  });

  it('edits finalizers with $deleteFromPrimitiveList and $setElementOrder', () => {
    const live = pod({ containers: [container('app')] }, { finalizers: ['a', 'b', 'c'] });
    const result = patchAs(POD, live, {
      metadata: { '$deleteFromPrimitiveList/finalizers': ['b'], '$setElementOrder/finalizers': ['a', 'c', 'd'], finalizers: ['d'] },
    });
    expect((result.metadata as Json).finalizers).toEqual(['a', 'c', 'd']);
  });

  it('puts a finalizer added by a plain patch first and never duplicates one', () => {
    const live = pod({ containers: [container('app')] }, { finalizers: ['a', 'b'] });
    expect((patchAs(POD, live, { metadata: { finalizers: ['z', 'b'] } }).metadata as Json).finalizers).toEqual(['z', 'a', 'b']);
  });

  it('merges ownerReferences by uid', () => {
    const owner = (uid: string): Json => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `rs-${uid}`, uid });
    const live = pod({ containers: [container('app')] }, { ownerReferences: [owner('u1')] });
    const result = patchAs(POD, live, { metadata: { ownerReferences: [{ ...owner('u1'), controller: true }, owner('u2')] } });
    expect((result.metadata as Json).ownerReferences).toEqual([{ ...owner('u1'), controller: true }, owner('u2')]);
  });

  it('fails on a container without its merge key, with the text kubectl prints', () => {
    const err = failureAs(POD, pod({ containers: [container('app')] }), { spec: { containers: [{ image: 'nginx:1.25' }] } });
    expect({ code: err.code, reason: err.reason, message: err.message }).toEqual({
      code: 500,
      reason: '',
      message: 'map: map[image:nginx:1.25] does not contain declared merge key: name',
    });
  });
});

describe('strategic merge patch on a Deployment', () => {
  const deployment = (spec: Json): Json => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', generation: 3 },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container('app')] } },
      ...spec,
    },
  });

  it('switches the strategy to Recreate with $retainKeys, clearing rollingUpdate', () => {
    const result = patchAs(DEPLOYMENT, deployment({}), { spec: { replicas: 3, strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } } });
    expect(result.spec).toMatchObject({ replicas: 3, strategy: { type: 'Recreate' } });
    expect((result.spec as Json).strategy).toEqual({ type: 'Recreate' });
  });

  it('clears rollingUpdate through $retainKeys alone', () => {
    const result = patchAs(DEPLOYMENT, deployment({}), { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } });
    expect((result.spec as Json).strategy).toEqual({ type: 'Recreate' });
  });

  it('rejects a patched strategy field that $retainKeys does not list', () => {
    const err = failureAs(DEPLOYMENT, deployment({}), { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: { maxSurge: 1 } } } });
    expect({ code: err.code, reason: err.reason, message: err.message }).toEqual({ code: 400, reason: 'BadRequest', message: 'invalid patch format of retainKeys' });
  });

  it('applies a kubectl apply patch to the pod template', () => {
    const live = deployment({
      template: {
        metadata: { labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/restartedAt': 'x' } },
        spec: { containers: [container('app', { ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }] }), container('metrics')] },
      },
    });
    const patch = {
      spec: {
        template: {
          metadata: { labels: { version: 'v2' } },
          spec: {
            '$setElementOrder/containers': [{ name: 'metrics' }, { name: 'app' }],
            containers: [{ '$setElementOrder/ports': [{ containerPort: 8080 }], name: 'app', ports: [{ containerPort: 8080, name: 'web' }] }],
          },
        },
      },
    };
    const template = (patchAs(DEPLOYMENT, live, patch).spec as Json).template as Json;
    expect(template.metadata).toEqual({ labels: { app: 'web', version: 'v2' }, annotations: { 'kubectl.kubernetes.io/restartedAt': 'x' } });
    expect((template.spec as Json).containers).toEqual([container('metrics'), container('app', { ports: [{ containerPort: 8080, name: 'web', protocol: 'TCP' }] })]);
  });

  it('fails when a live list item lacks the merge key (an imagePullSecrets entry of {})', () => {
    const live = deployment({ template: { metadata: {}, spec: { containers: [container('app')], imagePullSecrets: [{}] } } });
    const err = failureAs(DEPLOYMENT, live, { spec: { template: { spec: { imagePullSecrets: [{ name: 'regcred' }] } } } });
    expect({ code: err.code, message: err.message }).toEqual({ code: 500, message: 'map: map[] does not contain declared merge key: name' });
  });

  it('deletes a container with $patch: delete and keeps the others in order', () => {
    const live = deployment({ template: { metadata: {}, spec: { containers: [container('a'), container('b'), container('c')] } } });
    const result = patchAs(DEPLOYMENT, live, { spec: { template: { spec: { containers: [{ name: 'b', $patch: 'delete' }] } } } });
    expect((((result.spec as Json).template as Json).spec as Json).containers).toEqual([container('a'), container('c')]);
  });
});

describe('strategic merge patch on a Service', () => {
  const service: Json = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.96.0.12',
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
    },
  };

  it('merges ports by port number and selectors key by key', () => {
    const result = patchAs(SERVICE, service, {
      spec: {
        '$setElementOrder/ports': [{ port: 80 }, { port: 443 }],
        ports: [
          { port: 80, targetPort: 9090 },
          { name: 'https', port: 443, targetPort: 8443 },
        ],
        selector: { tier: 'front' },
      },
    });
    expect(result.spec).toEqual({
      type: 'ClusterIP',
      clusterIP: '10.96.0.12',
      selector: { app: 'web', tier: 'front' },
      ports: [
        { name: 'http', port: 80, targetPort: 9090, protocol: 'TCP' },
        { name: 'https', port: 443, targetPort: 8443 },
      ],
    });
  });

  it('fails on a port without a port number', () => {
    const err = failureAs(SERVICE, service, { spec: { ports: [{ name: 'https', targetPort: 8443 }] } });
    expect(err.message).toBe('map: map[name:https targetPort:8443] does not contain declared merge key: port');
    expect(err.code).toBe(500);
  });

  it('removes a port with $patch: delete', () => {
    const result = patchAs(SERVICE, service, { spec: { ports: [{ port: 80, $patch: 'delete' }, { name: 'dns', port: 53, protocol: 'UDP' }] } });
    expect((result.spec as Json).ports).toEqual([{ name: 'dns', port: 53, protocol: 'UDP' }]);
  });
});

describe('strategic merge patch on a ConfigMap', () => {
  const configMap: Json = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', labels: { a: '1', b: '2' } }, data: { a: 'x', b: 'y' } };

  it('merges data key by key; null removes a key and a label', () => {
    expect(patchAs(CONFIG_MAP, configMap, { data: { b: null, c: 'z' }, metadata: { labels: { a: null } } })).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', labels: { b: '2' } },
      data: { a: 'x', c: 'z' },
    });
  });

  it('replaces data with $patch: replace', () => {
    expect(patchAs(CONFIG_MAP, configMap, { data: { $patch: 'replace', only: 'this' } }).data).toEqual({ only: 'this' });
  });

  it('empties data with $patch: delete', () => {
    expect(patchAs(CONFIG_MAP, configMap, { data: { $patch: 'delete' } }).data).toEqual({});
  });

  it('drops a field whose value is null, and ignores a null for a field that is absent', () => {
    expect(patchAs(CONFIG_MAP, configMap, { data: null, binaryData: null })).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: configMap.metadata });
  });

  it('rejects an object nested in a data value, as the map lookup does', () => {
    const err = failureAs(CONFIG_MAP, { ...configMap, data: { a: { nested: 'x' } } }, { data: { a: { nested: 'y' } } });
    expect(err.message).toBe('merging an object in json but data type is not struct, instead is: map');
  });
});

describe('strategic merge patch with replace strategies and free-form fields', () => {
  it('replaces a PodDisruptionBudget selector instead of merging it', () => {
    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { minAvailable: 1, selector: { matchLabels: { a: '1', b: '2' } } } };
    const result = patchAs('io.k8s.api.policy.v1.PodDisruptionBudget', pdb, { spec: { selector: { matchLabels: { a: '3' } } } });
    expect(result.spec).toEqual({ minAvailable: 1, selector: { matchLabels: { a: '3' } } });
  });

  it('cannot merge into an object inside a RawExtension field', () => {
    const revision = { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'r' }, revision: 1, data: { spec: { a: 1 } } };
    const err = failureAs('io.k8s.api.apps.v1.ControllerRevision', revision, { data: { spec: { b: 2 } } });
    expect(err.message).toBe('unable to find api field in struct RawExtension for the json field "spec"');
    // Scalars at the top of the RawExtension merge without a lookup.
    expect(patchAs('io.k8s.api.apps.v1.ControllerRevision', revision, { data: { note: 'x' } }).data).toEqual({ spec: { a: 1 }, note: 'x' });
  });
});
