import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort, request, sleep } from './http';
import { processCpuMs, recordChildCpu } from './noise';
import { baselineScript, KUBEMU_MAIN } from './paths';

export interface Child {
  label: string;
  url: string;
  port: number;
  proc: ChildProcess;
  /** Spawn to first successful answer of the readiness path, in milliseconds. */
  startMs: number;
  /** CPU the process had used by the time it first answered; insensitive to other load on the machine. */
  startCpuMs: number | undefined;
  /** CPU time the process has used so far (undefined off Linux). */
  cpuMs(): number | undefined;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  label: string;
  args: string[];
  /** Polled until it answers 200; that moment is "ready". */
  readyPath: string;
  port: number;
  /** Where `--cpu-prof` writes the child's profile; unset means no profiling. */
  cpuProfDir?: string;
  timeoutMs?: number;
}

const STDERR_KEEP = 8 * 1024;

/**
 * Every server under test, kubemu or baseline, is its own process: the load generator must not
 * share its event loop, and both sides of a comparison are then started and measured alike.
 */
export async function spawnServer(opts: SpawnOptions): Promise<Child> {
  const nodeArgs: string[] = [];
  if (opts.cpuProfDir) {
    mkdirSync(opts.cpuProfDir, { recursive: true });
    nodeArgs.push('--cpu-prof', '--cpu-prof-dir', opts.cpuProfDir, '--cpu-prof-name', `${opts.label}.cpuprofile`);
  }
  const started = performance.now();
  const proc = spawn(process.execPath, [...nodeArgs, ...opts.args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
  });
  let exited: number | string | null | undefined;
  const exit = new Promise<void>((resolve) =>
    proc.once('exit', (code, signal) => {
      exited = code ?? signal;
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${opts.port}`;
  const deadline = started + (opts.timeoutMs ?? 20_000);
  for (;;) {
    if (exited !== undefined) throw new Error(`${opts.label} exited (${exited}) before it was ready:\n${stderr}`);
    try {
      const res = await request(url + opts.readyPath, { timeoutMs: 1000 });
      if (res.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (performance.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`${opts.label} not ready after ${opts.timeoutMs ?? 20_000} ms:\n${stderr}`);
    }
    await sleep(5);
  }
  const startMs = performance.now() - started;
  const startCpuMs = processCpuMs(proc.pid);
  return {
    label: opts.label,
    url,
    port: opts.port,
    proc,
    startMs,
    startCpuMs,
    cpuMs: () => processCpuMs(proc.pid),
    stop: async () => {
      if (exited !== undefined) return;
      recordChildCpu(proc.pid);
      // SIGTERM lets kubemu close cleanly, which is also when --cpu-prof writes its profile.
      proc.kill('SIGTERM');
      const killer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(killer);
    },
  };
}

export interface KubemuOptions {
  label: string;
  /** A directory for the SQLite file, or ':memory:'. */
  dataDir: string;
  synchronous?: 'NORMAL' | 'FULL';
  cpuProfDir?: string;
  port?: number;
}

export async function startKubemu(opts: KubemuOptions): Promise<Child> {
  const port = opts.port ?? (await freePort());
  const args = [KUBEMU_MAIN, 'serve', '--host', '127.0.0.1', '--port', String(port), '--data-dir', opts.dataDir, '--log-level', 'error'];
  if (opts.synchronous) args.push('--sqlite-synchronous', opts.synchronous);
  return spawnServer({ label: opts.label, args, readyPath: '/readyz', port, cpuProfDir: opts.cpuProfDir });
}

export async function startBaseline(
  name: Parameters<typeof baselineScript>[0],
  label: string,
  args: string[] = [],
  readyPath = '/',
): Promise<Child> {
  const port = await freePort();
  return spawnServer({ label, args: [baselineScript(name), '--port', String(port), ...args], readyPath, port });
}

/** A fresh directory on the real disk (os.tmpdir() here is ext4, not tmpfs), so fsync costs what it costs. */
export function freshDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `kubemu-bench-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
