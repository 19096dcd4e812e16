import { createHash } from 'node:crypto';
import { verbsOfType, type ResourceType } from '../../registry/resource-type';
import type { Schemas } from '../schema/schemas';

/**
 * Builds the OpenAPI documents a real API server publishes, from the served kinds
 * (scanResourceTypes()) and the one schema source (definitions.json): one Swagger 2.0 document for
 * /openapi/v2 and one OpenAPI 3.0 document per group-version for /openapi/v3/<api|apis/group>/<v>.
 *
 * What clients rely on: `x-kubernetes-group-version-kind` on every kind schema and on every
 * operation (kubectl explain finds the kind through a path's operation, then the schema through its
 * GVK), the fieldValidation/dryRun/fieldManager query parameters on PATCH, POST and PUT
 * (kubectl's QueryParamVerifierV3 decides on them to send fieldValidation=Strict), the four patch
 * content types, and the patch-strategy / list-type extensions client-side apply reads.
 */

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface OpenApiDocuments {
  v2: JsonObject;
  /** Keyed like the v3 index: "api/v1", "apis/coordination.k8s.io/v1". */
  v3: Map<string, JsonObject>;
}

export interface BuildOptions {
  /** `info.version` of every document. */
  version?: string;
}

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const STATUS = `${META}.Status`;
const DELETE_OPTIONS = `${META}.DeleteOptions`;
const PATCH = `${META}.Patch`;
const WATCH_EVENT = `${META}.WatchEvent`;
const API_RESOURCE_LIST = `${META}.APIResourceList`;
const API_GROUP = `${META}.APIGroup`;
const API_GROUP_LIST = `${META}.APIGroupList`;
const API_VERSIONS = `${META}.APIVersions`;
const VERSION_INFO = 'io.k8s.apimachinery.pkg.version.Info';
const SCALE = 'io.k8s.api.autoscaling.v1.Scale';


const OBJECT_MEDIA = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const WATCH_MEDIA = [...OBJECT_MEDIA, 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch'];
const PATCH_MEDIA = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];
const RESPONSE_TEXT: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted', '401': 'Unauthorized' };

type ParamType = 'string' | 'integer' | 'boolean';
interface ParamSpec {
  name: string;
  in: 'query' | 'path';
  type: ParamType;
  description: string;
  required?: boolean;
}

/** Our own one-line descriptions of the standard parameters. */
const P: Record<string, ParamSpec> = {
  allowWatchBookmarks: { name: 'allowWatchBookmarks', in: 'query', type: 'boolean', description: 'Ask for BOOKMARK events on a watch. The server may send them at its discretion.' },
  continue: { name: 'continue', in: 'query', type: 'string', description: 'Token from a previous paginated list to fetch the next page.' },
  dryRun: { name: 'dryRun', in: 'query', type: 'string', description: 'When "All", run every stage of the request but persist nothing.' },
  fieldManager: { name: 'fieldManager', in: 'query', type: 'string', description: 'Name of the actor making the change, recorded in managedFields.' },
  fieldManagerApply: { name: 'fieldManager', in: 'query', type: 'string', description: 'Name of the actor making the change, recorded in managedFields. Required for apply patches.' },
  fieldSelector: { name: 'fieldSelector', in: 'query', type: 'string', description: 'Only objects whose fields match this selector.' },
  fieldValidation: { name: 'fieldValidation', in: 'query', type: 'string', description: 'How unknown or duplicate fields are treated: Ignore, Warn (default) or Strict.' },
  force: { name: 'force', in: 'query', type: 'boolean', description: 'Take over fields owned by other managers when applying. Only valid for apply patches.' },
  gracePeriodSeconds: { name: 'gracePeriodSeconds', in: 'query', type: 'integer', description: 'Seconds before the object is deleted; 0 deletes immediately.' },
  ignoreStoreReadErrorWithClusterBreakingPotential: {
    name: 'ignoreStoreReadErrorWithClusterBreakingPotential',
    in: 'query',
    type: 'boolean',
    description: 'Delete an object that cannot be read from storage. Dangerous.',
  },
  labelSelector: { name: 'labelSelector', in: 'query', type: 'string', description: 'Only objects whose labels match this selector.' },
  limit: { name: 'limit', in: 'query', type: 'integer', description: 'Maximum number of items in one list response; the rest is paged with continue.' },
  name: { name: 'name', in: 'path', type: 'string', required: true, description: 'Name of the object.' },
  namespace: { name: 'namespace', in: 'path', type: 'string', required: true, description: 'Namespace of the objects.' },
  orphanDependents: { name: 'orphanDependents', in: 'query', type: 'boolean', description: 'Deprecated: use propagationPolicy. Whether dependents are orphaned.' },
  pretty: { name: 'pretty', in: 'query', type: 'string', description: 'Indent the output when "true".' },
  propagationPolicy: { name: 'propagationPolicy', in: 'query', type: 'string', description: 'Garbage collection of dependents: Orphan, Background or Foreground.' },
  resourceVersion: { name: 'resourceVersion', in: 'query', type: 'string', description: 'Which version of the data a list or watch starts from.' },
  resourceVersionMatch: { name: 'resourceVersionMatch', in: 'query', type: 'string', description: 'How resourceVersion applies to a list: Exact or NotOlderThan.' },
  sendInitialEvents: { name: 'sendInitialEvents', in: 'query', type: 'boolean', description: 'Start a watch with synthetic ADDED events for the current state.' },
  timeoutSeconds: { name: 'timeoutSeconds', in: 'query', type: 'integer', description: 'End the list or watch call after this many seconds.' },
  watch: { name: 'watch', in: 'query', type: 'boolean', description: 'Watch for changes instead of listing.' },
};

