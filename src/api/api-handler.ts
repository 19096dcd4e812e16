import type { FastifyReply, FastifyRequest } from 'fastify';
import { applyPatch, type Operation } from 'fast-json-patch';
import { StatusError } from '../machinery/errors/status-error';
import { canonicalOrder } from '../machinery/meta/canonical-order';
import { parseApiVersion, type KubeObject } from '../machinery/meta/types';
import { managerFromUserAgent } from '../machinery/apply';
import { applyMergePatch } from '../machinery/patch/merge-patch';
import { decodeProtobufObject } from '../machinery/protobuf';
import { applyStrategicMergePatch, schemaLookupFor } from '../machinery/patch/strategic-merge-patch';
import { FieldSelector } from '../machinery/selectors/field-selector';
import { LabelSelector } from '../machinery/selectors/label-selector';
import type { DeleteOptions, GenericStore, WriteOptions } from '../registry/generic-store';
import type { ListOptions } from '../registry/list-options';
import type { ResourceRegistry } from '../registry/registry';
import { applyScale, SCALE_API_VERSION, SCALE_DEFINITION, SCALE_KIND, SCALE_SUBRESOURCE, SCALE_TABLE, toScale, type Scale } from '../registry/scale';
import { verbsOfType, type SubresourceAction } from '../registry/resource-type';
import type { ScaleDeclaration } from '../registry/scale';
import type { Clock } from '../simulation/clock';
import type { Discovery } from './discovery';
import { bodyFormat, negotiateOutput, parseMediaTypes } from './negotiation';
import type { FieldValidation, ObjectDecoder } from './object-decoder';
import { encode, type IncludeObject, type OutputRenderer, type RenderedBody, type Rendering } from './output';
import { queryBool, queryInt, queryValue, type Query } from './query';
import { parseRequestPath, type RequestInfo } from './request-info';
import { WatchStream } from './watch-stream';
import type { ConnectRequest } from './pod-log';

const AGGREGATED_DISCOVERY = /^application\/json$/;

/** What a request body must be: the kind (at the endpoint's version) and its schema definition. */
interface DecodeTarget {
  apiVersion: string;
  kind: string;
  version: string;
  definition: string;
}

function targetOf(store: GenericStore): DecodeTarget {
  return { apiVersion: store.apiVersion, kind: store.type.kind, version: store.type.version, definition: store.type.definition };
}

export type Connector = (request: ConnectRequest) => Promise<void>;

/** One resource request, as the verb handlers receive it. */
interface RequestScope {
  req: FastifyRequest;
  reply: FastifyReply;
  store: GenericStore;
  namespace: string | undefined;
  info: RequestInfo;
  query: Query;
  rendering: Rendering;
}

/**
 * The REST transport for every kind: works out what the URL addresses, negotiates the wire form,
 * decodes the body and calls the generic store. No kind-specific code lives here.
 */
export class ApiHandler {
  constructor(
    private readonly registry: ResourceRegistry,
    private readonly discovery: Discovery,
    private readonly decoder: ObjectDecoder,
    private readonly renderer: OutputRenderer,
    private readonly clock: Clock,
    /** Handlers of connect subresources by "group/plural/subresource" (pods/log). */
    private readonly connectors: Record<string, Connector> = {},
  ) {}

