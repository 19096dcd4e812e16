/**
 * Writes src/machinery/schema/definitions.json, the one schema source of kubemu, from the upstream
 * OpenAPI v2 document kept as reference data (../shared/reference/kubernetes-openapi-v2.json).
 *
 * Kept: the io.k8s.api.* and io.k8s.apimachinery.* definitions with their structure (type, format,
 * properties, items, additionalProperties, required, $ref, enum, default) and every
 * x-kubernetes-* extension. Dropped: upstream description texts (not ours to ship). Added: the
 * constant Go defaults and our own short descriptions from tools/schema-defaults.ts.
 *
 *   npx ts-node --transpile-only tools/generate-schema.ts [path/to/kubernetes-openapi-v2.json]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stableStringify } from '../src/machinery/openapi/stable-json';
import { METRICS_DEFINITIONS } from './metrics-definitions';
import { COMMON_FIELD_DESCRIPTIONS, DESCRIPTIONS, ENUMS, KIND_DEFAULTS, TYPE_DEFAULTS, ValueField, type DefaultEntry, type JsonValue } from './schema-defaults';

type Json = JsonValue;
type JsonObject = { [key: string]: Json };

const REPO = resolve(__dirname, '..');
export const DEFAULT_SOURCE = resolve(REPO, '..', 'shared', 'reference', 'kubernetes-openapi-v2.json');
export const DEFINITIONS_FILE = join(REPO, 'src', 'machinery', 'schema', 'definitions.json');

const KEPT_PREFIXES = ['io.k8s.api.', 'io.k8s.apimachinery.'];
/** Schema keywords carried over as they are; `properties`, `items` and `additionalProperties` are walked. */
const PLAIN_KEYWORDS = new Set(['type', 'format', 'required', '$ref', 'enum', 'default']);
/** Where our own root-only defaults live in definitions.json; x-kubemu-* keys are never published. */
export const KIND_DEFAULTS_KEY = 'x-kubemu-kind-defaults';
/** Marks a default on a Go value field: an explicit zero value is replaced as well. */
export const ZERO_IS_UNSET_KEY = 'x-kubemu-zero-is-unset';

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One schema without its descriptions. Property names are data, so a property called "description" survives. */
function cleanSchema(schema: JsonObject, where: string): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (PLAIN_KEYWORDS.has(key) || key.startsWith('x-kubernetes-')) {
      out[key] = value;
    } else if (key === 'properties' && isObject(value)) {
      const props: JsonObject = {};
      for (const [name, sub] of Object.entries(value)) {
        if (!isObject(sub)) throw new Error(`${where}.${name}: property schema is not an object`);
        props[name] = cleanSchema(sub, `${where}.${name}`);
      }
      out.properties = props;
    } else if ((key === 'items' || key === 'additionalProperties') && isObject(value)) {
      out[key] = cleanSchema(value, `${where}[${key}]`);
    } else if (key === 'additionalProperties' && typeof value === 'boolean') {
      out[key] = value;
    } else if (key !== 'description') {
      throw new Error(`${where}: unexpected schema keyword ${key}`);
    }
  }
  return out;
}

function propertiesOf(definitions: JsonObject, name: string): JsonObject {
  const definition = definitions[name];
  if (!isObject(definition)) throw new Error(`schema-defaults: no definition ${name}`);
  const props = definition.properties;
  if (!isObject(props)) throw new Error(`schema-defaults: ${name} has no properties`);
  return props;
}

function refTarget(schema: JsonObject): string | undefined {
  const ref = schema.$ref;
  return typeof ref === 'string' ? ref.replace('#/definitions/', '') : undefined;
}

