/**
 * The small part of POSIX shell syntax simulated containers understand: words with quotes,
 * `$VAR`/`${VAR}` expansion (not inside single quotes), pipelines with `|`, and lists joined by
 * `;`, newlines, `&&` and `||`. Enough for `env | grep SERVICE`, `echo $HOSTNAME` and
 * `cat /etc/config/key && sleep 5`; anything more is left to the caller to refuse.
 */

/** Commands joined by `|`. */
export type Pipeline = string[][];

/** A pipeline and how it joins the one before it. */
export interface ListItem {
  join: ';' | '&&' | '||';
  pipeline: Pipeline;
}

export function parseShell(script: string, env: Record<string, string | undefined> = {}): ListItem[] {
  const items: ListItem[] = [];
  let pipeline: Pipeline = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: string | undefined;
  let join: ListItem['join'] = ';';
  const endWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    if (words.length) pipeline.push(words);
    words = [];
  };
  const endPipeline = (next: ListItem['join']) => {
    endCommand();
    if (pipeline.length) items.push({ join, pipeline });
    pipeline = [];
    join = next;
  };
  for (let i = 0; i < script.length; i++) {
    const ch = script[i];
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word += ch;
      continue;
    }
    if (ch === '$' && /[A-Za-z_{]/.test(script[i + 1] ?? '')) {
      const braced = script[i + 1] === '{';
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(script.slice(i + (braced ? 2 : 1)));
      if (match) {
        word += env[match[0]] ?? '';
        inWord = true;
        i += match[0].length + (braced ? 2 : 0);
        continue;
      }
    }
    if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && i + 1 < script.length && '"\\$'.includes(script[i + 1])) word += script[++i];
      else word += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < script.length) {
      word += script[++i];
      inWord = true;
    } else if (ch === ' ' || ch === '\t') endWord();
    else if (ch === ';' || ch === '\n') endPipeline(';');
    else if (ch === '&' && script[i + 1] === '&') {
      endPipeline('&&');
      i++;
    } else if (ch === '|' && script[i + 1] === '|') {
      endPipeline('||');
      i++;
    } else if (ch === '|') endCommand();
    else {
      word += ch;
      inWord = true;
    }
  }
  endPipeline(';');
  return items;
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);

/** The script of `sh -c '<script>'`, if argv is that. */
export function shellScript(argv: string[]): string | undefined {
  if (!argv.length || !SHELLS.has(baseName(argv[0]))) return undefined;
  const dashC = argv.indexOf('-c');
  return dashC > 0 && dashC + 1 < argv.length ? argv[dashC + 1] : undefined;
}

/** Shell words that open loops, conditionals and functions: syntax the simulated shell does not run. */
const CONTROL_WORDS = new Set(['while', 'until', 'for', 'if', 'case', 'function', 'select']);

/** Whether a script uses loops or conditionals (its outcome cannot be told by running it line by line). */
export function usesControlFlow(script: string): boolean {
  return parseShell(script).some(({ pipeline }) => pipeline.some((words) => CONTROL_WORDS.has(words[0] ?? '')));
}