  async handle(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const info = parseRequestPath(req.url);
    if (!info) throw notFound();
    const query = req.query as Query;
    if (info.version === undefined) return this.groupDiscovery(req, reply, info);
    if (info.resource === undefined) {
      if (req.method !== 'GET') throw StatusError.methodNotAllowed();
      const list = this.discovery.resourceList(info.group, info.version);
      if (!list) throw notFound();
      return this.send(reply, 200, encode(list, { output: negotiateOutput(req.headers.accept, false), pretty: !!queryBool(query, 'pretty') }));
    }
    const store = this.registry.lookup(info.group, info.version, info.resource);
    if (!store) throw notFound();
    if (store.type.deprecationWarning) addWarnings(reply, [store.type.deprecationWarning]);
    if (info.namespace !== undefined && !store.type.namespaced) throw notFound();
    if (info.subresource !== undefined && !servesSubresource(store, info.subresource)) throw notFound();
    const namespace = store.type.namespaced ? info.namespace : undefined;
    const isList = info.name === undefined;
    const rendering: Rendering = {
      output: negotiateOutput(req.headers.accept, isList),
      pretty: !!queryBool(query, 'pretty'),
      includeObject: includeObjectOf(query),
    };
    const watch = info.watchPath || !!queryBool(query, 'watch');
    const scope: RequestScope = { req, reply, store, namespace, info, query, rendering };
    const verb = verbOf(req.method, isList, watch);
    if (info.subresource === undefined && verb && !verbsOfType(store.type).includes(verb)) throw StatusError.methodNotAllowed();
    if (info.subresource === SCALE_SUBRESOURCE && store.type.scale) return this.scale(scope, store.type.scale);
    if (info.subresource !== undefined && store.type.connect?.[info.subresource]) {
      const connector = this.connectors[`${store.type.group}/${store.type.plural}/${info.subresource}`];
      const connect = store.type.connect[info.subresource];
      if (!connect.verbs.includes(verb ?? '')) throw StatusError.methodNotAllowed();
      // Streams that need a protocol upgrade (exec, attach) are served by the upgrade handler.
      if (!connector) throw StatusError.badRequest('Upgrade request required');
      return connector({ reply, store, namespace, name: info.name!, query });
    }

    switch (req.method) {
      case 'GET':
        if (watch) return this.watch(scope);
        if (isList) return this.list(scope);
        return this.send(reply, 200, this.renderer.object(store, store.find(namespace, info.name!) ?? throwNotFound(store, info.name!), rendering));
      case 'POST': {
        const action = info.subresource ? store.type.actions?.[info.subresource] : undefined;
        if (action) return this.act(scope, action);
        if (!isList) throw StatusError.methodNotAllowed();
        const { object, warnings } = this.decodeBody(req, targetOf(store), query);
        if (store.type.namespaced && namespace === undefined) throw notFound();
        const result = await store.create(namespace, object, writeOptions(req, query));
        return this.send(reply, 201, this.renderer.object(store, result.object, rendering), [...warnings, ...result.warnings]);
      }
      case 'PUT': {
        if (isList) throw StatusError.methodNotAllowed();
        const { object, warnings } = this.decodeBody(req, targetOf(store), query);
        const result = await store.update(namespace, info.name!, object, writeOptions(req, query), info.subresource);
        return this.send(reply, 200, this.renderer.object(store, result.object, rendering), [...warnings, ...result.warnings]);
      }
      case 'PATCH': {
        if (isList) throw StatusError.methodNotAllowed();
        return this.patch(scope);
      }
      case 'DELETE':
        if (isList) return this.deleteCollection(scope);
        return this.delete(scope);
      default:
        throw StatusError.methodNotAllowed();
    }
  }

  private groupDiscovery(req: FastifyRequest, reply: FastifyReply, info: RequestInfo): void {
    if (req.method !== 'GET') throw StatusError.methodNotAllowed();
    const pretty = !!queryBool(req.query as Query, 'pretty');
    if (info.prefix === 'apis' && info.group !== '') {
      const group = this.discovery.group(info.group);
      if (!group) throw notFound();
      return this.send(reply, 200, encode(group, { output: negotiateOutput(req.headers.accept, false), pretty }));
    }
    // Aggregated discovery is chosen by the Accept header; the reply must echo the media type exactly.
    for (const media of parseMediaTypes(req.headers.accept)) {
      const p = media.params;
      if (AGGREGATED_DISCOVERY.test(media.type) && p.g === 'apidiscovery.k8s.io' && p.as === 'APIGroupDiscoveryList' && (p.v === 'v2' || p.v === 'v2beta1')) {
        const body = this.discovery.aggregatedList(info.prefix === 'api', p.v);
        const encoded = encode(body, { output: { encoding: 'json', shape: 'object', metaVersion: 'v1' }, pretty });
        const contentType = `application/json;g=apidiscovery.k8s.io;v=${p.v};as=APIGroupDiscoveryList`;
        void reply.header('Vary', 'Accept');
        return this.send(reply, 200, { contentType, body: encoded.body });
      }
    }
    const legacy = info.prefix === 'api' ? this.discovery.coreVersions : this.discovery.groupList;
    return this.send(reply, 200, encode(legacy, { output: { encoding: 'json', shape: 'object', metaVersion: 'v1' }, pretty }));
  }

  private async list({ reply, store, namespace, query, rendering }: RequestScope): Promise<void> {
    const opts = listOptionsOf(query);
    const result = await store.list(namespace, opts);
    return this.send(reply, 200, this.renderer.list(store, result.items, result, rendering));
  }

