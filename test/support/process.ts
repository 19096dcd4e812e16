/**
 * Runs a helper program (openssl, python3, ...) for an end-to-end test. Always asynchronous:
 * the in-process server shares the jest event loop, so a synchronous spawn would block the
 * server the child is talking to.
 */
import { spawn } from 'node:child_process';

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ProcessOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  stdin?: string;
  /** Kill the child after this long; a hung child fails its test instead of the whole run. */
  timeoutMs?: number;
}

export function runProcess(command: string, args: string[], opts: ProcessOptions = {}): Promise<ProcessResult> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      fail(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8');
      done({
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: timedOut ? `${stderr}\n[${command} ${args.join(' ')} killed after ${timeoutMs} ms]` : stderr,
      });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.stdin ?? '');
  });
}

/**
 * Makes sure a Debian package is installed, installing it (apt-get update first) when the suite
 * runs as root, as CI does; elsewhere a missing package fails loudly with the command to run.
 */
export async function ensureDebianPackage(pkg: string, check: { command: string; args: string[] }): Promise<void> {
  if ((await runProcess(check.command, check.args).catch(() => ({ code: 1 }))).code === 0) return;
  if (process.getuid?.() !== 0) throw new Error(`this suite needs the Debian package ${pkg}: apt-get install ${pkg}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', pkg]]) {
    const r = await runProcess('apt-get', args, { env, timeoutMs: 300_000 });
    if (r.code !== 0) throw new Error(`apt-get ${args.join(' ')} failed: ${r.stderr}`);
  }
}