const LIST_QUERY = ['allowWatchBookmarks', 'continue', 'fieldSelector', 'labelSelector', 'limit', 'resourceVersion', 'resourceVersionMatch', 'sendInitialEvents', 'timeoutSeconds', 'watch'];
const DELETE_QUERY = ['dryRun', 'gracePeriodSeconds', 'ignoreStoreReadErrorWithClusterBreakingPotential', 'orphanDependents', 'propagationPolicy'];
const DELETE_COLLECTION_QUERY = [
  'continue',
  'dryRun',
  'fieldSelector',
  'gracePeriodSeconds',
  'ignoreStoreReadErrorWithClusterBreakingPotential',
  'labelSelector',
  'limit',
  'orphanDependents',
  'propagationPolicy',
  'resourceVersion',
  'resourceVersionMatch',
  'sendInitialEvents',
  'timeoutSeconds',
];
const WRITE_QUERY = ['dryRun', 'fieldManager', 'fieldValidation'];
const PATCH_QUERY = ['dryRun', 'fieldManagerApply', 'fieldValidation', 'force'];

type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';
type Action = 'get' | 'list' | 'watch' | 'watchlist' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection';

/** One operation, neutral between Swagger 2 and OpenAPI 3; each builder renders it its own way. */
interface Operation {
  operationId: string;
  description: string;
  tag: string;
  action?: Action;
  gvk?: { group: string; version: string; kind: string };
  query: string[];
  body?: { definition: string; required: boolean; media: string[] };
  responses: Array<{ code: string; definition?: string }>;
  produces: string[];
  consumes: string[];
}

interface PathItem {
  path: string;
  /** Parameters shared by the path's operations. */
  params: string[];
  ops: Partial<Record<Method, Operation>>;
}

/** "rbac.authorization.k8s.io" → ["rbac", "authorization"] (the parts that name it in operation ids and tags). */
function groupWords(group: string): string[] {
  return group.replace(/\.k8s\.io$/, '').split('.').filter(Boolean);
}

const capitalize = (word: string): string => (word ? word[0].toUpperCase() + word.slice(1) : word);

/** operationId infix: "CoreV1", "CoordinationV1", "RbacAuthorizationV1". */
function operationInfix(group: string, version: string): string {
  const words = group ? groupWords(group) : ['core'];
  return `${words.map(capitalize).join('')}${capitalize(version)}`;
}

/** Tag of a group: "core", "coordination", "rbacAuthorization". */
function groupTag(group: string): string {
  const words = group ? groupWords(group) : ['core'];
  return words[0] + words.slice(1).map(capitalize).join('');
}