  private async watch({ reply, store, namespace, info, query, rendering }: RequestScope): Promise<void> {
    const opts = listOptionsOf(query);
    if (info.name !== undefined) {
      // A watch on one object is a watch on the collection narrowed to its name.
      opts.fieldSelector = FieldSelector.parse([opts.fieldSelector.toString(), `metadata.name=${info.name}`].filter(Boolean).join(','));
    }
    const stream = new WatchStream(reply, store, this.renderer, rendering, opts);
    await stream.start(namespace);
  }

  private async patch(scope: RequestScope): Promise<void> {
    const { req, reply, store, namespace, info, query, rendering } = scope;
    if (bodyFormat(req.headers['content-type']) === 'apply-patch') return this.apply(scope);
    const { patch, format } = this.parsePatch(req, query);
    const fieldValidation = fieldValidationOf(query);
    let warnings: string[] = [];
    const result = await store.guaranteedUpdate(
      namespace,
      info.name!,
      (current) => {
        const patched = patchedWith(format, current, patch, store.type.definition);
        const decoded = this.decoder.decode(patched, store.type.definition, {
          fieldValidation,
          kind: store.type.kind,
          version: store.type.version,
        });
        warnings = decoded.warnings;
        return decoded.object;
      },
      writeOptions(req, query),
      info.subresource,
    );
    return this.send(reply, 200, this.renderer.object(store, result.object, rendering), [...warnings, ...result.warnings]);
  }

