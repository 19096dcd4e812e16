import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { StatusError } from '../errors/status-error';
import type { KubeObject } from '../meta/types';
import { DecodeFailure, DecodeState } from './decoder';
import { applyNodeDefaults } from './defaults';
import { JsonSyntaxError, parseJson } from './json-body';
import { compileDefinitions, type CompiledNode, type SchemaNode } from './schema-node';
import { parseYaml, YamlSyntaxError } from './yaml-body';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';
export type BodyMediaType = 'json' | 'yaml';

export interface ParsedBody {
  value: unknown;
  /** Repeated JSON keys as strict-decoding paths ("metadata.name"); pass to decode(). */
  duplicateFields: string[];
  /** Repeated YAML keys in go-yaml's words (`line 5: key "name" already set in map`); pass to decode(). */
  yamlErrors?: string[];
}

export interface ParseOptions {
  /** The Kind the endpoint expects; it names the type in the error text, as the real server's does. */
  kind?: string;
}

export interface DecodeOptions {
  fieldValidation: FieldValidation;
  duplicateFields?: string[];
  yamlErrors?: string[];
  /** The endpoint's Kind and version, used when the body does not name its own. */
  kind: string;
  version: string;
}

export interface DecodeResult {
  object: KubeObject;
  /** Texts for `Warning: 299 - "<text>"` headers (fieldValidation=Warn only). */
  warnings: string[];
}

const DEFINITIONS_FILE = 'definitions.json';
const DEFINITIONS_IN_REPO = join('src', 'machinery', 'schema', DEFINITIONS_FILE);

/** Go's reflect name for the struct json.Unmarshal fills when it sniffs apiVersion and kind. */
const INTERPRET_STRUCT = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

/**
 * Finds definitions.json beside this file (src/ under jest and ts-node) or, from a dist/ build that
 * did not copy it, in the repository's src/ tree above.
 */
export function locateDefinitions(start = __dirname): string {
  const beside = join(start, DEFINITIONS_FILE);
  if (existsSync(beside)) return beside;
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, DEFINITIONS_IN_REPO);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`schema: ${DEFINITIONS_FILE} not found from ${start}`);
  }
}

/**
 * The one schema source: definitions.json (upstream structure + our defaults), compiled once into
 * SchemaNodes that decode, defaulting, OpenAPI publishing and patching all read.
 */
export class Schemas {
  private static instance?: Schemas;
  private readonly nodes: Map<string, CompiledNode>;

  constructor(readonly definitions: Readonly<Record<string, unknown>>) {
    this.nodes = compileDefinitions(definitions as Record<string, unknown>);
  }

  /** The process-wide instance, loaded on first use. */
  static shared(): Schemas {
    Schemas.instance ??= Schemas.load();
    return Schemas.instance;
  }

  static load(file = locateDefinitions()): Schemas {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { definitions?: Record<string, unknown> };
    if (!parsed.definitions) throw new Error(`schema: ${file} has no definitions`);
    return new Schemas(parsed.definitions);
  }

  /** Every definition name, sorted. */
  names(): string[] {
    return [...this.nodes.keys()].sort();
  }

  definitionOf(name: string): SchemaNode | undefined {
    return this.nodes.get(name);
  }

  /** The raw JSON schema of a definition as stored in definitions.json (for OpenAPI publishing). */
  rawDefinition(name: string): Readonly<Record<string, unknown>> | undefined {
    const raw = this.definitions[name];
    return typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : undefined;
  }

  /**
   * The node at a field path below a definition: struct fields by name; a segment on a list or map
   * addresses its elements (so ["spec", "containers", "ports"] is the ports list of each container).
   */
  nodeAt(definition: string, path: readonly string[]): SchemaNode | undefined {
    let node: SchemaNode | undefined = this.nodes.get(definition);
    for (const segment of path) {
      if (!node) return undefined;
      while (node && (node.kind === 'array' || node.kind === 'map')) node = node.kind === 'array' ? node.items : node.values;
      node = node?.child(segment);
    }
    return node;
  }

  /** Strategic-merge metadata of the field at `path`: patch strategies and merge key. */
  patchMetaAt(definition: string, path: readonly string[]): { strategies: readonly string[]; mergeKey?: string } | undefined {
    const node = this.nodeAt(definition, path);
    return node ? { strategies: node.patchStrategies, mergeKey: node.patchMergeKey } : undefined;
  }

  /** Server-side-apply list semantics of the field at `path`. */
  listTypeAt(definition: string, path: readonly string[]): { listType?: string; keys?: readonly string[] } | undefined {
    const node = this.nodeAt(definition, path);
    return node ? { listType: node.listType, keys: node.listMapKeys } : undefined;
  }

  /** Parses a request body, failing with the 400 BadRequest text a real server gives for malformed input. */
  parseBody(raw: Buffer, mediaType: BodyMediaType, options: ParseOptions = {}): ParsedBody {
    const text = raw.toString('utf8');
    let parsed: ParsedBody;
    try {
      if (mediaType === 'json') {
        parsed = parseJson(text);
      } else {
        const yaml = parseYaml(text);
        parsed = { value: yaml.value, duplicateFields: [], yamlErrors: yaml.duplicateKeyErrors.length ? yaml.duplicateKeyErrors : undefined };
      }
    } catch (err) {
      if (err instanceof JsonSyntaxError) throw unrecognized(options.kind, `couldn't get version/kind; json parse error: ${err.message}`, raw);
      if (err instanceof YamlSyntaxError) throw unrecognized(options.kind, err.message, raw);
      throw err;
    }
    const interpretError = interpret(parsed.value);
    if (interpretError) throw unrecognized(options.kind, interpretError, raw);
    return parsed;
  }

