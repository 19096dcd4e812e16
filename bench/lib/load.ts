import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { USER_AGENT } from './http';

export interface LoadResult {
  /** Successful (2xx) requests per second, first request to last response. */
  rps: number;
  ok: number;
  non2xx: number;
  errors: number;
  seconds: number;
  latencyP99: number;
  /** Server CPU per successful request, in microseconds, when the server's CPU could be read. */
  serverCpuUs?: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds to run; ignored when `amount` is set. */
  duration?: number;
  /** Exactly this many requests, then stop. */
  amount?: number;
  method?: 'GET' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  /** Called once per request: every create needs its own name. A Buffer is sent as is (protobuf). */
  body?: (index: number) => string | Buffer;
  /** The server's CPU clock, read before and after the run. */
  serverCpuMs?: () => number | undefined;
}

/**
 * autocannon rather than a node:http client: it keeps its own lean HTTP/1.1 parser on raw sockets,
 * so at ~50k req/s on two cores the generator is not the ceiling of the raw baseline.
 */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const makeBody = opts.body;
  let next = 0;
  let ok = 0;
  let lastResponseAt = 0;
  const cpuBefore = opts.serverCpuMs?.();
  const startedAt = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: opts.url,
        connections: opts.connections,
        // autocannon rejects an explicit `duration: undefined`; `amount` wins when both are given.
        duration: opts.duration ?? 5,
        ...(opts.amount === undefined ? {} : { amount: opts.amount }),
        method: opts.method ?? 'GET',
        headers: { 'User-Agent': USER_AGENT, ...opts.headers },
        requests: makeBody ? [{ setupRequest: (req) => ({ ...req, body: makeBody(next++) }) }] : undefined,
        // A socket that the server closes must count as an error, not stall the run.
        timeout: 30,
      },
      (err: unknown, res) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(res)),
    );
    // autocannon stops only on its 1 s sampling tick, so its own start/finish overstate a short
    // run; the rate is taken from the first request to the last response instead.
    instance.on('response', (_client, statusCode) => {
      lastResponseAt = performance.now();
      if (statusCode >= 200 && statusCode < 300) ok++;
    });
  });
  const seconds = (lastResponseAt - startedAt) / 1000;
  const cpuAfter = opts.serverCpuMs?.();
  return {
    serverCpuUs: cpuBefore !== undefined && cpuAfter !== undefined && ok > 0 ? ((cpuAfter - cpuBefore) * 1000) / ok : undefined,
    rps: ok / seconds,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    seconds,
    latencyP99: result.latency.p99,
  };
}
