/**
 * metav1.Time and metav1.MicroTime as the API server reads them: Go's time.Parse with the RFC 3339
 * layouts, including its error wording (a client that sends a bad timestamp sees the same
 * "parsing time ... cannot parse ..." text), and the canonical UTC form the server writes back.
 */

export class GoTimeError extends Error {}

const RFC3339 = '2006-01-02T15:04:05Z07:00';
const RFC3339_MICRO = '2006-01-02T15:04:05.000000Z07:00';

type Element =
  | { kind: 'literal'; text: string }
  | { kind: 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'zone'; text: string }
  | { kind: 'fraction'; text: string; digits: number };

const SECONDS_LAYOUT: Element[] = [
  { kind: 'year', text: '2006' },
  { kind: 'literal', text: '-' },
  { kind: 'month', text: '01' },
  { kind: 'literal', text: '-' },
  { kind: 'day', text: '02' },
  { kind: 'literal', text: 'T' },
  { kind: 'hour', text: '15' },
  { kind: 'literal', text: ':' },
  { kind: 'minute', text: '04' },
  { kind: 'literal', text: ':' },
  { kind: 'second', text: '05' },
];
const TIME_LAYOUT: Element[] = [...SECONDS_LAYOUT, { kind: 'zone', text: 'Z07:00' }];
const MICRO_LAYOUT: Element[] = [...SECONDS_LAYOUT, { kind: 'fraction', text: '.000000', digits: 6 }, { kind: 'zone', text: 'Z07:00' }];

/** Go's time package quoting (strconv-like, double quotes). */
function quote(text: string): string {
  return JSON.stringify(text);
}

function isDigit(text: string, index: number): boolean {
  const c = text.charCodeAt(index);
  return c >= 48 && c <= 57;
}

/** getnum: one or two digits; `fixed` demands two. Returns [value, rest] or undefined. */
function getnum(text: string, fixed: boolean): [number, string] | undefined {
  if (!isDigit(text, 0)) return undefined;
  if (!isDigit(text, 1)) return fixed ? undefined : [text.charCodeAt(0) - 48, text.slice(1)];
  return [(text.charCodeAt(0) - 48) * 10 + (text.charCodeAt(1) - 48), text.slice(2)];
}

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

interface Parsed {
  epochMs: number;
  micros: number;
}

function parse(layoutText: string, layout: Element[], input: string): Parsed {
  const fail = (elem: Element, rest: string): GoTimeError =>
    new GoTimeError(`parsing time ${quote(input)} as ${quote(layoutText)}: cannot parse ${quote(rest)} as ${quote(elem.text)}`);
  const outOfRange = (what: string): GoTimeError => new GoTimeError(`parsing time ${quote(input)}: ${what} out of range`);
  let value = input;
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let nanos = 0;
  let offsetMinutes = 0;
  for (let i = 0; i < layout.length; i++) {
    const elem = layout[i];
    const hold = value;
    switch (elem.kind) {
      case 'literal':
        if (!value.startsWith(elem.text)) throw fail(elem, value);
        value = value.slice(elem.text.length);
        break;
      case 'year': {
        const digits = value.slice(0, 4);
        if (value.length < 4 || !/^[+-]?[0-9]+$/.test(digits)) throw fail(elem, hold);
        year = Number.parseInt(digits, 10);
        value = value.slice(4);
        break;
      }
      case 'month':
      case 'day':
      case 'hour':
      case 'minute':
      case 'second': {
        const got = getnum(value, elem.kind !== 'hour');
        if (!got) throw fail(elem, hold);
        const [n, rest] = got;
        value = rest;
        if (elem.kind === 'month') {
          month = n;
          if (n <= 0 || n > 12) throw outOfRange('month');
        } else if (elem.kind === 'day') {
          day = n;
        } else if (elem.kind === 'hour') {
          hour = n;
          if (n >= 24) throw outOfRange('hour');
        } else if (elem.kind === 'minute') {
          minute = n;
          if (n >= 60) throw outOfRange('minute');
        } else {
          second = n;
          if (n >= 60) throw outOfRange('second');
          // Go accepts a fractional second the layout does not spell, unless the layout spells one next.
          const next = layout[i + 1];
          if (next?.kind !== 'fraction' && value.length >= 2 && (value[0] === '.' || value[0] === ',') && isDigit(value, 1)) {
            let n2 = 2;
            while (n2 < value.length && isDigit(value, n2)) n2++;
            nanos = fractionToNanos(value.slice(1, n2));
            value = value.slice(n2);
          }
        }
        break;
      }
      case 'fraction': {
        const width = 1 + elem.digits;
        if (value.length < width || (value[0] !== '.' && value[0] !== ',')) throw fail(elem, hold);
        const digits = value.slice(1, width);
        if (!/^[0-9]+$/.test(digits)) throw fail(elem, hold);
        nanos = fractionToNanos(digits);
        value = value.slice(width);
        break;
      }
      case 'zone': {
        if (value.startsWith('Z')) {
          value = value.slice(1);
          break;
        }
        if (value.length < 6 || value[3] !== ':') throw fail(elem, hold);
        const sign = value[0];
        const hh = getnum(value.slice(1, 3), true);
        const mm = getnum(value.slice(4, 6), true);
        if (!hh || !mm || (sign !== '+' && sign !== '-')) throw fail(elem, hold);
        offsetMinutes = (sign === '-' ? -1 : 1) * (hh[0] * 60 + mm[0]);
        value = value.slice(6);
        break;
      }
    }
  }
  if (value.length > 0) throw new GoTimeError(`parsing time ${quote(input)}: extra text: ${quote(value)}`);
  if (day < 1 || day > daysIn(month, year)) throw outOfRange('day');
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 onto 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return { epochMs: date.getTime() - offsetMinutes * 60_000, micros: Math.floor(nanos / 1000) };
}

function fractionToNanos(digits: string): number {
  return Number.parseInt(digits.slice(0, 9).padEnd(9, '0'), 10);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function formatSeconds(epochMs: number): string {
  const d = new Date(epochMs);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
}

/** A metav1.Time wire string → its canonical form ("2024-05-01T10:00:00Z"); sub-second parts are dropped like the server's. */
export function canonicalTime(input: string): string {
  if (input.length === 20 && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(input)) {
    // Fast path: already canonical, only the ranges need checking.
    parse(RFC3339, TIME_LAYOUT, input);
    return input;
  }
  return `${formatSeconds(parse(RFC3339, TIME_LAYOUT, input).epochMs)}Z`;
}

/** A metav1.MicroTime wire string → "2024-05-01T10:00:00.000000Z". */
export function canonicalMicroTime(input: string): string {
  const parsed = parse(RFC3339_MICRO, MICRO_LAYOUT, input);
  return `${formatSeconds(parsed.epochMs)}.${pad(parsed.micros, 6)}Z`;
}
