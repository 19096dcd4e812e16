/**
 * The commands a simulated container answers to through exec: a busybox-like handful (env,
 * printenv, echo, cat, ls, hostname, grep, head, tail, wc, sort, nslookup ...) run over the
 * container's computed environment and files. Nothing runs for real; what cannot be answered
 * from the API objects is reported as a missing command, as a minimal image would.
 */
import { parseShell, shellScript, SHELLS, baseName, usesControlFlow } from './shell-syntax';
import { CLUSTER_DOMAIN, type ContainerEnvironment } from './container-environment';

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** How long the command takes to run (sleep), in seconds. */
  seconds?: number;
}

/** Output a container writes, at an offset from its start: what `kubectl logs` reads. */
export interface OutputChunk {
  atMs: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface ShellContext {
  environment: ContainerEnvironment;
  /** Cluster DNS: the A records of a fully qualified name, or undefined (NXDOMAIN). */
  resolve(fqdn: string): string[] | undefined;
  /** Whether an address answers ping (pods and nodes do, cluster IPs never). */
  answersPing(ip: string): boolean;
  dnsServer: string;
  now(): Date;
}

/** How exec reports a binary that is not in the image: the runtime's refusal, before anything runs. */
export class ExecutableNotFoundError extends Error {
  constructor(readonly command: string) {
    super(`exec: "${command}": executable file not found in $PATH`);
  }
}

const ok = (stdout = ''): CommandResult => ({ stdout, stderr: '', exitCode: 0 });
const fail = (stderr: string, exitCode = 1, stdout = ''): CommandResult => ({ stdout, stderr, exitCode });

function lines(text: string): string[] {
  const all = text.split('\n');
  if (all[all.length - 1] === '') all.pop();
  return all;
}

const joinLines = (list: string[]) => (list.length ? `${list.join('\n')}\n` : '');

function normalize(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

function directoryEntries(files: Map<string, string>, dir: string): string[] | undefined {
  const prefix = dir === '/' ? '/' : `${dir}/`;
  const entries = new Set<string>();
  let exists = dir === '/';
  for (const path of files.keys()) {
    if (!path.startsWith(prefix)) continue;
    exists = true;
    const rest = path.slice(prefix.length).split('/')[0];
    if (rest && rest !== '.') entries.add(rest);
  }
  return exists ? [...entries].sort() : undefined;
}

/** `date`'s default output, in UTC: "Sat Dec  5 19:20:06 UTC 2026". */
function dateText(now: Date): string {
  const [weekday, day, month, year, time] = now.toUTCString().replace(',', '').split(' ');
  return `${weekday} ${month} ${String(Number(day)).padStart(2, ' ')} ${time} UTC ${year}`;
}

function numberOption(args: string[], flag: string, fallback: number): { n: number; rest: string[] } {
  const rest: string[] = [];
  let n = fallback;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === flag && i + 1 < args.length) n = Number(args[++i]);
    else if (args[i].startsWith(flag) && /^\d+$/.test(args[i].slice(flag.length))) n = Number(args[i].slice(flag.length));
    else if (/^-\d+$/.test(args[i])) n = Number(args[i].slice(1));
    else rest.push(args[i]);
  }
  return { n, rest };
}

/** Where a command's streams go: `>&2`, `2>&1`, `>/dev/null`, `2>/dev/null` are understood. */
function redirections(words: string[]): { words: string[]; redirect: { stdout: 'pipe' | 'stderr' | 'null'; stderr: 'stderr' | 'stdout' | 'null' } } {
  const redirect: { stdout: 'pipe' | 'stderr' | 'null'; stderr: 'stderr' | 'stdout' | 'null' } = { stdout: 'pipe', stderr: 'stderr' };
  const kept: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === '>&2' || w === '1>&2') redirect.stdout = 'stderr';
    else if (w === '2>&1') redirect.stderr = 'stdout';
    else if (w === '>/dev/null' || w === '1>/dev/null' || ((w === '>' || w === '1>') && words[i + 1] === '/dev/null' && ++i)) redirect.stdout = 'null';
    else if (w === '2>/dev/null' || (w === '2>' && words[i + 1] === '/dev/null' && ++i)) redirect.stderr = 'null';
    else kept.push(w);
  }
  return { words: kept, redirect };
}

