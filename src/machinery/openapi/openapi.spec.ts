import { join } from 'node:path';
import { scanResourceTypes } from '../../registry/kind-scan';
import { verbsOfType } from '../../registry/resource-type';
import { Schemas } from '../schema/schemas';
import { buildOpenApi, groupVersionKey, type OpenApiDocuments } from './openapi-builder';
import { locateOpenApiDir, readOpenApiFiles, renderOpenApiFiles } from './openapi-files';

type Json = Record<string, unknown>;

const types = scanResourceTypes();
/** Kinds with the full set of verbs (create-only reviews have no object paths or lists). */
// Computed kinds (resource metrics) are read-only: no writes to describe.
const storedTypes = types.filter((t) => verbsOfType(t).includes('get') && !t.computedBy);
const reviewTypes = types.filter((t) => !verbsOfType(t).includes('get'));
const docs: OpenApiDocuments = buildOpenApi(types, Schemas.shared());
const OPENAPI_DIR = locateOpenApiDir(__dirname);

/** Go map equality, as kubectl's template `contains` compares GVKs: key order does not matter. */
function sameGvk(a: unknown, b: unknown): boolean {
  const norm = (v: unknown): string => JSON.stringify(Object.entries(v as Json).sort(([x], [y]) => x.localeCompare(y)));
  return typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && norm(a) === norm(b);
}

