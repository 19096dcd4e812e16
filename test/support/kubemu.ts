/**
 * Test harness for end-to-end suites: an in-process kubemu server, real kubectl binaries
 * pointed at it, and a child-process server built from dist/ for crash and restart tests.
 *
 * kubectl always runs as an asynchronous child process: the in-process server shares the
 * jest event loop, so a synchronous spawn would block the very server kubectl is waiting on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig, type KubemuConfig } from '../../src/config/config';
import { kubeconfigFor } from '../../src/config/kubeconfig';
import { runProcess } from './process';
import { startServer, type RunningServer } from '../../src/server';

export const REPO_ROOT = resolve(__dirname, '..', '..');
/** The dispatcher: asks the server's /version and runs the matching kubectl.1.<minor>. */
export const DEFAULT_KUBECTL = '/usr/bin/kubectl';
export const kubectlBinary = (minor: number): string => `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`;

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  binary?: string;
  stdin?: string;
  env?: Record<string, string>;
  /** Kill kubectl after this long; a hung kubectl fails the test instead of the whole run. */
  timeoutMs?: number;
}

/** A kubectl left running (e.g. `get -w`), its output collected line by line. */
export interface BackgroundKubectl {
  readonly stdoutLines: string[];
  readonly stderr: () => string;
  /** Resolves with the first stdout line (in arrival order, from `from` on) that matches. */
  waitForLine(pattern: RegExp, timeoutMs?: number, from?: number): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Everything a test needs to drive one server with kubectl: a kubeconfig and a private
 * HOME/cache directory, so discovery caches never leak between servers that happen to
 * reuse a port.
 */
export class KubectlContext {
  readonly kubeconfigPath: string;
  private readonly background = new Set<BackgroundKubectl>();

  constructor(
    readonly url: string,
    readonly dir: string,
    readonly namespace = 'default',
  ) {
    mkdirSync(join(dir, 'home'), { recursive: true });
    this.kubeconfigPath = join(dir, 'kubeconfig');
    writeFileSync(this.kubeconfigPath, kubeconfigFor(url, namespace));
  }

  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: join(this.dir, 'home'),
      KUBECONFIG: this.kubeconfigPath,
      KUBECACHEDIR: join(this.dir, 'home', 'cache'),
      LANG: 'C.UTF-8',
      ...extra,
    };
  }

  /** Writes a file (typically a manifest) into this context's temp dir and returns its path. */
  writeFile(name: string, content: string): string {
    const path = join(this.dir, 'files', name);
    mkdirSync(join(this.dir, 'files'), { recursive: true });
    writeFileSync(path, content);
    return path;
  }

  kubectl(args: string[], opts: KubectlOptions = {}): Promise<KubectlResult> {
    return runProcess(opts.binary ?? DEFAULT_KUBECTL, args, { env: this.env(opts.env), stdin: opts.stdin, timeoutMs: opts.timeoutMs });
  }

  /** Runs kubectl and answers its output; a non-zero exit fails the test with kubectl's stderr. */
  async ok(args: string[], opts: KubectlOptions = {}): Promise<string> {
    const r = await this.kubectl(args, { timeoutMs: 90_000, ...opts });
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    return r.stdout;
  }

  /** Starts a long-running kubectl (watches); `stopAll` ends whatever a test left running. */
  kubectlBackground(args: string[], opts: Omit<KubectlOptions, 'stdin' | 'timeoutMs'> = {}): BackgroundKubectl {
    const child = spawn(opts.binary ?? DEFAULT_KUBECTL, args, { env: this.env(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
    const handle = backgroundHandle(child, args);
    this.background.add(handle);
    const stop = handle.stop;
    return Object.assign(handle, {
      stop: async () => {
        this.background.delete(handle);
        await stop();
      },
    });
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.background].map((b) => b.stop()));
  }
}

