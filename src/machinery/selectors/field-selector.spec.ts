import { StatusError } from '../errors/status-error';
import { FieldSelector, escapeFieldValue, unescapeFieldValue, type FieldRequirement } from './field-selector';

function parseError(text: string): StatusError {
  try {
    FieldSelector.parse(text);
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

const eq = (field: string, value: string): FieldRequirement => ({ field, operator: '=', value });
const ne = (field: string, value: string): FieldRequirement => ({ field, operator: '!=', value });

describe('FieldSelector.parse', () => {
  it.each(['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=a||y\\=b', 'x=a\\=\\=b'])('accepts %j and prints it back unchanged', (text) => {
    expect(FieldSelector.parse(text).toString()).toBe(text);
  });

  it.each(['x=a||y=b', 'x==a==b', 'x=a,b', 'x in (a)', 'x in (a,b,c)', 'x'])('rejects %j with a 400', (text) => {
    const error = parseError(text);
    expect(error.code).toBe(400);
    expect(error.reason).toBe('BadRequest');
  });

  it('is deterministic regardless of term order', () => {
    expect(FieldSelector.parse('x=a,a=x').toString()).toBe('a=x,x=a');
    expect(FieldSelector.parse('a=x,x=a').toString()).toBe('a=x,x=a');
  });

  it.each<[string, FieldRequirement[]]>([
    ['a=avalue', [eq('a', 'avalue')]],
    ['a=avalue,b=bvalue', [eq('a', 'avalue'), eq('b', 'bvalue')]],
    ['a=avalue,b==bvalue,c!=cvalue', [eq('a', 'avalue'), eq('b', 'bvalue'), ne('c', 'cvalue')]],
    ['a=a,', [eq('a', 'a')]],
    [',a=a', [eq('a', 'a')]],
    // Raw terms are sorted before parsing, and '2' sorts before '='.
    ['k=\\,,k2=v2', [eq('k2', 'v2'), eq('k', ',')]],
    ['k=\\\\,k2=v2', [eq('k2', 'v2'), eq('k', '\\')]],
    ['k=\\\\\\,,k2=v2', [eq('k2', 'v2'), eq('k', '\\,')]],
    ['함=수,목=록', [eq('목', '록'), eq('함', '수')]],
    ['metadata.name=my-pod', [eq('metadata.name', 'my-pod')]],
    ['status.phase!=Running,spec.nodeName=', [eq('spec.nodeName', ''), ne('status.phase', 'Running')]],
    ['a = b', [eq('a ', ' b')]],
    ['=x', [eq('', 'x')]],
    ['=', []],
  ])('parses %j', (text, expected) => {
    expect(FieldSelector.parse(text).requirements).toEqual(expected);
  });

  it('prints == as =', () => {
    expect(FieldSelector.parse('b==bvalue').toString()).toBe('b=bvalue');
  });

  describe('error messages, as the API server words them', () => {
    it.each([
      ['x', "invalid selector: 'x'; can't understand 'x'"],
      ['x=a,b', "invalid selector: 'x=a,b'; can't understand 'b'"],
      ['x in (a)', "invalid selector: 'x in (a)'; can't understand 'x in (a)'"],
      ['x in (a,b,c)', "invalid selector: 'x in (a,b,c)'; can't understand 'b'"],
      ['x=a||y=b', 'invalid field selector: unescaped character in value: 61'],
      ['x==a==b', 'invalid field selector: unescaped character in value: 61'],
      ['k=\\', 'invalid field selector: invalid escape sequence: \\'],
      ['k=\\a', 'invalid field selector: invalid escape sequence: \\a'],
      ['k=\\\\\\', 'invalid field selector: invalid escape sequence: \\'],
    ])('%j', (text, message) => {
      const error = parseError(text);
      expect(error.message).toBe(message);
      expect(error.toStatus()).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 });
    });
  });
});

describe('escapeFieldValue / unescapeFieldValue', () => {
  it.each([
    ['', ''],
    ['a', 'a'],
    ['=', '\\='],
    [',', '\\,'],
    ['\\', '\\\\'],
    ['\\=\\,\\', '\\\\\\=\\\\\\,\\\\'],
  ])('round-trips %j', (raw, escaped) => {
    expect(escapeFieldValue(raw)).toBe(escaped);
    expect(unescapeFieldValue(escaped)).toBe(raw);
  });

  it.each(['\\', '\\\\\\', '\\a'])('rejects the invalid escape %j', (text) => {
    expect(() => unescapeFieldValue(text)).toThrow(/invalid escape sequence/);
  });
});

