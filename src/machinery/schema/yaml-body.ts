import { LineCounter, isMap, isScalar, parseAllDocuments, type Node as YamlNode, type Tags } from 'yaml';

/**
 * YAML request bodies the way the API server reads them (sigs.k8s.io/yaml over go-yaml v2): YAML
 * 1.1 scalars (`yes`/`on` are booleans, `0755` is octal), only the first document, timestamps kept
 * as their text, the last of repeated keys winning, and the repeats reported in go-yaml's strict
 * wording (`line 5: key "name" already set in map`).
 */

export class YamlSyntaxError extends Error {}

export interface ParsedYaml {
  value: unknown;
  /** go-yaml strict errors for repeated keys, one line each, in document order. */
  duplicateKeyErrors: string[];
}

const DROPPED_TAGS = new Set(['tag:yaml.org,2002:timestamp', 'tag:yaml.org,2002:binary']);

/** go-yaml (libyaml) words for the problems the `yaml` package names by code. */
const LIBYAML_WORDING: Record<string, string> = {
  BLOCK_AS_IMPLICIT_KEY: 'mapping values are not allowed in this context',
  BAD_INDENT: 'did not find expected key',
  TAB_AS_INDENT: 'found character that cannot start any token',
  BAD_SCALAR_START: 'found character that cannot start any token',
  MULTILINE_IMPLICIT_KEY: "could not find expected ':'",
  MISSING_CHAR: 'did not find expected key',
  UNEXPECTED_TOKEN: 'did not find expected key',
  ALIAS_PROPS: 'did not find expected alias or anchor',
  BAD_ALIAS: 'unknown anchor referenced',
};

export function parseYaml(text: string): ParsedYaml {
  const lines = new LineCounter();
  const parsed = parseAllDocuments(text, {
    version: '1.1',
    uniqueKeys: false,
    lineCounter: lines,
    customTags: (tags: Tags) => tags.filter((tag) => typeof tag !== 'object' || !DROPPED_TAGS.has(tag.tag)),
  });
  const doc = Array.isArray(parsed) ? parsed[0] : undefined;
  if (!doc) return { value: null, duplicateKeyErrors: [] };
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0]?.line ?? 1;
    const words = LIBYAML_WORDING[error.code] ?? 'did not find expected key';
    throw new YamlSyntaxError(`yaml: line ${line}: ${words}`);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new YamlSyntaxError(`yaml: ${(err as Error).message}`);
  }
  const duplicateKeyErrors: string[] = [];
  collectDuplicates(doc.contents, lines, duplicateKeyErrors);
  return { value, duplicateKeyErrors };
}

/** Go's %#v of a map key. */
function goLiteral(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function collectDuplicates(node: YamlNode | null | undefined | unknown, lines: LineCounter, out: string[]): void {
  if (!node || typeof node !== 'object') return;
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      const identity = `${typeof key}:${String(key)}`;
      if (seen.has(identity)) {
        // go-yaml points at the repeated entry's value node.
        const anchor = (isScalarOrCollection(pair.value) ? pair.value.range : undefined) ?? (isScalarOrCollection(pair.key) ? pair.key.range : undefined);
        const line = anchor ? lines.linePos(anchor[0]).line : 1;
        out.push(`line ${line}: key ${goLiteral(key)} already set in map`);
      } else {
        seen.add(identity);
      }
      collectDuplicates(pair.value, lines, out);
    }
    return;
  }
  const items = (node as { items?: unknown }).items;
  if (Array.isArray(items)) for (const item of items) collectDuplicates(item, lines, out);
}

function isScalarOrCollection(value: unknown): value is { range?: [number, number, number] | null } {
  return typeof value === 'object' && value !== null && 'range' in value;
}
