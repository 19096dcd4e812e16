/**
 * Resource names and quantities as pkg/apis/core/helper and validation judge them: which names are
 * standard, which must be whole numbers, what a container may request.
 */
import { FieldError } from '../errors/status-error';
import { goStringer, IS_NEGATIVE } from './common';
import { qualifiedNameErrors } from './names';
import { formatQuantity, isWholeNumber, parseQuantity, QUANTITY_FORMAT_ERROR, type Quantity } from '../quantity/quantity';

const HUGEPAGES_PREFIX = 'hugepages-';
const REQUESTS_PREFIX = 'requests.';
const DEFAULT_NAMESPACE_PREFIX = 'kubernetes.io/';

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const STANDARD_RESOURCES = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'storage',
  'requests.storage',
  'services.nodeports',
  'services.loadbalancers',
]);
const INTEGER_RESOURCES = new Set([
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
]);

export function isHugePageResourceName(name: string): boolean {
  return name.startsWith(HUGEPAGES_PREFIX);
}

/** Native resources have no domain or the kubernetes.io domain. */
export function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes(DEFAULT_NAMESPACE_PREFIX);
}

export function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith(REQUESTS_PREFIX)) return false;
  return qualifiedNameErrors(`${REQUESTS_PREFIX}${name}`).length === 0;
}

/** Requests may be below limits only for native, non-hugepage resources. */
export function isOvercommitAllowed(name: string): boolean {
  return isNativeResource(name) && !isHugePageResourceName(name);
}

export function isIntegerResourceName(name: string): boolean {
  return INTEGER_RESOURCES.has(name) || isExtendedResourceName(name);
}

export function isStandardResourceName(name: string): boolean {
  return isHugePageResourceName(name) || STANDARD_RESOURCES.has(name);
}

export function isStandardContainerResourceName(name: string): boolean {
  return STANDARD_CONTAINER_RESOURCES.has(name) || isHugePageResourceName(name);
}

/** validateResourceName. */
export function resourceNameErrors(name: string, path: string): FieldError[] {
  const errors = qualifiedNameErrors(name).map((m) => FieldError.invalid(path, name, m));
  if (errors.length) return errors;
  if (!name.includes('/') && !isStandardResourceName(name)) {
    errors.push(FieldError.invalid(path, name, 'must be a standard resource type or fully qualified'));
  }
  return errors;
}

/** validateContainerResourceName. */
export function containerResourceNameErrors(name: string, path: string): FieldError[] {
  const errors = resourceNameErrors(name, path);
  if (!name.includes('/')) {
    if (!isStandardContainerResourceName(name)) errors.push(FieldError.invalid(path, name, 'must be a standard resource for containers'));
  } else if (!isNativeResource(name) && !isExtendedResourceName(name)) {
    errors.push(FieldError.invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errors;
}

/**
 * A quantity that could be parsed, or the FieldError for one that could not (normally the decoder
 * rejects those first with a 400, as the real server does).
 */
export function quantityAt(value: unknown, path: string): Quantity | FieldError {
  return parseQuantity(value) ?? FieldError.invalid(path, value ?? null, QUANTITY_FORMAT_ERROR);
}

/** ValidateResourceQuantityValue. */
export function resourceQuantityErrors(name: string, q: Quantity, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (q.negative) errors.push(FieldError.invalid(path, formatQuantity(q), IS_NEGATIVE));
  if (isIntegerResourceName(name) && !isWholeNumber(q)) errors.push(FieldError.invalid(path, goStringer(formatQuantity(q)), 'must be an integer'));
  return errors;
}

/** The page size a hugepages-<size> resource name encodes. */
export function hugePageSize(name: string): Quantity | undefined {
  return isHugePageResourceName(name) ? parseQuantity(name.slice(HUGEPAGES_PREFIX.length)) : undefined;
}
