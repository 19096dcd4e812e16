/**
 * resource.Quantity as k8s.io/apimachinery/pkg/api/resource parses, compares and prints it. The one
 * implementation behind both the request decoder (which writes back the server's canonical text and
 * reports the server's parse errors) and validation/defaulting (which compares and rounds values).
 *
 * Values are kept exact (a bigint over a power of ten), so "1536Mi" == "1.5Gi" and "0.5" == "500m"
 * compare equal; nothing ever goes through a float. A large exponent stays an exponent ("1e999999999"
 * is numerator 1 at scale -999999999), because expanding it would let one request stall the server.
 */

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** Magnitude; the value is ±numerator / 10^scale. */
  readonly numerator: bigint;
  /**
   * Decimal places, as inf.Dec counts them: at most 9 after parsing (values are kept to nano), and
   * negative for a value written with a large exponent.
   */
  readonly scale: number;
  readonly negative: boolean;
  readonly format: QuantityFormat;
  /**
   * The text ParseQuantity read, when it judged that text canonical and kept it. Go prints this text
   * verbatim (String(), MarshalJSON, protobuf), so the real server echoes "+1", "1E3" or "1.001"
   * unchanged (kubernetes/kubernetes#138165); an emulator has to do the same.
   */
  readonly text?: string;
}

/** The message of resource.ErrFormatWrong. */
export const QUANTITY_FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
/** The message of resource.ErrNumeric. */
export const QUANTITY_NUMERIC_ERROR = 'unable to parse numeric part of quantity';
/** The message of resource.ErrSuffix. */
export const QUANTITY_SUFFIX_ERROR = "unable to parse quantity's suffix";

/** A malformed quantity; the message is the server's own. */
export class QuantityError extends Error {}

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
/** Powers of two. */
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_SUFFIX_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([suffix, exp]) => [exp, suffix]));
/** Indexed by powers of 1024; "" is what Go prints for 1024^0. */
const BINARY_SUFFIX_BY_POWER = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const SUFFIX_LETTERS = 'eEinumkKMGTP';

/** Parsing keeps nano precision; anything finer rounds up, away from zero. */
const NANO_PLACES = 9;
const MILLI_PLACES = 3;
/** Parsing silently caps a binarySI quantity here ("8Ei" reads as 2^63-1). */
const MAX_INT64 = (1n << 63n) - 1n;
const MIN_INT64 = -(1n << 63n);
const KI = 1024n;

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

function digitCount(n: bigint): number {
  return n.toString().length;
}

function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}

/** ceil(n / 10^places) for a non-negative n, without building 10^places when n is far smaller. */
function shiftRoundingUp(n: bigint, places: number): bigint {
  if (places <= 0) return n * pow10(-places);
  if (n === 0n) return 0n;
  // n < 10^places, so any non-zero n rounds up to exactly one unit.
  if (digitCount(n) <= places) return 1n;
  const divisor = pow10(places);
  const quotient = n / divisor;
  return quotient * divisor === n ? quotient : quotient + 1n;
}

interface ScannedQuantity {
  positive: boolean;
  /** The signed number as written, before the suffix; Go's slow path re-reads it. */
  value: string;
  /** Integer digits without leading zeros ("0" when there are none). */
  num: string;
  denom: string;
  suffix: string;
}

/**
 * parseQuantityString, step for step: the scanner decides which error a malformed text gets, and it
 * accepts a few odd spellings ("." and a bare "-" read as zero, "1." as one) that the server takes.
 */
function scanQuantity(str: string): ScannedQuantity {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (str[0] === '-') {
    positive = false;
    pos++;
  } else if (str[0] === '+') {
    pos++;
  }
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };

  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  if (i >= end) return { positive, value: str, num: str.slice(pos), denom: '', suffix: '' };
  const num = str.slice(pos, i) || '0';
  pos = i;

  let denom = '';
  if (str[pos] === '.') {
    pos++;
    i = pos;
    while (i < end && isDigit(str[i])) i++;
    denom = str.slice(pos, i);
    if (i >= end) return { positive, value: str, num, denom, suffix: '' };
    pos = i;
  }
  const value = str.slice(0, pos);

  const suffixStart = pos;
  i = pos;
  while (i < end && SUFFIX_LETTERS.includes(str[i])) i++;
  if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  pos = i;
  if (str[pos] === '-' || str[pos] === '+') pos++;
  i = pos;
  while (i < end && isDigit(str[i])) i++;
  if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  throw new QuantityError(QUANTITY_FORMAT_ERROR);
}

