import {
  cIdentifierErrors,
  configMapKeyErrors,
  dns1035LabelErrors,
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  envVarNameErrors,
  labelValueErrors,
  qualifiedNameErrors,
  regexError,
} from './names';

const NAME_PART_REGEX =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
  "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const SUBDOMAIN_REGEX =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character " +
  "(e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

describe('regexError', () => {
  it('keeps the double space between examples that real messages have', () => {
    expect(regexError('m', 'r', 'a', 'b')).toBe("m (e.g. 'a',  or 'b', regex used for validation is 'r')");
    expect(regexError('m', 'r')).toBe("m (regex used for validation is 'r')");
  });
});

describe('qualifiedNameErrors', () => {
  it.each([
    'simple',
    'now-with-dashes',
    '1-starts-with-num',
    '1234',
    'simple/simple',
    'now-with-dashes/simple',
    'now-with-dashes/now-with-dashes',
    'now.with.dots/simple',
    'now-with.dashes-and.dots/simple',
    '1-num.2-num/3-num',
    '1234/5678',
    '1.2.3.4/5678',
    'Uppercase_Is_OK_123',
    'example.com/Uppercase_Is_OK_123',
    'requests.storage-foo',
    'a'.repeat(63),
    `${'a'.repeat(253)}/${'b'.repeat(63)}`,
  ])('accepts %s', (value) => {
    expect(qualifiedNameErrors(value)).toEqual([]);
  });

  it.each([
    'nospecialchars%^=@',
    'cantendwithadash-',
    '-cantstartwithadash-',
    'only/one/slash',
    'Example.com/abc',
    'example_com/abc',
    'example.com/',
    '/simple',
    'a'.repeat(64),
    `${'a'.repeat(254)}/abc`,
  ])('rejects %s', (value) => {
    expect(qualifiedNameErrors(value).length).toBeGreaterThan(0);
  });

  it('words a bad name part as the API server does', () => {
    expect(qualifiedNameErrors('-x')).toEqual([NAME_PART_REGEX]);
  });

  it('reports an empty name part twice, as upstream does', () => {
    expect(qualifiedNameErrors('')).toEqual(['name part must be non-empty', NAME_PART_REGEX]);
  });

  it('reports length and format of the name part', () => {
    expect(qualifiedNameErrors(`${'a'.repeat(63)}-`)).toEqual(['name part must be no more than 63 characters', NAME_PART_REGEX]);
  });

  it('reports the prefix separately', () => {
    expect(qualifiedNameErrors('/a')).toEqual(['prefix part must be non-empty']);
    expect(qualifiedNameErrors('Bad/a')).toEqual([`prefix part ${SUBDOMAIN_REGEX}`]);
  });

  it('rejects more than one slash with the qualified-name sentence', () => {
    expect(qualifiedNameErrors('a/b/c')).toEqual([
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
        "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') " +
        "with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ]);
  });
});

describe('labelValueErrors', () => {
  it.each(['', 'simple', 'now-with-dashes', '1-starts-with-num', 'end-with-num-1', '1234', 'a'.repeat(63), 'Upper_Case.9'])('accepts %j', (value) => {
    expect(labelValueErrors(value)).toEqual([]);
  });

  it('rejects bad characters with the real message', () => {
    expect(labelValueErrors('a b')).toEqual([
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
        "(e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ]);
  });

  it.each(['nospecialchars%^=@', 'Tama-nui-te-rā.is.Māori.sun', '\\backslashes\\are\\bad', '-starts-with-dash', 'ends-with-dash-', '.starts.with.dot'])(
    'rejects %j',
    (value) => {
      expect(labelValueErrors(value).length).toBeGreaterThan(0);
    },
  );

  it('limits length to 63', () => {
    expect(labelValueErrors('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
  });
});

describe('dns1123LabelErrors', () => {
  it.each(['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2', 'a'.repeat(63)])('accepts %s', (v) => {
    expect(dns1123LabelErrors(v)).toEqual([]);
  });

  it.each(['', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1', '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2', '.', 'a.', '.a', '1.', '.1', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2'])(
    'rejects %j',
    (v) => {
      expect(dns1123LabelErrors(v).length).toBeGreaterThan(0);
    },
  );

  it('says "must not contain dots" for a valid subdomain', () => {
    expect(dns1123LabelErrors('a.b')).toEqual(['must not contain dots']);
  });

  it('uses the RFC 1123 label sentence otherwise', () => {
    expect(dns1123LabelErrors('A')).toEqual([
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character " +
        "(e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });

  it('limits length to 63', () => {
    expect(dns1123LabelErrors('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
  });
});

describe('dns1123SubdomainErrors', () => {
  it.each(['a', 'ab', 'a-1', '0', '1a', 'a.a', 'ab.a', 'a.1', '1.a', '1--a--b--2.a--1', 'a'.repeat(253)])('accepts %s', (v) => {
    expect(dns1123SubdomainErrors(v)).toEqual([]);
  });

  it.each(['', 'A', 'aBc', 'a-', '-a', 'a_b', 'a.', '.a', 'a..b', 'a.-b', 'a b', 'example.com/'])('rejects %j', (v) => {
    expect(dns1123SubdomainErrors(v)).toEqual([SUBDOMAIN_REGEX]);
  });

  it('limits length to 253', () => {
    expect(dns1123SubdomainErrors('a'.repeat(254))).toEqual(['must be no more than 253 characters']);
  });
});

describe('dns1035LabelErrors', () => {
  it.each(['a', 'ab', 'a1', 'a-1', 'a--1--2--b', 'a'.repeat(63)])('accepts %s', (v) => {
    expect(dns1035LabelErrors(v)).toEqual([]);
  });

  it.each(['0', '01', '1a', '1-a', '', 'A', 'a-', '-a', 'a.b', 'a_b', 'a b'])('rejects %j', (v) => {
    expect(dns1035LabelErrors(v)).toEqual([
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character " +
        "(e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });

  it('limits length to 63', () => {
    expect(dns1035LabelErrors('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
  });
});

describe('cIdentifierErrors', () => {
  it.each(['a', 'ab', 'abc', 'a1', '_a', 'a_', 'a_b', 'a_1', 'a__1__2__b', '__abc_123', 'A', 'AB', 'AbC', 'A1', '_A', 'A_', 'A_B', 'A_1'])('accepts %s', (v) => {
    expect(cIdentifierErrors(v)).toEqual([]);
  });

  it.each(['', '1', '123', '1a', '-', 'a-', '-a', 'a-b', 'a b', '1-', '-1', '1_', '1_2', '.', 'a.', '.a', 'a.b', '1.', '.1', '1.2', '#', 'a#', '#a', 'a#b', ' ', 'a ', ' a'])(
    'rejects %j',
    (v) => {
      expect(cIdentifierErrors(v)).toEqual([
        "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_' " +
          "(e.g. 'my_name',  or 'MY_NAME',  or 'MyName', regex used for validation is '[A-Za-z_][A-Za-z0-9_]*')",
      ]);
    },
  );
});

describe('envVarNameErrors', () => {
  it.each(['a', 'A', 'ab', 'AbC', 'a1', 'a_b', 'a.b', 'a-b', '_a', '.a', '-a'])('accepts %s', (v) => {
    expect(envVarNameErrors(v)).toEqual([]);
  });

  it('rejects a leading digit and chdir prefixes', () => {
    expect(envVarNameErrors('1a')).toHaveLength(1);
    expect(envVarNameErrors('.')).toEqual(["must not be '.'"]);
    expect(envVarNameErrors('..')).toEqual(["must not be '..'"]);
    expect(envVarNameErrors('..a')).toEqual(["must not start with '..'"]);
  });
});

describe('configMapKeyErrors', () => {
  it('accepts dotted keys and rejects slashes', () => {
    expect(configMapKeyErrors('app.properties')).toEqual([]);
    expect(configMapKeyErrors('a/b')).toEqual([
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    ]);
  });
});
