import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The bench runs from its compiled form (dist/bench/...), so everything it spawns is found relative
 * to the compiled tree rather than the source tree: the server under test is the very build that
 * `npm run build` just produced.
 */
const DIST_ROOT = resolve(__dirname, '..', '..');

/** The single-file build `npm run serve` runs (tools/bundle.ts). */
export const KUBEMU_MAIN = join(DIST_ROOT, 'src', 'kubemu.js');

export function baselineScript(name: 'static-server' | 'sqlite-server' | 'broadcast-server' | 'hello-server'): string {
  return join(DIST_ROOT, 'bench', 'baselines', `${name}.js`);
}

export function assertBuilt(): void {
  if (!existsSync(KUBEMU_MAIN)) throw new Error(`${KUBEMU_MAIN} is missing: run \`npm run build\` first (npm run bench does)`);
  if (!existsSync(baselineScript('static-server'))) throw new Error('compiled baselines are missing: run `npm run build` first');
}
