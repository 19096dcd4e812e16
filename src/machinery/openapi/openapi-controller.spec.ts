import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { OpenApiController } from '../../api/openapi.controller';
import { decodeOpenApiV2 } from './openapi-v2-protobuf';

describe('OpenApiController', () => {
  let app: NestFastifyApplication;
  let base: string;

  // A real listener and Node's fetch: Fastify's inject() pulls in an ESM-only dependency jest cannot load.
  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [OpenApiController] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app.close();
  });

  const get = async (url: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${url}`, { headers, redirect: 'manual' });
    const text = await response.text();
    return { statusCode: response.status, headers: Object.fromEntries(response.headers.entries()), json: (): unknown => JSON.parse(text) };
  };

  it('serves the v3 index and follows it to an immutable document', async () => {
    const index = await get('/openapi/v3');
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toBe('application/json');
    const paths = (index.json() as { paths: Record<string, { serverRelativeURL: string }> }).paths;
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(['api/v1', 'apis/coordination.k8s.io/v1']));

    const doc = await get(paths['apis/coordination.k8s.io/v1'].serverRelativeURL, { accept: 'application/json' });
    expect(doc.statusCode).toBe(200);
    expect(doc.headers['cache-control']).toBe('public, immutable');
    const body = doc.json() as { openapi: string; paths: Record<string, unknown> };
    expect(body.openapi).toBe('3.0.0');
    expect(Object.keys(body.paths)).toContain('/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases/{name}');
  });

  it('redirects a stale hash and revalidates with the ETag', async () => {
    const stale = await get('/openapi/v3/api/v1?hash=0123');
    expect(stale.statusCode).toBe(301);
    expect(stale.headers.location).toMatch(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
    const fresh = await get('/openapi/v3/api/v1');
    const again = await get('/openapi/v3/api/v1', { 'if-none-match': String(fresh.headers.etag) });
    expect(again.statusCode).toBe(304);
  });

  it('serves /openapi/v2 as protobuf to kubectl 1.27, under the JSON ETag', async () => {
    const response = await fetch(`${base}/openapi/v2`, { headers: { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    const doc = decodeOpenApiV2(new Uint8Array(await response.arrayBuffer())) as { swagger?: string; definitions?: { additional_properties?: unknown[] } };
    expect(doc.swagger).toBe('2.0');
    expect(doc.definitions?.additional_properties?.length).toBeGreaterThan(100);
    const json = await get('/openapi/v2', { accept: 'application/json' });
    expect(response.headers.get('etag')).toBe(json.headers.etag);
  });

  it('serves /openapi/v2 as JSON', async () => {
    const response = await get('/openapi/v2', { accept: 'application/json' });
    expect(response.statusCode).toBe(200);
    expect((response.json() as { swagger: string }).swagger).toBe('2.0');
    expect(response.headers.etag).toMatch(/^"[0-9A-F]{128}"$/);
  });
});
