import { canonicalQuantity, compareQuantities, formatQuantity, isWholeNumber, parseQuantity } from './quantity';

const q = (s: string) => {
  const parsed = parseQuantity(s);
  if (!parsed) throw new Error(`bad quantity ${s}`);
  return parsed;
};

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