/** π to `digits` significant digits, as `perl -Mbignum=bpi -wle 'print bpi(N)'` prints it (Machin's formula). */
export function piDigits(digits: number): string {
  const n = Math.max(1, Math.min(digits, 10_000));
  const scale = 10n ** BigInt(n + 10);
  const arctanInverse = (x: bigint) => {
    let term = scale / x;
    let sum = term;
    const x2 = x * x;
    for (let k = 1n; term !== 0n; k++) {
      term /= x2;
      sum += (k % 2n === 1n ? -term : term) / (2n * k + 1n);
    }
    return sum;
  };
  // n + 1 digits, then rounded to n, as bignum rounds its last digit.
  const wide = (16n * arctanInverse(5n) - 4n * arctanInverse(239n)) / 10n ** 10n;
  const text = ((wide + 5n) / 10n).toString();
  return n === 1 ? text : `${text[0]}.${text.slice(1)}`;
}

export class SimulatedShell {
  constructor(private readonly ctx: ShellContext) {}

  private get files(): Map<string, string> {
    return this.ctx.environment.files;
  }

  private read(path: string): string | undefined {
    return this.files.get(normalize(path));
  }

  private inputs(args: string[], stdin: string, name: string): { text: string; errors: string } {
    if (!args.length) return { text: stdin, errors: '' };
    let text = '';
    let errors = '';
    for (const file of args) {
      const content = this.read(file);
      if (content === undefined) errors += `${name}: ${file}: No such file or directory\n`;
      else text += content;
    }
    return { text, errors };
  }

  private envText(): string {
    return joinLines(this.ctx.environment.env.map(([k, v]) => `${k}=${v}`));
  }

  private lookup(name: string): { fqdn: string; addresses: string[] } | undefined {
    const trimmed = name.replace(/\.$/, '');
    const namespace = this.ctx.environment.namespace;
    const candidates = trimmed.split('.').length > 4 || name.endsWith('.') ? [trimmed] : [`${trimmed}.${namespace}.svc.${CLUSTER_DOMAIN}`, `${trimmed}.svc.${CLUSTER_DOMAIN}`, `${trimmed}.${CLUSTER_DOMAIN}`, trimmed];
    for (const fqdn of candidates) {
      const addresses = this.ctx.resolve(fqdn);
      if (addresses?.length) return { fqdn, addresses };
    }
    return undefined;
  }

