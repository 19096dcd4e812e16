import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { OpenApiDocuments } from './openapi-builder';
import { stableStringify } from './stable-json';

/**
 * The committed form of the OpenAPI documents under openapi/ at the repository root:
 *   openapi/v2.json                              → /openapi/v2
 *   openapi/v3/api/v1.json                       → /openapi/v3/api/v1
 *   openapi/v3/apis/coordination.k8s.io/v1.json  → /openapi/v3/apis/coordination.k8s.io/v1
 * Pretty-printed with sorted keys so reviews show real changes; the server re-serialises compactly.
 */

export const V2_FILE = 'v2.json';
export const V3_DIR = 'v3';

export function v3FileOf(key: string): string {
  return `${V3_DIR}/${key}.json`;
}

/** Relative path → file text, for writing or for comparing with what is committed. */
export function renderOpenApiFiles(docs: OpenApiDocuments): Map<string, string> {
  const files = new Map<string, string>();
  files.set(V2_FILE, `${stableStringify(docs.v2, 1)}\n`);
  for (const [key, doc] of docs.v3) files.set(v3FileOf(key), `${stableStringify(doc, 1)}\n`);
  return files;
}

/**
 * The repository's openapi/ directory, found by walking up from `start`: the same answer from
 * src/api under jest and from dist/src/api after `nest build` (dist mirrors the root but does not
 * copy openapi/).
 */
export function locateOpenApiDir(start = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'openapi');
    if (existsSync(join(candidate, V2_FILE))) return candidate;
    if (dirname(dir) === dir) throw new Error(`openapi: no openapi/${V2_FILE} above ${start}`);
  }
}

/** Every committed file under `dir`, keyed by its path relative to `dir` with "/" separators. */
export function readOpenApiFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (current: string): void => {
    for (const entry of readdirSync(current).sort()) {
      const path = join(current, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith('.json')) files.set(relative(dir, path).split(sep).join('/'), readFileSync(path, 'utf8'));
    }
  };
  if (existsSync(dir)) walk(dir);
  return files;
}

/** The committed documents parsed back: the v2 document and the v3 documents by index key ("api/v1"). */
export function loadOpenApiDocuments(dir: string): { v2: unknown; v3: Map<string, unknown> } {
  const files = readOpenApiFiles(dir);
  const v2Text = files.get(V2_FILE);
  if (v2Text === undefined) throw new Error(`openapi: ${join(dir, V2_FILE)} missing`);
  const v3 = new Map<string, unknown>();
  for (const [path, text] of files) {
    if (path.startsWith(`${V3_DIR}/`)) v3.set(path.slice(V3_DIR.length + 1, -'.json'.length), JSON.parse(text) as unknown);
  }
  return { v2: JSON.parse(v2Text) as unknown, v3 };
}
