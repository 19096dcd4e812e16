import { NAME_COLUMN } from '../../../machinery/table/table';
import { defineResource } from '../../../registry/resource-type';
import { NODE_METRICS_SOURCE, type NodeMetrics } from '../metrics.types';

/** metrics.k8s.io NodeMetrics: what metrics-server reports per node, computed from the simulated usage. */
export const nodeMetricsResource = defineResource<NodeMetrics>({
  group: 'metrics.k8s.io',
  version: 'v1beta1',
  kind: 'NodeMetrics',
  plural: 'nodes',
  singular: '',
  namespaced: false,
  verbs: ['get', 'list'],
  definition: 'io.k8s.metrics.pkg.apis.metrics.v1beta1.NodeMetrics',
  computedBy: NODE_METRICS_SOURCE,

  table: {
    columns: [
      NAME_COLUMN,
      { name: 'CPU', type: 'string', description: 'CPU usage of the node.' },
      { name: 'Memory', type: 'string', description: 'Memory usage of the node.' },
      { name: 'Window', type: 'string', description: 'How long the usage was measured over.' },
    ],
    cells: (m) => [m.metadata.name, m.usage.cpu ?? '', m.usage.memory ?? '', m.window],
  },
});
