import { ageCell, defaultTable, humanDuration, NAME_COLUMN, rfc3339, timestampSince } from './table';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration (apimachinery HumanDuration)', () => {
  it.each([
    [-3 * S, '<invalid>'],
    [-1500, '0s'],
    [0, '0s'],
    [5 * S, '5s'],
    [119 * S, '119s'],
    [2 * M, '2m'],
    [3 * M + 2 * S, '3m2s'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M + 30 * S, '10m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [5 * H + 10 * M, '5h10m'],
    [8 * H, '8h'],
    [47 * H, '47h'],
    [2 * D, '2d'],
    [2 * D + 3 * H, '2d3h'],
    [8 * D, '8d'],
    [400 * D, '400d'],
    [2 * 365 * D, '2y'],
    [2 * 365 * D + 30 * D, '2y30d'],
    [8 * 365 * D, '8y'],
    [20 * 365 * D, '20y'],
  ])('%d ms → %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('ages and timestamps', () => {
  const now = new Date('2024-05-01T12:00:00Z');
  it('ages a creation timestamp against the server clock', () => {
    expect(ageCell('2024-05-01T11:57:00Z', now)).toBe('3m');
    expect(timestampSince('2024-04-29T09:00:00Z', now)).toBe('2d3h');
  });
  it('prints <unknown> without a timestamp', () => {
    expect(ageCell(undefined, now)).toBe('<unknown>');
    expect(ageCell('', now)).toBe('<unknown>');
  });
  it('formats RFC 3339 with whole seconds in UTC', () => {
    expect(rfc3339('2024-05-01T12:00:00.123Z')).toBe('2024-05-01T12:00:00Z');
    expect(rfc3339(undefined)).toBe('0001-01-01T00:00:00Z');
  });
});

describe('defaultTable', () => {
  it('has NAME (format name) and Created At (date) like the default table convertor', () => {
    const table = defaultTable();
    expect(table.columns.map((c) => [c.name, c.type, c.format])).toEqual([
      ['Name', 'string', 'name'],
      ['Created At', 'date', undefined],
    ]);
    expect(table.cells({ metadata: { name: 'x', creationTimestamp: '2024-05-01T12:00:00Z' } }, new Date())).toEqual(['x', '2024-05-01T12:00:00Z']);
    expect(NAME_COLUMN.format).toBe('name');
  });
});