interface Suffix {
  base: 2 | 10;
  exponent: number;
  format: QuantityFormat;
}

/** suffixHandler.interpret; an exponent is read as an int64 and then truncated to int32, as Go does. */
function interpretSuffix(suffix: string): Suffix {
  if (suffix in DECIMAL_SUFFIXES) return { base: 10, exponent: DECIMAL_SUFFIXES[suffix], format: 'DecimalSI' };
  if (suffix in BINARY_SUFFIXES) return { base: 2, exponent: BINARY_SUFFIXES[suffix], format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?[0-9]+$/.test(suffix.slice(1))) {
    const parsed = BigInt(suffix.slice(1));
    if (parsed >= MIN_INT64 && parsed <= MAX_INT64) return { base: 10, exponent: Number(BigInt.asIntN(32, parsed)), format: 'DecimalExponent' };
  }
  throw new QuantityError(QUANTITY_SUFFIX_ERROR);
}

/**
 * Whether ParseQuantity's int64 fast path takes the text, and whether it then keeps the text as the
 * quantity's string. Only the second is visible, but it depends on the first.
 */
function fastPath(scanned: ScannedQuantity, suffix: Suffix): { taken: boolean; keepsText: boolean } {
  const { num, denom } = scanned;
  let precision: number;
  let multiplier = 1n;
  if (suffix.base === 10) {
    precision = 18 - (num.length + denom.length);
  } else if (suffix.exponent >= 0 && denom.length === 0) {
    multiplier = 1n << BigInt(suffix.exponent);
    precision = 15 - num.length - Math.trunc((suffix.exponent * 3) / 10) - 1;
  } else {
    precision = -1;
  }
  const goScale = (suffix.base === 10 ? suffix.exponent : 0) - denom.length;
  if (precision < 0 || goScale < -NANO_PLACES) return { taken: false, keepsText: false };
  const shifted = num + denom;
  const value = BigInt(shifted);
  if (value * multiplier > MAX_INT64) return { taken: false, keepsText: false };
  const keepsText =
    suffix.base === 2 ? suffix.exponent % 10 === 0 && (value & 7n) !== 0n : goScale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
  return { taken: true, keepsText };
}

/** ParseQuantity: the quantity, or a QuantityError with the server's message. No whitespace is allowed. */
export function parseQuantityOrThrow(str: string): Quantity {
  if (str.length === 0) throw new QuantityError(QUANTITY_FORMAT_ERROR);
  const scanned = scanQuantity(str);
  const suffix = interpretSuffix(scanned.suffix);
  const fast = fastPath(scanned, suffix);
  // Only the big-number path re-reads the digits, so only it notices there are none (".Pi", ".e-10").
  if (!fast.taken && !/[0-9]/.test(scanned.value)) throw new QuantityError(QUANTITY_NUMERIC_ERROR);

  let numerator = BigInt(scanned.num + scanned.denom);
  let scale = scanned.denom.length;
  let format = suffix.format;
  if (suffix.base === 10) scale -= suffix.exponent;
  else numerator <<= BigInt(suffix.exponent);

  if (scale > NANO_PLACES) {
    numerator = shiftRoundingUp(numerator, scale - NANO_PLACES);
    scale = NANO_PLACES;
  }
  if (format === 'BinarySI') {
    // Binary scales are never negative here: the digits after the point are the only decimal places.
    const unit = pow10(scale);
    if (numerator > MAX_INT64 * unit) {
      numerator = MAX_INT64;
      scale = 0;
    } else if (numerator !== 0n && numerator < unit) {
      // Below one unit a binary suffix would only mislead.
      format = 'DecimalSI';
    }
  }
  const negative = !scanned.positive && numerator !== 0n;
  return fast.keepsText ? { numerator, scale, negative, format, text: str } : { numerator, scale, negative, format };
}

