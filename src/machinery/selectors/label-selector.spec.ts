import { StatusError } from '../errors/status-error';
import { LabelSelector, SelectorLexer, labelSelectorFieldErrors, type LabelRequirement } from './label-selector';

function parseError(text: string): StatusError {
  try {
    LabelSelector.parse(text);
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

function fromObjectError(selector: Parameters<typeof LabelSelector.fromObject>[0]): StatusError {
  try {
    LabelSelector.fromObject(selector);
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error('expected the selector to be rejected');
}

function tokens(text: string): string[] {
  const lexer = new SelectorLexer(text);
  const out: string[] = [];
  for (;;) {
    const item = lexer.lex();
    if (item.token === 'EndOfString') return out;
    out.push(item.token);
  }
}

const req = (key: string, operator: LabelRequirement['operator'], values: string[] = []): LabelRequirement => ({ key, operator, values });

const NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
  "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
  "(e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe('SelectorLexer', () => {
  it.each([
    [',', 'Comma'],
    ['notin', 'NotIn'],
    ['in', 'In'],
    ['=', 'Equals'],
    ['==', 'DoubleEquals'],
    ['>', 'GreaterThan'],
    ['<', 'LessThan'],
    ['!', 'DoesNotExist'],
    ['!=', 'NotEquals'],
    ['(', 'OpenPar'],
    [')', 'ClosedPar'],
    ['~', 'Identifier'],
    ['||', 'Identifier'],
  ])('lexes %j as one %s token', (text, token) => {
    const item = new SelectorLexer(text).lex();
    expect(item).toEqual({ token, literal: text });
  });

  it('ends on empty input', () => {
    expect(new SelectorLexer('').lex()).toEqual({ token: 'EndOfString', literal: '' });
  });

  it.each([
    ['key in ( value )', ['Identifier', 'In', 'OpenPar', 'Identifier', 'ClosedPar']],
    ['key notin ( value )', ['Identifier', 'NotIn', 'OpenPar', 'Identifier', 'ClosedPar']],
    ['key in ( value1, value2 )', ['Identifier', 'In', 'OpenPar', 'Identifier', 'Comma', 'Identifier', 'ClosedPar']],
    ['key', ['Identifier']],
    ['!key', ['DoesNotExist', 'Identifier']],
    ['()', ['OpenPar', 'ClosedPar']],
    ['x in (),y', ['Identifier', 'In', 'OpenPar', 'ClosedPar', 'Comma', 'Identifier']],
    ['== != (), = notin', ['DoubleEquals', 'NotEquals', 'OpenPar', 'ClosedPar', 'Comma', 'Equals', 'NotIn']],
    ['key>2', ['Identifier', 'GreaterThan', 'Identifier']],
    ['key<1', ['Identifier', 'LessThan', 'Identifier']],
    ['a!==b', ['Identifier', 'NotEquals', 'Equals', 'Identifier']],
  ])('lexes %j as a sequence', (text, expected) => {
    expect(tokens(text)).toEqual(expected);
  });
});

describe('LabelSelector.parse', () => {
  it.each(['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=', 'x= ', 'x=,z= ', 'x= ,z= ', '!x', 'x>1', 'x>1,z<5'])(
    'accepts %j and prints it back without blanks',
    (text) => {
      expect(LabelSelector.parse(text).toString()).toBe(text.replace(/ /g, ''));
    },
  );

  it.each(['x=a||y=b', 'x==a==b', '!x=a', 'x<a'])('rejects %j', (text) => {
    expect(parseError(text).code).toBe(400);
  });

  it('is deterministic regardless of term order', () => {
    expect(LabelSelector.parse('x=a,a=x').toString()).toBe(LabelSelector.parse('a=x,x=a').toString());
    expect(LabelSelector.parse('x=a,a=x').toString()).toBe('a=x,x=a');
  });

  it.each<[string, LabelRequirement[]]>([
    ['', []],
    ['\rx', [req('x', 'exists')]],
    ['this-is-a-dns.domain.com/key-with-dash', [req('this-is-a-dns.domain.com/key-with-dash', 'exists')]],
    ['this-is-another-dns.domain.com/key-with-dash in (so,what)', [req('this-is-another-dns.domain.com/key-with-dash', 'in', ['so', 'what'])]],
    ['0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)', [req('0.1.2.domain/99', 'notin', ['10.10.100.1', 'tick.tack.clock'])]],
    ['foo  in\t (abc)', [req('foo', 'in', ['abc'])]],
    ['x notin\n (abc)', [req('x', 'notin', ['abc'])]],
    ['x  notin\t\t\t(abc,def)', [req('x', 'notin', ['abc', 'def'])]],
    ['x in (abc,def)', [req('x', 'in', ['abc', 'def'])]],
    ['x in (abc,)', [req('x', 'in', ['', 'abc'])]],
    ['x in (abc,abc)', [req('x', 'in', ['abc'])]],
    ['x in ()', [req('x', 'in', [''])]],
    ['x in (a,,)', [req('x', 'in', ['', 'a'])]],
    ['x in (a,,,)', [req('x', 'in', ['', 'a'])]],
    ['x in (a,,a,,a,,a,,)', [req('x', 'in', ['', 'a'])]],
    ['x notin (abc,,def),bar,z in (),w', [req('bar', 'exists'), req('w', 'exists'), req('x', 'notin', ['', 'abc', 'def']), req('z', 'in', [''])]],
    ['x,y in (a)', [req('x', 'exists'), req('y', 'in', ['a'])]],
    ['x,y', [req('x', 'exists'), req('y', 'exists')]],
    ['x=a', [req('x', '=', ['a'])]],
    ['x==a', [req('x', '==', ['a'])]],
    ['x>1', [req('x', 'gt', ['1'])]],
    ['x<7', [req('x', 'lt', ['7'])]],
    ['x=a,y!=b', [req('x', '=', ['a']), req('y', '!=', ['b'])]],
    ['x=a,y!=b,z in (h,i,j)', [req('x', '=', ['a']), req('y', '!=', ['b']), req('z', 'in', ['h', 'i', 'j'])]],
    ['x notin ( )', [req('x', 'notin', [''])]],
    ['x notin (, a)', [req('x', 'notin', ['', 'a'])]],
    ['a ', [req('a', 'exists')]],
    ['a in (x,y,notin, z,in)', [req('a', 'in', ['in', 'notin', 'x', 'y', 'z'])]],
    ['notin=in', [req('notin', '=', ['in'])]],
  ])('parses %j', (text, expected) => {
    expect(LabelSelector.parse(text).requirements).toEqual(expected);
  });

  it.each(['x=a||y=b', 'x,,y', ',x,y', 'x nott in (y)', 'a in (xyz),', 'a in (xyz)b notin ()', 'a in (xyz abc)', 'a notin(', 'a (', '('])(
    'rejects %j',
    (text) => {
      expect(parseError(text).code).toBe(400);
    },
  );

  it('treats an all-blank selector as everything', () => {
    expect(LabelSelector.parse('  \t').isEmpty()).toBe(true);
  });

  describe('error messages, as the API server words them', () => {
    it.each([
      ['x=a||y=b', "unable to parse requirement: values[0][x]: Invalid value: \"a||y\": " + LABEL_VALUE],
      ['x==a==b', "found '==', expected: ',' or 'end of string'"],
      ['!x=a', "found '=', expected: ',' or 'end of string'"],
      ['x<a', "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer"],
      ['x,,y', "found ',', expected: identifier after ','"],
      [',x,y', "found ',', expected: !, identifier, or 'end of string'"],
      ['x nott in (y)', "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt"],
      ['a in (xyz),', "found '', expected: identifier after ','"],
      ['a in (xyz)b notin ()', "found 'b', expected: ',' or 'end of string'"],
      ['a in (xyz abc)', "unable to parse requirement: found 'abc', expected: ',' or ')'"],
      ['a notin(', "unable to parse requirement: found '', expected: ',', ')' or identifier"],
      ['a (', "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"],
      ['(', "found '(', expected: !, identifier, or 'end of string'"],
      ['x in a', "unable to parse requirement: found 'a' expected: '('"],
      ['x in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
      ['x in (a,=)', "unable to parse requirement: found '=', expected: ',', or identifier"],
      ['x=(', "unable to parse requirement: found '(', expected: identifier"],
      ['!', "unable to parse requirement: found '', expected: identifier"],
    ])('%j', (text, message) => {
      const error = parseError(text);
      expect(error.message).toBe(message);
      expect(error.toStatus()).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 });
    });

    it('reports a bad key without a field path, as "<nil>"', () => {
      expect(parseError('a/b/c=d').message).toBe(
        'unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name ' +
          "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
          "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') " +
          "with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      );
      expect(parseError('-app').message).toBe(`unable to parse requirement: <nil>: Invalid value: "-app": ${NAME_PART}`);
    });

    it('joins several problems with one key by "; "', () => {
      expect(parseError('Bad_/x').message).toBe(
        'unable to parse requirement: <nil>: Invalid value: "Bad_/x": prefix part ' +
          "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character " +
          "(e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      );
      expect(parseError(`${'a'.repeat(64)}`).message).toBe(
        `unable to parse requirement: <nil>: Invalid value: "${'a'.repeat(64)}": name part must be no more than 63 characters`,
      );
    });

    it('brackets several problems with one requirement', () => {
      expect(parseError('x>-1').message).toBe(`unable to parse requirement: values[0][x]: Invalid value: "-1": ${LABEL_VALUE}`);
      expect(parseError('x>a_').message).toBe(
        "unable to parse requirement: [values[0]: Invalid value: \"a_\": for 'Gt', 'Lt' operators, the value must be an integer, " +
          `values[0][x]: Invalid value: "a_": ${LABEL_VALUE}]`,
      );
    });

    it('names the bad value inside a set', () => {
      expect(parseError('env in (prod, -x)').message).toBe(`unable to parse requirement: values[0][env]: Invalid value: "-x": ${LABEL_VALUE}`);
    });

    it('quotes values the way Go does', () => {
      expect(parseError('x=a\u0001b').message).toBe(`unable to parse requirement: values[0][x]: Invalid value: "a\\x01b": ${LABEL_VALUE}`);
    });

    it('does not mistake a JSON object for a selector', () => {
      expect(parseError("{'matchLabels': {'app': 'superapp'}}").message).toBe(
        `unable to parse requirement: <nil>: Invalid value: "{'matchLabels':": ${NAME_PART}`,
      );
    });
  });

  describe('seed examples', () => {
    it('name=redis-slave,env!=production', () => {
      const s = LabelSelector.parse('name=redis-slave,env!=production');
      expect(s.requirements).toEqual([req('env', '!=', ['production']), req('name', '=', ['redis-slave'])]);
      expect(s.toString()).toBe('env!=production,name=redis-slave');
      expect(s.matches({ name: 'redis-slave', env: 'staging' })).toBe(true);
      expect(s.matches({ name: 'redis-slave' })).toBe(true);
      expect(s.matches({ name: 'redis-slave', env: 'production' })).toBe(false);
      expect(s.exactValue('name')).toBe('redis-slave');
      expect(s.exactValue('env')).toBeUndefined();
    });

    it('name notin (php-frontend),env!=production', () => {
      const s = LabelSelector.parse('name notin (php-frontend),env!=production');
      expect(s.toString()).toBe('env!=production,name notin (php-frontend)');
      expect(s.matches({ name: 'redis' })).toBe(true);
      expect(s.matches({})).toBe(true);
      expect(s.matches({ name: 'php-frontend' })).toBe(false);
    });

    it('name in (redis-master, redis-slave)', () => {
      const s = LabelSelector.parse('name in (redis-master, redis-slave)');
      expect(s.toString()).toBe('name in (redis-master,redis-slave)');
      expect(s.matches({ name: 'redis-master' })).toBe(true);
      expect(s.matches({ name: 'redis-slave', tier: 'cache' })).toBe(true);
      expect(s.matches({ name: 'redis' })).toBe(false);
      expect(s.matches(undefined)).toBe(false);
      expect(s.exactValue('name')).toBeUndefined();
    });

    it('env', () => {
      const s = LabelSelector.parse('env');
      expect(s.requirements).toEqual([req('env', 'exists')]);
      expect(s.matches({ env: '' })).toBe(true);
      expect(s.matches({ tier: 'x' })).toBe(false);
    });

    it('!env', () => {
      const s = LabelSelector.parse('!env');
      expect(s.requirements).toEqual([req('env', '!')]);
      expect(s.toString()).toBe('!env');
      expect(s.matches({ tier: 'x' })).toBe(true);
      expect(s.matches(undefined)).toBe(true);
      expect(s.matches({ env: 'prod' })).toBe(false);
    });
  });
});

describe('LabelSelector.matches', () => {
  const match = (selector: string, labels: Record<string, string>) => LabelSelector.parse(selector).matches(labels);

  it.each<[string, Record<string, string>]>([
    ['', { x: 'y' }],
    ['x=y', { x: 'y' }],
    ['x=y,z=w', { x: 'y', z: 'w' }],
    ['x!=y,z!=w', { x: 'z', z: 'a' }],
    ['notin=in', { notin: 'in' }],
    ['x', { x: 'z' }],
    ['!x', { y: 'z' }],
    ['x>1', { x: '2' }],
    ['x<1', { x: '0' }],
    ['x<1', { x: '-5' }],
    ['x>1', { x: '+2' }],
    ['foo=bar', { foo: 'bar', baz: 'blah' }],
    ['baz=blah', { foo: 'bar', baz: 'blah' }],
    ['foo=bar,baz=blah', { foo: 'bar', baz: 'blah' }],
    ['x in (foo),y notin (alpha)', { x: 'foo', y: 'baz' }],
    ['x notin (),y', { y: '' }],
    ['!x,y', { y: '' }],
    ['x=', { x: '' }],
  ])('%j matches %j', (selector, labels) => {
    expect(match(selector, labels)).toBe(true);
  });

  it.each<[string, Record<string, string>]>([
    ['x=z', {}],
    ['x=y', { x: 'z' }],
    ['x=y,z=w', { x: 'w', z: 'w' }],
    ['x!=y,z!=w', { x: 'z', z: 'w' }],
    ['x', { y: 'z' }],
    ['!x', { x: 'z' }],
    ['x>1', { x: '0' }],
    ['x<1', { x: '2' }],
    ['x>1', { x: 'v2' }],
    ['x>1', { x: '99999999999999999999' }],
    ['x>1', {}],
    ['foo=blah', { foo: 'bar', baz: 'blah' }],
    ['baz=bar', { foo: 'bar', baz: 'blah' }],
    ['foo=bar,foobar=bar,baz=blah', { foo: 'bar', baz: 'blah' }],
    ['x in (foo),y in (alpha)', { x: 'foo', y: 'baz' }],
    ['x notin (),!y', { y: '' }],
    ['x in ()', { y: 'baz' }],
    ['x=', {}],
    ['constructor', {}],
  ])('%j does not match %j', (selector, labels) => {
    expect(match(selector, labels)).toBe(false);
  });

  it('compares Gt/Lt as 64-bit integers, not floats', () => {
    expect(match('x>9007199254740992', { x: '9007199254740993' })).toBe(true);
  });
});

describe('LabelSelector.toString', () => {
  it.each([
    ['x in (abc,def),y notin (jkl),z', 'x in (abc,def),y notin (jkl),z'],
    ['x notin (def,abc),y!=jkl,!z', 'x notin (abc,def),y!=jkl,!z'],
    ['x notin (abc),y in (jkl,mno),z notin ()', 'x notin (abc),y in (jkl,mno),z notin ()'],
    ['x=abc,y==jkl,z!=a,z', 'x=abc,y==jkl,z!=a,z'],
    ['z,x>2,y<8', 'x>2,y<8,z'],
  ])('prints %j as %j', (text, expected) => {
    expect(LabelSelector.parse(text).toString()).toBe(expected);
  });

  it('keeps the order of requirements on the same key', () => {
    expect(LabelSelector.parse('z!=a,z').toString()).toBe('z!=a,z');
    expect(LabelSelector.parse('z,z!=a').toString()).toBe('z,z!=a');
  });
});

describe('LabelSelector.exactValue', () => {
  it.each([
    ['a=x', 'x'],
    ['a==x', 'x'],
    ['a in (x)', 'x'],
    ['b=y,a=x', 'x'],
  ])('%j requires a to be %j', (text, value) => {
    expect(LabelSelector.parse(text).exactValue('a')).toBe(value);
  });

  it.each(['a', '!a', 'a!=x', 'a in (x,y)', 'a notin (x)', 'a>1', 'b=x', '', 'a in (x,y),a=x'])('%j does not', (text) => {
    expect(LabelSelector.parse(text).exactValue('a')).toBeUndefined();
  });
});

describe('LabelSelector.everything / nothing', () => {
  it('everything is empty and matches all', () => {
    expect(LabelSelector.everything().isEmpty()).toBe(true);
    expect(LabelSelector.everything().matches({ x: 'y' })).toBe(true);
    expect(LabelSelector.everything().matches(undefined)).toBe(true);
    expect(LabelSelector.everything().toString()).toBe('');
  });

  it('nothing is not empty and matches none', () => {
    expect(LabelSelector.nothing().isEmpty()).toBe(false);
    expect(LabelSelector.nothing().matches({})).toBe(false);
  });
});

describe('LabelSelector.fromObject', () => {
  it('null selects nothing, {} selects everything', () => {
    expect(LabelSelector.fromObject(null).matches({ a: 'b' })).toBe(false);
    expect(LabelSelector.fromObject(undefined).isEmpty()).toBe(false);
    expect(LabelSelector.fromObject({}).isEmpty()).toBe(true);
    expect(LabelSelector.fromObject({ matchLabels: {}, matchExpressions: [] }).matches({ a: 'b' })).toBe(true);
  });

  it('combines matchLabels and matchExpressions, sorted by key', () => {
    const s = LabelSelector.fromObject({
      matchLabels: { tier: 'frontend', app: 'guestbook' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['prod', 'canary'] },
        { key: 'legacy', operator: 'DoesNotExist' },
        { key: 'zone', operator: 'NotIn', values: ['b'] },
        { key: 'app', operator: 'Exists', values: [] },
      ],
    });
    expect(s.requirements).toEqual([
      req('app', '=', ['guestbook']),
      req('app', 'exists'),
      req('env', 'in', ['prod', 'canary']),
      req('legacy', '!'),
      req('tier', '=', ['frontend']),
      req('zone', 'notin', ['b']),
    ]);
    expect(s.toString()).toBe('app=guestbook,app,env in (canary,prod),!legacy,tier=frontend,zone notin (b)');
    expect(s.matches({ app: 'guestbook', tier: 'frontend', env: 'canary' })).toBe(true);
    expect(s.matches({ app: 'guestbook', tier: 'frontend', env: 'canary', legacy: 'y' })).toBe(false);
    expect(s.matches({ app: 'guestbook', tier: 'frontend', env: 'dev' })).toBe(false);
    expect(s.exactValue('app')).toBe('guestbook');
  });

  it('rejects unknown operators with the upstream message', () => {
    expect(fromObjectError({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }).message).toBe(
      '"Gt" is not a valid label selector operator',
    );
  });

  it('rejects In without values, printing the nil slice as Go does', () => {
    expect(fromObjectError({ matchExpressions: [{ key: 'a', operator: 'In' }] }).message).toBe(
      "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
    );
  });

  it('rejects Exists with values', () => {
    expect(fromObjectError({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x', 'y'] }] }).message).toBe(
      'values: Invalid value: []string{"x", "y"}: values set must be empty for exists and does not exist',
    );
  });

  it('rejects bad keys and values with field paths', () => {
    expect(fromObjectError({ matchLabels: { 'a b': 'c' } }).message).toBe(`key: Invalid value: "a b": ${NAME_PART}`);
    expect(fromObjectError({ matchLabels: { app: 'a b' } }).message).toBe(`values[0][app]: Invalid value: "a b": ${LABEL_VALUE}`);
    expect(fromObjectError({ matchLabels: { '-a': '-b' } }).message).toBe(
      `[key: Invalid value: "-a": ${NAME_PART}, values[0][-a]: Invalid value: "-b": ${LABEL_VALUE}]`,
    );
  });
});

describe('labelSelectorFieldErrors', () => {
  const text = (selector: Parameters<typeof labelSelectorFieldErrors>[0], path = 'spec.selector') =>
    labelSelectorFieldErrors(selector, path).map((e) => e.toString());

  it('accepts valid and absent selectors', () => {
    expect(text(null)).toEqual([]);
    expect(text({})).toEqual([]);
    expect(text({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }] })).toEqual([]);
  });

  it('reports matchLabels problems at the map path', () => {
    expect(text({ matchLabels: { '-app': 'web', ok: 'a b' } })).toEqual([
      `spec.selector.matchLabels: Invalid value: "-app": ${NAME_PART}`,
      `spec.selector.matchLabels: Invalid value: "a b": ${LABEL_VALUE}`,
    ]);
  });

  it('reports matchExpressions problems per index', () => {
    expect(
      text({
        matchExpressions: [
          { key: 'a', operator: 'In', values: [] },
          { key: 'b', operator: 'Exists', values: ['x'] },
          { key: 'c', operator: 'Gt', values: ['1'] },
          { key: '-d', operator: 'NotIn', values: ['ok', '-bad'] },
        ],
      }),
    ).toEqual([
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      'spec.selector.matchExpressions[2].operator: Invalid value: "Gt": not a valid selector operator',
      `spec.selector.matchExpressions[3].key: Invalid value: "-d": ${NAME_PART}`,
      `spec.selector.matchExpressions[3].values[1]: Invalid value: "-bad": ${LABEL_VALUE}`,
    ]);
  });

  it('honours the compatibility options', () => {
    const selector = { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['-bad'] }] };
    expect(labelSelectorFieldErrors(selector, 'spec.selector', { allowUnknownOperatorInRequirement: true, allowInvalidLabelValueInSelector: true })).toEqual([]);
  });

  it('builds paths from an empty root', () => {
    expect(text({ matchExpressions: [{ key: 'a', operator: 'In' }] }, '')).toEqual([
      "matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ]);
  });
});
