/**
 * Writes the OpenAPI documents the server publishes into openapi/ (v2.json and v3/<group-version>.json),
 * from the served kinds (scanResourceTypes()) and src/machinery/schema/definitions.json. Files of
 * group-versions no longer served are removed. The unit test src/machinery/openapi/openapi.spec.ts
 * fails when the committed files drift from what this would write.
 *
 *   npx ts-node --transpile-only tools/generate-openapi.ts
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { buildOpenApi } from '../src/machinery/openapi/openapi-builder';
import { readOpenApiFiles, renderOpenApiFiles } from '../src/machinery/openapi/openapi-files';
import { Schemas } from '../src/machinery/schema/schemas';
import { scanResourceTypes } from '../src/registry/kind-scan';

export const OPENAPI_DIR = resolve(__dirname, '..', 'openapi');

export function generateOpenApi(dir = OPENAPI_DIR): void {
  // A fresh load, not Schemas.shared(): generate.ts may just have rewritten definitions.json.
  const files = renderOpenApiFiles(buildOpenApi(scanResourceTypes(), Schemas.load()));
  for (const stale of readOpenApiFiles(dir).keys()) if (!files.has(stale)) rmSync(join(dir, stale));
  for (const [path, text] of files) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  console.log(`wrote ${files.size} OpenAPI documents to ${dir}`);
}

if (require.main === module) generateOpenApi();
