import { AGE_COLUMN, ageCell, NAME_COLUMN, NONE } from '../../../machinery/table/table';
import { defineResource } from '../../../registry/resource-type';
import type { Endpoints } from './endpoints.types';
import { validateEndpoints } from './endpoints.validation';

export type { Endpoints } from './endpoints.types';

/** printers' formatEndpoints: ready `ip:port` pairs, the first three and a count of the rest. */
function formatEndpoints(endpoints: Endpoints): string {
  const shown: string[] = [];
  let count = 0;
  for (const subset of endpoints.subsets ?? []) {
    const ports = subset.ports?.length ? subset.ports : [undefined];
    for (const port of ports) {
      for (const address of subset.addresses ?? []) {
        count++;
        if (shown.length < 3) shown.push(port ? `${address.ip}:${port.port}` : (address.ip ?? ''));
      }
    }
  }
  if (count === 0) return NONE;
  return count > shown.length ? `${shown.join(',')} + ${count - shown.length} more...` : shown.join(',');
}

/** core/v1 Endpoints: kept by the endpoints reconciler for Services with a selector, by users otherwise. */
export const endpointsResource = defineResource<Endpoints>({
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  plural: 'endpoints',
  singular: 'endpoints',
  namespaced: true,
  shortNames: ['ep'],
  definition: 'io.k8s.api.core.v1.Endpoints',
  deprecationWarning: 'v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice',

  validate: validateEndpoints,
  validateUpdate: validateEndpoints,

  table: {
    columns: [NAME_COLUMN, { name: 'Endpoints', type: 'string', description: 'The ready addresses with their ports.' }, AGE_COLUMN],
    cells: (endpoints, now) => [endpoints.metadata.name, formatEndpoints(endpoints), ageCell(endpoints.metadata.creationTimestamp, now)],
  },
});
