import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { loadOpenApiDocuments } from './openapi-files';
import { encodeOpenApiV2 } from './openapi-v2-protobuf';
import { stableStringify } from './stable-json';

/**
 * Serving the committed OpenAPI documents the way k8s.io/kube-openapi's handlers do, independent of
 * the HTTP framework:
 *  - /openapi/v2 (pkg/handler): content negotiation between JSON and gnostic's protobuf (what
 *    kubectl 1.27–1.28 ask for), ETag = upper-case hex SHA-512 of the JSON body for both forms,
 *    conditional GETs, gzip when asked.
 *  - /openapi/v3 (pkg/handler3): an index of `serverRelativeURL`s carrying each document's hash;
 *    /openapi/v3/<gv>?hash=<current> is served `Cache-Control: public, immutable` with an Expires a
 *    year ahead, a stale hash is answered 301 to the current URL, and no hash means no cache headers.
 * Bodies are compact JSON with sorted keys (what Go's json.Marshal writes), built once at startup.
 */

export interface OpenApiRequestHeaders {
  accept?: string;
  'accept-encoding'?: string;
  'if-none-match'?: string;
  'if-modified-since'?: string;
}

export interface OpenApiResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

interface ServedDocument {
  body: Buffer;
  gzip?: Buffer;
  etag: string;
}

const V2_PROTOBUF = ['com.github.proto-openapi.spec.v2@v1.0+protobuf', 'com.github.proto-openapi.spec.v2.v1.0+protobuf'];
/** kube-openapi answers both protobuf subtypes, the deprecated "@" one included, with this type. */
export const V2_PROTOBUF_CONTENT_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
const V3_PROTOBUF = ['com.github.proto-openapi.spec.v3.v1.0+protobuf', 'com.github.proto-openapi.spec.v3@v1.0+protobuf'];

/** computeETag: "%X" of sha512. */
export function computeETag(data: Buffer): string {
  return createHash('sha512').update(data).digest('hex').toUpperCase();
}

/** constructServerRelativeURL: path.Join("/openapi/v3", gv) + "?hash=" + etag. */
export function serverRelativeURL(key: string, etag: string): string {
  return `/openapi/v3/${key}?hash=${encodeURIComponent(etag)}`;
}

interface AcceptClause {
  type: string;
  subType: string;
  q: number;
}

/** goautoneg.ParseAccept: clauses by descending q, then the more specific first; stable otherwise. */
export function parseAccept(header: string): AcceptClause[] {
  const clauses: Array<AcceptClause & { index: number }> = [];
  header.split(',').forEach((part, index) => {
    const [range, ...params] = part.split(';').map((s) => s.trim());
    if (!range) return;
    const slash = range.indexOf('/');
    const type = slash < 0 ? range : range.slice(0, slash);
    const subType = slash < 0 ? '' : range.slice(slash + 1);
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split('=').map((s) => s.trim());
      if (key === 'q') q = Number.parseFloat(value) || 0;
    }
    clauses.push({ type, subType, q, index });
  });
  const specificity = (c: AcceptClause): number => (c.type === '*' ? 0 : c.subType === '*' ? 1 : 2);
  return clauses.sort((a, b) => b.q - a.q || specificity(b) - specificity(a) || a.index - b.index);
}

/** The first offered subtype of application/* a clause accepts, in clause order. */
function negotiate(accept: string | undefined, offered: string[]): string | undefined {
  const clauses = parseAccept(accept || '*/*');
  for (const clause of clauses) {
    for (const subType of offered) {
      if (clause.type !== 'application' && clause.type !== '*') continue;
      if (clause.subType !== subType && clause.subType !== '*') continue;
      return subType;
    }
  }
  return undefined;
}

export class OpenApiPublisher {
  private readonly v2Doc: ServedDocument;
  /** Encoded on first request: only kubectl 1.27–1.28 (and v2 fallbacks) ask for it, and it costs start-up time. */
  private v2ProtoDoc?: ServedDocument;
  private readonly v3Docs = new Map<string, ServedDocument>();
  private readonly index: ServedDocument;
  private readonly lastModified: string;