/**
 * A quantity from a decoded value: a string, or a JSON number as the decoder also accepts it;
 * undefined when it is malformed (callers report that themselves).
 */
export function parseQuantity(input: unknown): Quantity | undefined {
  let text: string;
  if (typeof input === 'string') text = input;
  else if (typeof input === 'number' && Number.isFinite(input)) text = String(input);
  else return undefined;
  try {
    return parseQuantityOrThrow(text);
  } catch (err) {
    if (err instanceof QuantityError) return undefined;
    throw err;
  }
}

/** Quantity.String(): the kept text, else the canonical form (CanonicalizeBytes). */
export function formatQuantity(q: Quantity): string {
  if (q.text !== undefined) return q.text;
  if (q.numerator === 0n) return '0';
  const prefix = q.negative ? '-' : '';
  if (q.format === 'BinarySI') {
    const binary = formatBinary(q);
    // A binary value that cannot print in base 1024 prints as DecimalSI, suffixes included.
    return prefix + (binary ?? formatDecimal(q.numerator, -q.scale, 'DecimalSI'));
  }
  return prefix + formatDecimal(q.numerator, -q.scale, q.format);
}

/** The base-1024 form, or undefined when Go falls back to DecimalSI (|value| < 1024, or not whole). */
function formatBinary(q: Quantity): string | undefined {
  let amount: bigint;
  if (q.scale <= 0) {
    amount = q.numerator * pow10(-q.scale);
  } else {
    const unit = pow10(q.scale);
    if (q.numerator % unit !== 0n) return undefined;
    amount = q.numerator / unit;
  }
  if (amount < KI) return undefined;
  let power = 0;
  // Stopping at Ei keeps the value right; Go would print a bare number past it, but parsing caps
  // binary values below 8Ei, so that never happens to a parsed quantity.
  while (power < BINARY_SUFFIX_BY_POWER.length - 1 && amount % KI === 0n) {
    amount /= KI;
    power++;
  }
  return `${amount}${BINARY_SUFFIX_BY_POWER[power]}`;
}

/** AsCanonicalBytes plus the suffix: trailing zeros go into the exponent, then down to a multiple of three. */
function formatDecimal(magnitude: bigint, exponent: number, format: 'DecimalSI' | 'DecimalExponent'): string {
  const digits = magnitude.toString();
  // String work rather than repeated bigint division: a value may carry a great many zeros.
  const significant = digits.replace(/0+$/, '');
  let exp = exponent + digits.length - significant.length;
  const remainder = ((exp % 3) + 3) % 3;
  const mantissa = significant + '0'.repeat(remainder);
  exp -= remainder;
  if (format === 'DecimalSI') {
    const suffix = DECIMAL_SUFFIX_BY_EXPONENT.get(exp);
    // Past "E" there is no SI suffix; Go falls back to exponent notation (kubernetes#140459).
    if (suffix !== undefined) return mantissa + suffix;
  }
  return exp === 0 ? mantissa : `${mantissa}e${exp}`;
}

/** Go's strings.TrimSpace: unicode.IsSpace, which differs from String.prototype.trim at U+0085 and U+FEFF. */
const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

/**
 * The text the server writes back for a quantity in a request body: Quantity.UnmarshalJSON (which
 * trims surrounding whitespace) then MarshalJSON, optionally after rounding up to milli-units as
 * resource lists are defaulted. Throws QuantityError with the server's message.
 */
export function canonicalQuantity(input: string | number, roundToMilli = false): string {
  const text = typeof input === 'number' ? String(input) : input.replace(GO_SPACE, '');
  const q = parseQuantityOrThrow(text);
  return formatQuantity(roundToMilli ? roundUp(q, MILLI_PLACES) : q);
}

/**
 * Quantity.RoundUp to at most `places` decimal places (RoundUp(-places) in Go), away from zero. A
 * quantity that needs no rounding keeps its text, as Go keeps its cached string.
 */