function prefixOf(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

/** The collection path of a kind, as kubectl explain's template searches for it. */
function collectionPath(type: (typeof types)[number]): string {
  const prefix = prefixOf(type.group, type.version);
  return type.namespaced ? `${prefix}/namespaces/{namespace}/${type.plural}` : `${prefix}/${type.plural}`;
}

describe('committed OpenAPI documents', () => {
  it('match what tools/generate-openapi.ts would write (run `npm run generate` after changing kinds or schema)', () => {
    const expected = renderOpenApiFiles(docs);
    const committed = readOpenApiFiles(OPENAPI_DIR);
    expect([...committed.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [path, text] of expected) {
      // Compared one by one so a failure names the drifted file.
      expect({ path, text: committed.get(path) }).toEqual({ path, text });
    }
  });

  it('live at the repository root', () => {
    expect(OPENAPI_DIR).toBe(join(__dirname, '..', '..', '..', 'openapi'));
  });
});

describe('OpenAPI v3 documents', () => {
  it('exist for every served group-version', () => {
    const keys = new Set(types.map((t) => groupVersionKey(t.group, t.version)));
    expect([...docs.v3.keys()].sort()).toEqual([...keys].sort());
    expect(keys.has('api/v1')).toBe(true);
    expect(keys.has('apis/coordination.k8s.io/v1')).toBe(true);
  });

  it.each(storedTypes.map((t) => [t.kind, t] as const))('%s: PATCH, POST and PUT declare what kubectl QueryParamVerifierV3 looks for', (_kind, type) => {
    const doc = docs.v3.get(groupVersionKey(type.group, type.version)) as Json;
    const paths = doc.paths as Record<string, Record<string, Json>>;
    const gvk = { group: type.group, version: type.version, kind: type.kind };
    const item = paths[`${collectionPath(type)}/{name}`];
    for (const method of ['patch', 'put']) {
      const op = item[method];
      expect(op['x-kubernetes-group-version-kind']).toEqual(gvk);
      const names = (op.parameters as Json[]).filter((p) => p.in === 'query').map((p) => p.name);
      expect(names).toEqual(expect.arrayContaining(['fieldValidation', 'dryRun', 'fieldManager']));
    }
    const post = paths[collectionPath(type)].post;
    expect((post.parameters as Json[]).map((p) => p.name)).toEqual(expect.arrayContaining(['fieldValidation', 'dryRun', 'fieldManager']));
    const patchBody = item.patch.requestBody as { content: Json };
    expect(Object.keys(patchBody.content).sort()).toEqual([
      'application/apply-patch+yaml',
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/strategic-merge-patch+json',
    ]);
    // Every PATCH in the document that names this GVK must carry the parameter: kubectl takes the first it meets.
    for (const pathItem of Object.values(paths)) {
      const op = pathItem.patch;
      if (op && sameGvk(op['x-kubernetes-group-version-kind'], gvk)) {
        expect((op.parameters as Json[]).some((p) => p.name === 'fieldValidation' && p.in === 'query')).toBe(true);
      }
    }
  });

  it.each(reviewTypes.map((t) => [t.kind, t] as const))('%s: a create-only review has just its POST, with the kind schema', (_kind, type) => {
    const doc = docs.v3.get(groupVersionKey(type.group, type.version)) as Json;
    const paths = doc.paths as Record<string, Record<string, Json>>;
    expect(Object.keys(paths[collectionPath(type)])).toEqual(expect.arrayContaining(['post']));
    expect(paths[collectionPath(type)].get).toBeUndefined();
    expect(paths[`${collectionPath(type)}/{name}`]).toBeUndefined();
    const schemas = (doc.components as { schemas: Record<string, Json> }).schemas;
    expect(schemas[type.definition]['x-kubernetes-group-version-kind']).toEqual([{ group: type.group, kind: type.kind, version: type.version }]);
  });

  it.each(storedTypes.map((t) => [t.kind, t] as const))('%s: kubectl explain finds the kind through its path and its schema through the GVK', (_kind, type) => {
    const doc = docs.v3.get(groupVersionKey(type.group, type.version)) as Json;
    const paths = doc.paths as Record<string, Record<string, Json>>;
    const gvk = paths[collectionPath(type)].get['x-kubernetes-group-version-kind'];
    expect(gvk).toEqual({ group: type.group, version: type.version, kind: type.kind });
    const schemas = (doc.components as { schemas: Record<string, Json> }).schemas;
    const matching = Object.values(schemas).filter((s) => (s['x-kubernetes-group-version-kind'] as Json[] | undefined)?.some((g) => sameGvk(g, gvk)));
    expect(matching).toHaveLength(1);
    expect(schemas[type.definition]).toBe(matching[0]);
    expect(Object.keys(matching[0].properties as Json)).toEqual(expect.arrayContaining(['apiVersion', 'kind', 'metadata']));
    expect(schemas[`${type.definition}List`]).toBeDefined();
  });

  it('resolves every $ref inside its own document', () => {
    for (const [key, doc] of docs.v3) {
      const schemas = (doc.components as { schemas: Json }).schemas;
      const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
      for (const ref of refs) {
        const name = ref.slice('"$ref":"#/components/schemas/'.length, -1);
        expect({ key, ref, found: name in schemas }).toEqual({ key, ref, found: true });
      }
    }
  });

  it('publishes declared defaults and the patch metadata client-side apply needs, without our bookkeeping', () => {
    const core = docs.v3.get('api/v1') as Json;
    const schemas = (core.components as { schemas: Record<string, Json> }).schemas;
    const port = schemas['io.k8s.api.core.v1.ContainerPort'].properties as Record<string, Json>;
    expect(port.protocol.default).toBe('TCP');
    const containers = (schemas['io.k8s.api.core.v1.PodSpec'].properties as Record<string, Json>).containers;
    expect(containers['x-kubernetes-patch-merge-key']).toBe('name');
    expect(containers['x-kubernetes-patch-strategy']).toBe('merge');
    expect(JSON.stringify(core)).not.toContain('x-kubemu-');
  });

  it('serves status subresources for kinds that declare one', () => {
    const core = docs.v3.get('api/v1') as { paths: Record<string, Json> };
    expect(Object.keys(core.paths['/api/v1/namespaces/{namespace}/pods/{name}/status']).sort()).toEqual(['get', 'parameters', 'patch', 'put']);
    expect(core.paths['/api/v1/namespaces/{namespace}/configmaps/{name}/status']).toBeUndefined();
  });
});

describe('OpenAPI v2 document', () => {
  const v2 = docs.v2 as { definitions: Record<string, Json>; paths: Record<string, Record<string, Json>>; parameters: Record<string, Json>; swagger: string };

  it('is Swagger 2.0 with the served kinds, their lists and the meta types', () => {
    expect(v2.swagger).toBe('2.0');
    for (const type of types) {
      expect(v2.definitions[type.definition]['x-kubernetes-group-version-kind']).toEqual([{ group: type.group, kind: type.kind, version: type.version }]);
    }
    for (const type of storedTypes) expect(v2.definitions[`${type.definition}List`]).toBeDefined();
    for (const meta of ['Status', 'DeleteOptions', 'WatchEvent', 'Patch', 'APIResourceList', 'APIGroupList', 'APIVersions', 'ObjectMeta']) {
      expect(v2.definitions[`io.k8s.apimachinery.pkg.apis.meta.v1.${meta}`]).toBeDefined();
    }
    expect(JSON.stringify(v2)).not.toMatch(/"default":|x-kubemu-/);
  });

  it('has every operation of a resource with its action and GVK', () => {
    const pods = v2.paths['/api/v1/namespaces/{namespace}/pods/{name}'];
    expect(Object.keys(pods).sort()).toEqual(['delete', 'get', 'parameters', 'patch', 'put']);
    expect(pods.patch['x-kubernetes-action']).toBe('patch');
    expect(pods.patch.consumes).toEqual(['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml']);
    expect(pods.patch.operationId).toBe('patchCoreV1NamespacedPod');
    expect(v2.paths['/api/v1/pods'].get.operationId).toBe('listCoreV1PodForAllNamespaces');
    expect(v2.paths['/api/v1/nodes'].post.operationId).toBe('createCoreV1Node');
    expect(v2.paths['/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases'].get['x-kubernetes-group-version-kind']).toEqual({
      group: 'coordination.k8s.io',
      version: 'v1',
      kind: 'Lease',
    });
    expect(v2.paths['/api/v1/watch/namespaces/{namespace}/pods/{name}'].get['x-kubernetes-action']).toBe('watch');
  });

  it('resolves every shared parameter and definition reference', () => {
    const text = JSON.stringify(v2);
    for (const ref of text.match(/"\$ref":"#\/(definitions|parameters)\/[^"]+"/g) ?? []) {
      const [, section, name] = /#\/(definitions|parameters)\/([^"]+)/.exec(ref) as RegExpExecArray;
      const table = section === 'definitions' ? v2.definitions : v2.parameters;
      expect({ ref, found: name in table }).toEqual({ ref, found: true });
    }
  });
});