function gvPrefix(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

/** The v3 index key of a group-version ("api/v1", "apis/apps/v1"). */
export function groupVersionKey(group: string, version: string): string {
  return gvPrefix(group, version).slice(1);
}

function verbsOf(type: ResourceType): ReadonlySet<string> {
  return new Set(verbsOfType(type));
}

/** The list definition of a kind that can be listed (create-only reviews have none). */
function listDefinitionOf(schemas: Schemas, type: ResourceType, verbs: ReadonlySet<string>): string {
  const name = `${type.definition}List`;
  if (!verbs.has('list') && !verbs.has('deletecollection')) return name;
  if (!schemas.definitionOf(name)) throw new Error(`openapi: no list definition ${name} for ${type.kind}`);
  return name;
}

/** Every path and operation a served resource contributes, in a fixed order. */
function resourcePaths(schemas: Schemas, type: ResourceType): PathItem[] {
  const { group, version, kind, plural, namespaced } = type;
  const verbs = verbsOf(type);
  const infix = operationInfix(group, version);
  const tag = `${groupTag(group)}_${version}`;
  const gvk = { group, version, kind };
  const prefix = gvPrefix(group, version);
  const list = listDefinitionOf(schemas, type, verbs);
  const scope = namespaced ? 'Namespaced' : '';
  const collection = namespaced ? `${prefix}/namespaces/{namespace}/${plural}` : `${prefix}/${plural}`;
  const scopeParams = namespaced ? ['namespace'] : [];
  const deleteResult = type.returnDeletedObject ? type.definition : STATUS;
  const op = (o: Omit<Operation, 'tag' | 'gvk' | 'produces' | 'consumes'> & Partial<Pick<Operation, 'produces' | 'consumes' | 'gvk'>>): Operation => ({
    tag,
    gvk,
    produces: OBJECT_MEDIA,
    consumes: ['*/*'],
    ...o,
  });
  const items: PathItem[] = [];

  if (namespaced && verbs.has('list')) {
    items.push({
      path: `${prefix}/${plural}`,
      params: [...LIST_QUERY, 'pretty'],
      ops: {
        get: op({ operationId: `list${infix}${kind}ForAllNamespaces`, description: `List or watch ${kind} objects in all namespaces.`, action: 'list', query: [], responses: [{ code: '200', definition: list }], produces: WATCH_MEDIA }),
      },
    });
  }

  const collectionOps: Partial<Record<Method, Operation>> = {};
  if (verbs.has('deletecollection')) {
    collectionOps.delete = op({
      operationId: `delete${infix}Collection${scope}${kind}`,
      description: `Delete a collection of ${kind} objects.`,
      action: 'deletecollection',
      query: DELETE_COLLECTION_QUERY,
      body: { definition: DELETE_OPTIONS, required: false, media: ['*/*'] },
      responses: [{ code: '200', definition: STATUS }],
    });
  }
  if (verbs.has('list')) {
    collectionOps.get = op({
      operationId: `list${infix}${scope}${kind}`,
      description: `List or watch ${kind} objects.`,
      action: 'list',
      query: LIST_QUERY,
      responses: [{ code: '200', definition: list }],
      produces: WATCH_MEDIA,
    });
  }
  if (verbs.has('create')) {
    collectionOps.post = op({
      operationId: `create${infix}${scope}${kind}`,
      description: `Create a ${kind}.`,
      action: 'post',
      query: WRITE_QUERY,
      body: { definition: type.definition, required: true, media: ['*/*'] },
      responses: [
        { code: '200', definition: type.definition },
        { code: '201', definition: type.definition },
        { code: '202', definition: type.definition },
      ],
    });
  }
  if (Object.keys(collectionOps).length) items.push({ path: collection, params: [...scopeParams, 'pretty'], ops: collectionOps });

  const itemOps: Partial<Record<Method, Operation>> = {};
  if (verbs.has('delete')) {
    itemOps.delete = op({
      operationId: `delete${infix}${scope}${kind}`,
      description: `Delete a ${kind}.`,
      action: 'delete',
      query: DELETE_QUERY,
      body: { definition: DELETE_OPTIONS, required: false, media: ['*/*'] },
      responses: [
        { code: '200', definition: deleteResult },
        { code: '202', definition: deleteResult },
      ],
    });
  }
  if (verbs.has('get')) {
    itemOps.get = op({ operationId: `read${infix}${scope}${kind}`, description: `Read the named ${kind}.`, action: 'get', query: [], responses: [{ code: '200', definition: type.definition }] });
  }
  const writeOps = (suffix: string, what: string, definition = type.definition, opGvk = gvk): Partial<Record<Method, Operation>> => ({
    ...(verbs.has('patch')
      ? {
          patch: op({
            operationId: `patch${infix}${scope}${kind}${suffix}`,
            description: `Partially update ${what}.`,
            action: 'patch',
            gvk: opGvk,
            query: PATCH_QUERY,
            body: { definition: PATCH, required: true, media: PATCH_MEDIA },
            responses: [
              { code: '200', definition },
              { code: '201', definition },
            ],
            consumes: PATCH_MEDIA,
          }),
        }
      : {}),
    ...(verbs.has('update')
      ? {
          put: op({
            operationId: `replace${infix}${scope}${kind}${suffix}`,
            description: `Replace ${what}.`,
            action: 'put',
            gvk: opGvk,
            query: WRITE_QUERY,
            body: { definition, required: true, media: ['*/*'] },
            responses: [
              { code: '200', definition },
              { code: '201', definition },
            ],
          }),
        }
      : {}),
  });
  Object.assign(itemOps, writeOps('', `the named ${kind}`));
  if (Object.keys(itemOps).length) items.push({ path: `${collection}/{name}`, params: ['name', ...scopeParams, 'pretty'], ops: itemOps });

  if (type.statusSubresource) {
    const statusOps: Partial<Record<Method, Operation>> = {};
    if (verbs.has('get')) {
      statusOps.get = op({ operationId: `read${infix}${scope}${kind}Status`, description: `Read the status of the named ${kind}.`, action: 'get', query: [], responses: [{ code: '200', definition: type.definition }] });
    }
    Object.assign(statusOps, writeOps('Status', `the status of the named ${kind}`));
    items.push({ path: `${collection}/{name}/status`, params: ['name', ...scopeParams, 'pretty'], ops: statusOps });
  }

  if (type.scale) {
    // The scale subresource reads and writes an autoscaling/v1 Scale, whatever the parent kind.
    const scaleGvk = { group: 'autoscaling', version: 'v1', kind: 'Scale' };
    const scaleOps: Partial<Record<Method, Operation>> = {};
    if (verbs.has('get')) {
      scaleOps.get = op({ operationId: `read${infix}${scope}${kind}Scale`, description: `Read the scale of the named ${kind}.`, action: 'get', gvk: scaleGvk, query: [], responses: [{ code: '200', definition: SCALE }] });
    }
    Object.assign(scaleOps, writeOps('Scale', `the scale of the named ${kind}`, SCALE, scaleGvk));
    items.push({ path: `${collection}/{name}/scale`, params: ['name', ...scopeParams, 'pretty'], ops: scaleOps });
  }

  // Write-only subresources such as namespaces/finalize take a PUT of the whole object.
  for (const subresource of Object.keys(type.subresourceWriters ?? {}).sort()) {
    if (subresource === 'status') continue;
    const put = op({
      operationId: `replace${infix}${scope}${kind}${capitalize(subresource)}`,
      description: `Replace the ${subresource} of the named ${kind}.`,
      action: 'put',
      query: WRITE_QUERY,
      body: { definition: type.definition, required: true, media: ['*/*'] },
      responses: [
        { code: '200', definition: type.definition },
        { code: '201', definition: type.definition },
      ],
    });
    items.push({ path: `${collection}/{name}/${subresource}`, params: ['name', ...scopeParams, 'pretty'], ops: { put } });
  }

  if (verbs.has('watch')) {
    const watchOp = (operationId: string, action: Action, description: string): Operation =>
      op({ operationId, description, action, query: [], responses: [{ code: '200', definition: WATCH_EVENT }], produces: WATCH_MEDIA });
    const watchParams = [...LIST_QUERY, 'pretty'];
    if (namespaced) {
      items.push({ path: `${prefix}/watch/${plural}`, params: watchParams, ops: { get: watchOp(`watch${infix}${kind}ListForAllNamespaces`, 'watchlist', `Deprecated: watch ${kind} objects in all namespaces; use list with watch=true.`) } });
      items.push({ path: `${prefix}/watch/namespaces/{namespace}/${plural}`, params: [...watchParams, 'namespace'], ops: { get: watchOp(`watch${infix}Namespaced${kind}List`, 'watchlist', `Deprecated: watch ${kind} objects; use list with watch=true.`) } });
      items.push({ path: `${prefix}/watch/namespaces/{namespace}/${plural}/{name}`, params: [...watchParams, 'name', 'namespace'], ops: { get: watchOp(`watch${infix}Namespaced${kind}`, 'watch', `Deprecated: watch one ${kind}; use list with watch=true and a name field selector.`) } });
    } else {
      items.push({ path: `${prefix}/watch/${plural}`, params: watchParams, ops: { get: watchOp(`watch${infix}${kind}List`, 'watchlist', `Deprecated: watch ${kind} objects; use list with watch=true.`) } });
      items.push({ path: `${prefix}/watch/${plural}/{name}`, params: [...watchParams, 'name'], ops: { get: watchOp(`watch${infix}${kind}`, 'watch', `Deprecated: watch one ${kind}; use list with watch=true and a name field selector.`) } });
    }
  }
  return items;
}

/** The discovery paths of a group-version ("/api/v1/", "/apis/coordination.k8s.io/v1/"). */
function groupVersionRootPath(group: string, version: string): PathItem {
  return {
    path: `${gvPrefix(group, version)}/`,
    params: [],
    ops: {
      get: {
        operationId: `get${operationInfix(group, version)}APIResources`,
        description: 'Get the resources this group-version serves.',
        tag: `${groupTag(group)}_${version}`,
        query: [],
        responses: [{ code: '200', definition: API_RESOURCE_LIST }],
        produces: OBJECT_MEDIA,
        consumes: OBJECT_MEDIA,
      },
    },
  };
}

function serverRootPaths(groups: string[]): PathItem[] {
  const simple = (path: string, operationId: string, tag: string, description: string, definition: string, media = OBJECT_MEDIA): PathItem => ({
    path,
    params: [],
    ops: { get: { operationId, description, tag, query: [], responses: [{ code: '200', definition }], produces: media, consumes: media } },
  });
  const items = [
    simple('/api/', 'getCoreAPIVersions', 'core', 'Get the versions of the core API.', API_VERSIONS),
    simple('/apis/', 'getAPIVersions', 'apis', 'Get the API groups this server serves.', API_GROUP_LIST),
    simple('/version/', 'getCodeVersion', 'version', 'Get the version of this server.', VERSION_INFO, ['application/json']),
  ];
  for (const group of groups) {
    items.push(simple(`/apis/${group}/`, `get${groupWords(group).map(capitalize).join('')}APIGroup`, groupTag(group), 'Get the versions of this API group.', API_GROUP));
  }
  return items;
}

/** Names of every definition a schema refers to, transitively. */
function closure(schemas: Schemas, roots: Iterable<string>): string[] {
  const seen = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    for (const [key, sub] of Object.entries(value as Record<string, unknown>)) {
      if (key === '$ref' && typeof sub === 'string') add(sub.slice(sub.lastIndexOf('/') + 1));
      else if (key !== 'x-kubernetes-validations') visit(sub);
    }
  };
  const add = (name: string): void => {
    if (seen.has(name)) return;
    const raw = schemas.rawDefinition(name);
    if (!raw) throw new Error(`openapi: no definition ${name}`);
    seen.add(name);
    visit(raw);
  };
  for (const root of roots) add(root);
  return [...seen].sort();
}