  /** One simple command with its standard input. */
  command(words: string[], stdin = ''): CommandResult {
    const [program, ...args] = words;
    const name = baseName(program);
    const env = new Map(this.ctx.environment.env);
    switch (name) {
      case 'env':
        return ok(this.envText());
      case 'printenv': {
        if (!args.length) return ok(this.envText());
        const found = args.filter((a) => env.has(a)).map((a) => env.get(a)!);
        return { stdout: joinLines(found), stderr: '', exitCode: found.length === args.length ? 0 : 1 };
      }
      case 'echo': {
        const noNewline = args[0] === '-n';
        const text = (noNewline ? args.slice(1) : args).join(' ');
        return ok(noNewline ? text : `${text}\n`);
      }
      case 'printf':
        return ok((args[0] ?? '').replace(/\\n/g, '\n').replace(/%s/g, () => args[1] ?? ''));
      case 'cat': {
        const { text, errors } = this.inputs(args, stdin, 'cat');
        return { stdout: text, stderr: errors, exitCode: errors ? 1 : 0 };
      }
      case 'ls': {
        const paths = args.filter((a) => !a.startsWith('-'));
        const all = args.some((a) => a.startsWith('-') && a.includes('a'));
        let out = '';
        let errors = '';
        for (const path of paths.length ? paths : ['/']) {
          const entries = directoryEntries(this.files, normalize(path));
          if (entries) out += joinLines(all ? ['.', '..', ...entries] : entries.filter((e) => !e.startsWith('.')));
          else if (this.read(path) !== undefined) out += `${path}\n`;
          else errors += `ls: ${path}: No such file or directory\n`;
        }
        return { stdout: out, stderr: errors, exitCode: errors ? 1 : 0 };
      }
      case 'hostname':
        return ok(`${this.ctx.environment.hostname}\n`);
      case 'pwd':
        return ok('/\n');
      case 'whoami':
        return ok('root\n');
      case 'id':
        return ok('uid=0(root) gid=0(root) groups=0(root)\n');
      case 'uname':
        return ok(args.includes('-a') ? `Linux ${this.ctx.environment.hostname} 6.1.0-kubemu #1 SMP x86_64 GNU/Linux\n` : 'Linux\n');
      case 'date':
        return ok(`${dateText(this.ctx.now())}\n`);
      case 'sleep': {
        const seconds = Number(args[0]);
        return { ...ok(), seconds: Number.isFinite(seconds) && seconds > 0 ? seconds : 0 };
      }
      case 'true':
      case ':':
        return ok();
      case 'perl': {
        const digits = /bpi\((\d+)\)/.exec(args.join(' '));
        if (!digits) return fail(`sh: ${program}: not found\n`, 127);
        return ok(`${piDigits(Number(digits[1]))}\n`);
      }
      case 'false':
        return fail('', 1);
      case 'grep': {
        const flags = args.filter((a) => /^-[a-zA-Z]+$/.test(a)).join('');
        const [pattern, ...files] = args.filter((a) => !/^-[a-zA-Z]+$/.test(a));
        if (pattern === undefined) return fail('Usage: grep [-icv] PATTERN [FILE]...\n', 2);
        const { text, errors } = this.inputs(files, stdin, 'grep');
        let regex: RegExp;
        try {
          regex = new RegExp(pattern, flags.includes('i') ? 'i' : '');
        } catch {
          return fail(`grep: bad regex '${pattern}'\n`, 2);
        }
        const matched = lines(text).filter((l) => regex.test(l) !== flags.includes('v'));
        const stdout = flags.includes('c') ? `${matched.length}\n` : joinLines(matched);
        return { stdout, stderr: errors, exitCode: errors ? 2 : matched.length ? 0 : 1 };
      }
      case 'head':
      case 'tail': {
        const { n, rest } = numberOption(args, '-n', 10);
        const { text, errors } = this.inputs(rest, stdin, name);
        const all = lines(text);
        return { stdout: joinLines(name === 'head' ? all.slice(0, n) : all.slice(Math.max(0, all.length - n))), stderr: errors, exitCode: errors ? 1 : 0 };
      }
      case 'wc': {
        const files = args.filter((a) => !a.startsWith('-'));
        const { text, errors } = this.inputs(files, stdin, 'wc');
        const count = lines(text).length;
        const stdout = args.includes('-l') ? `${count}\n` : `${count} ${text.split(/\s+/).filter((w) => w).length} ${Buffer.byteLength(text)}\n`;
        return { stdout, stderr: errors, exitCode: errors ? 1 : 0 };
      }
      case 'sort': {
        const { text, errors } = this.inputs(args.filter((a) => !a.startsWith('-')), stdin, 'sort');
        const sorted = lines(text).sort();
        return { stdout: joinLines(args.includes('-r') ? sorted.reverse() : sorted), stderr: errors, exitCode: errors ? 1 : 0 };
      }
      case 'ping': {
        // busybox's output; without -c a real ping runs until interrupted, here it stops after four.
        const { n: count, rest } = numberOption(args, '-c', 4);
        const target = rest.find((a) => !a.startsWith('-'));
        if (!target) return fail('BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n', 1);
        const ip = /^\d+\.\d+\.\d+\.\d+$/.test(target) ? target : this.lookup(target)?.addresses[0];
        if (!ip) return fail(`ping: bad address '${target}'\n`, 1);
        const replies = this.ctx.answersPing(ip) ? count : 0;
        const lines = [`PING ${target} (${ip}): 56 data bytes`];
        for (let seq = 0; seq < replies; seq++) lines.push(`64 bytes from ${ip}: seq=${seq} ttl=62 time=0.${(80 + seq * 7) % 100} ms`);
        lines.push('', `--- ${target} ping statistics ---`, `${count} packets transmitted, ${replies} packets received, ${replies ? 0 : 100}% packet loss`);
        if (replies) lines.push('round-trip min/avg/max = 0.080/0.090/0.101 ms');
        return { stdout: joinLines(lines), stderr: '', exitCode: replies ? 0 : 1 };
      }
      case 'nslookup': {
        const target = args.find((a) => !a.startsWith('-'));
        if (!target) return fail('Usage: nslookup HOST [DNS_SERVER]\n');
        const server = `Server:\t\t${this.ctx.dnsServer}\nAddress:\t${this.ctx.dnsServer}:53\n\n`;
        const found = this.lookup(target);
        // busybox prints the failure on standard output, after the server lines.
        if (!found) return { stdout: `${server}** server can't find ${target}: NXDOMAIN\n\n`, stderr: '', exitCode: 1 };
        return ok(`${server}${found.addresses.map((a) => `Name:\t${found.fqdn}\nAddress: ${a}\n`).join('')}\n`);
      }
      case 'exit':
        return { stdout: '', stderr: '', exitCode: args.length ? Number(args[0]) & 255 : 0 };
      default:
        return fail(`sh: ${program}: not found\n`, 127);
    }
  }

