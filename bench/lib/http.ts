import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Request start to last body byte, in milliseconds. */
  ms: number;
}

export interface HttpOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  agent?: Agent;
  timeoutMs?: number;
}

/** One keep-alive socket: latency figures then measure the server, not connection set-up. */
export function keepAliveAgent(maxSockets = 1): Agent {
  return new Agent({ keepAlive: true, maxSockets });
}

/**
 * Every bench request names a client, as kubectl and client-go always do. kubemu records
 * metadata.managedFields for the manager it takes from the User-Agent (up to the first "/"), and a
 * request without one records none, so without this header creates and updates would skip the
 * managedFields bookkeeping every real client pays for, and objects would be smaller than real ones.
 */
export const USER_AGENT = 'kubectl/v1.33.1 (linux/amd64) kubernetes/8adc0f0';

export function request(url: string, opts: HttpOptions = {}): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const headers: Record<string, string | number> = { 'User-Agent': USER_AGENT, ...opts.headers };
    if (opts.body !== undefined) headers['Content-Length'] = Buffer.byteLength(opts.body);
    const req = httpRequest(url, { method: opts.method ?? 'GET', headers, agent: opts.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (opts.timeoutMs !== undefined) req.setTimeout(opts.timeoutMs, () => req.destroy(new Error(`timeout after ${opts.timeoutMs} ms: ${url}`)));
    req.end(opts.body);
  });
}

/** A request that must succeed; a bench built on failed writes would measure error paths. */
export async function expectOk(url: string, opts: HttpOptions = {}): Promise<HttpResponse> {
  const res = await request(url, opts);
  if (res.status < 200 || res.status > 299) {
    throw new Error(`${opts.method ?? 'GET'} ${url} -> ${res.status}: ${res.body.toString('utf8').slice(0, 500)}`);
  }
  return res;
}

export function postJson(url: string, value: unknown, agent?: Agent): Promise<HttpResponse> {
  return expectOk(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(value), agent });
}

/** A port free right now; spawned servers need one up front when the bench times their start-up. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