  /** The body of a JSON, merge or strategic-merge PATCH, parsed. */
  private parsePatch(req: FastifyRequest, query: Query): { patch: unknown; format: PatchFormat } {
    const format = bodyFormat(req.headers['content-type']);
    if (format !== 'json-patch' && format !== 'merge-patch' && format !== 'strategic-merge-patch') {
      throw new StatusError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
      );
    }
    if (queryValue(query, 'force') !== undefined) throw invalidPatchOptions('force', 'FieldValueForbidden', 'Forbidden: may not be specified for non-apply patch');
    const raw = rawBody(req);
    try {
      return { patch: JSON.parse(raw.toString('utf8')), format };
    } catch (err) {
      throw StatusError.badRequest(`error decoding patch: ${(err as Error).message}`);
    }
  }

  /**
   * `.../scale`: GET answers the Scale projected from the object; PUT and PATCH change the Scale
   * and write it back through the object's own update (preconditions, validation, generation).
   */
  private async scale(scope: RequestScope, declaration: ScaleDeclaration): Promise<void> {
    const { req, reply, store, namespace, info, query, rendering } = scope;
    const name = info.name!;
    const scaleTarget: DecodeTarget = { apiVersion: SCALE_API_VERSION, kind: SCALE_KIND, version: 'v1', definition: SCALE_DEFINITION };
    const answer = (obj: KubeObject) => this.send(reply, 200, this.renderer.object(store, canonicalOrder(toScale(declaration, obj)), rendering, SCALE_TABLE));
    switch (req.method) {
      case 'GET':
        return answer(store.find(namespace, name)?.object ?? throwNotFound(store, name));
      case 'PUT': {
        const { object, warnings } = this.decodeBody(req, scaleTarget, query);
        const result = await store.guaranteedUpdate(namespace, name, (current) => applyScale(declaration, current, object as Scale), writeOptions(req, query), SCALE_SUBRESOURCE);
        return this.send(reply, 200, this.renderer.object(store, canonicalOrder(toScale(declaration, result.object)), rendering, SCALE_TABLE), [...warnings, ...result.warnings]);
      }
      case 'PATCH': {
        const { patch, format } = this.parsePatch(req, query);
        const fieldValidation = fieldValidationOf(query);
        let warnings: string[] = [];
        const result = await store.guaranteedUpdate(
          namespace,
          name,
          (current) => {
            const patched = patchedWith(format, toScale(declaration, current), patch, SCALE_DEFINITION);
            const decoded = this.decoder.decode(patched, SCALE_DEFINITION, { fieldValidation, kind: SCALE_KIND, version: 'v1' });
            warnings = decoded.warnings;
            return applyScale(declaration, current, decoded.object as Scale);
          },
          writeOptions(req, query),
          SCALE_SUBRESOURCE,
        );
        return this.send(reply, 200, this.renderer.object(store, canonicalOrder(toScale(declaration, result.object)), rendering, SCALE_TABLE), [...warnings, ...result.warnings]);
      }
      default:
        throw StatusError.methodNotAllowed();
    }
  }

  /** POST to an action subresource (serviceaccounts/token, pods/binding). */
  private async act({ req, reply, store, namespace, info, query, rendering }: RequestScope, action: SubresourceAction): Promise<void> {
    store.get(namespace, info.name!);
    const { version } = parseApiVersion(action.apiVersion);
    const { object, warnings } = this.decodeBody(req, { apiVersion: action.apiVersion, kind: action.kind, version, definition: action.definition }, query);
    this.decoder.applyDefaults(object, action.definition);
    const answer = await store.act(namespace, info.name!, info.subresource!, object, writeOptions(req, query));
    return this.send(reply, 201, encode(canonicalOrder(answer), rendering), warnings);
  }

  /** Server-side apply (`application/apply-patch+yaml`): creates when absent (201), else merges with field ownership. */
  private async apply({ req, reply, store, namespace, info, query, rendering }: RequestScope): Promise<void> {
    const fieldManager = queryValue(query, 'fieldManager');
    if (!fieldManager) throw invalidPatchOptions('fieldManager', 'FieldValueRequired', 'Required value: is required for apply patch');
    if (fieldManager.length > 128) throw StatusError.badRequest('fieldManager: Too long: may not be longer than 128');
    const { value, yamlErrors } = parseApplyBody(this.decoder, rawBody(req));
    const config = value as Record<string, unknown>;
    // The apply patcher checks the configuration's type itself, with its own wording.
    const gvk = { apiVersion: String(config.apiVersion ?? ''), kind: String(config.kind ?? '') };
    if (gvk.apiVersion !== store.apiVersion || gvk.kind !== store.type.kind) {
      const gv = gvk.apiVersion.includes('/') ? gvk.apiVersion : `/${gvk.apiVersion}`;
      throw StatusError.badRequest(`invalid object type: ${gv}, Kind=${gvk.kind}`);
    }
    const fieldValidation = fieldValidationOf(query);
    const yamlWarnings: string[] = [];
    if (yamlErrors.length) {
      const text = `yaml: unmarshal errors:\n  ${yamlErrors.join('\n  ')}`;
      if (fieldValidation === 'Strict') throw StatusError.badRequest(`error strict decoding YAML: error converting YAML to JSON: ${text}`);
      if (fieldValidation === 'Warn') yamlWarnings.push(text);
    }
    const decoded = this.checkedDecode(value, targetOf(store), fieldValidation, [], undefined);
    const object = decoded.object;
    const warnings = [...yamlWarnings, ...decoded.warnings];
    const result = await store.apply(namespace, info.name!, object, { fieldManager, force: !!queryBool(query, 'force'), dryRun: dryRunOf(query) });
    return this.send(reply, result.created ? 201 : 200, this.renderer.object(store, result.object, rendering), [...warnings, ...result.warnings]);
  }

  private async delete({ req, reply, store, namespace, info, query, rendering }: RequestScope): Promise<void> {
    const name = info.name!;
    const options = this.deleteOptionsOf(req, query);
    const result = await store.delete(namespace, name, options);
    if (!result.removed || store.type.returnDeletedObject) return this.send(reply, 200, this.renderer.object(store, result.object, rendering));
    const details = { name, ...(store.type.group ? { group: store.type.group } : {}), kind: store.type.plural, uid: result.object.metadata.uid };
    return this.send(reply, 200, encode({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details }, rendering));
  }

  private async deleteCollection({ req, reply, store, namespace, query, rendering }: RequestScope): Promise<void> {
    const options = this.deleteOptionsOf(req, query);
    const opts = listOptionsOf(query);
    delete opts.limit;
    const { items } = await store.list(namespace, opts);
    const deleted = [];
    for (const item of items) {
      try {
        deleted.push((await store.delete(item.location.namespace || undefined, item.location.name, options)).object);
      } catch (err) {
        if (!(err instanceof StatusError && err.code === 404)) throw err;
      }
    }
    const resourceVersion = deleted.length ? String(deleted[deleted.length - 1].metadata.resourceVersion) : '';
    const list = { kind: `${store.type.kind}List`, apiVersion: store.apiVersion, metadata: { resourceVersion }, items: deleted };
    return this.send(reply, 200, encode(list, rendering));
  }

  private deleteOptionsOf(req: FastifyRequest, query: Query): DeleteOptions {
    const raw = rawBody(req);
    let body: Record<string, unknown> = {};
    if (raw.length > 0) {
      const { value } = this.decoder.parse(raw, bodyFormat(req.headers['content-type']) === 'yaml' ? 'yaml' : 'json');
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) body = value as Record<string, unknown>;
      else throw StatusError.badRequest('DeleteOptions must be an object');
    }
    const grace = queryInt(query, 'gracePeriodSeconds') ?? (body.gracePeriodSeconds as number | undefined);
    const policy = (queryValue(query, 'propagationPolicy') ?? body.propagationPolicy) as DeleteOptions['propagationPolicy'] | undefined;
    if (policy !== undefined && !['Orphan', 'Background', 'Foreground'].includes(policy)) {
      throw new StatusError(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan", "nil"`, {
        group: 'meta.k8s.io',
        kind: 'DeleteOptions',
        causes: [{ reason: 'FieldValueNotSupported', message: `Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan", "nil"`, field: 'propagationPolicy' }],
      });
    }
    const dryRun = dryRunOf(query) || (Array.isArray(body.dryRun) && body.dryRun.includes('All'));
    return { gracePeriodSeconds: grace, propagationPolicy: policy, preconditions: body.preconditions as DeleteOptions['preconditions'], dryRun };
  }

  /** Parse and schema-check a create/update body; the body must describe this kind at this version. */
  private decodeBody(req: FastifyRequest, target: DecodeTarget, query: Query): { object: KubeObject; warnings: string[] } {
    const format = bodyFormat(req.headers['content-type']);
    if (format !== 'json' && format !== 'yaml' && format !== 'protobuf') {
      throw StatusError.unsupportedMediaType();
    }
    if (format === 'protobuf') {
      // Protobuf carries no unknown or duplicate fields; the schema pass only normalises values.
      const decoded = decodeProtobufObject(rawBody(req), { apiVersion: target.apiVersion, kind: target.kind });
      return this.checkedDecode(decoded.object, target, 'Ignore', [], undefined);
    }
    const { value, duplicateFields, yamlErrors } = this.decoder.parse(rawBody(req), format, target.kind);
    return this.checkedDecode(value, target, fieldValidationOf(query), duplicateFields, yamlErrors);
  }

  private checkedDecode(
    value: unknown,
    target: DecodeTarget,
    fieldValidation: FieldValidation,
    duplicateFields: string[],
    yamlErrors: string[] | undefined,
  ): { object: KubeObject; warnings: string[] } {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw StatusError.badRequest(`Object 'Kind' is missing in '${JSON.stringify(value)}'`);
    }
    const body = value as Record<string, unknown>;
    if (body.apiVersion !== undefined && body.apiVersion !== target.apiVersion) {
      throw StatusError.badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${target.apiVersion})`);
    }
    if (body.kind !== undefined && body.kind !== target.kind) {
      throw StatusError.badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${target.kind})`);
    }
    return this.decoder.decode(body, target.definition, { fieldValidation, duplicateFields, yamlErrors, kind: target.kind, version: target.version });
  }

  private send(reply: FastifyReply, code: number, rendered: RenderedBody, warnings: string[] = []): void {
    addWarnings(reply, warnings);
    // A Buffer keeps Fastify from rewriting the Content-Type (it would re-quote parameters and add a
    // charset; aggregated discovery must echo the media type byte for byte).
    const body = typeof rendered.body === 'string' ? Buffer.from(rendered.body) : rendered.body;
    void reply.code(code).header('Content-Type', rendered.contentType).send(body);
  }
}

