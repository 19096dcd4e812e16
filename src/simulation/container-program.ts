/**
 * What a simulated container does once started. Nothing is executed: the command line is read for
 * the few shapes whose outcome is certain (`sleep 30`, `sh -c "echo hi; exit 3"`, `true`, an image
 * whose default shell exits at once without a terminal), and everything else runs until stopped,
 * as servers do.
 */
import type { Container } from '../kinds/core/pod/pod.types';

export interface ProgramRun {
  /** Seconds from start to exit. */
  seconds: number;
  exitCode: number;
}

/** Images whose default command is a shell that exits at once when no terminal or stdin is attached. */
const SHELL_IMAGES = new Set(['busybox', 'alpine', 'ubuntu', 'debian', 'centos', 'fedora', 'rockylinux', 'amazonlinux', 'hello-world']);
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);
const INSTANT = new Set(['echo', 'printf', 'true', 'date', 'env', 'printenv', 'hostname', 'ls', 'cat', 'pwd', 'id', 'whoami', 'uname', 'nslookup', 'wget', 'curl', ':']);
/** Well-known one-shot jobs: the Job documentation's pi calculation takes a few seconds. */
const KNOWN_JOBS: [RegExp, ProgramRun][] = [[/^perl\b.*\bbpi\(/, { seconds: 5, exitCode: 0 }]];

function imageName(image: string | undefined): string {
  const withoutDigest = (image ?? '').split('@')[0];
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  return lastSegment.split(':')[0];
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Splits a shell word list the way a simple `sh -c` script reads: quotes group, `;` `&&` `||` and newlines separate. */
function shellStatements(script: string): string[][] {
  const statements: string[][] = [];
  let words: string[] = [];
  let word = '';
  let quote: string | undefined;
  const endWord = () => {
    if (word) words.push(word);
    word = '';
  };
  const endStatement = () => {
    endWord();
    if (words.length) statements.push(words);
    words = [];
  };
  for (let i = 0; i < script.length; i++) {
    const ch = script[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      else word += ch;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === ' ' || ch === '\t') endWord();
    else if (ch === ';' || ch === '\n') endStatement();
    else if ((ch === '&' || ch === '|') && script[i + 1] === ch) {
      endStatement();
      i++;
    } else word += ch;
  }
  endStatement();
  return statements;
}

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

/** A script of simple commands run in order; `exit` or a failing command under `set -e` ends it. */
function script(text: string): ProgramRun | undefined {
  let seconds = 0;
  let exitCode = 0;
  for (const words of shellStatements(text)) {
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
  if (SHELLS.has(baseName(argv[0]))) {
    const dashC = argv.indexOf('-c');
    return dashC > 0 && dashC + 1 < argv.length ? script(argv[dashC + 1]) : undefined;
  }
  return simpleCommand(argv);
}
