import {
  addQuantities,
  canonicalizeResourceList,
  canonicalQuantity,
  compareQuantities,
  formatQuantity,
  isMultipleOf,
  isWholeNumber,
  parseQuantity,
  parseQuantityOrThrow,
  QUANTITY_FORMAT_ERROR,
  QUANTITY_NUMERIC_ERROR,
  QUANTITY_SUFFIX_ERROR,
  roundUp,
  type Quantity,
} from './quantity';

const q = (s: string): Quantity => {
  const parsed = parseQuantity(s);
  if (!parsed) throw new Error(`bad quantity ${s}`);
  return parsed;
};

// The decoder's view: request text in, the text the server writes back (or its error) out.
describe('canonicalQuantity', () => {
  it.each([
    ['0.5', '500m'],
    ['1024Mi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['1.5Gi', '1536Mi'],
    ['1000m', '1'],
    ['1000', '1k'],
    ['1500', '1500'],
    ['2048', '2048'],
    ['100Mi', '100Mi'],
    ['0Gi', '0'],
    ['1e3', '1e3'],
    ['1000e0', '1e3'],
    ['129e6', '129e6'],
    ['250m', '250m'],
    ['0.0000000001', '1n'],
    ['1000E', '1e21'],
    ['-500m', '-500m'],
    ['0.1Ki', '102400m'],
    [' 2 ', '2'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalQuantity(input)).toBe(expected);
  });

  it.each(['', 'lots', '1Gb', 'true', '--1'])('rejects %j', (input) => {
    expect(() => canonicalQuantity(input)).toThrow();
  });

  it('uses the server wording for a malformed quantity', () => {
    expect(() => canonicalQuantity('lots')).toThrow(QUANTITY_FORMAT_ERROR);
  });
});

// Validation's view: parsed values that print, compare and round.
describe('quantities', () => {
  it.each([
    ['0.5', '500m'],
    ['500m', '500m'],
    ['1000m', '1'],
    ['1500m', '1500m'],
    ['1000', '1k'],
    ['1200', '1200'],
    ['1Gi', '1Gi'],
    ['1024Mi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['1.5Gi', '1536Mi'],
    ['512', '512'],
    ['100Ki', '100Ki'],
    ['1e3', '1e3'],
    ['12e2', '1200'],
    ['0', '0'],
    ['-1', '-1'],
    ['1M', '1M'],
    ['0.1Ki', '102400m'],
    ['1E', '1E'],
  ])('%s prints as %s', (input, out) => {
    expect(formatQuantity(q(input))).toBe(out);
  });

  it('accepts JSON numbers and rejects malformed text', () => {
    expect(canonicalQuantity(2)).toBe('2');
    expect(canonicalQuantity(0.25)).toBe('250m');
    expect(parseQuantity('abc')).toBeUndefined();
    expect(parseQuantity('1e')).toBeUndefined();
    expect(parseQuantity('1Ki2')).toBeUndefined();
    expect(parseQuantity('')).toBeUndefined();
  });

  it('rounds up to milli-units for resource lists', () => {
    expect(canonicalQuantity('0.0001', true)).toBe('1m');
    expect(canonicalQuantity('1.0001', true)).toBe('1001m');
  });

  it('compares across formats', () => {
    expect(compareQuantities(q('1.5Gi'), q('1536Mi'))).toBe(0);
    expect(compareQuantities(q('500m'), q('1'))).toBe(-1);
    expect(compareQuantities(q('2'), q('1999m'))).toBe(1);
    expect(isWholeNumber(q('2'))).toBe(true);
    expect(isWholeNumber(q('1500m'))).toBe(false);
  });
});

// Cases from k8s.io/apimachinery/pkg/api/resource/quantity_test.go, checked against the Go behaviour.
describe('apimachinery parity', () => {
  it.each([
    // TestQuantityString alternates, TestQuantityParseEmit, TestNewSet round trips.
    ['307200Ki', '300Mi'],
    ['1025024Mi', '1001Gi'],
    ['1024Gi', '1Ti'],
    ['5000m', '5'],
    ['1000M', '1G'],
    ['0.001T', '1G'],
    ['1000u', '1m'],
    ['1.08', '1080m'],
    ['1080000000n', '1080m'],
    ['5000E', '5e21'],
    ['1000000E', '1e24'],
    ['.001e12', '1e9'],
    ['0.001e0', '1e-3'],
    ['1000e-12', '1e-9'],
    ['00', '0'],
    ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'],
    ['.000000001Ki', '1024n'],
    ['.000000000001Ki', '2n'],
    ['-.001Ki', '-1024m'],
    ['-.000000000001Ki', '-2n'],
    ['3.001n', '4n'],
    ['0.9n', '1n'],
    ['0.00000012345', '124n'],
    ['1.1E-9', '2e-9'],
    ['100.035Ki', '102435840m'],
    ['0.5Mi', '512Ki'],
    // Odd spellings the scanner takes: they are all zero, or plain numbers.
    ['.', '0'],
    ['-.', '0'],
    ['-', '0'],
    ['+', '0'],
    ['.Ki', '0'],
    ['.0001k', '100m'],
    // A bare suffix is zero too (kubernetes/apimachinery#165, never fixed).
    ['m', '0'],
    ['Ki', '0'],
    ['e3', '0'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalQuantity(input)).toBe(expected);
  });

  it.each([
    ['1.1.M', QUANTITY_FORMAT_ERROR],
    ['1+1.0M', QUANTITY_FORMAT_ERROR],
    ['0.1am', QUANTITY_FORMAT_ERROR],
    ['aoeu', QUANTITY_FORMAT_ERROR],
    ['0.1mi', QUANTITY_SUFFIX_ERROR],
    ['.5i', QUANTITY_SUFFIX_ERROR],
    ['1i', QUANTITY_SUFFIX_ERROR],
    ['-3.01i', QUANTITY_SUFFIX_ERROR],
    ['-3.01e-', QUANTITY_SUFFIX_ERROR],
    ['1e99999999999999999999', QUANTITY_SUFFIX_ERROR],
    ['.Pi', QUANTITY_NUMERIC_ERROR],
    ['.e-10', QUANTITY_NUMERIC_ERROR],
    ['Pi', QUANTITY_NUMERIC_ERROR],
    ['1..1k', QUANTITY_FORMAT_ERROR],
    // ParseQuantity itself forbids whitespace; only the JSON path trims it.
    [' 1', QUANTITY_FORMAT_ERROR],
    ['1 ', QUANTITY_FORMAT_ERROR],
  ])('ParseQuantity rejects %j with its own error', (input, message) => {
    expect(() => parseQuantityOrThrow(input)).toThrow(message);
  });

  it('trims whitespace as Go strings.TrimSpace does, not as String.trim does', () => {
    expect(canonicalQuantity('\t1\n')).toBe('1');
    expect(canonicalQuantity('\u00851\u0085')).toBe('1');
    expect(() => canonicalQuantity('\ufeff1')).toThrow(QUANTITY_FORMAT_ERROR);
  });

  it.each([
    // The int64 fast path keeps text it judges canonical, and the server echoes it (kubernetes#138165).
    ['+1', '+1'],
    ['01', '01'],
    ['1E3', '1E3'],
    ['1e+3', '1e+3'],
    ['1.001', '1.001'],
    ['1.500k', '1.500k'],
    ['+1Ki', '+1Ki'],
    ['1.', '1.'],
    ['1.G', '1.G'],
    // Text that fails those checks, or takes the big-number path, is reprinted.
    ['1.50k', '1500'],
    ['+1000', '1k'],
    ['+1Pi', '1Pi'],
    ['+8Ki', '8Ki'],
  ])('keeps or reprints %s as %s', (input, expected) => {
    expect(canonicalQuantity(input)).toBe(expected);
  });

  it('keeps the text through milli rounding only when nothing is rounded', () => {
    expect(canonicalQuantity('+1', true)).toBe('+1');
    expect(canonicalQuantity('1.001', true)).toBe('1.001');
    expect(canonicalQuantity('1.000001', true)).toBe('1001m');
  });

  it('caps binarySI values at 2^63-1 and moves sub-unit ones to DecimalSI', () => {
    expect(canonicalQuantity('9Ei')).toBe('9223372036854775807');
    expect(canonicalQuantity('8Ei')).toBe('9223372036854775807');
    expect(canonicalQuantity('-9Ei')).toBe('-9223372036854775807');
    expect(canonicalQuantity('9223372036854775807Ki')).toBe('9223372036854775807');
    expect(canonicalQuantity('7Ei')).toBe('7Ei');
    expect(canonicalQuantity('10000E')).toBe('10e21'); // decimal values are not capped
    expect(q('0.000000000001Ki').format).toBe('DecimalSI');
    expect(q('0Ki').format).toBe('BinarySI');
  });

  it('records the format of the suffix', () => {
    expect(q('1Ki').format).toBe('BinarySI');
    expect(q('1k').format).toBe('DecimalSI');
    expect(q('1e3').format).toBe('DecimalExponent');
    expect(q('1').format).toBe('DecimalSI');
  });

  it('reads an exponent as int64 truncated to int32', () => {
    // 2^32 truncates to 0; the text is kept, the value is 1.
    expect(compareQuantities(q('1e4294967296'), q('1'))).toBe(0);
  });

  it('handles huge exponents without expanding them', () => {
    expect(canonicalQuantity('10e999999998')).toBe('1e999999999');
    expect(canonicalQuantity('1e-999999999')).toBe('1e-9');
    expect(compareQuantities(q('1e999999999'), q('999E'))).toBe(1);
    expect(compareQuantities(q('-1e999999999'), q('-999E'))).toBe(-1);
    expect(isWholeNumber(q('1e999999999'))).toBe(true);
    expect(isMultipleOf(q('1e999999999'), q('2'))).toBe(true);
    expect(isMultipleOf(q('1e999999999'), q('3'))).toBe(false);
    expect(canonicalQuantity('1e999999999', true)).toBe('1e999999999');
  });

  it.each([
    ['0', '0', 0],
    ['100m', '50m', 1],
    ['50m', '100m', -1],
    ['10000T', '100Gi', 1],
    ['-1', '0', -1],
    ['-1', '-2', 1],
    ['-1.5Gi', '-1536Mi', 0],
    ['1n', '0', 1],
  ])('Cmp(%s, %s) = %d', (a, b, expected) => {
    expect(compareQuantities(q(a), q(b))).toBe(expected);
    expect(compareQuantities(q(b), q(a))).toBe(expected === 0 ? 0 : -expected);
  });

  it.each([
    // TestQuantityRoundUp: Go's scale -3 is 3 decimal places here.
    ['9.01', 3, '9010m'],
    ['9.01', 2, '9010m'],
    ['9.01', 1, '9100m'],
    ['9.01', 0, '10'],
    ['9.01', -1, '10'],
    ['9.01', -2, '100'],
    ['-9.01', 1, '-9100m'],
    ['-9.01', -2, '-100'],
  ])('RoundUp(%s) to %d places is %s', (input, places, expected) => {
    expect(formatQuantity(roundUp(q(input), places))).toBe(expected);
  });

  it('adds exactly, taking the format of the first non-zero operand', () => {
    expect(formatQuantity(addQuantities(q('10'), q('1e1')))).toBe('20');
    expect(formatQuantity(addQuantities(q('1Gi'), q('0')))).toBe('1Gi');
    expect(formatQuantity(addQuantities(q('0'), q('1Gi')))).toBe('1Gi');
    expect(formatQuantity(addQuantities(q('0'), q('100m')))).toBe('100m');
    expect(formatQuantity(addQuantities(q('1Gi'), q('-512Mi')))).toBe('512Mi');
    expect(formatQuantity(addQuantities(q('1'), q('-1')))).toBe('0');
    expect(formatQuantity(addQuantities(q('10'), q('1Ki')))).toBe('1034');
  });

  it('tests whole numbers as MilliValue() % 1000 == 0', () => {
    expect(isWholeNumber(q('1.5Gi'))).toBe(true);
    expect(isWholeNumber(q('1001m'))).toBe(false);
    // MilliValue rounds up first, as the Go check does; defaulted lists are milli-rounded anyway.
    expect(isWholeNumber(q('0.9999'))).toBe(true);
  });

  it('tells exact multiples', () => {
    expect(isMultipleOf(q('4Mi'), q('2Mi'))).toBe(true);
    expect(isMultipleOf(q('3Mi'), q('2Mi'))).toBe(false);
    expect(isMultipleOf(q('1.5'), q('500m'))).toBe(true);
    expect(isMultipleOf(q('1.5'), q('1'))).toBe(false);
    expect(isMultipleOf(q('1m'), q('1'))).toBe(false);
    expect(isMultipleOf(q('0'), q('2Mi'))).toBe(true);
    expect(isMultipleOf(q('2Mi'), q('0'))).toBe(false);
  });

  it('canonicalizes a ResourceList in place, leaving malformed values for validation', () => {
    const list: Record<string, unknown> = { cpu: '0.0001', memory: '1024Mi', pods: 2, bad: 'lots', nothing: null };
    canonicalizeResourceList(list);
    expect(list).toEqual({ cpu: '1m', memory: '1Gi', pods: '2', bad: 'lots', nothing: null });
  });
});