function backgroundHandle(child: ChildProcess, args: string[]): BackgroundKubectl {
  const stdoutLines: string[] = [];
  let partial = '';
  let stderr = '';
  let exited = false;
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((w) => w());
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    stdoutLines.push(...parts);
    notify();
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (stderr += chunk));
  const exitPromise = new Promise<void>((done) =>
    child.on('close', () => {
      exited = true;
      if (partial) stdoutLines.push(partial);
      partial = '';
      notify();
      done();
    }),
  );
  return {
    stdoutLines,
    stderr: () => stderr,
    waitForLine(pattern, timeoutMs = 10_000, from = 0) {
      return new Promise((done, fail) => {
        const check = (): boolean => {
          const line = stdoutLines.slice(from).find((l) => pattern.test(l));
          if (line !== undefined) {
            finish();
            done(line);
            return true;
          }
          if (exited) {
            finish();
            fail(new Error(`kubectl ${args.join(' ')} exited before printing ${pattern}; stdout:\n${stdoutLines.join('\n')}\nstderr:\n${stderr}`));
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => {
          finish();
          fail(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern} from kubectl ${args.join(' ')}; stdout:\n${stdoutLines.join('\n')}\nstderr:\n${stderr}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(onData);
        };
        const onData = () => void check();
        if (!check()) waiters.add(onData);
      });
    },
    async stop() {
      if (!exited) child.kill('SIGTERM');
      await exitPromise;
    },
  };
}

/** The same kubeconfig `kubemu kubeconfig` prints (plain HTTP, no credentials). */
export { kubeconfigFor };

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** A thin JSON client for setting up fixtures and checking raw wire answers. */
export class RawApi {
  constructor(readonly url: string) {}

  async request<T = Record<string, unknown>>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<ApiResponse<T>> {
    const res = await fetch(this.url + path, {
      method,
      headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': contentType },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Non-JSON replies (health endpoints, logs) stay as text.
    }
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  /** POSTs and fails loudly unless the server answers 201, so broken fixtures are not mistaken for broken features. */
  async create<T = Record<string, unknown>>(path: string, body: unknown): Promise<T> {
    const res = await this.request<T>('POST', path, body);
    if (res.status !== 201) throw new Error(`fixture POST ${path} answered ${res.status}: ${res.text}`);
    return res.body;
  }
}

export interface Kubemu extends KubectlContext {
  server: RunningServer;
  api: RawApi;
  close(): Promise<void>;
}

/** An in-process server on a free loopback port with a throwaway store, plus kubectl wired to it. */
export async function startKubemu(opts: Partial<KubemuConfig> = {}): Promise<Kubemu> {
  // The server's own defaults (an empty environment, so a developer's KUBEMU_* variables don't leak in), then the test's.
  const defaults = loadConfig(['--host', '127.0.0.1', '--port', '0', '--data-dir', ':memory:', '--log-level', 'silent'], {});
  const server = await startServer({ ...defaults, ...opts });
  const dir = mkdtempSync(join(tmpdir(), 'kubemu-e2e-'));
  const context = new KubectlContext(server.url, dir);
  return Object.assign(context, {
    server,
    api: new RawApi(server.url),
    close: async () => {
      await context.stopAll();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

/** A free loopback port. Racy in principle, but the child reports EADDRINUSE loudly if it loses. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => done(port));
    });
  });
}

export interface ChildServer {
  url: string;
  port: number;
  dataDir: string;
  process: ChildProcess;
  output: () => string;
  /** Resolves with the exit code or signal once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ChildServerOptions {
  dataDir: string;
  port?: number;
  extraArgs?: string[];
  readyTimeoutMs?: number;
}

/**
 * Runs the built server (`node dist/src/kubemu.js serve`, what `npm run serve` runs) as its own
 * process, so a test can SIGKILL it like a crash would. Requires `npm run build` to have produced it.
 */
export async function startChildServer(opts: ChildServerOptions): Promise<ChildServer> {
  const main = join(REPO_ROOT, 'dist', 'src', 'kubemu.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
  const port = opts.port ?? (await freePort());
  const child = spawn(process.execPath, [main, 'serve', '--port', String(port), '--data-dir', opts.dataDir, ...(opts.extraArgs ?? [])], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 20_000);
  for (;;) {
    if (gone) throw new Error(`kubemu child exited before it was ready:\n${output}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.status === 200) {
        await res.text();
        break;
      }
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`kubemu child on ${url} not ready after ${opts.readyTimeoutMs ?? 20_000} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    port,
    dataDir: opts.dataDir,
    process: child,
    output: () => output,
    exited,
    kill: async (signal) => {
      if (!gone) child.kill(signal);
      return exited;
    },
  };
}

/** Polls until `check` returns a value other than undefined, or fails with the last reason. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Splits kubectl's table output into header and rows of whitespace-separated cells. */
export function parseTable(stdout: string): { header: string; rows: string[][]; lines: string[] } {
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  return { header: lines[0] ?? '', rows: lines.slice(1).map((l) => l.trim().split(/\s{2,}|\t/)), lines };
}