function operationDefinitions(items: PathItem[]): string[] {
  const names: string[] = [];
  for (const item of items) {
    for (const op of Object.values(item.ops)) {
      if (!op) continue;
      if (op.body) names.push(op.body.definition);
      for (const response of op.responses) if (response.definition) names.push(response.definition);
    }
  }
  return names;
}

/** A definition as published: our x-kubemu-* bookkeeping removed, refs pointed at `refBase`. */
function publishSchema(value: unknown, refBase: string, keepDefaults: boolean, wrapRefs: boolean): Json {
  if (Array.isArray(value)) return value.map((item) => publishSchema(item, refBase, keepDefaults, wrapRefs));
  if (typeof value !== 'object' || value === null) return value as Json;
  const out: JsonObject = {};
  for (const [key, sub] of Object.entries(value as Record<string, unknown>)) {
    if (key.startsWith('x-kubemu-')) continue;
    if (key === 'default' && !keepDefaults) continue;
    if (key === '$ref' && typeof sub === 'string') out.$ref = `${refBase}${sub.slice(sub.lastIndexOf('/') + 1)}`;
    else if (key === 'properties' && typeof sub === 'object' && sub !== null) {
      const props: JsonObject = {};
      for (const [name, prop] of Object.entries(sub as Record<string, unknown>)) props[name] = publishProperty(prop, refBase, keepDefaults, wrapRefs);
      out.properties = props;
    } else if (key === 'x-kubernetes-validations' || key === 'x-kubernetes-group-version-kind' || key === 'x-kubernetes-unions' || key === 'enum' || key === 'required') {
      out[key] = sub as Json;
    } else out[key] = publishSchema(sub, refBase, keepDefaults, wrapRefs);
  }
  return out;
}