  /**
   * Reads a parsed body as the given definition: type errors and (in Strict mode) unknown or repeated
   * fields fail with 400 BadRequest; in Warn mode they come back as warnings; unknown fields and
   * nulls are dropped in every mode. The value is changed in place where it can be.
   */
  decode(value: unknown, definition: string, options: DecodeOptions): DecodeResult {
    const node = this.nodes.get(definition);
    if (!node) throw new Error(`schema: unknown definition ${definition}`);
    const { kind: bodyKind, version: bodyVersion } = bodyKindAndVersion(value, options);
    const fail = (message: string): StatusError =>
      StatusError.badRequest(`${bodyKind} in version "${bodyVersion}" cannot be handled as a ${options.kind}: ${message}`);
    const interpretError = interpret(value);
    if (interpretError) {
      const summary = summarize(Buffer.from(JSON.stringify(value) ?? ''));
      throw StatusError.badRequest(`the object provided is unrecognized (must be of type ${options.kind}): ${interpretError} (${summary})`);
    }
    const source = (value ?? {}) as Record<string, unknown>;
    const mode = options.fieldValidation;
    const collect = mode !== 'Ignore';
    const duplicates = collect && options.duplicateFields?.length ? new Set(options.duplicateFields) : undefined;
    const state = new DecodeState(collect, duplicates);
    let object: Record<string, unknown>;
    try {
      object = state.walkStruct(node as CompiledNode, source);
    } catch (err) {
      if (err instanceof DecodeFailure) throw fail(err.message);
      throw err;
    }
    if (typeof object.metadata !== 'object' || object.metadata === null) object.metadata = {};
    const yamlErrors = collect ? (options.yamlErrors ?? []) : [];
    if (mode === 'Strict' && (yamlErrors.length || state.strictErrors.length)) {
      const errors = yamlErrors.length ? [`yaml: unmarshal errors:\n  ${yamlErrors.join('\n  ')}`, ...state.strictErrors] : state.strictErrors;
      throw fail(`strict decoding error: ${errors.join(', ')}`);
    }
    const warnings = mode === 'Warn' ? [...yamlErrors, ...state.strictErrors] : [];
    return { object: object as KubeObject, warnings };
  }

  /** Fills schema defaults (and kind-level constant defaults) in place; set values are never overwritten. */
  applyDefaults<T>(object: T, definition: string): T {
    const node = this.nodes.get(definition);
    if (!node) throw new Error(`schema: unknown definition ${definition}`);
    applyNodeDefaults(node, object);
    return object;
  }
}

/** What SimpleMetaFactory.Interpret rejects before any decoding: a non-object body or non-string apiVersion/kind. */
function interpret(value: unknown): string | undefined {
  if (value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    const what = Array.isArray(value) ? 'array' : typeof value === 'string' ? 'string' : typeof value === 'boolean' ? 'bool' : 'number';
    return `couldn't get version/kind; json parse error: json: cannot unmarshal ${what} into Go value of type ${INTERPRET_STRUCT}`;
  }
  const record = value as Record<string, unknown>;
  for (const field of ['apiVersion', 'kind']) {
    const item = record[field];
    if (item !== undefined && item !== null && typeof item !== 'string') {
      const what = Array.isArray(item) ? 'array' : typeof item === 'object' ? 'object' : typeof item === 'boolean' ? 'bool' : typeof item;
      return `couldn't get version/kind; json parse error: json: cannot unmarshal ${what} into Go struct field .${field} of type string`;
    }
  }
  const apiVersion = record.apiVersion;
  if (typeof apiVersion === 'string' && apiVersion !== '/' && apiVersion.split('/').length > 2) return `unexpected GroupVersion string: ${apiVersion}`;
  return undefined;
}

/** The GVK the real decoder reports: the body's own kind/version, else the endpoint's. */
function bodyKindAndVersion(value: unknown, options: DecodeOptions): { kind: string; version: string } {
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const kind = typeof record.kind === 'string' && record.kind ? record.kind : options.kind;
  const apiVersion = typeof record.apiVersion === 'string' ? record.apiVersion : '';
  const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
  return { kind, version: version || options.version };
}

function unrecognized(kind: string | undefined, message: string, raw: Buffer): StatusError {
  if (!kind) return StatusError.badRequest(message);
  return StatusError.badRequest(`the object provided is unrecognized (must be of type ${kind}): ${message} (${summarize(raw)})`);
}

/** summarizeData from the apiserver's handlers: the first 30 bytes, as text for JSON objects, hex otherwise. */
function summarize(data: Buffer, maxLength = 30): string {
  if (data.length === 0) return '<empty>';
  const head = data.subarray(0, maxLength);
  const more = data.length > maxLength ? ' ...' : '';
  return data[0] === 0x7b ? `${head.toString('utf8')}${more}` : `${head.toString('hex')}${more}`;
}
