import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { bundleManifest } from '../config/bundle-manifest';
import { isReconcilerFactory, type ReconcilerFactory } from '../controller-runtime/reconciler';
import { isResourceType, type ResourceType } from './resource-type';

const KINDS_ROOT = join(__dirname, '..', 'kinds');

/** Files under src/kinds/ whose name ends with the suffix, in a stable order. */
export function findKindFiles(suffix: string, root = KINDS_ROOT): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if ((entry.endsWith(`${suffix}.js`) || entry.endsWith(`${suffix}.ts`)) && !entry.endsWith('.d.ts')) found.push(path);
    }
  };
  walk(root);
  return found;
}

/** The exports of every kind file with this suffix: from disk, or from the single-file build's manifest. */
function kindModules(suffix: string): Record<string, unknown>[] {
  const bundled = bundleManifest();
  if (bundled) return (bundled.kinds[suffix] ?? []).map((load) => load());
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return findKindFiles(suffix).map((file) => require(file) as Record<string, unknown>);
}

/**
 * Every built-in kind, found by scanning src/kinds/ for `*.resource` files, so adding a kind is
 * adding a folder and nothing else.
 */
export function scanResourceTypes(): ResourceType[] {
  return kindModules('.resource').flatMap((exported) => Object.values(exported).filter(isResourceType));
}

/** Every reconciler factory declared beside a kind (`*.reconciler` files). */
export function scanReconcilers(): ReconcilerFactory[] {
  return kindModules('.reconciler').flatMap((exported) => Object.values(exported).filter(isReconcilerFactory));
}
