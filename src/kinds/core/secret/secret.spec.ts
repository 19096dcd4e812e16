import { goJsonObjectError } from './secret.validation';
import { secretResource as secrets, type Secret } from './secret.resource';

const text = (errors: { toString(): string }[]) => errors.map((e) => e.toString());
const b64 = (s: string) => Buffer.from(s).toString('base64');
const base = (extra: Partial<Secret> = {}): Secret => ({
  metadata: { name: 's', namespace: 'default', creationTimestamp: '2024-05-01T11:59:00Z' },
  type: 'Opaque',
  ...extra,
});

describe('Secret', () => {
  it('folds stringData into base64 data, overriding data, and drops it', () => {
    const s: Secret = { metadata: { name: 's' }, data: { a: b64('old'), b: b64('keep') }, stringData: { a: 'new', c: 'π' } };
    secrets.applyDefaults!(s);
    expect(s.stringData).toBeUndefined();
    expect(s.data).toEqual({ a: b64('new'), b: b64('keep'), c: b64('π') });
    expect(s.type).toBe('Opaque');
  });

  it('accepts a valid Opaque secret', () => {
    expect(secrets.validate!(base({ data: { 'api-key': b64('x') } }))).toEqual([]);
  });

  it('reports bad keys', () => {
    expect(text(secrets.validate!(base({ data: { 'a/b': b64('x') } })))[0]).toMatch(/^data\[a\/b\]: Invalid value: "a\/b": a valid config key must consist of/);
  });

  it('limits data to 1 MiB', () => {
    expect(text(secrets.validate!(base({ data: { a: Buffer.alloc(1024 * 1024 + 1).toString('base64') } })))).toEqual([
      'data: Too long: must have at most 1048576 bytes',
    ]);
  });

  it('requires tls.crt and tls.key for kubernetes.io/tls', () => {
    expect(text(secrets.validate!(base({ type: 'kubernetes.io/tls', data: {} })))).toEqual(['data[tls.crt]: Required value', 'data[tls.key]: Required value']);
    expect(secrets.validate!(base({ type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } }))).toEqual([]);
  });

  it('checks docker config secrets', () => {
    expect(text(secrets.validate!(base({ type: 'kubernetes.io/dockerconfigjson' })))).toEqual(['data[.dockerconfigjson]: Required value']);
    expect(text(secrets.validate!(base({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('nope') } })))).toEqual([
      `data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": invalid character 'o' looking for beginning of value`,
    ]);
    expect(secrets.validate!(base({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{"auths":{}}') } }))).toEqual([]);
  });

  it('checks basic-auth, ssh-auth and service-account-token secrets', () => {
    expect(text(secrets.validate!(base({ type: 'kubernetes.io/basic-auth' })))).toEqual(['data[username]: Required value', 'data[password]: Required value']);
    expect(secrets.validate!(base({ type: 'kubernetes.io/basic-auth', data: { password: '' } }))).toEqual([]);
    expect(text(secrets.validate!(base({ type: 'kubernetes.io/ssh-auth', data: { 'ssh-privatekey': '' } })))).toEqual(['data[ssh-privatekey]: Required value']);
    expect(text(secrets.validate!(base({ type: 'kubernetes.io/service-account-token' })))).toEqual([
      'metadata.annotations[kubernetes.io/service-account.name]: Required value',
    ]);
  });

  it('keeps type immutable and honours immutable: true', () => {
    expect(text(secrets.validateUpdate!(base({ type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } }), base()))).toEqual([
      'type: Invalid value: "kubernetes.io/tls": field is immutable',
    ]);
    const old = base({ immutable: true, data: { a: b64('1') } });
    expect(text(secrets.validateUpdate!(base({ immutable: true, data: { a: b64('2') } }), old))).toEqual([
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
  });

  it('prints NAME TYPE DATA AGE and selects by type', () => {
    expect(secrets.table!.columns.map((c) => c.name)).toEqual(['Name', 'Type', 'Data', 'Age']);
    expect(secrets.table!.cells(base({ data: { a: '', b: '' } }), new Date('2024-05-01T12:00:00Z'))).toEqual(['s', 'Opaque', 2, '60s']);
    expect(secrets.selectableFields!(base({ type: 'kubernetes.io/tls' }))).toEqual({ type: 'kubernetes.io/tls' });
  });

  it('words JSON errors the way Go does', () => {
    expect(goJsonObjectError(Buffer.from(''))).toBe('unexpected end of JSON input');
    expect(goJsonObjectError(Buffer.from('{"a":1'))).toBe('unexpected end of JSON input');
    expect(goJsonObjectError(Buffer.from('[]'))).toBe('json: cannot unmarshal array into Go value of type map[string]interface {}');
    expect(goJsonObjectError(Buffer.from('{a:1}'))).toBe("invalid character 'a' looking for beginning of object key string");
  });
});