function applyOverlay(definitions: JsonObject): void {
  for (const [name, defaults] of Object.entries(TYPE_DEFAULTS)) {
    const props = propertiesOf(definitions, name);
    for (const [field, value] of Object.entries(defaults)) {
      const prop = props[field];
      if (!isObject(prop)) throw new Error(`schema-defaults: ${name} has no property ${field}`);
      prop.default = defaultValue(value);
      if (value instanceof ValueField) prop[ZERO_IS_UNSET_KEY] = true;
    }
  }
  for (const [name, defaults] of Object.entries(KIND_DEFAULTS)) {
    const definition = definitions[name];
    if (!isObject(definition)) throw new Error(`schema-defaults: no definition ${name}`);
    const entries: JsonObject = {};
    for (const [path, value] of Object.entries(defaults)) {
      checkPath(definitions, name, path.split('.'));
      entries[path] = { default: defaultValue(value), zeroIsUnset: value instanceof ValueField };
    }
    definition[KIND_DEFAULTS_KEY] = entries;
  }
  for (const [key, values] of Object.entries(ENUMS)) {
    const dot = key.lastIndexOf('.');
    const prop = propertiesOf(definitions, key.slice(0, dot))[key.slice(dot + 1)];
    if (!isObject(prop)) throw new Error(`schema-defaults: no property ${key} for an enum`);
    prop.enum = [...values];
  }
  for (const [key, text] of Object.entries(DESCRIPTIONS)) {
    if (isObject(definitions[key])) {
      (definitions[key] as JsonObject).description = text;
      continue;
    }
    const dot = key.lastIndexOf('.');
    const props = propertiesOf(definitions, key.slice(0, dot));
    const prop = props[key.slice(dot + 1)];
    if (!isObject(prop)) throw new Error(`schema-defaults: no property ${key}`);
    prop.description = text;
  }
  for (const definition of Object.values(definitions)) {
    if (!isObject(definition) || !definition['x-kubernetes-group-version-kind'] || !isObject(definition.properties)) continue;
    for (const [field, text] of Object.entries(COMMON_FIELD_DESCRIPTIONS)) {
      const prop = definition.properties[field];
      if (isObject(prop) && prop.description === undefined) prop.description = text;
    }
  }
}

function defaultValue(entry: DefaultEntry): Json {
  return entry instanceof ValueField ? entry.value : entry;
}

function checkPath(definitions: JsonObject, root: string, path: string[]): void {
  let current = root;
  for (let i = 0; i < path.length; i++) {
    const prop = propertiesOf(definitions, current)[path[i]];
    if (!isObject(prop)) throw new Error(`schema-defaults: ${root} has no path ${path.join('.')}`);
    if (i < path.length - 1) {
      const next = refTarget(prop);
      if (!next) throw new Error(`schema-defaults: ${root} path ${path.join('.')} crosses a non-struct`);
      current = next;
    }
  }
}

/** Every $ref must land on a kept definition, or the runtime would meet a hole. */
function checkRefs(definitions: JsonObject): void {
  const visit = (value: Json, where: string): void => {
    if (Array.isArray(value)) value.forEach((item) => visit(item, where));
    else if (isObject(value)) {
      const target = refTarget(value);
      if (target && !isObject(definitions[target])) throw new Error(`${where}: $ref to missing ${target}`);
      for (const [key, sub] of Object.entries(value)) if (key !== 'x-kubernetes-validations') visit(sub, where);
    }
  };
  for (const [name, definition] of Object.entries(definitions)) visit(definition, name);
}

export function buildDefinitions(source: string): JsonObject {
  const upstream = JSON.parse(readFileSync(source, 'utf8')) as { definitions?: JsonObject };
  if (!isObject(upstream.definitions)) throw new Error(`${source}: no definitions`);
  const definitions: JsonObject = {};
  for (const name of Object.keys(upstream.definitions).sort()) {
    if (!KEPT_PREFIXES.some((prefix) => name.startsWith(prefix))) continue;
    const schema = upstream.definitions[name];
    if (!isObject(schema)) throw new Error(`${name}: not an object`);
    definitions[name] = cleanSchema(schema, name);
  }
  for (const [name, schema] of Object.entries(METRICS_DEFINITIONS)) definitions[name] = schema;
  checkRefs(definitions);
  applyOverlay(definitions);
  return definitions;
}

export function renderDefinitions(definitions: JsonObject): string {
  return `${stableStringify({ definitions }, 1)}\n`;
}

export function generateSchema(source = DEFAULT_SOURCE, target = DEFINITIONS_FILE): void {
  const text = renderDefinitions(buildDefinitions(source));
  writeFileSync(target, text);
  console.log(`wrote ${target} (${Object.keys(JSON.parse(text).definitions as object).length} definitions, ${text.length} bytes)`);
}

if (require.main === module) generateSchema(process.argv[2] ? resolve(process.argv[2]) : DEFAULT_SOURCE);