export function roundUp(q: Quantity, places: number): Quantity {
  if (q.scale <= places) return q;
  const numerator = shiftRoundingUp(q.numerator, q.scale - places);
  return { numerator, scale: places, negative: q.negative && numerator !== 0n, format: q.format };
}

function signOf(q: Quantity): number {
  if (q.numerator === 0n) return 0;
  return q.negative ? -1 : 1;
}

/** -1, 0 or 1 as a < b, a == b, a > b (Quantity.Cmp). */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const sa = signOf(a);
  const sb = signOf(b);
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (sa === 0) return 0;
  // Compare orders of magnitude first, so very different exponents are never expanded.
  const orderA = digitCount(a.numerator) - a.scale;
  const orderB = digitCount(b.numerator) - b.scale;
  if (orderA !== orderB) return orderA < orderB ? -sa : sa;
  // Same order: the scales now differ by no more than the digit counts do.
  const scale = Math.max(a.scale, b.scale);
  const av = a.numerator * pow10(scale - a.scale);
  const bv = b.numerator * pow10(scale - b.scale);
  if (av === bv) return 0;
  return av < bv ? -sa : sa;
}

/** Quantity.Add: the exact sum, in the format of `a` unless `a` is zero. */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  const format = isZero(a) ? b.format : a.format;
  if (isZero(b)) return { numerator: a.numerator, scale: a.scale, negative: a.negative, format };
  if (isZero(a)) return { numerator: b.numerator, scale: b.scale, negative: b.negative, format };
  const scale = Math.max(a.scale, b.scale);
  const signed = (q: Quantity) => (q.negative ? -q.numerator : q.numerator) * pow10(scale - q.scale);
  const sum = signed(a) + signed(b);
  return { numerator: sum < 0n ? -sum : sum, scale, negative: sum < 0n, format };
}

export function isZero(q: Quantity): boolean {
  return q.numerator === 0n;
}

/**
 * Quantity.MilliValue() % 1000 == 0, the test ValidateResourceQuantityValue makes of an integer
 * resource. On values already rounded to milli-units, as defaulted resource lists are, that is
 * exactly "a whole number".
 */
export function isWholeNumber(q: Quantity): boolean {
  if (q.scale <= 0) return true;
  return shiftRoundingUp(q.numerator, q.scale - MILLI_PLACES) % 1000n === 0n;
}

/** Whether q is an exact multiple of `unit` (hugepages values must be whole pages); never for a zero unit. */
export function isMultipleOf(q: Quantity, unit: Quantity): boolean {
  if (isZero(unit)) return false;
  if (isZero(q)) return true;
  // q / unit = q.numerator * 10^(unit.scale - q.scale) / unit.numerator
  const shift = unit.scale - q.scale;
  if (shift >= 0) return ((q.numerator % unit.numerator) * modPow10(shift, unit.numerator)) % unit.numerator === 0n;
  // q.numerator must be divisible by unit.numerator * 10^-shift, which it cannot be if it is smaller.
  if (-shift >= digitCount(q.numerator)) return false;
  return q.numerator % (unit.numerator * pow10(-shift)) === 0n;
}

/** 10^exponent mod modulus by squaring, so a huge exponent costs a few dozen steps. */
function modPow10(exponent: number, modulus: bigint): bigint {
  let result = 1n % modulus;
  let base = 10n % modulus;
  let e = BigInt(exponent);
  while (e > 0n) {
    if (e & 1n) result = (result * base) % modulus;
    base = (base * base) % modulus;
    e >>= 1n;
  }
  return result;
}

/**
 * Canonicalizes every value of a ResourceList in place, rounding up to milli-units as
 * SetDefaults_ResourceList does (so "0.0001" becomes "1m"). A malformed value is left for
 * validation to report.
 */
export function canonicalizeResourceList(list: Record<string, unknown> | undefined): void {
  if (!list || typeof list !== 'object') return;
  for (const key of Object.keys(list)) {
    const q = parseQuantity(list[key]);
    if (q) list[key] = formatQuantity(roundUp(q, MILLI_PLACES));
  }
}
