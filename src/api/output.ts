import { stringify as toYaml } from 'yaml';
import { canEncode, encodeProtobufObject, PROTOBUF_MEDIA_TYPE } from '../machinery/protobuf';
import type { KubeObject } from '../machinery/meta/types';
import type { GenericStore } from '../registry/generic-store';
import type { TableDeclaration } from '../registry/resource-type';
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

  object(store: GenericStore, entry: CachedObject | KubeObject, rendering: Rendering, declaration: TableDeclaration<KubeObject> = store.type.table ?? DEFAULT_TABLE): RenderedBody {
    const object = entry instanceof CachedObject ? entry.object : entry;
    switch (rendering.output.shape) {
      case 'Table':
        return encode(this.table(store, [object], String(object.metadata.resourceVersion ?? ''), undefined, rendering, true, declaration), rendering);
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
    const spliced = output.encoding === 'json' && !rendering.pretty;
    if (output.shape === 'Table') {
      if (spliced && rendering.includeObject !== 'Object') return this.splicedTable(store, items, listMeta, rendering);
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
    const head = { kind, apiVersion: store.apiVersion, metadata: listMeta };
    if (spliced) {
      const parts: Buffer[] = [Buffer.from(`${JSON.stringify(head).slice(0, -1)},"items":[`)];
      const typeMeta = typeMetaPrefix(store.type.kind, store.apiVersion);
      items.forEach((item, i) => parts.push(i === 0 ? OPEN_ITEM : NEXT_ITEM, listItemBytes(item, typeMeta)));
      parts.push(END_LIST);
      return { contentType: 'application/json', body: Buffer.concat(parts) };
    }
    // A typed list's items carry no kind or apiVersion of their own, as the real server writes them.
    return encode({ ...head, items: items.map((i) => withoutTypeMeta(i.object)) }, rendering);
  }

  /**
   * A JSON Table of cached objects, spliced from parts that are made once per revision (the row's
   * PartialObjectMetadata, managedFields and all) and parts that change with time (the cells).
   */
  private splicedTable(store: GenericStore, items: CachedObject[], listMeta: Record<string, unknown>, rendering: Rendering): RenderedBody {
    const { rows, ...rest } = this.table(store, [], String(listMeta.resourceVersion ?? ''), listMeta, rendering);
    void rows;
    const declaration = store.type.table ?? DEFAULT_TABLE;
    const now = this.clock.now();
    const withMetadata = rendering.includeObject === 'Metadata';
    const metaVersion = rendering.output.metaVersion;
    const parts: Buffer[] = [Buffer.from(`${JSON.stringify(rest).slice(0, -1)},"rows":[`)];
    items.forEach((item, i) => {
      const cells = JSON.stringify(declaration.cells(item.object, now));
      parts.push(Buffer.from(`${i === 0 ? '' : ','}{"cells":${cells}${withMetadata ? ',"object":' : '}'}`));
      if (withMetadata) parts.push(partialMetadataBytes(item, metaVersion), CLOSE_OBJECT);
    });
    parts.push(END_LIST);
    return { contentType: 'application/json', body: Buffer.concat(parts) };
  }

  /** A meta.k8s.io Table with the kind's columns; `withHeaders` false leaves columnDefinitions empty (later watch events). */
  table(
    store: GenericStore,
    objects: KubeObject[],
    resourceVersion: string,
    listMeta: Record<string, unknown> | undefined,
    rendering: Rendering,
    withHeaders = true,
    declaration: TableDeclaration<KubeObject> = store.type.table ?? DEFAULT_TABLE,
  ): Record<string, unknown> {
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

const OPEN_ITEM = Buffer.from('{');
const NEXT_ITEM = Buffer.from(',{');
const CLOSE_OBJECT = Buffer.from('}');
const END_LIST = Buffer.from(']}\n');

/** `{"kind":"Pod","apiVersion":"v1",`: how every cached object's JSON begins (canonical order). */
function typeMetaPrefix(kind: string, apiVersion: string): string {
  return `{"kind":${JSON.stringify(kind)},"apiVersion":${JSON.stringify(apiVersion)},`;
}

const LIST_ITEM_BYTES = new WeakMap<CachedObject, Buffer>();
const PARTIAL_METADATA_BYTES = new WeakMap<CachedObject, Buffer>();

/** A cached object's JSON without its type meta and opening brace, as bytes made once per revision. */
function listItemBytes(entry: CachedObject, typeMeta: string): Buffer {
  return cachedBytes(LIST_ITEM_BYTES, entry, () => {
    const json = entry.json();
    if (json.startsWith(typeMeta)) return Buffer.from(json.slice(typeMeta.length));
    return Buffer.from(JSON.stringify(withoutTypeMeta(entry.object)).slice(1));
  });
}

function partialMetadataBytes(entry: CachedObject, metaVersion: string): Buffer {
  const make = () => Buffer.from(JSON.stringify(partialMetadata(entry.object, metaVersion)));
  // v1 is what kubectl asks for; other versions are rare enough to encode each time.
  return metaVersion === 'v1' ? cachedBytes(PARTIAL_METADATA_BYTES, entry, make) : make();
}

function withoutTypeMeta(obj: KubeObject): Omit<KubeObject, 'kind' | 'apiVersion'> {
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = obj;
  void _kind;
  void _apiVersion;
  return rest;
}

export function partialMetadata(obj: KubeObject, metaVersion: string): Record<string, unknown> {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${metaVersion}`, metadata: obj.metadata };
}
