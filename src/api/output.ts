import { stringify as toYaml } from 'yaml';
import { canEncode, encodeProtobufObject, PROTOBUF_MEDIA_TYPE } from '../machinery/protobuf';
import type { KubeObject } from '../machinery/meta/types';
import type { GenericStore } from '../registry/generic-store';
import { defaultTable } from '../machinery/table/table';
import type { Clock } from '../simulation/clock';
import { CachedObject } from '../storage/watch-cache';
import type { Output } from './negotiation';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface Rendering {
  output: Output;
  pretty: boolean;
  includeObject: IncludeObject;
}

export interface RenderedBody {
  contentType: string;
  body: string | Buffer;
}

const JSON_BYTES = new WeakMap<CachedObject, Buffer>();
const PROTOBUF_BYTES = new WeakMap<CachedObject, Buffer>();

function cachedBytes(cache: WeakMap<CachedObject, Buffer>, entry: CachedObject, make: () => Buffer): Buffer {
  let bytes = cache.get(entry);
  if (!bytes) cache.set(entry, (bytes = make()));
  return bytes;
}

/** The real default table convertor's columns, for kinds that declare no table. */
const DEFAULT_TABLE = defaultTable();

/**
 * Serialises a value in the negotiated encoding; JSON is compact and newline-terminated as Go writes
 * it. Kinds without a protobuf message (discovery documents, Tables) fall back to JSON, which
 * protobuf clients also accept.
 */
export function encode(value: unknown, rendering: Pick<Rendering, 'output' | 'pretty'>): RenderedBody {
  if (rendering.output.encoding === 'yaml') return { contentType: 'application/yaml', body: toYaml(value) };
  if (rendering.output.encoding === 'protobuf') {
    const obj = value as { apiVersion?: string; kind?: string };
    if (obj && typeof obj.apiVersion === 'string' && typeof obj.kind === 'string' && canEncode(obj.apiVersion, obj.kind)) {
      return { contentType: PROTOBUF_MEDIA_TYPE, body: encodeProtobufObject(value as Record<string, unknown>) };
    }
    return { contentType: 'application/json', body: JSON.stringify(value) + '\n' };
  }
  return { contentType: 'application/json', body: (rendering.pretty ? JSON.stringify(value, null, 2) : JSON.stringify(value)) + '\n' };
}

/**
 * Renders objects in the shape the client asked for. Plain JSON of cached objects is spliced from
 * their stored serialisation instead of re-encoding them: it is what keeps a 10k-item list fast.
 */
export class OutputRenderer {
  constructor(private readonly clock: Clock) {}

  object(store: GenericStore, entry: CachedObject | KubeObject, rendering: Rendering): RenderedBody {
    const object = entry instanceof CachedObject ? entry.object : entry;
    switch (rendering.output.shape) {
      case 'Table':
        return encode(this.table(store, [object], String(object.metadata.resourceVersion ?? ''), undefined, rendering), rendering);
      case 'PartialObjectMetadata':
        return encode(partialMetadata(object, rendering.output.metaVersion), rendering);
      default:
        if (entry instanceof CachedObject && !rendering.pretty) {
          // A cached revision is immutable, so its wire bytes are made once and reused by every GET.
          if (rendering.output.encoding === 'json') return { contentType: 'application/json', body: cachedBytes(JSON_BYTES, entry, () => Buffer.from(entry.json() + '\n')) };
          if (rendering.output.encoding === 'protobuf' && canEncode(String(object.apiVersion), String(object.kind))) {
            return { contentType: PROTOBUF_MEDIA_TYPE, body: cachedBytes(PROTOBUF_BYTES, entry, () => encodeProtobufObject(object)) };
          }
        }
        return encode(object, rendering);
    }
  }

  list(
    store: GenericStore,
    items: CachedObject[],
    meta: { resourceVersion: string; continueToken?: string; remainingItemCount?: number },
    rendering: Rendering,
  ): RenderedBody {
    const listMeta: Record<string, unknown> = { resourceVersion: meta.resourceVersion };
    if (meta.continueToken) listMeta.continue = meta.continueToken;
    if (meta.remainingItemCount !== undefined) listMeta.remainingItemCount = meta.remainingItemCount;
    const { output } = rendering;
    if (output.shape === 'Table') {
      return encode(
        this.table(
          store,
          items.map((i) => i.object),
          meta.resourceVersion,
          listMeta,
          rendering,
        ),
        rendering,
      );
    }
    if (output.shape === 'PartialObjectMetadataList') {
      return encode(
        { kind: 'PartialObjectMetadataList', apiVersion: `meta.k8s.io/${output.metaVersion}`, metadata: listMeta, items: items.map((i) => partialMetadata(i.object, output.metaVersion)) },
        rendering,
      );
    }
    const kind = `${store.type.kind}List`;
    if (output.encoding === 'protobuf') return encode({ kind, apiVersion: store.apiVersion, metadata: listMeta, items: items.map((i) => i.object) }, rendering);
    if (output.encoding === 'json' && !rendering.pretty) {
      const head = `{"kind":${JSON.stringify(kind)},"apiVersion":${JSON.stringify(store.apiVersion)},"metadata":${JSON.stringify(listMeta)},"items":[`;
      return { contentType: 'application/json', body: head + items.map((i) => i.json()).join(',') + ']}\n' };
    }
    return encode({ kind, apiVersion: store.apiVersion, metadata: listMeta, items: items.map((i) => i.object) }, rendering);
  }

  /** A meta.k8s.io Table with the kind's columns; `withHeaders` false leaves columnDefinitions empty (later watch events). */
  table(
    store: GenericStore,
    objects: KubeObject[],
    resourceVersion: string,
    listMeta: Record<string, unknown> | undefined,
    rendering: Rendering,
    withHeaders = true,
  ): Record<string, unknown> {
    const declaration = store.type.table ?? DEFAULT_TABLE;
    const now = this.clock.now();
    const columns = declaration.columns;
    const rows = objects.map((obj) => {
      const cells = declaration.cells(obj, now);
      const row: Record<string, unknown> = { cells };
      if (rendering.includeObject === 'Object') row.object = obj;
      else if (rendering.includeObject === 'Metadata') row.object = partialMetadata(obj, rendering.output.metaVersion);
      return row;
    });
    return {
      kind: 'Table',
      apiVersion: `meta.k8s.io/${rendering.output.metaVersion}`,
      metadata: listMeta ?? { resourceVersion },
      columnDefinitions: withHeaders ? columns.map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: c.description ?? '', priority: c.priority ?? 0 })) : [],
      rows,
    };
  }
}

export function partialMetadata(obj: KubeObject, metaVersion: string): Record<string, unknown> {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${metaVersion}`, metadata: obj.metadata };
}