/** OpenAPI 3.0 ignores siblings of $ref, so a ref that carries more is wrapped in allOf (as kube-openapi does). */
function publishProperty(value: unknown, refBase: string, keepDefaults: boolean, wrapRefs: boolean): Json {
  const published = publishSchema(value, refBase, keepDefaults, wrapRefs) as JsonObject;
  if (!wrapRefs || typeof published.$ref !== 'string' || Object.keys(published).length === 1) return published;
  const { $ref, ...rest } = published;
  return { ...rest, allOf: [{ $ref }] };
}

function paramHash(param: JsonObject): string {
  return createHash('sha256').update(JSON.stringify(param)).digest('base64url').slice(0, 8);
}

// ---------------- Swagger 2.0 ----------------

function v2Param(spec: ParamSpec): JsonObject {
  return { description: spec.description, in: spec.in, name: spec.name, type: spec.type, uniqueItems: true, ...(spec.required ? { required: true } : {}) };
}

function buildV2(schemas: Schemas, items: PathItem[], version: string): JsonObject {
  const shared: JsonObject = {};
  const sharedRef = (param: JsonObject): JsonObject => {
    const key = `${param.name as string}-${paramHash(param)}`;
    shared[key] = param;
    return { $ref: `#/parameters/${key}` };
  };
  // Like the real document: per-call knobs inline, the rest shared through #/parameters.
  const INLINE = new Set(['dryRun', 'fieldValidation', 'name']);
  const paramRef = (name: string): JsonObject => {
    const spec = P[name];
    const param = v2Param(spec);
    return INLINE.has(spec.name) ? param : sharedRef(param);
  };
  // The object bodies of create and replace are inline; DeleteOptions and Patch bodies are shared.
  const bodyParam = (body: NonNullable<Operation['body']>): JsonObject => {
    const param: JsonObject = { in: 'body', name: 'body', ...(body.required ? { required: true } : {}), schema: { $ref: `#/definitions/${body.definition}` } };
    return body.definition === DELETE_OPTIONS || body.definition === PATCH ? sharedRef(param) : param;
  };
  const paths: JsonObject = {};
  for (const item of items) {
    const pathItem: JsonObject = {};
    if (item.params.length) pathItem.parameters = item.params.map(paramRef);
    for (const [method, op] of Object.entries(item.ops) as Array<[Method, Operation]>) {
      const params: Json[] = [];
      if (op.body) params.push(bodyParam(op.body));
      params.push(...op.query.map(paramRef));
      const responses: JsonObject = {};
      for (const response of op.responses) {
        responses[response.code] = { description: RESPONSE_TEXT[response.code], ...(response.definition ? { schema: { $ref: `#/definitions/${response.definition}` } } : {}) };
      }
      responses['401'] = { description: RESPONSE_TEXT['401'] };
      pathItem[method] = {
        consumes: op.consumes,
        description: op.description,
        operationId: op.operationId,
        ...(params.length ? { parameters: params } : {}),
        produces: op.produces,
        responses,
        schemes: ['https'],
        tags: [op.tag],
        ...(op.action ? { 'x-kubernetes-action': op.action } : {}),
        ...(op.gvk ? { 'x-kubernetes-group-version-kind': op.gvk } : {}),
      };
    }
    paths[item.path] = pathItem;
  }
  const definitions: JsonObject = {};
  for (const name of closure(schemas, operationDefinitions(items))) {
    definitions[name] = publishSchema(schemas.rawDefinition(name), '#/definitions/', false, false);
  }
  return {
    definitions,
    info: { title: 'Kubernetes', version },
    parameters: shared,
    paths,
    security: [{ BearerToken: [] }],
    securityDefinitions: { BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' } },
    swagger: '2.0',
  };
}

// ---------------- OpenAPI 3.0 ----------------

function v3Param(spec: ParamSpec): JsonObject {
  return { description: spec.description, in: spec.in, name: spec.name, ...(spec.required ? { required: true } : {}), schema: { type: spec.type, uniqueItems: true } };
}

function buildV3(schemas: Schemas, items: PathItem[], version: string, title: string): JsonObject {
  const ref = (definition: string): JsonObject => ({ $ref: `#/components/schemas/${definition}` });
  const paths: JsonObject = {};
  for (const item of items) {
    const pathItem: JsonObject = {};
    if (item.params.length) pathItem.parameters = item.params.map((name) => v3Param(P[name]));
    for (const [method, op] of Object.entries(item.ops) as Array<[Method, Operation]>) {
      const responses: JsonObject = {};
      for (const response of op.responses) {
        const content: JsonObject = {};
        if (response.definition) for (const media of op.produces) content[media] = { schema: ref(response.definition) };
        responses[response.code] = { description: RESPONSE_TEXT[response.code], ...(response.definition ? { content } : {}) };
      }
      responses['401'] = { description: RESPONSE_TEXT['401'] };
      const operation: JsonObject = {
        description: op.description,
        operationId: op.operationId,
        ...(op.query.length ? { parameters: op.query.map((name) => v3Param(P[name])) } : {}),
        responses,
        tags: [op.tag],
        ...(op.action ? { 'x-kubernetes-action': op.action } : {}),
        ...(op.gvk ? { 'x-kubernetes-group-version-kind': op.gvk } : {}),
      };
      if (op.body) {
        const content: JsonObject = {};
        for (const media of op.body.media) content[media] = { schema: ref(op.body.definition) };
        operation.requestBody = { content, ...(op.body.required ? { required: true } : {}) };
      }
      pathItem[method] = operation;
    }
    paths[item.path] = pathItem;
  }
  const components: JsonObject = {};
  for (const name of closure(schemas, operationDefinitions(items))) {
    components[name] = publishSchema(schemas.rawDefinition(name), '#/components/schemas/', true, true);
  }
  return {
    components: {
      schemas: components,
      securitySchemes: { BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' } },
    },
    info: { title, version },
    openapi: '3.0.0',
    paths,
  };
}

/** Both documents for the given kinds. Deterministic: the same kinds and schemas give the same JSON. */
export function buildOpenApi(types: readonly ResourceType[], schemas: Schemas, options: BuildOptions = {}): OpenApiDocuments {
  const version = options.version ?? 'unversioned';
  const sorted = [...types].sort((a, b) => `${a.group}/${a.version}/${a.plural}`.localeCompare(`${b.group}/${b.version}/${b.plural}`));
  const byGroupVersion = new Map<string, ResourceType[]>();
  for (const type of sorted) {
    if (!schemas.definitionOf(type.definition)) throw new Error(`openapi: ${type.kind} declares unknown definition ${type.definition}`);
    const key = groupVersionKey(type.group, type.version);
    byGroupVersion.set(key, [...(byGroupVersion.get(key) ?? []), type]);
  }
  const allItems: PathItem[] = [];
  const v3 = new Map<string, JsonObject>();
  for (const [key, group] of [...byGroupVersion.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const { group: name, version: gv } = group[0];
    const items = [groupVersionRootPath(name, gv), ...group.flatMap((type) => resourcePaths(schemas, type))];
    allItems.push(...items);
    v3.set(key, buildV3(schemas, items, version, 'Kubernetes'));
  }
  const groups = [...new Set(sorted.map((type) => type.group).filter(Boolean))].sort();
  const v2 = buildV2(schemas, [...serverRootPaths(groups), ...allItems], version);
  return { v2, v3 };
}
