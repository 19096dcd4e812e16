/**
 * The JSON a typed Go object would have: the apiserver's field manager compares objects after
 * converting typed Go structs to unstructured data, where value structs are always present (`{}`)
 * and nil slices, maps and pointers without omitempty are `null`. Which fields those are comes from
 * the Go sources (go-shapes.json, see generate-go-shapes.ts). Only used for ownership comparisons;
 * objects handed back to callers are never shaped.
 */
import type { SchemaNode } from '../schema/schema-node';
import { isRecord } from './go-json';
import shapesJson from './go-shapes.json';

type FieldShape = 'struct' | 'null';
const SHAPES = shapesJson as Readonly<Record<string, Readonly<Record<string, FieldShape>> | undefined>>;

const relevant = new WeakMap<SchemaNode, boolean>();

/** Whether anything at or below this node gets shaped (cycles count as yes: cheap and safe). */
function hasShapes(node: SchemaNode, visiting: Set<SchemaNode> = new Set()): boolean {
  const known = relevant.get(node);
  if (known !== undefined) return known;
  if (visiting.has(node)) return true;
  visiting.add(node);
  let result = !!(node.definition && SHAPES[node.definition]);
  if (!result) {
    if (node.kind === 'struct') for (const child of node.properties.values()) if (hasShapes(child, visiting)) result = true;
    if (node.items && hasShapes(node.items, visiting)) result = true;
    if (node.values && hasShapes(node.values, visiting)) result = true;
  }
  visiting.delete(node);
  relevant.set(node, result);
  return result;
}

function shapeValue(value: unknown, node: SchemaNode | undefined): unknown {
  if (!node || !hasShapes(node)) return value;
  switch (node.kind) {
    case 'struct': {
      if (!isRecord(value)) return value;
      let out: Record<string, unknown> | undefined;
      for (const [key, item] of Object.entries(value)) {
        const shaped = shapeValue(item, node.properties.get(key));
        if (shaped !== item) {
          out ??= { ...value };
          out[key] = shaped;
        }
      }
      const table = node.definition ? SHAPES[node.definition] : undefined;
      if (table) {
        for (const [field, shape] of Object.entries(table)) {
          if (field in value) continue;
          out ??= { ...value };
          out[field] = shape === 'struct' ? shapeValue({}, node.properties.get(field)) : null;
        }
      }
      return out ?? value;
    }
    case 'array': {
      if (!Array.isArray(value)) return value;
      let changed = false;
      const items = value.map((item) => {
        const shaped = shapeValue(item, node.items);
        if (shaped !== item) changed = true;
        return shaped;
      });
      return changed ? items : value;
    }
    case 'map': {
      if (!isRecord(value)) return value;
      let out: Record<string, unknown> | undefined;
      for (const [key, item] of Object.entries(value)) {
        const shaped = shapeValue(item, node.values);
        if (shaped !== item) {
          out ??= { ...value };
          out[key] = shaped;
        }
      }
      return out ?? value;
    }
    default:
      return value;
  }
}

/** The object as its typed Go form would present it to the field manager. */
export function goShape(obj: Record<string, unknown>, type: SchemaNode): Record<string, unknown> {
  return shapeValue(obj, type) as Record<string, unknown>;
}
