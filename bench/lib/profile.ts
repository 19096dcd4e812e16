import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');
const IDLE = new Set(['(idle)', '(program)', '(root)']);

function where(frame: CallFrame): string {
  if (!frame.url) return '(native)';
  const path = frame.url.startsWith('file://') ? frame.url.slice('file://'.length) : frame.url;
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  if (pkg) return `node_modules/${pkg[1]}`;
  return path.startsWith(PROJECT_ROOT) ? relative(PROJECT_ROOT, path) : path;
}

/** For naming a function: its file, shortened to the part inside node_modules or the project. */
function fileOf(frame: CallFrame): string {
  if (!frame.url) return '(native)';
  const path = frame.url.startsWith('file://') ? frame.url.slice('file://'.length) : frame.url;
  const inPackage = path.lastIndexOf('/node_modules/');
  if (inPackage >= 0) return path.slice(inPackage + 1);
  return path.startsWith(PROJECT_ROOT) ? relative(PROJECT_ROOT, path) : path;
}

function top(map: Map<string, number>, n: number, total: number): string[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `  ${(v / 1000).toFixed(0).padStart(6)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
}

/**
 * Self time by function and by file, and inclusive time of the project's own functions, from a
 * V8 .cpuprofile. Inclusive time is what points at a culprit whose cost sits in library code.
 */
export function summarizeProfile(file: string, n = 15): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));

  let busy = 0;
  const selfFn = new Map<string, number>();
  const selfFile = new Map<string, number>();
  const inclusiveOwn = new Map<string, number>();
  const inclusivePackage = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node || IDLE.has(node.callFrame.functionName)) continue;
    busy += us;
    const frame = node.callFrame;
    const fn = `${frame.functionName || '(anonymous)'} ${fileOf(frame)}:${frame.lineNumber + 1}`;
    selfFn.set(fn, (selfFn.get(fn) ?? 0) + us);
    selfFile.set(where(frame), (selfFile.get(where(frame)) ?? 0) + us);
    // Each project function on the stack is charged once per sample, however deep it recurses.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame;
      const w = where(f);
      if (w.startsWith('node_modules/') && !seen.has(w)) {
        seen.add(w);
        inclusivePackage.set(w, (inclusivePackage.get(w) ?? 0) + us);
      }
      if (w.includes('node_modules') || !/(^|\/)(src|migrations)\//.test(w)) continue;
      const key = `${f.functionName || '(anonymous)'} ${w}:${f.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusiveOwn.set(key, (inclusiveOwn.get(key) ?? 0) + us);
    }
  }
  return [
    `${file}: ${(busy / 1000).toFixed(0)} ms on CPU (line numbers are of the compiled .js)`,
    ' self time by function:',
    ...top(selfFn, n, busy),
    ' self time by file / package:',
    ...top(selfFile, n, busy),
    ' inclusive time of kubemu functions:',
    ...top(inclusiveOwn, n, busy),
    ' inclusive time of packages (everything called from inside them):',
    ...top(inclusivePackage, 10, busy),
  ].join('\n');
}

export function profilesIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}
