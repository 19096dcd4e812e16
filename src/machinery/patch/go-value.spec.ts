import { sliceStable } from './go-sort';
import { goEqual, GoPanic, goFloat, goSprint, goTypeOf } from './go-value';

describe('Go value helpers used by strategic merge patch', () => {
  it.each([
    [1.5, '1.5'],
    [123456.5, '123456.5'],
    [1234567.5, '1.2345675e+06'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1e21, '1e+21'],
    [-2.5e-7, '-2.5e-07'],
  ])('prints the float %p as %%v does', (value, text) => {
    expect(goFloat(value)).toBe(text);
  });

  it('prints maps with sorted keys, slices with spaces, nil as <nil>', () => {
    expect(goSprint({ b: [1, 'x'], a: null, c: { z: true } })).toBe('map[a:<nil> b:[1 x] c:map[z:true]]');
    expect(goSprint(5, 's')).toBe('%!s(int64=5)');
    expect(goSprint(null, 's')).toBe('%!s(<nil>)');
    expect(goSprint({ a: 1 }, 's')).toBe('map[a:%!s(int64=1)]');
  });

  it('types numbers as Go decodes them: integers int64, the rest float64', () => {
    expect(goTypeOf(3)).toBe('int64');
    expect(goTypeOf(3.5)).toBe('float64');
    expect(goTypeOf(1e300)).toBe('float64');
    expect(goEqual(3, 3)).toBe(true);
    expect(goEqual(3, '3')).toBe(false);
    expect(goEqual(null, null)).toBe(true);
    expect(() => goEqual({}, {})).toThrow(GoPanic);
    expect(goEqual({}, [])).toBe(false);
  });
});

describe('sliceStable', () => {
  it('is stable', () => {
    const items = Array.from({ length: 57 }, (_, i) => ({ key: i % 5, seq: i }));
    sliceStable(items, (i, j) => items[i].key < items[j].key);
    const expected = Array.from({ length: 57 }, (_, i) => ({ key: i % 5, seq: i })).sort((a, b) => a.key - b.key || a.seq - b.seq);
    expect(items).toEqual(expected);
  });

  it("follows Go's comparison sequence for a comparator that always says less", () => {
    // Insertion sort moves every element to the front: short lists come out reversed.
    const items = [1, 2, 3, 4, 5];
    sliceStable(items, () => true);
    expect(items).toEqual([5, 4, 3, 2, 1]);
  });
});
