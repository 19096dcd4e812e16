import { Schemas } from '../schema/schemas';
import type { SchemaNode } from '../schema/schema-node';
import { FieldSet, keyElement, makePath, pathString } from './fieldpath';
import { fieldSetOf, toFieldsV1 } from './index';
import { compare, ensureNamedFieldsAreMembers, formatValidationErrors, merge, removeItems, validate } from './typed';

const POD = 'io.k8s.api.core.v1.Pod';
const DEPLOYMENT = 'io.k8s.api.apps.v1.Deployment';
const CONFIG_MAP = 'io.k8s.api.core.v1.ConfigMap';
const SERVICE = 'io.k8s.api.core.v1.Service';

function node(definition: string): SchemaNode {
  const found = Schemas.shared().definitionOf(definition);
  if (!found) throw new Error(definition);
  return found;
}

const paths = (set: FieldSet): string[] => set.paths().map(pathString);

describe('field sets', () => {
  it('a ConfigMap: map entries are members, the struct fields holding them are not', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', labels: { app: 'web' } }, data: { 'a.conf': 'x', b: '' }, binaryData: {} };
    expect(toFieldsV1(fieldSetOf(cm, CONFIG_MAP))).toEqual({
      'f:apiVersion': {},
      'f:binaryData': {},
      'f:data': { 'f:a.conf': {}, 'f:b': {} },
      'f:kind': {},
      'f:metadata': { 'f:labels': { 'f:app': {} }, 'f:name': {} },
    });
  });

  it('a Pod: containers by name, ports by containerPort+protocol (protocol from its schema default), finalizers by value, args and nodeSelector atomic', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', finalizers: ['example.com/keep'] },
      spec: {
        containers: [{ name: 'app', image: 'nginx:1.25', args: ['-g', 'daemon off;'], ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }] }],
        nodeSelector: { disk: 'ssd' },
      },
    };
    expect(toFieldsV1(fieldSetOf(pod, POD))).toEqual({
      'f:apiVersion': {},
      'f:kind': {},
      'f:metadata': { 'f:finalizers': { 'v:"example.com/keep"': {} }, 'f:name': {} },
      'f:spec': {
        'f:containers': {
          'k:{"name":"app"}': {
            '.': {},
            'f:args': {},
            'f:image': {},
            'f:name': {},
            'f:ports': {
              'k:{"containerPort":53,"protocol":"UDP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} },
              'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} },
            },
          },
        },
        'f:nodeSelector': {},
      },
    });
  });

  it('a Deployment: atomic selector, granular template labels', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
      },
    };
    expect(toFieldsV1(fieldSetOf(deployment, DEPLOYMENT))).toEqual({
      'f:apiVersion': {},
      'f:kind': {},
      'f:metadata': { 'f:name': {} },
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:template': {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
        },
      },
    });
  });

  it('duplicated keys own the item as a whole', () => {
    const svc = { spec: { ports: [{ port: 80, name: 'a' }, { port: 80, name: 'b' }, { port: 443 }] } };
    expect(toFieldsV1(fieldSetOf(svc, SERVICE))).toEqual({
      'f:spec': {
        'f:ports': {
          'k:{"port":443,"protocol":"TCP"}': { '.': {}, 'f:port': {} },
          'k:{"port":80,"protocol":"TCP"}': {},
        },
      },
    });
  });

  it('named fields become members on request (EnsureNamedFieldsAreMembers), map keys do not', () => {
    const set = fieldSetOf({ metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } }, POD);
    const ensured = ensureNamedFieldsAreMembers(set, node(POD));
    expect(ensured.has(makePath('metadata'))).toBe(true);
    expect(ensured.has(makePath('metadata', 'labels'))).toBe(true);
    expect(ensured.has(makePath('spec', 'containers'))).toBe(true);
    expect(ensured.has(makePath('spec', 'containers', keyElement({ name: 'c' }), 'image'))).toBe(true);
  });
});

