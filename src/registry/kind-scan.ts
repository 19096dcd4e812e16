import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
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

/**
 * Every built-in kind, found by scanning src/kinds/ for `*.resource` files, so adding a kind is
 * adding a folder and nothing else.
 */
export function scanResourceTypes(): ResourceType[] {
  const types: ResourceType[] = [];
  for (const file of findKindFiles('.resource')) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(file) as Record<string, unknown>;
    for (const value of Object.values(exported)) if (isResourceType(value)) types.push(value);
  }
  return types;
}

/** Every reconciler factory declared beside a kind (`*.reconciler` files). */
export function scanReconcilers(): ReconcilerFactory[] {
  const factories: ReconcilerFactory[] = [];
  for (const file of findKindFiles('.reconciler')) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(file) as Record<string, unknown>;
    for (const value of Object.values(exported)) if (isReconcilerFactory(value)) factories.push(value);
  }
  return factories;
}
