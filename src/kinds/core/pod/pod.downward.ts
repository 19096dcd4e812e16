/** Downward API references (fieldRef, resourceFieldRef) as validateObjectFieldSelector and friends check them. */
import { invalid, notSupported, required, type Finding } from '../../../machinery/validation/class-validation';
import { qualifiedNameErrors } from '../../../machinery/validation/names';
import { formatQuantity, parseQuantity } from '../../../machinery/quantity/quantity';

export const ENV_FIELD_PATHS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];
export const VOLUME_FIELD_PATHS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];

/** Labels ConvertDownwardAPIFieldLabel knows for v1 pods. */
const CONVERTIBLE = new Set([
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.serviceAccountName',
  'spec.schedulerName',
  'status.phase',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
]);

/** fieldpath.SplitMaybeSubscriptedPath: "metadata.labels['app']" → ["metadata.labels", "app"]. */
export function splitSubscript(fieldPath: string): [string, string] | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const inner = fieldPath.slice(0, -2);
  const at = inner.indexOf("['");
  if (at <= 0) return undefined;
  return [inner.slice(0, at), inner.slice(at + 2)];
}

function convertError(apiVersion: string, fieldPath: string): string | undefined {
  if (apiVersion !== 'v1') return `unsupported pod version: ${apiVersion}`;
  const sub = splitSubscript(fieldPath);
  if (sub) return sub[0] === 'metadata.annotations' || sub[0] === 'metadata.labels' ? undefined : `field label does not support subscript: ${fieldPath}`;
  return CONVERTIBLE.has(fieldPath) || fieldPath === 'spec.host' ? undefined : `field label not supported: ${fieldPath}`;
}

/** validateObjectFieldSelector, findings relative to the selector (`at` is where it sits). */
export function objectFieldSelectorFindings(fs: Record<string, unknown>, allowed: readonly string[], at: string): Finding[] {
  const apiVersion = typeof fs.apiVersion === 'string' ? fs.apiVersion : '';
  const fieldPath = typeof fs.fieldPath === 'string' ? fs.fieldPath : '';
  if (!apiVersion) return [required('', `${at}.apiVersion`)];
  if (!fieldPath) return [required('', `${at}.fieldPath`)];
  const problem = convertError(apiVersion, fieldPath);
  if (problem) return [invalid(fieldPath, `error converting fieldPath: ${problem}`, `${at}.fieldPath`)];
  const internal = fieldPath === 'spec.host' ? 'spec.nodeName' : fieldPath;
  const sub = splitSubscript(internal);
  if (sub) {
    const key = sub[0] === 'metadata.annotations' ? sub[1].toLowerCase() : sub[1];
    return qualifiedNameErrors(key).map((m) => invalid(key, m, at));
  }
  return allowed.includes(internal) ? [] : [notSupported(internal, allowed, `${at}.fieldPath`)];
}

const RESOURCE_FIELD_PATHS = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];
const HUGEPAGES_PREFIXES = ['requests.hugepages-', 'limits.hugepages-'];
const MEMORY_DIVISORS = ['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei'];

function divisorFinding(resource: string, divisor: unknown, at: string): Finding | undefined {
  const q = parseQuantity(divisor);
  if (divisor === undefined || divisor === null || !q || q.numerator === 0n) return undefined;
  const text = formatQuantity(q);
  const where = `${at}.divisor`;
  if (resource === 'limits.cpu' || resource === 'requests.cpu') {
    return ['1m', '1'].includes(text) ? undefined : invalid(resource, "only divisor's values 1m and 1 are supported with the cpu resource", where);
  }
  const list = MEMORY_DIVISORS.join(', ');
  if (resource === 'limits.memory' || resource === 'requests.memory') {
    return MEMORY_DIVISORS.includes(text) ? undefined : invalid(resource, `only divisor's values ${list} are supported with the memory resource`, where);
  }
  if (resource === 'limits.ephemeral-storage' || resource === 'requests.ephemeral-storage') {
    return MEMORY_DIVISORS.includes(text) ? undefined : invalid(resource, `only divisor's values ${list} are supported with the local ephemeral storage resource`, where);
  }
  if (HUGEPAGES_PREFIXES.some((p) => resource.startsWith(p)) && !MEMORY_DIVISORS.includes(text)) {
    return invalid(resource, `only divisor's values ${list} are supported with the hugepages resource`, where);
  }
  return undefined;
}

/** validateContainerResourceFieldSelector; volumes must also name the container. */
export function resourceFieldSelectorFindings(fs: Record<string, unknown>, volume: boolean, at: string): Finding[] {
  const found: Finding[] = [];
  const resource = typeof fs.resource === 'string' ? fs.resource : '';
  if (volume && !fs.containerName) found.push(required('', `${at}.containerName`));
  else if (!resource) found.push(required('', `${at}.resource`));
  else if (!RESOURCE_FIELD_PATHS.includes(resource) && !HUGEPAGES_PREFIXES.some((p) => resource.startsWith(p))) {
    found.push(notSupported(resource, RESOURCE_FIELD_PATHS, `${at}.resource`));
  }
  const divisor = divisorFinding(resource, fs.divisor, at);
  if (divisor) found.push(divisor);
  return found;
}
