import { canonicalQuantity, QUANTITY_FORMAT_ERROR } from './quantity';

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