describe('FieldSelector.matches', () => {
  const fieldset = { foo: 'bar', baz: 'blah', complex: '=value\\,\\' };

  it.each<[string, Record<string, string>]>([
    ['', { x: 'y' }],
    ['x=y', { x: 'y' }],
    ['x=y,z=w', { x: 'y', z: 'w' }],
    ['x!=y,z!=w', { x: 'z', z: 'a' }],
    ['notin=in', { notin: 'in' }],
    ['foo=bar', fieldset],
    ['baz=blah', fieldset],
    ['foo=bar,baz=blah', fieldset],
    ['foo=bar,baz=blah,complex=\\=value\\\\\\,\\\\', fieldset],
    ['x=', {}],
    ['x!=y', {}],
  ])('%j matches %j', (selector, fields) => {
    expect(FieldSelector.parse(selector).matches(fields)).toBe(true);
  });

  it.each<[string, Record<string, string>]>([
    ['x=y', { x: 'z' }],
    ['x=y,z=w', { x: 'w', z: 'w' }],
    ['x!=y,z!=w', { x: 'z', z: 'w' }],
    ['foo=blah', fieldset],
    ['baz=bar', fieldset],
    ['foo=bar,foobar=bar,baz=blah', fieldset],
    ['x!=', {}],
    ['constructor=x', {}],
  ])('%j does not match %j', (selector, fields) => {
    expect(FieldSelector.parse(selector).matches(fields)).toBe(false);
  });

  it('one-term selectors match like parsed ones', () => {
    expect(FieldSelector.oneTermEqual('x', 'y').matches({ x: 'y' })).toBe(true);
    expect(FieldSelector.oneTermEqual('x', 'y').matches({ x: 'z' })).toBe(false);
  });
});

describe('FieldSelector.everything / isEmpty', () => {
  it('everything is empty and matches all', () => {
    expect(FieldSelector.everything().isEmpty()).toBe(true);
    expect(FieldSelector.everything().matches({ x: 'y' })).toBe(true);
    expect(FieldSelector.parse('').isEmpty()).toBe(true);
    expect(FieldSelector.parse('a=b').isEmpty()).toBe(false);
  });
});

describe('FieldSelector.exactValue', () => {
  it.each<[string, string, string | undefined]>([
    ['', 'test', undefined],
    ['a=b', 'test', undefined],
    ['test=b', 'test', 'b'],
    ['test=', 'test', ''],
    ['test==b', 'test', 'b'],
    ['test!=b', 'test', undefined],
    ['test!=', 'test', undefined],
    ['a=x,test=b', 'test', 'b'],
    ['test!=a,test=b', 'test', 'b'],
  ])('%j on %s gives %j', (text, field, value) => {
    expect(FieldSelector.parse(text).exactValue(field)).toBe(value);
  });
});

describe('FieldSelector.transform', () => {
  const same = (field: string, value: string) => ({ field, value });

  it.each<[string, string, (field: string, value: string) => { field: string; value: string }, string, boolean]>([
    ['empty selector', '', same, '', true],
    ['no-op transform', 'a=b,c=d', same, 'a=b,c=d', false],
    ['transform one field', 'a=b,c=d', (f, v) => (f === 'a' ? { field: 'e', value: 'f' } : { field: f, value: v }), 'e=f,c=d', false],
    ['remove field to make empty', 'a=b', () => ({ field: '', value: '' }), '', true],
    ['remove only one field', 'a=b,c=d,e=f', (f, v) => (f === 'c' ? { field: '', value: '' } : { field: f, value: v }), 'a=b,e=f', false],
  ])('%s', (_name, text, fn, result, empty) => {
    const transformed = FieldSelector.parse(text).transform(fn);
    expect(transformed.toString()).toBe(result);
    expect(transformed.isEmpty()).toBe(empty);
  });

  it('lets conversion errors through', () => {
    const reject = (field: string): { field: string; value: string } => {
      throw StatusError.badRequest(`field label not supported: ${field}`);
    };
    expect(() => FieldSelector.parse('spec.bogus=x').transform(reject)).toThrow('field label not supported: spec.bogus');
  });
});