/** Adds `Warning: 299 - "..."` headers to those already set on the reply. */
function addWarnings(reply: FastifyReply, warnings: string[]): void {
  if (!warnings.length) return;
  const existing = reply.getHeader('Warning');
  const earlier = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  void reply.header('Warning', [...earlier, ...warnings.map((w) => `299 - ${JSON.stringify(w)}`)]);
}

/** The Kubernetes verb a request is (the vocabulary discovery and RBAC use). */
function verbOf(method: string, isList: boolean, watch: boolean): string | undefined {
  switch (method) {
    case 'GET':
      return watch ? 'watch' : isList ? 'list' : 'get';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return isList ? 'deletecollection' : 'delete';
    default:
      return undefined;
  }
}

/** An apply body is YAML (kubectl sends JSON, which is YAML too); errors are worded as the apply patcher words them. */
function parseApplyBody(decoder: ObjectDecoder, raw: Buffer): { value: Record<string, unknown>; yamlErrors: string[] } {
  let parsed;
  try {
    parsed = decoder.parse(raw, 'yaml');
  } catch (err) {
    throw StatusError.badRequest(`error decoding YAML: error converting YAML to JSON: ${(err as Error).message}`);
  }
  const { value } = parsed;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw StatusError.badRequest('error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}');
  }
  return { value: value as Record<string, unknown>, yamlErrors: parsed.yamlErrors ?? [] };
}

