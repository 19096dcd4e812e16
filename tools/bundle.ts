/**
 * The single-file build: after `nest build`, compiles dist/src/main.js and every kind module into
 * dist/src/kubemu.js. Node then reads and compiles one script instead of resolving and loading some
 * two thousand files (NestJS, TypeORM, fastify, ...), which halves the time to /readyz. Kinds are
 * still found by scanning src/kinds/: this script scans at build time and hands the bundle a
 * manifest of loaders (src/config/bundle-manifest.ts), so adding a kind remains adding a folder.
 *
 * Run as `node dist/tools/bundle.js` (npm run build does).
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { findKindFiles } from '../src/registry/kind-scan';

const DIST_SRC = join(__dirname, '..', 'src');
export const BUNDLE_FILE = join(DIST_SRC, 'kubemu.js');

/** Native addons load their .node file relative to their own package, so they stay outside. */
const NATIVE = ['better-sqlite3'];

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function installed(name: string, from: string): boolean {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', name, 'package.json'))) return true;
    if (dirname(dir) === dir) return false;
  }
}

/**
 * NestJS and TypeORM name many optional packages (other HTTP platforms, other databases) behind
 * run-time checks; those that are not installed stay plain requires, failing only if ever used.
 */
const optionalPackages: Plugin = {
  name: 'optional-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return undefined;
      const name = packageName(args.path);
      if (NATIVE.includes(name) || !installed(name, args.resolveDir || DIST_SRC)) return { path: args.path, external: true };
      return undefined;
    });
  },
};

function loaders(suffix: string): string {
  const files = findKindFiles(suffix, join(DIST_SRC, 'kinds')).filter((file) => file.endsWith('.js'));
  return `[${files.map((file) => `() => require(${JSON.stringify(`./${relative(DIST_SRC, file)}`)})`).join(', ')}]`;
}

export async function bundle(): Promise<void> {
  const entry = [
    `globalThis[Symbol.for('kubemu.bundle')] = {`,
    `  kinds: { '.resource': ${loaders('.resource')}, '.reconciler': ${loaders('.reconciler')} },`,
    `  writerScript: require('node:path').join(__dirname, 'storage', 'sqlite-writer.worker.js'),`,
    `};`,
    `require('./main.js');`,
  ].join('\n');
  await build({
    stdin: { contents: entry, resolveDir: DIST_SRC, sourcefile: 'kubemu-entry.js', loader: 'js' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // No keepNames: it wraps every function the code creates, per request too, in a defineProperty
    // call (GET fell from 0.8x to 0.55x of raw node:http). Nothing here depends on a class's name;
    // migrations name themselves, as TypeORM requires.
    outfile: BUNDLE_FILE,
    plugins: [optionalPackages],
    logLevel: 'warning',
    banner: { js: '#!/usr/bin/env node' },
  });
}

if (require.main === module) {
  bundle().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
