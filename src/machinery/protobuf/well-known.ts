/**
 * The JSON forms of metav1.Time, metav1.MicroTime and metav1.Duration, converted to and from the
 * numbers protobuf carries. Calendar arithmetic is done on day numbers rather than through Date, which
 * would misread years below 100 and costs more per call.
 */

const SECONDS_PER_DAY = 86400;
/** Unix seconds of 0001-01-01T00:00:00Z, Go's zero time.Time, which MarshalJSON writes as null. */
export const GO_ZERO_TIME_UNIX = -62135596800;

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(days: number): [year: number, month: number, day: number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [era * 400 + yoe + (month <= 2 ? 1 : 0), month, day];
}

function pad(value: number, width: number): string {
  const text = String(value);
  return text.length >= width ? text : '0'.repeat(width - text.length) + text;
}

/**
 * time.Unix(seconds, nanos).UTC() formatted as RFC 3339 (Time: whole seconds, as Time.MarshalJSON
 * truncates) or RFC3339Micro (MicroTime: six fractional digits, truncated).
 */
export function formatUnixTime(seconds: number, nanos: number, micro: boolean): string {
  // time.Unix normalises nanoseconds outside [0, 1e9) into the seconds.
  if (nanos < 0 || nanos >= 1e9) {
    seconds += Math.floor(nanos / 1e9);
    nanos = ((nanos % 1e9) + 1e9) % 1e9;
  }
  const days = Math.floor(seconds / SECONDS_PER_DAY);
  let rest = seconds - days * SECONDS_PER_DAY;
  const [year, month, day] = civilFromDays(days);
  const hour = Math.floor(rest / 3600);
  rest -= hour * 3600;
  const minute = Math.floor(rest / 60);
  const second = rest - minute * 60;
  const base = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}`;
  return micro ? `${base}.${pad(Math.floor(nanos / 1000), 6)}Z` : `${base}Z`;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** Two ASCII digits at `i` as a number, or NaN. */
function digits2(text: string, i: number): number {
  const a = text.charCodeAt(i) - 48;
  const b = text.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : NaN;
}

/**
 * The canonical forms the server stores ("2024-05-01T10:00:00Z", and with ".123456" for MicroTime),
 * read without a regular expression: every object carries several timestamps.
 */
function parseCanonicalTime(text: string): { seconds: number; nanos: number } | undefined {
  const n = text.length;
  if ((n !== 20 && n !== 27) || text.charCodeAt(n - 1) !== 90 /* Z */ || text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':' || text[16] !== ':') return undefined;
  const year = digits2(text, 0) * 100 + digits2(text, 2);
  const seconds = daysFromCivil(year, digits2(text, 5), digits2(text, 8)) * SECONDS_PER_DAY + digits2(text, 11) * 3600 + digits2(text, 14) * 60 + digits2(text, 17);
  let nanos = 0;
  if (n === 27) {
    if (text[19] !== '.') return undefined;
    nanos = (digits2(text, 20) * 10000 + digits2(text, 22) * 100 + digits2(text, 24)) * 1000;
  }
  return Number.isNaN(seconds) || Number.isNaN(nanos) ? undefined : { seconds, nanos };
}

/** An RFC 3339 timestamp (as Time and MicroTime JSON hold them) → Unix seconds and nanoseconds. */
export function parseUnixTime(text: string): { seconds: number; nanos: number } {
  const canonical = parseCanonicalTime(text);
  if (canonical) return canonical;
  const m = RFC3339.exec(text);
  if (!m) throw new Error(`not an RFC 3339 time: ${JSON.stringify(text)}`);
  const days = daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
  let seconds = days * SECONDS_PER_DAY + Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6]);
  if (m[9]) {
    const offset = (Number(m[10]) * 60 + Number(m[11])) * 60;
    seconds -= m[9] === '-' ? -offset : offset;
  }
  const nanos = m[7] ? Number(m[7].slice(0, 9).padEnd(9, '0')) : 0;
  return { seconds, nanos };
}

// ----- time.Duration -----

/** time.Duration.String(): "1h2m3.5s", "1.5ms", "0s". */
export function formatGoDuration(nanoseconds: bigint): string {
  if (nanoseconds === 0n) return '0s';
  const negative = nanoseconds < 0n;
  let u = negative ? -nanoseconds : nanoseconds;
  let out: string;
  if (u < 1_000_000_000n) {
    // Below a second Go picks the largest unit that keeps a whole part: ns, µs or ms.
    const [unit, precision] = u < 1000n ? ['ns', 0] : u < 1_000_000n ? ['µs', 3] : ['ms', 6];
    out = fraction(u, precision) + unit;
  } else {
    const fracDigits = (u % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
    const seconds = u / 1_000_000_000n;
    out = `${seconds % 60n}${fracDigits ? `.${fracDigits}` : ''}s`;
    const minutes = seconds / 60n;
    if (minutes > 0n) {
      out = `${minutes % 60n}m${out}`;
      const hours = minutes / 60n;
      if (hours > 0n) out = `${hours}h${out}`;
    }
  }
  return negative ? `-${out}` : out;
}

/** v / 10^precision printed with the fraction's trailing zeros (and a bare point) left out, as fmtFrac/fmtInt do. */
function fraction(v: bigint, precision: number): string {
  if (precision === 0) return String(v);
  const unit = 10n ** BigInt(precision);
  const whole = v / unit;
  const frac = (v % unit).toString().padStart(precision, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

const DURATION_UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  'µs': 1000n, // U+00B5 micro sign
  'μs': 1000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** time.ParseDuration, with its error texts. */
export function parseGoDuration(text: string): bigint {
  const quoted = JSON.stringify(text);
  let rest = text;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest[0] === '-';
    rest = rest.slice(1);
  }
  if (rest === '0') return 0n;
  if (rest === '') throw new Error(`time: invalid duration ${quoted}`);
  let total = 0n;
  while (rest !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(rest)!;
    if (!m[1] && !m[2]) throw new Error(`time: invalid duration ${quoted}`);
    rest = rest.slice(m[0].length);
    const unitMatch = /^[^0-9.]+/.exec(rest);
    if (!unitMatch) throw new Error(`time: missing unit in duration ${quoted}`);
    const unitName = unitMatch[0];
    const unit = DURATION_UNITS[unitName];
    if (unit === undefined) throw new Error(`time: unknown unit ${JSON.stringify(unitName)} in duration ${quoted}`);
    rest = rest.slice(unitName.length);
    let value = BigInt(m[1] || '0') * unit;
    if (m[2]) value += BigInt(Math.floor(Number(`0.${m[2]}`) * Number(unit)));
    total += value;
  }
  return negative ? -total : total;
}
