import { AGE_COLUMN, ageCell, NAME_COLUMN } from '../../../machinery/table/table';
import { defineResource } from '../../../registry/resource-type';
import type { EndpointSlice } from './endpointslice.types';
import { validateEndpointSlice, validateEndpointSliceUpdate } from './endpointslice.validation';

export type { EndpointSlice } from './endpointslice.types';

const UNSET = '<unset>';
const SHOWN = 3;

/** listWithMoreString: the first three, then how many more; "<unset>" for none. */
function listWithMore(items: string[]): string {
  if (items.length === 0) return UNSET;
  const shown = items.slice(0, SHOWN).join(',');
  return items.length > SHOWN ? `${shown} + ${items.length - SHOWN} more...` : shown;
}

/** discovery.k8s.io/v1 EndpointSlice: kept by the EndpointSlice reconciler for Services with a selector. */
export const endpointSliceResource = defineResource<EndpointSlice>({
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  plural: 'endpointslices',
  singular: 'endpointslice',
  namespaced: true,
  definition: 'io.k8s.api.discovery.v1.EndpointSlice',

  validate: validateEndpointSlice,
  validateUpdate: validateEndpointSliceUpdate,

  table: {
    columns: [
      NAME_COLUMN,
      { name: 'AddressType', type: 'string', description: 'The type of the addresses: IPv4, IPv6 or FQDN.' },
      { name: 'Ports', type: 'string', description: 'The ports of the endpoints.' },
      { name: 'Endpoints', type: 'string', description: 'The addresses of the endpoints.' },
      AGE_COLUMN,
    ],
    cells: (slice, now) => [
      slice.metadata.name,
      slice.addressType ?? '',
      listWithMore((slice.ports ?? []).map((p) => (p.port !== undefined ? String(p.port) : (p.name ?? '*')))),
      listWithMore((slice.endpoints ?? []).flatMap((e) => e.addresses ?? [])),
      ageCell(slice.metadata.creationTimestamp, now),
    ],
  },
});
