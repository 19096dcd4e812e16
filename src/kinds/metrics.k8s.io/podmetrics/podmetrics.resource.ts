import { NAME_COLUMN } from '../../../machinery/table/table';
import { parseQuantity } from '../../../machinery/quantity/quantity';
import { defineResource } from '../../../registry/resource-type';
import { POD_METRICS_SOURCE, type PodMetrics } from '../metrics.types';

/** The sum of a resource over the containers, as a number of base units (cores, bytes). */
function total(m: PodMetrics, resource: string): number {
  let sum = 0;
  for (const c of m.containers) {
    const q = parseQuantity(c.usage[resource]);
    if (q) sum += Number(q.numerator) / 10 ** q.scale;
  }
  return sum;
}

/** metrics.k8s.io PodMetrics: what metrics-server reports per pod, computed from the simulated usage. */
export const podMetricsResource = defineResource<PodMetrics>({
  group: 'metrics.k8s.io',
  version: 'v1beta1',
  kind: 'PodMetrics',
  plural: 'pods',
  singular: '',
  namespaced: true,
  verbs: ['get', 'list'],
  definition: 'io.k8s.metrics.pkg.apis.metrics.v1beta1.PodMetrics',
  computedBy: POD_METRICS_SOURCE,

  table: {
    columns: [
      NAME_COLUMN,
      { name: 'CPU', type: 'string', description: 'CPU usage of the pod, summed over its containers.' },
      { name: 'Memory', type: 'string', description: 'Memory usage of the pod, summed over its containers.' },
      { name: 'Window', type: 'string', description: 'How long the usage was measured over.' },
    ],
    cells: (m) => [m.metadata.name, `${Math.round(total(m, 'cpu') * 1000)}m`, `${Math.round(total(m, 'memory') / 1024)}Ki`, m.window],
  },
});