  /** A `sh -c` script: lists and pipelines of the commands above. */
  script(text: string, stdin = '', timeline?: OutputChunk[]): CommandResult {
    if (usesControlFlow(text)) return fail(`sh: loops and conditionals are not simulated by kubemu's shell\n`, 2);
    let stdout = '';
    let stderr = '';
    let exitCode = 0;
    let seconds = 0;
    const emit = (stream: OutputChunk['stream'], chunk: string) => {
      if (!chunk) return;
      if (stream === 'stdout') stdout += chunk;
      else stderr += chunk;
      timeline?.push({ atMs: Math.round(seconds * 1000), stream, text: chunk });
    };
    for (const { join, pipeline } of parseShell(text, Object.fromEntries(this.ctx.environment.env))) {
      if ((join === '&&' && exitCode !== 0) || (join === '||' && exitCode === 0)) continue;
      let input = stdin;
      for (const [i, raw] of pipeline.entries()) {
        const { words, redirect } = redirections(raw);
        const result = this.command(words, input);
        seconds += result.seconds ?? 0;
        exitCode = result.exitCode;
        // What goes down the pipe (or, after the last command, to standard output).
        let piped = '';
        if (redirect.stdout === 'pipe') piped += result.stdout;
        else if (redirect.stdout === 'stderr') emit('stderr', result.stdout);
        if (redirect.stderr === 'stdout') piped += result.stderr;
        else if (redirect.stderr === 'stderr') emit('stderr', result.stderr);
        if (i === pipeline.length - 1) emit('stdout', piped);
        input = piped;
      }
      if (baseName(pipeline[pipeline.length - 1][0]) === 'exit') break;
    }
    return { stdout, stderr, exitCode, seconds };
  }

  /**
   * What exec runs: a shell with -c, a command of the image, or a missing executable (thrown, as
   * the runtime refuses to start it). A bare shell reads its script from `stdin`.
   */
  exec(argv: string[], stdin = ''): CommandResult {
    const text = shellScript(argv);
    if (text !== undefined) return this.script(text, stdin);
    if (SHELLS.has(baseName(argv[0] ?? ''))) return this.script(stdin);
    const result = this.command(argv, stdin);
    if (result.exitCode === 127 && result.stderr.startsWith('sh: ')) throw new ExecutableNotFoundError(argv[0]);
    return result;
  }
}
