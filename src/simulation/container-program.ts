/**
 * What a simulated container does once started. Nothing is executed: the command line is read for
 * the few shapes whose outcome is certain (`sleep 30`, `sh -c "echo hi; exit 3"`, `true`, an image
 * whose default shell exits at once without a terminal), and everything else runs until stopped,
 * as servers do.
 */
import type { Container } from '../kinds/core/pod/pod.types';
import { baseName, parseShell, shellScript } from './shell/shell-syntax';
import { imageName } from './images';

export interface ProgramRun {
  /** Seconds from start to exit. */
  seconds: number;
  exitCode: number;
}

/** Images whose default command is a shell that exits at once when no terminal or stdin is attached. */
const SHELL_IMAGES = new Set(['busybox', 'alpine', 'ubuntu', 'debian', 'centos', 'fedora', 'rockylinux', 'amazonlinux', 'hello-world']);
const INSTANT = new Set(['echo', 'printf', 'true', 'date', 'env', 'printenv', 'hostname', 'ls', 'cat', 'pwd', 'id', 'whoami', 'uname', 'nslookup', 'wget', 'curl', ':']);
/** Well-known one-shot jobs: the Job documentation's pi calculation takes a few seconds. */
const KNOWN_JOBS: [RegExp, ProgramRun][] = [[/^perl\b.*\bbpi\(/, { seconds: 5, exitCode: 0 }]];

/** One simple command: its run, `undefined` when it runs until stopped (or cannot be told). */
function simpleCommand(words: string[]): ProgramRun | undefined {
  const [program, ...args] = words;
  const name = baseName(program);
  if (name === 'sleep') {
    const seconds = Number(args[0]);
    return args.length === 1 && Number.isFinite(seconds) && seconds >= 0 ? { seconds, exitCode: 0 } : undefined;
  }
  if (name === 'exit') return { seconds: 0, exitCode: args.length ? Number(args[0]) & 255 : 0 };
  if (name === 'false') return { seconds: 0, exitCode: 1 };
  if (INSTANT.has(name)) return { seconds: 0, exitCode: 0 };
  for (const [pattern, run] of KNOWN_JOBS) if (pattern.test(words.join(' '))) return run;
  return undefined;
}

/** A script of simple commands run in order; `exit` ends it. Pipelines cannot be told. */
function script(text: string): ProgramRun | undefined {
  let seconds = 0;
  let exitCode = 0;
  for (const { join, pipeline } of parseShell(text)) {
    if (pipeline.length !== 1) return undefined;
    const words = pipeline[0];
    if ((join === '&&' && exitCode !== 0) || (join === '||' && exitCode === 0)) continue;
    if (words[0] === 'set') continue;
    const run = simpleCommand(words);
    if (!run) return undefined;
    seconds += run.seconds;
    exitCode = run.exitCode;
    if (baseName(words[0]) === 'exit') break;
  }
  return { seconds, exitCode };
}

export function containerProgram(container: Container): ProgramRun | undefined {
  const argv = [...(container.command ?? []), ...(container.args ?? [])];
  if (argv.length === 0) {
    const interactive = container.stdin || container.tty;
    return SHELL_IMAGES.has(imageName(container.image)) && !interactive ? { seconds: 0, exitCode: 0 } : undefined;
  }
  const text = shellScript(argv);
  if (text !== undefined) return script(text);
  if (argv.length > 1 && ['sh', 'bash'].includes(baseName(argv[0]))) return undefined;
  return simpleCommand(argv);
}
