/**
 * `npm run generate`: regenerates every committed generated file, schema first (the OpenAPI
 * documents are built from it). Without the upstream reference spec (it lives outside the
 * repository) the committed definitions.json is kept and only the OpenAPI documents are rebuilt.
 *
 *   npx ts-node --transpile-only tools/generate.ts [path/to/kubernetes-openapi-v2.json]
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateOpenApi } from './generate-openapi';
import { DEFAULT_SOURCE, generateSchema } from './generate-schema';

const source = process.argv[2] ? resolve(process.argv[2]) : DEFAULT_SOURCE;
if (existsSync(source)) generateSchema(source);
else console.warn(`${source} not found: keeping the committed src/machinery/schema/definitions.json`);
generateOpenApi();
