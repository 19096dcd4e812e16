/**
 * Writes go-shapes.json: for each built-in definition, the fields a zero-valued Go object still
 * carries when the apiserver turns it into unstructured data — value structs (`{}`, omitempty does
 * not apply to them) and nil pointers, slices and maps without omitempty (`null`). The field
 * manager compares typed objects, so these shape which non-leaf fields an Update entry marks with
 * "." (a real server writes `f:spec` without "." on create because spec already existed, empty, in
 * the zero object; and `f:resources: {}` for every new container). Scalars are left out: a zero
 * scalar and a missing one both make the new value count as owned.
 *
 * Reads Go sources, not OpenAPI (pointer-ness and omitempty are not in the OpenAPI documents):
 *
 *   npx ts-node --transpile-only src/machinery/apply/generate-go-shapes.ts <k8s.io/api checkout> <k8s.io/apimachinery checkout>
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type FieldShape = 'struct' | 'null';
type TypeKind = 'struct' | 'nilable' | 'scalar' | 'null';

interface GoField {
  name: string;
  type: string;
  json: string;
  omitempty: boolean;
  inline: boolean;
}

interface GoPackage {
  /** Definition-name prefix ("io.k8s.api.core.v1."). */
  prefix: string;
  structs: Map<string, GoField[]>;
  /** Non-struct named types: their underlying kind. */
  named: Map<string, TypeKind>;
  /** Import alias → package import path, per file (merged; aliases agree across a package's files). */
  imports: Map<string, string>;
}

/** Types whose JSON form is not an object even though they are Go structs. */
const SPECIAL: Record<string, TypeKind> = {
  'k8s.io/apimachinery/pkg/apis/meta/v1.Time': 'scalar',
  'k8s.io/apimachinery/pkg/apis/meta/v1.MicroTime': 'scalar',
  'k8s.io/apimachinery/pkg/apis/meta/v1.Duration': 'scalar',
  'k8s.io/apimachinery/pkg/apis/meta/v1.FieldsV1': 'null',
  'k8s.io/apimachinery/pkg/api/resource.Quantity': 'scalar',
  'k8s.io/apimachinery/pkg/util/intstr.IntOrString': 'scalar',
  'k8s.io/apimachinery/pkg/runtime.RawExtension': 'null',
};

const SCALARS = new Set(['string', 'bool', 'byte', 'rune', 'int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'float32', 'float64']);

function goFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.go') && !f.endsWith('_test.go') && !f.startsWith('zz_generated') && !f.includes('generated'))
    .map((f) => join(dir, f));
}

function parsePackage(dir: string, prefix: string): GoPackage {
  const pkg: GoPackage = { prefix, structs: new Map(), named: new Map(), imports: new Map() };
  for (const file of goFiles(dir)) {
    const lines = readFileSync(file, 'utf8').split('\n');
    let inImports = false;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].replace(/\/\/.*$/, '');
      if (/^import \($/.test(line)) {
        inImports = true;
        continue;
      }
      if (inImports) {
        if (/^\)/.test(line)) inImports = false;
        const m = /^\s*(\w+)?\s*"([^"]+)"/.exec(line);
        if (m) pkg.imports.set(m[1] ?? m[2].split('/').pop() ?? '', m[2]);
        continue;
      }
      const single = /^import\s+(\w+)?\s*"([^"]+)"/.exec(line);
      if (single) pkg.imports.set(single[1] ?? single[2].split('/').pop() ?? '', single[2]);
      const struct = /^type (\w+) struct \{\s*$/.exec(line);
      if (struct) {
        const fields: GoField[] = [];
        for (i++; i < lines.length && !/^\}/.test(lines[i]); i++) {
          const body = lines[i].replace(/^\s*\/\/.*$/, '');
          const tag = /`([^`]*)`/.exec(body)?.[1] ?? '';
          const json = /json:"([^"]*)"/.exec(tag)?.[1];
          const decl = body.replace(/`[^`]*`/, '').trim();
          if (!decl) continue;
          const parts = decl.split(/\s+/);
          if (parts.length === 1) {
            // Embedded struct: inlined into the parent's JSON unless it has a name of its own.
            const options = (json ?? ',inline').split(',');
            fields.push({ name: parts[0], type: parts[0], json: options[0], omitempty: options.includes('omitempty'), inline: options[0] === '' });
            continue;
          }
          if (json === undefined || json === '-') continue;
          const options = json.split(',');
          fields.push({ name: parts[0], type: parts[1], json: options[0] || parts[0], omitempty: options.includes('omitempty'), inline: options.includes('inline') });
        }
        pkg.structs.set(struct[1], fields);
        continue;
      }
      const named = /^type (\w+) (.+)$/.exec(line);
      if (named && !named[2].startsWith('struct') && !named[2].startsWith('interface')) {
        const underlying = named[2].trim();
        pkg.named.set(named[1], underlying.startsWith('map[') || underlying.startsWith('[]') ? 'nilable' : underlying.startsWith('*') ? 'nilable' : 'scalar');
      }
    }
  }
  return pkg;
}

