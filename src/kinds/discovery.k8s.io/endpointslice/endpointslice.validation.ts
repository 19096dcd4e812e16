/** ValidateEndpointSlice / ValidateEndpointSliceUpdate of pkg/apis/discovery/validation. */
import { FieldError } from '../../../machinery/errors/status-error';
import { dns1123LabelErrors, dns1123SubdomainErrors, qualifiedNameErrors } from '../../../machinery/validation/names';
import type { EndpointSlice } from './endpointslice.types';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MAX_ENDPOINTS = 1000;
const MAX_PORTS = 100;
const MAX_ADDRESSES = 100;

function addressErrors(type: string | undefined, address: string): string[] {
  switch (type) {
    case 'IPv4': {
      const parts = address.split('.');
      return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255) ? [] : ['must be a valid IPv4 address'];
    }
    case 'IPv6':
      return address.includes(':') && /^[0-9a-fA-F:.]+$/.test(address) ? [] : ['must be a valid IPv6 address'];
    case 'FQDN':
      return dns1123SubdomainErrors(address);
    default:
      return [];
  }
}

export function validateEndpointSlice(slice: EndpointSlice): FieldError[] {
  const errors: FieldError[] = [];
  const type = slice.addressType;
  if (!type) errors.push(FieldError.required('addressType'));
  else if (!ADDRESS_TYPES.includes(type)) errors.push(FieldError.notSupported('addressType', type, ADDRESS_TYPES));
  const endpoints = slice.endpoints ?? [];
  if (endpoints.length > MAX_ENDPOINTS) errors.push(FieldError.tooMany('endpoints', endpoints.length, MAX_ENDPOINTS));
  endpoints.forEach((endpoint, i) => {
    const at = `endpoints[${i}]`;
    const addresses = endpoint.addresses ?? [];
    if (addresses.length === 0) errors.push(FieldError.required(`${at}.addresses`, 'must contain at least 1 address'));
    else if (addresses.length > MAX_ADDRESSES) errors.push(FieldError.tooMany(`${at}.addresses`, addresses.length, MAX_ADDRESSES));
    addresses.forEach((address, j) => {
      for (const m of addressErrors(type, address)) errors.push(FieldError.invalid(`${at}.addresses[${j}]`, address, m));
    });
    if (endpoint.hostname) for (const m of dns1123LabelErrors(endpoint.hostname)) errors.push(FieldError.invalid(`${at}.hostname`, endpoint.hostname, m));
    if (endpoint.nodeName) for (const m of dns1123SubdomainErrors(endpoint.nodeName)) errors.push(FieldError.invalid(`${at}.nodeName`, endpoint.nodeName, m));
  });
  const ports = slice.ports ?? [];
  if (ports.length > MAX_PORTS) errors.push(FieldError.tooMany('ports', ports.length, MAX_PORTS));
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const at = `ports[${i}]`;
    const name = port.name ?? '';
    if (name) for (const m of dns1123LabelErrors(name)) errors.push(FieldError.invalid(`${at}.name`, name, m));
    if (names.has(name)) errors.push(FieldError.duplicate(`${at}.name`, name));
    names.add(name);
    if (!port.protocol) errors.push(FieldError.required(`${at}.protocol`));
    else if (!PROTOCOLS.includes(port.protocol)) errors.push(FieldError.notSupported(`${at}.protocol`, port.protocol, PROTOCOLS));
    if (port.port !== undefined && (port.port < 1 || port.port > 65535)) errors.push(FieldError.invalid(`${at}.port`, port.port, 'must be between 1 and 65535, inclusive'));
    if (port.appProtocol) for (const m of qualifiedNameErrors(port.appProtocol)) errors.push(FieldError.invalid(`${at}.appProtocol`, port.appProtocol, m));
  });
  return errors;
}

export function validateEndpointSliceUpdate(slice: EndpointSlice, old: EndpointSlice): FieldError[] {
  const errors = validateEndpointSlice(slice);
  if (slice.addressType !== old.addressType) errors.push(FieldError.invalid('addressType', slice.addressType, 'field is immutable'));
  return errors;
}
