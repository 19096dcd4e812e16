import { canonicalMicroTime, canonicalTime } from './go-time';

describe('canonicalTime', () => {
  it.each([
    ['2016-07-21T17:05:52Z', '2016-07-21T17:05:52Z'],
    ['2016-07-21T19:05:52+02:00', '2016-07-21T17:05:52Z'],
    ['2016-07-21T17:05:52.999Z', '2016-07-21T17:05:52Z'],
    ['2016-07-21T7:05:52Z', '2016-07-21T07:05:52Z'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalTime(input)).toBe(expected);
  });

  it.each([
    ['abc', 'parsing time "abc" as "2006-01-02T15:04:05Z07:00": cannot parse "abc" as "2006"'],
    ['2016-13-01T00:00:00Z', 'parsing time "2016-13-01T00:00:00Z": month out of range'],
    ['2016-02-30T00:00:00Z', 'parsing time "2016-02-30T00:00:00Z": day out of range'],
    ['2016-07-21 17:05:52Z', 'parsing time "2016-07-21 17:05:52Z" as "2006-01-02T15:04:05Z07:00": cannot parse " 17:05:52Z" as "T"'],
    ['2016-07-21T17:05:52', 'parsing time "2016-07-21T17:05:52" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "Z07:00"'],
    ['2016-07-21T17:05:52Zxx', 'parsing time "2016-07-21T17:05:52Zxx": extra text: "xx"'],
  ])('rejects %s like Go', (input, message) => {
    expect(() => canonicalTime(input)).toThrow(message);
  });
});

describe('canonicalMicroTime', () => {
  it('normalises to UTC with six digits', () => {
    expect(canonicalMicroTime('2016-07-21T17:05:52.123456+01:00')).toBe('2016-07-21T16:05:52.123456Z');
  });

  it('demands the six fractional digits of RFC3339Micro', () => {
    expect(() => canonicalMicroTime('2016-07-21T17:05:52Z')).toThrow('cannot parse "Z" as ".000000"');
  });
});
