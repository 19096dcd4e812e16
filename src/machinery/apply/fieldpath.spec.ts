import { FieldSet, FieldsV1Error, fieldElement, indexElement, keyElement, makePath, pathString, serializePathElement, valueElement } from './fieldpath';
import { fromFieldsV1, toFieldsV1 } from './index';

describe('FieldsV1 encoding', () => {
  const ports = keyElement({ protocol: 'TCP', containerPort: 80 });

  it('writes members as {} and parents that are also members with "."', () => {
    const set = FieldSet.of(
      makePath('metadata', 'labels', 'app'),
      makePath('metadata', 'labels'),
      makePath('spec', 'containers', keyElement({ name: 'web' })),
      makePath('spec', 'containers', keyElement({ name: 'web' }), 'image'),
      makePath('spec', 'containers', keyElement({ name: 'web' }), 'ports', ports),
      makePath('spec', 'containers', keyElement({ name: 'web' }), 'ports', ports, 'containerPort'),
    );
    expect(toFieldsV1(set)).toEqual({
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': {
        'f:containers': {
          'k:{"name":"web"}': {
            '.': {},
            'f:image': {},
            'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
          },
        },
      },
    });
  });

  it('sorts keys the way Go does: fields, then keys, then values, then indexes', () => {
    const set = FieldSet.of(makePath('x', indexElement(2)), makePath('x', valueElement('b')), makePath('x', keyElement({ k: 1 })), makePath('x', 'z'), makePath('x', valueElement(3)), makePath('x', 'a'));
    expect(Object.keys(toFieldsV1(set)['f:x'] as object)).toEqual(['f:a', 'f:z', 'k:{"k":1}', 'v:3', 'v:"b"', 'i:2']);
  });

  it('round-trips', () => {
    const json = {
      'f:metadata': { 'f:finalizers': { '.': {}, 'v:"example.com/a"': {}, 'v:"example.com/b"': {} }, 'f:labels': { 'f:tier': {} } },
      'f:spec': { 'f:list': { 'i:0': {} }, 'f:ports': { 'k:{"port":443,"protocol":"TCP"}': { '.': {}, 'f:name': {}, 'f:port': {} } } },
    };
    const set = fromFieldsV1(json);
    expect(toFieldsV1(set)).toEqual(json);
    expect(JSON.stringify(toFieldsV1(set))).toBe(JSON.stringify(json));
    expect(set.has(makePath('metadata', 'finalizers'))).toBe(true);
    expect(set.has(makePath('metadata', 'finalizers', valueElement('example.com/b')))).toBe(true);
    expect(set.has(makePath('metadata', 'labels'))).toBe(false);
    expect(set.has(makePath('spec', 'ports', keyElement({ port: 443, protocol: 'TCP' }), 'port'))).toBe(true);
    expect(set.size()).toBe(8);
  });

  it('reads key fields in any order and writes them sorted', () => {
    const set = fromFieldsV1({ 'f:ports': { 'k:{"protocol":"UDP","port":53}': {} } });
    expect(toFieldsV1(set)).toEqual({ 'f:ports': { 'k:{"port":53,"protocol":"UDP"}': {} } });
  });

  it('treats an empty object, "." alone and null alike as membership', () => {
    const set = fromFieldsV1({ 'f:a': {}, 'f:b': { '.': {} }, 'f:c': null });
    expect(set.paths().map(pathString)).toEqual(['.a', '.b', '.c']);
  });

  it('drops element types it does not know and rejects malformed keys', () => {
    expect(toFieldsV1(fromFieldsV1({ 'f:a': {}, 'x:future': {} }))).toEqual({ 'f:a': {} });
    expect(() => fromFieldsV1({ f: {} })).toThrow(FieldsV1Error);
    expect(() => fromFieldsV1({ 'f-a': {} })).toThrow('missing colon: f-a');
    expect(() => fromFieldsV1({ 'k:{bad': {} })).toThrow(FieldsV1Error);
    expect(() => fromFieldsV1({ 'i:x': {} })).toThrow(FieldsV1Error);
  });

  it('escapes key values as encoding/json does', () => {
    expect(serializePathElement(valueElement('<a&b>'))).toBe('v:"\\u003ca\\u0026b\\u003e"');
    expect(serializePathElement(keyElement({ name: 'x', nested: { b: 1, a: 2 } }))).toBe('k:{"name":"x","nested":{"a":2,"b":1}}');
  });
});

describe('paths and set algebra', () => {
  it('prints paths like Path.String', () => {
    expect(pathString(makePath('data', 'key'))).toBe('.data.key');
    expect(pathString(makePath('spec', 'containers', keyElement({ name: 'nginx' }), 'image'))).toBe('.spec.containers[name="nginx"].image');
    expect(pathString(makePath('spec', 'ports', keyElement({ protocol: 'TCP', port: 80 })))).toBe('.spec.ports[port=80,protocol="TCP"]');
    expect(pathString(makePath('metadata', 'finalizers', valueElement('a/b')))).toBe('.metadata.finalizers[="a/b"]');
    expect(pathString(makePath('args', 3))).toBe('.args[3]');
  });

  it('difference keeps children under a removed member; recursiveDifference does not', () => {
    const s = FieldSet.of(makePath('a'), makePath('a', 'b'), makePath('c'));
    const parent = FieldSet.of(makePath('a'));
    expect(s.difference(parent).paths().map(pathString)).toEqual(['.c', '.a.b']);
    expect(s.recursiveDifference(parent).paths().map(pathString)).toEqual(['.c']);
  });

  it('union, intersection and equality ignore insertion order', () => {
    const a = FieldSet.of(makePath('x', 'y'), makePath('z'));
    const b = FieldSet.of(makePath('z'), makePath('w'));
    expect(a.union(b).paths().map(pathString)).toEqual(['.w', '.z', '.x.y']);
    expect(a.intersection(b).paths().map(pathString)).toEqual(['.z']);
    expect(a.union(b).equals(b.union(a))).toBe(true);
    expect(a.intersection(FieldSet.of(makePath('x', 'q'))).isEmpty()).toBe(true);
    expect(a.withPrefix(fieldElement('x')).paths().map(pathString)).toEqual(['.y']);
  });

  it('never tracks the whole object', () => {
    const s = new FieldSet();
    s.insert([]);
    expect(s.isEmpty()).toBe(true);
    expect(s.has([])).toBe(false);
  });
});
