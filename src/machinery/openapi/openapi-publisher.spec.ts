import { gunzipSync } from 'node:zlib';
import { computeETag, OpenApiPublisher, parseAccept } from './openapi-publisher';

const documents = {
  v2: { swagger: '2.0', paths: { '/b': {}, '/a': {} } },
  v3: new Map<string, unknown>([
    ['apis/coordination.k8s.io/v1', { openapi: '3.0.0', paths: {} }],
    ['api/v1', { openapi: '3.0.0', paths: { '/api/v1/': {} } }],
  ]),
};
const publisher = new OpenApiPublisher(documents, new Date('2026-01-01T00:00:00Z'));

describe('OpenApiPublisher v3', () => {
  it('indexes every group-version with its document hash', () => {
    const response = publisher.v3Index({});
    expect(response.status).toBe(200);
    expect(response.headers['Content-Type']).toBe('application/json');
    const index = JSON.parse(response.body.toString()) as { paths: Record<string, { serverRelativeURL: string }> };
    expect(Object.keys(index.paths)).toEqual(['api/v1', 'apis/coordination.k8s.io/v1']);
    const core = publisher.v3Document('api/v1', undefined, {});
    expect(index.paths['api/v1'].serverRelativeURL).toBe(`/openapi/v3/api/v1?hash=${computeETag(core.body)}`);
    expect(computeETag(core.body)).toMatch(/^[0-9A-F]{128}$/);
    expect(response.headers.ETag).toBe(`"${computeETag(response.body)}"`);
  });

  it('serves compact JSON with sorted keys, like Go', () => {
    expect(publisher.v3Document('api/v1', undefined, {}).body.toString()).toBe('{"openapi":"3.0.0","paths":{"/api/v1/":{}}}');
  });

  it('marks a hashed URL immutable', () => {
    const hash = publisher.etagOf('api/v1') as string;
    const response = publisher.v3Document('api/v1', hash, { accept: 'application/json' });
    expect(response.status).toBe(200);
    expect(response.headers['Cache-Control']).toBe('public, immutable');
    expect(Date.parse(response.headers.Expires)).toBeGreaterThan(Date.now() + 360 * 24 * 3600 * 1000);
    expect(response.headers.Vary).toBe('Accept');
    expect(response.headers.ETag).toBe(`"${hash}"`);
  });

  it('adds no cache headers without a hash', () => {
    const response = publisher.v3Document('api/v1', undefined, {});
    expect(response.headers['Cache-Control']).toBeUndefined();
    expect(response.headers.Expires).toBeUndefined();
  });

  it('redirects a stale hash to the current URL', () => {
    const response = publisher.v3Document('api/v1', 'DEADBEEF', {});
    expect(response.status).toBe(301);
    expect(response.headers.Location).toBe(`/openapi/v3/api/v1?hash=${publisher.etagOf('api/v1')}`);
  });

  it('answers conditional requests with 304', () => {
    const etag = `"${publisher.etagOf('api/v1')}"`;
    const response = publisher.v3Document('api/v1', undefined, { 'if-none-match': etag });
    expect(response.status).toBe(304);
    expect(response.body.length).toBe(0);
    expect(response.headers.ETag).toBe(etag);
  });

  it('refuses media types it cannot produce', () => {
    expect(publisher.v3Document('api/v1', undefined, { accept: 'text/html' }).status).toBe(406);
    expect(publisher.v3Document('api/v1', undefined, { accept: 'text/html, application/*;q=0.5' }).status).toBe(200);
  });

  it('answers an unknown group-version as kube-openapi does: an empty 200', () => {
    const response = publisher.v3Document('apis/nope/v1', undefined, {});
    expect(response.status).toBe(200);
    expect(response.body.length).toBe(0);
  });
});

describe('OpenApiPublisher v2', () => {
  it('serves JSON with an ETag and Vary', () => {
    const response = publisher.v2({});
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('{"paths":{"/a":{},"/b":{}},"swagger":"2.0"}');
    expect(response.headers.ETag).toBe(`"${computeETag(response.body)}"`);
    expect(response.headers.Vary).toBe('Accept');
  });

  it('gzips when the client accepts it', () => {
    const response = publisher.v2({ 'accept-encoding': 'gzip' });
    expect(response.headers['Content-Encoding']).toBe('gzip');
    expect(gunzipSync(response.body).toString()).toBe('{"paths":{"/a":{},"/b":{}},"swagger":"2.0"}');
  });

  it('answers the protobuf Accept of kubectl 1.27 with protobuf (see openapi-v2-protobuf.spec.ts)', () => {
    const response = publisher.v2({ accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' });
    expect(response.status).toBe(200);
    expect(response.headers['Content-Type']).toBe('application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    expect(publisher.v2({ accept: 'image/png' }).status).toBe(406);
  });
});

describe('parseAccept', () => {
  it('orders by q, then specificity', () => {
    expect(parseAccept('*/*;q=0.1, application/*, application/json;q=0.9').map((c) => `${c.type}/${c.subType}`)).toEqual(['application/*', 'application/json', '*/*']);
  });
});