function walk(dir: string, visit: (dir: string) => void): void {
  visit(dir);
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory() && !entry.startsWith('.')) walk(path, visit);
  }
}

function main(): void {
  const [apiDir, machineryDir] = process.argv.slice(2);
  if (!apiDir || !machineryDir) throw new Error('usage: generate-go-shapes <k8s.io/api dir> <k8s.io/apimachinery dir>');
  const packages = new Map<string, GoPackage>();
  walk(apiDir, (dir) => {
    const rel = dir.slice(apiDir.length).replace(/^\/+/, '');
    if (!/^[a-z0-9]+\/v\w+$/.test(rel) || !goFiles(dir).length) return;
    packages.set(`k8s.io/api/${rel}`, parsePackage(dir, `io.k8s.api.${rel.replace('/', '.')}.`));
  });
  const meta = 'pkg/apis/meta/v1';
  packages.set(`k8s.io/apimachinery/${meta}`, parsePackage(join(machineryDir, meta), 'io.k8s.apimachinery.pkg.apis.meta.v1.'));

  const kindOf = (pkgPath: string, type: string): { kind: TypeKind; pkg?: GoPackage; name?: string } => {
    if (type.startsWith('*')) return { kind: 'nilable' };
    if (type.startsWith('[]') || type.startsWith('map[')) return { kind: 'nilable' };
    let targetPath = pkgPath;
    let name = type;
    const dot = type.indexOf('.');
    if (dot >= 0) {
      const alias = type.slice(0, dot);
      name = type.slice(dot + 1);
      targetPath = packages.get(pkgPath)?.imports.get(alias) ?? alias;
    } else if (SCALARS.has(type)) {
      return { kind: 'scalar' };
    }
    const special = SPECIAL[`${targetPath}.${name}`];
    if (special) return { kind: special };
    const target = packages.get(targetPath);
    if (!target) return { kind: 'scalar' };
    if (target.structs.has(name)) return { kind: 'struct', pkg: target, name };
    return { kind: target.named.get(name) ?? 'scalar' };
  };

  const out: Record<string, Record<string, FieldShape>> = {};
  const shapeOf = (pkgPath: string, fields: GoField[], into: Record<string, FieldShape>): void => {
    for (const field of fields) {
      const resolved = kindOf(pkgPath, field.type);
      if (field.inline) {
        if (resolved.kind === 'struct' && resolved.pkg && resolved.name) {
          const targetPath = [...packages].find(([, p]) => p === resolved.pkg)?.[0] ?? pkgPath;
          shapeOf(targetPath, resolved.pkg.structs.get(resolved.name) ?? [], into);
        }
        continue;
      }
      if (resolved.kind === 'struct') into[field.json] = 'struct';
      else if (resolved.kind === 'null') into[field.json] = 'null';
      else if (resolved.kind === 'nilable' && !field.omitempty) into[field.json] = 'null';
    }
  };
  for (const [pkgPath, pkg] of packages) {
    for (const [name, fields] of pkg.structs) {
      const shape: Record<string, FieldShape> = {};
      shapeOf(pkgPath, fields, shape);
      if (Object.keys(shape).length) out[`${pkg.prefix}${name}`] = shape;
    }
  }
  const definitions = (JSON.parse(readFileSync(join(__dirname, '..', 'schema', 'definitions.json'), 'utf8')) as { definitions: Record<string, unknown> }).definitions;
  const kept: Record<string, Record<string, FieldShape>> = {};
  for (const name of Object.keys(out).sort()) {
    if (!(name in definitions)) continue;
    const properties = ((definitions[name] as { properties?: Record<string, unknown> }).properties ?? {}) as Record<string, unknown>;
    const fields = Object.fromEntries(Object.entries(out[name]).filter(([field]) => field in properties).sort(([a], [b]) => (a < b ? -1 : 1)));
    if (Object.keys(fields).length) kept[name] = fields;
  }
  writeFileSync(join(__dirname, 'go-shapes.json'), `${JSON.stringify(kept, null, 1)}\n`);
  process.stdout.write(`go-shapes.json: ${Object.keys(kept).length} definitions\n`);
}

if (require.main === module) main();