function invalidPatchOptions(field: string, reason: string, text: string): StatusError {
  return new StatusError(422, 'Invalid', `PatchOptions.meta.k8s.io "" is invalid: ${field}: ${text}`, {
    group: 'meta.k8s.io',
    kind: 'PatchOptions',
    causes: [{ reason, message: text, field }],
  });
}

function notFound(): StatusError {
  return new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
}

function throwNotFound(store: GenericStore, name: string): never {
  throw StatusError.notFound(store.groupResource, name);
}

function servesSubresource(store: GenericStore, subresource: string): boolean {
  const t = store.type;
  return (
    (subresource === 'status' && !!t.statusSubresource) ||
    (subresource === SCALE_SUBRESOURCE && !!t.scale) ||
    !!t.subresourceWriters?.[subresource] ||
    !!t.actions?.[subresource] ||
    !!t.connect?.[subresource]
  );
}

export function rawBody(req: FastifyRequest): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

type PatchFormat = 'json-patch' | 'merge-patch' | 'strategic-merge-patch';

function patchedWith(format: PatchFormat, current: KubeObject, patch: unknown, definition: string): unknown {
  if (format === 'merge-patch') return mergePatched(current, patch);
  if (format === 'strategic-merge-patch') return strategicPatched(current, patch, definition);
  return jsonPatched(current, patch);
}

function mergePatched(current: KubeObject, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw StatusError.badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
  return applyMergePatch(current, patch);
}

function strategicPatched(current: KubeObject, patch: unknown, definition: string): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw StatusError.badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
  return applyStrategicMergePatch(current, patch as Record<string, unknown>, schemaLookupFor(definition));
}

function jsonPatched(current: KubeObject, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw StatusError.badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  try {
    return applyPatch(current, patch as Operation[], true, false).newDocument;
  } catch (err) {
    throw new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {
      causes: [{ reason: 'UnexpectedServerResponse', message: (err as Error).message.split('\n')[0] }],
    });
  }
}

function includeObjectOf(query: Query): IncludeObject {
  const value = queryValue(query, 'includeObject');
  if (value === undefined || value === '') return 'Metadata';
  if (value === 'None' || value === 'Metadata' || value === 'Object') return value;
  throw StatusError.badRequest(`includeObject: Unsupported value: "${value}": supported values: "Metadata", "None", "Object"`);
}

function fieldValidationOf(query: Query): FieldValidation {
  const value = queryValue(query, 'fieldValidation');
  if (value === undefined || value === '') return 'Warn';
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  throw StatusError.badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got: ${value}`);
}

function dryRunOf(query: Query): boolean {
  const raw = query.dryRun;
  const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  for (const v of values) if (v !== 'All') throw StatusError.badRequest(`Invalid dry run value: ${v}`);
  return values.length > 0;
}

function writeOptions(req: FastifyRequest, query: Query): WriteOptions {
  const fieldManager = queryValue(query, 'fieldManager');
  if (fieldManager !== undefined && fieldManager.length > 128) throw StatusError.badRequest('fieldManager: Too long: may not be longer than 128');
  // Without an explicit manager the apiserver names the writer after its User-Agent ("kubectl", ...).
  return { dryRun: dryRunOf(query), fieldManager: managerFromUserAgent(fieldManager, req.headers['user-agent']) || undefined };
}

export function listOptionsOf(query: Query): ListOptions {
  const rvMatch = queryValue(query, 'resourceVersionMatch');
  return {
    labelSelector: LabelSelector.parse(queryValue(query, 'labelSelector') ?? ''),
    fieldSelector: FieldSelector.parse(queryValue(query, 'fieldSelector') ?? ''),
    limit: queryInt(query, 'limit'),
    continueToken: queryValue(query, 'continue') || undefined,
    resourceVersion: queryValue(query, 'resourceVersion'),
    resourceVersionMatch: rvMatch ? (rvMatch as ListOptions['resourceVersionMatch']) : undefined,
    allowWatchBookmarks: queryBool(query, 'allowWatchBookmarks'),
    timeoutSeconds: queryInt(query, 'timeoutSeconds'),
    sendInitialEvents: queryBool(query, 'sendInitialEvents'),
  };
}