describe('merge', () => {
  it('merges containers by name and ports by key, keeping live order and live-only items', () => {
    const live = {
      spec: {
        containers: [
          { name: 'app', image: 'app:1', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 9090, protocol: 'TCP' }] },
          { name: 'sidecar', image: 'proxy:1' },
        ],
      },
    };
    const config = { spec: { containers: [{ name: 'app', image: 'app:2', ports: [{ containerPort: 80 }, { containerPort: 8443 }] }] } };
    expect(merge(live, config, node(POD))).toEqual({
      spec: {
        containers: [
          {
            name: 'app',
            image: 'app:2',
            ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 9090, protocol: 'TCP' }, { containerPort: 8443 }],
          },
          { name: 'sidecar', image: 'proxy:1' },
        ],
      },
    });
  });

  it('places applied set items after the shared items they follow (SMD set ordering)', () => {
    const live = { metadata: { finalizers: ['a', 'b', 'c', 'd'] } };
    const config = { metadata: { finalizers: ['a', 'aprime', 'c', 'cprime'] } };
    expect(merge(live, config, node(CONFIG_MAP))).toEqual({ metadata: { finalizers: ['a', 'b', 'aprime', 'c', 'd', 'cprime'] } });
  });

  it('replaces atomic lists and atomic maps whole', () => {
    const live = { spec: { containers: [{ name: 'a', args: ['x', 'y'] }], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'k', operator: 'Exists' }] }] } } } } };
    const config = { spec: { containers: [{ name: 'a', args: ['z'] }] } };
    expect(merge(live, config, node(POD))).toEqual({ spec: { containers: [{ name: 'a', args: ['z'] }], affinity: live.spec.affinity } });
    const selectorLive = { spec: { selector: { matchLabels: { a: '1', b: '2' } } } };
    expect(merge(selectorLive, { spec: { selector: { matchLabels: { c: '3' } } } }, node(DEPLOYMENT))).toEqual({ spec: { selector: { matchLabels: { c: '3' } } } });
  });
});

describe('compare', () => {
  it('reports leaves as added/modified/removed and whole new subtrees as added', () => {
    const before = { data: { a: '1', b: '2' } };
    const after = { data: { a: '1', b: '3', c: '4' }, metadata: { labels: { x: 'y' } } };
    const cmp = compare(before, after, node(CONFIG_MAP));
    expect(paths(cmp.modified)).toEqual(['.data.b']);
    expect(paths(cmp.added)).toEqual(['.metadata', '.data.c', '.metadata.labels', '.metadata.labels.x']);
    expect(paths(compare(after, before, node(CONFIG_MAP)).removed)).toEqual(['.metadata', '.data.c', '.metadata.labels', '.metadata.labels.x']);
  });
});

describe('removeItems', () => {
  it('removes members with their subtree and keys of lists', () => {
    const pod = { metadata: { labels: { a: '1', b: '2' } }, spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] } };
    const toRemove = FieldSet.of(makePath('metadata', 'labels', 'a'), makePath('spec', 'containers', keyElement({ name: 'b' })));
    expect(removeItems(pod, toRemove, node(POD))).toEqual({ metadata: { labels: { b: '2' } }, spec: { containers: [{ name: 'a', image: 'x' }] } });
  });
});

describe('validate', () => {
  it('reports what SMD reports for applied configurations', () => {
    expect(formatValidationErrors(validate({ data: { a: 1 } }, node(CONFIG_MAP), false))).toBe('.data.a: expected string, got 1');
    expect(formatValidationErrors(validate({ datax: {} }, node(CONFIG_MAP), false))).toBe('.datax: field not declared in schema');
    const dup = { spec: { containers: [{ name: 'a' }, { name: 'a' }] } };
    expect(formatValidationErrors(validate(dup, node(POD), false))).toBe('.spec.containers: duplicate entries for key [name="a"]');
    expect(validate(dup, node(POD), true)).toEqual([]);
    expect(formatValidationErrors(validate({ spec: { containers: [{ image: 'x' }] } }, node(POD), false))).toBe(
      `.spec.containers: element 0: associative list with keys has an element that omits all key fields ["name"] (and doesn't have default values for any key fields)`,
    );
    expect(formatValidationErrors(validate({ data: { a: 1 }, binaryData: { b: true } }, node(CONFIG_MAP), false))).toBe(
      'errors:\n  .data.a: expected string, got 1\n  .binaryData.b: expected string, got true',
    );
  });
});
