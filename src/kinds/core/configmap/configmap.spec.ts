import { configMapResource as cm, type ConfigMap } from './configmap.resource';

const text = (errors: { toString(): string }[]) => errors.map((e) => e.toString());
const base = (extra: Partial<ConfigMap> = {}): ConfigMap => ({
  metadata: { name: 'cfg', namespace: 'default', creationTimestamp: '2024-05-01T11:00:00Z' },
  ...extra,
});

describe('ConfigMap', () => {
  it('accepts valid data and binaryData', () => {
    expect(cm.validate!(base({ data: { 'app.properties': 'a=b', KEY_1: 'x' }, binaryData: { 'logo.png': 'AAEC' } }))).toEqual([]);
  });

  it('reports invalid keys at data[key]', () => {
    expect(text(cm.validate!(base({ data: { 'bad key': 'x', '..hidden': 'y' } })))).toEqual([
      `data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
      `data[..hidden]: Invalid value: "..hidden": must not start with '..'`,
    ]);
  });

  it('rejects a key present in both data and binaryData', () => {
    expect(text(cm.validate!(base({ data: { a: 'x' }, binaryData: { a: 'eA==' } })))).toEqual([
      'data[a]: Invalid value: "a": duplicate of key present in binaryData',
    ]);
  });

  it('limits the total size to 1 MiB, reported against the whole object', () => {
    expect(text(cm.validate!(base({ data: { a: 'x'.repeat(1024 * 1024), b: 'y' } })))).toEqual([': Too long: must have at most 1048576 bytes']);
  });

  it('keeps an immutable ConfigMap immutable', () => {
    const old = base({ data: { a: 'x' }, immutable: true });
    expect(cm.validateUpdate!(base({ data: { a: 'x' }, immutable: true }), old)).toEqual([]);
    expect(text(cm.validateUpdate!(base({ data: { a: 'y' } }), old))).toEqual([
      'immutable: Forbidden: field is immutable when `immutable` is set',
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
  });

  it('prints NAME DATA AGE', () => {
    expect(cm.table!.columns.map((c) => c.name)).toEqual(['Name', 'Data', 'Age']);
    expect(cm.table!.cells(base({ data: { a: '1', b: '2' }, binaryData: { c: 'eA==' } }), new Date('2024-05-01T12:00:00Z'))).toEqual(['cfg', 3, '60m']);
  });

  it('does not track generation', () => {
    expect(cm.generationFields).toBeUndefined();
  });
});
