import { StatusError } from '../machinery/errors/status-error';

export interface MediaType {
  type: string;
  params: Record<string, string>;
}

/** Splits an Accept / Content-Type header into media types with their parameters. */
export function parseMediaTypes(header: string | undefined): MediaType[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part) => {
      const [type, ...params] = part.split(';').map((s) => s.trim());
      const record: Record<string, string> = {};
      for (const p of params) {
        const eq = p.indexOf('=');
        if (eq > 0) record[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"|"$/g, '');
      }
      return { type: type.toLowerCase(), params: record };
    })
    .filter((m) => m.type.length > 0);
}

export type OutputShape = 'object' | 'Table' | 'PartialObjectMetadata' | 'PartialObjectMetadataList';

export interface Output {
  encoding: 'json' | 'yaml' | 'protobuf';
  shape: OutputShape;
  /** meta.k8s.io version the client asked the Table/PartialObjectMetadata in. */
  metaVersion: 'v1' | 'v1beta1';
}

const JSON_TYPES = new Set(['application/json', 'application/*', '*/*', 'application/json;stream=watch']);

const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** Whether a client prefers protobuf (its first acceptable type), e.g. for error bodies. */
export function prefersProtobuf(accept: string | undefined): boolean {
  const first = parseMediaTypes(accept).find((m) => m.type === PROTOBUF || JSON_TYPES.has(m.type) || m.type === 'application/yaml');
  return first?.type === PROTOBUF;
}

/**
 * Picks the response form from the Accept header, in the client's order: Tables and partial
 * metadata via `as=` (JSON only), JSON, YAML or Kubernetes protobuf otherwise.
 */
export function negotiateOutput(accept: string | undefined, list: boolean): Output {
  const types = parseMediaTypes(accept);
  if (types.length === 0) return { encoding: 'json', shape: 'object', metaVersion: 'v1' };
  for (const m of types) {
    if (m.type === PROTOBUF && m.params.as === undefined) return { encoding: 'protobuf', shape: 'object', metaVersion: 'v1' };
    const encoding = m.type === 'application/yaml' ? 'yaml' : JSON_TYPES.has(m.type) ? 'json' : undefined;
    if (!encoding) continue;
    const as = m.params.as;
    if (as === undefined) return { encoding, shape: 'object', metaVersion: 'v1' };
    if (m.params.g !== 'meta.k8s.io' || (m.params.v !== 'v1' && m.params.v !== 'v1beta1')) continue;
    const metaVersion = m.params.v;
    if (as === 'Table') return { encoding, shape: 'Table', metaVersion };
    if (as === 'PartialObjectMetadata' && !list) return { encoding, shape: 'PartialObjectMetadata', metaVersion };
    if (as === 'PartialObjectMetadataList' && list) return { encoding, shape: 'PartialObjectMetadataList', metaVersion };
  }
  throw StatusError.notAcceptable();
}

export type BodyFormat = 'json' | 'yaml' | 'protobuf' | 'json-patch' | 'merge-patch' | 'strategic-merge-patch' | 'apply-patch';

const BODY_FORMATS: Record<string, BodyFormat> = {
  'application/json': 'json',
  'application/yaml': 'yaml',
  [PROTOBUF]: 'protobuf',
  'application/json-patch+json': 'json-patch',
  'application/merge-patch+json': 'merge-patch',
  'application/strategic-merge-patch+json': 'strategic-merge-patch',
  'application/apply-patch+yaml': 'apply-patch',
};

export function bodyFormat(contentType: string | undefined): BodyFormat | undefined {
  const [media] = parseMediaTypes(contentType);
  return media ? BODY_FORMATS[media.type] : undefined;
}
