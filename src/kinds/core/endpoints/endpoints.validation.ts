/** ValidateEndpoints of pkg/apis/core/validation: addresses, ports and their names. */
import { FieldError } from '../../../machinery/errors/status-error';
import { dns1123LabelErrors, qualifiedNameErrors } from '../../../machinery/validation/names';
import type { Endpoints } from './endpoints.types';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function isIPv4(ip: string): boolean {
  const parts = ip.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

function isIPv6(ip: string): boolean {
  return ip.includes(':') && /^[0-9a-fA-F:.]+$/.test(ip);
}

export function validateEndpoints(endpoints: Endpoints): FieldError[] {
  const errors: FieldError[] = [];
  (endpoints.subsets ?? []).forEach((subset, i) => {
    const path = `subsets[${i}]`;
    if (!subset.addresses?.length && !subset.notReadyAddresses?.length) {
      errors.push(FieldError.required(path, 'must specify `addresses` or `notReadyAddresses`'));
    }
    for (const [list, field] of [
      [subset.addresses, 'addresses'],
      [subset.notReadyAddresses, 'notReadyAddresses'],
    ] as const) {
      (list ?? []).forEach((address, j) => {
        const at = `${path}.${field}[${j}]`;
        const ip = address.ip ?? '';
        if (!ip) errors.push(FieldError.required(`${at}.ip`));
        else if (!isIPv4(ip) && !isIPv6(ip)) errors.push(FieldError.invalid(`${at}.ip`, ip, 'must be a valid IP address'));
        if (address.hostname) for (const m of dns1123LabelErrors(address.hostname)) errors.push(FieldError.invalid(`${at}.hostname`, address.hostname, m));
      });
    }
    const ports = subset.ports ?? [];
    ports.forEach((port, j) => {
      const at = `${path}.ports[${j}]`;
      if (ports.length > 1 || port.name) {
        if (ports.length > 1 && !port.name) errors.push(FieldError.required(`${at}.name`));
        else if (port.name) for (const m of dns1123LabelErrors(port.name)) errors.push(FieldError.invalid(`${at}.name`, port.name, m));
      }
      const number = port.port ?? 0;
      if (number < 1 || number > 65535) errors.push(FieldError.invalid(`${at}.port`, number, 'must be between 1 and 65535, inclusive'));
      if (!port.protocol) errors.push(FieldError.required(`${at}.protocol`));
      else if (!PROTOCOLS.includes(port.protocol)) errors.push(FieldError.notSupported(`${at}.protocol`, port.protocol, PROTOCOLS));
      if (port.appProtocol) for (const m of qualifiedNameErrors(port.appProtocol)) errors.push(FieldError.invalid(`${at}.appProtocol`, port.appProtocol, m));
    });
  });
  return errors;
}