  constructor(documents: { v2: unknown; v3: ReadonlyMap<string, unknown> }, loadedAt = new Date()) {
    this.lastModified = loadedAt.toUTCString();
    const json = Buffer.from(stableStringify(documents.v2));
    this.v2Doc = { body: json, gzip: gzipSync(json), etag: computeETag(json) };
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const key of [...documents.v3.keys()].sort()) {
      const body = Buffer.from(stableStringify(documents.v3.get(key)));
      const doc = { body, etag: computeETag(body) };
      this.v3Docs.set(key, doc);
      paths[key] = { serverRelativeURL: serverRelativeURL(key, doc.etag) };
    }
    const indexJson = Buffer.from(stableStringify({ paths }));
    this.index = { body: indexJson, etag: computeETag(indexJson) };
  }

  private v2Proto(): ServedDocument {
    this.v2ProtoDoc ??= encodeV2Protobuf(this.v2Doc.body, this.v2Doc.etag);
    return this.v2ProtoDoc;
  }

  static fromDirectory(dir: string): OpenApiPublisher {
    return new OpenApiPublisher(loadOpenApiDocuments(dir));
  }

  /** Group-version keys served under /openapi/v3/ ("api/v1", ...). */
  groupVersions(): string[] {
    return [...this.v3Docs.keys()];
  }

  /** The etag (and so the hash) of a v3 document. */
  etagOf(key: string): string | undefined {
    return this.v3Docs.get(key)?.etag;
  }

  v2(headers: OpenApiRequestHeaders): OpenApiResponse {
    const base = { Vary: 'Accept' };
    // kube-openapi's order: JSON first, so a client that accepts both equally gets JSON.
    const chosen = negotiate(headers.accept, ['json', ...V2_PROTOBUF]);
    if (!chosen) return { status: 406, headers: base, body: Buffer.alloc(0) };
    const protobuf = chosen !== 'json';
    const doc = protobuf ? this.v2Proto() : this.v2Doc;
    const contentType = protobuf ? V2_PROTOBUF_CONTENT_TYPE : 'application/json';
    const gzip = /\bgzip\b/.test(headers['accept-encoding'] ?? '');
    const response = this.serveContent(doc, { ...base, 'Content-Type': contentType }, headers, gzip);
    if (gzip) response.headers.Vary = 'Accept, Accept-Encoding';
    return response;
  }

  v3Index(headers: OpenApiRequestHeaders): OpenApiResponse {
    return this.serveContent(this.index, { 'Content-Type': 'application/json' }, headers, false);
  }

  v3Document(key: string, hash: string | undefined, headers: OpenApiRequestHeaders): OpenApiResponse {
    const base: Record<string, string> = { Vary: 'Accept' };
    if (parseAccept(headers.accept || '*/*').length === 0) return { status: 200, headers: base, body: Buffer.alloc(0) };
    const chosen = negotiate(headers.accept, ['json', ...V3_PROTOBUF]);
    if (!chosen) return { status: 406, headers: base, body: Buffer.alloc(0) };
    const doc = this.v3Docs.get(key);
    // kube-openapi writes nothing for a group-version it does not know, which Go sends as an empty 200.
    if (!doc) return { status: 200, headers: base, body: Buffer.alloc(0) };
    const headersOut: Record<string, string> = { ...base, 'Content-Type': 'application/json' };
    if (hash) {
      if (hash !== doc.etag) {
        const location = serverRelativeURL(key, doc.etag);
        return {
          status: 301,
          headers: { ...headersOut, 'Content-Type': 'text/html; charset=utf-8', Location: location, ETag: JSON.stringify(doc.etag) },
          body: Buffer.from(`<a href="${location.replace(/&/g, '&amp;')}">Moved Permanently</a>.\n\n`),
        };
      }
      headersOut['Cache-Control'] = 'public, immutable';
      const expires = new Date();
      expires.setUTCFullYear(expires.getUTCFullYear() + 1);
      headersOut.Expires = expires.toUTCString();
    }
    return this.serveContent(doc, headersOut, headers, false);
  }

  /** http.ServeContent's part that matters here: validators, conditional GET, the body. */
  private serveContent(doc: ServedDocument, headers: Record<string, string>, request: OpenApiRequestHeaders, gzip: boolean): OpenApiResponse {
    const etag = JSON.stringify(doc.etag);
    const out: Record<string, string> = { ...headers, ETag: etag, 'Last-Modified': this.lastModified };
    if (notModified(request, etag, this.lastModified)) {
      // Go drops Last-Modified from a 304 that carries an ETag, and a 304 has no content type.
      const notModifiedHeaders = { ...out };
      delete notModifiedHeaders['Last-Modified'];
      delete notModifiedHeaders['Content-Type'];
      return { status: 304, headers: notModifiedHeaders, body: Buffer.alloc(0) };
    }
    if (gzip && doc.gzip) return { status: 200, headers: { ...out, 'Content-Encoding': 'gzip' }, body: doc.gzip };
    return { status: 200, headers: out, body: doc.body };
  }
}

/**
 * Encoded once at startup: the document is fixed. The ETag is the JSON's, as kube-openapi reuses it
 * (the forms differ by Accept, which Vary names). The body is encoded from the served JSON text, so
 * both forms say the same thing in the same order. The encoder drops what it cannot map instead of
 * failing (kube-openapi answers 503 when gnostic rejects the JSON); only a document that is not a JSON
 * object throws, here at startup.
 */
function encodeV2Protobuf(json: Buffer, etag: string): ServedDocument {
  const body = Buffer.from(encodeOpenApiV2(JSON.parse(json.toString('utf8'))));
  return { body, gzip: gzipSync(body), etag };
}

function notModified(request: OpenApiRequestHeaders, etag: string, lastModified: string): boolean {
  const inm = request['if-none-match'];
  if (inm !== undefined) {
    return inm
      .split(',')
      .map((tag) => tag.trim().replace(/^W\//, ''))
      .some((tag) => tag === '*' || tag === etag);
  }
  const ims = request['if-modified-since'];
  if (ims !== undefined) {
    const since = Date.parse(ims);
    return !Number.isNaN(since) && Date.parse(lastModified) <= since;
  }
  return false;
}
