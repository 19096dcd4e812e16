/**
 * The resource metrics API (metrics.k8s.io/v1beta1, served by metrics-server on a real cluster) is
 * not in the core OpenAPI reference, so its few types are written out here, after the Go types of
 * k8s.io/metrics: NodeMetrics and PodMetrics with their lists.
 */
import type { JsonValue } from './schema-defaults';

const PREFIX = 'io.k8s.metrics.pkg.apis.metrics.v1beta1';
const META = '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1';
const QUANTITY = { $ref: '#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity' };

const typeMeta = {
  apiVersion: { description: 'The versioned schema of this object, e.g. v1 or apps/v1.', type: 'string' },
  kind: { description: 'The type of this object, in CamelCase, e.g. Pod.', type: 'string' },
};

const gvk = (kind: string) => [{ group: 'metrics.k8s.io', kind, version: 'v1beta1' }];

const measured = {
  timestamp: { $ref: `${META}.Time`, description: 'The end of the window the usage was measured over.' },
  window: { type: 'string', description: 'How long the usage was measured over (a Go duration).' },
};

const list = (item: string) => ({
  properties: { ...typeMeta, items: { items: { $ref: `#/definitions/${PREFIX}.${item}` }, type: 'array' }, metadata: { $ref: `${META}.ListMeta` } },
  required: ['items'],
  type: 'object',
  'x-kubernetes-group-version-kind': gvk(`${item}List`),
});

export const METRICS_DEFINITIONS: Record<string, JsonValue> = {
  [`${PREFIX}.ContainerMetrics`]: {
    properties: { name: { type: 'string', description: 'The container name.' }, usage: { additionalProperties: QUANTITY, type: 'object', description: 'Resource usage: cpu and memory.' } },
    required: ['name', 'usage'],
    type: 'object',
  },
  [`${PREFIX}.NodeMetrics`]: {
    properties: { ...typeMeta, metadata: { $ref: `${META}.ObjectMeta` }, ...measured, usage: { additionalProperties: QUANTITY, type: 'object', description: 'Resource usage: cpu and memory.' } },
    required: ['timestamp', 'window', 'usage'],
    type: 'object',
    'x-kubernetes-group-version-kind': gvk('NodeMetrics'),
  },
  [`${PREFIX}.NodeMetricsList`]: list('NodeMetrics'),
  [`${PREFIX}.PodMetrics`]: {
    properties: { ...typeMeta, metadata: { $ref: `${META}.ObjectMeta` }, ...measured, containers: { items: { $ref: `#/definitions/${PREFIX}.ContainerMetrics` }, type: 'array' } },
    required: ['timestamp', 'window', 'containers'],
    type: 'object',
    'x-kubernetes-group-version-kind': gvk('PodMetrics'),
  },
  [`${PREFIX}.PodMetricsList`]: list('PodMetrics'),
};
