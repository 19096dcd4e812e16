/**
 * resource.Quantity as k8s.io/apimachinery/pkg/api/resource parses, compares and prints it. Values are
 * kept exact (a bigint over a power of ten) so "1536Mi" == "1.5Gi" and "0.5" == "500m" compare equal,
 * and the canonical text matches the real server's ("0.5" → "500m", "1024Mi" → "1Gi", "1000" → "1k").
 */

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** Non-negative numerator; the value is ±numerator / 10^scale. */
  readonly numerator: bigint;
  readonly scale: number;
  readonly negative: boolean;
  readonly format: QuantityFormat;
}

export const QUANTITY_REGEX_MESSAGE = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([suffix, exp]) => [exp, suffix]));
const BINARY_BY_EXPONENT = new Map(Object.entries(BINARY_SUFFIXES).map(([suffix, exp]) => [exp, suffix]));

const TEN = 10n;
const KI = 1024n;

function pow10(n: number): bigint {
  return TEN ** BigInt(n);
}

/** Parses a quantity (string, or a JSON number as the real decoder also accepts); undefined if malformed. */
export function parseQuantity(input: unknown): Quantity | undefined {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return undefined;
    input = String(input);
  }
  if (typeof input !== 'string') return undefined;
  const match = /^([+-]?)([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*[-+]?[0-9]*)$/.exec(input);
  if (!match) return undefined;
  const [, sign, whole, fraction = '', suffix] = match;
  if (whole.length + fraction.length === 0) return undefined;

  let exp10 = 0;
  let binaryPower = 0;
  let format: QuantityFormat;
  if (suffix in DECIMAL_SUFFIXES) {
    exp10 = DECIMAL_SUFFIXES[suffix];
    format = 'DecimalSI';
  } else if (suffix in BINARY_SUFFIXES) {
    binaryPower = BINARY_SUFFIXES[suffix];
    format = 'BinarySI';
  } else if (/^[eE][-+]?[0-9]+$/.test(suffix)) {
    exp10 = Number(suffix.slice(1));
    format = 'DecimalExponent';
  } else {
    return undefined;
  }

  let numerator = BigInt(`${whole}${fraction}` || '0') * KI ** BigInt(binaryPower);
  let scale = fraction.length - exp10;
  if (scale < 0) {
    numerator *= pow10(-scale);
    scale = 0;
  }
  // The real parser rounds anything finer than a nano-unit up to one nano-unit.
  const q = roundUp({ numerator, scale, negative: sign === '-' && numerator !== 0n, format }, 9);
  return q;
}

/** Rounds away from zero to at most `digits` decimal places (Quantity.RoundUp). */
export function roundUp(q: Quantity, digits: number): Quantity {
  if (q.scale <= digits) return q;
  const divisor = pow10(q.scale - digits);
  let numerator = q.numerator / divisor;
  if (numerator * divisor !== q.numerator) numerator += 1n;
  return { ...q, numerator, scale: digits };
}

/** -1, 0 or 1 as a < b, a == b, a > b. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const scale = Math.max(a.scale, b.scale);
  const av = signed(a) * pow10(scale - a.scale);
  const bv = signed(b) * pow10(scale - b.scale);
  return av < bv ? -1 : av > bv ? 1 : 0;
}

function signed(q: Quantity): bigint {
  return q.negative ? -q.numerator : q.numerator;
}

export function isZero(q: Quantity): boolean {
  return q.numerator === 0n;
}

/** Quantity.MilliValue() % 1000 == 0, i.e. a whole number. */
export function isWholeNumber(q: Quantity): boolean {
  return q.numerator % pow10(q.scale) === 0n;
}

/** Whether q is an exact multiple of `unit` (hugepages values must be whole pages). */
export function isMultipleOf(q: Quantity, unit: Quantity): boolean {
  if (isZero(unit)) return false;
  const scale = Math.max(q.scale, unit.scale);
  const qv = q.numerator * pow10(scale - q.scale);
  const uv = unit.numerator * pow10(scale - unit.scale);
  return qv % uv === 0n;
}

/** The canonical text Quantity.String() prints. */
export function formatQuantity(q: Quantity): string {
  if (isZero(q)) return '0';
  const sign = q.negative ? '-' : '';
  let format = q.format;
  if (format === 'BinarySI') {
    const small = q.numerator < KI * pow10(q.scale);
    if (small || !isWholeNumber(q)) format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let amount = q.numerator / pow10(q.scale);
    let exponent = 0;
    while (amount % KI === 0n && BINARY_BY_EXPONENT.has(exponent + 1)) {
      amount /= KI;
      exponent++;
    }
    return `${sign}${amount}${BINARY_BY_EXPONENT.get(exponent) ?? ''}`;
  }
  // Decimal: strip trailing zeros into the exponent, then lower it to a multiple of three.
  let mantissa = q.numerator;
  let exponent = -q.scale;
  while (mantissa % TEN === 0n) {
    mantissa /= TEN;
    exponent++;
  }
  const remainder = ((exponent % 3) + 3) % 3;
  mantissa *= pow10(remainder);
  exponent -= remainder;
  if (format === 'DecimalExponent') return `${sign}${mantissa}${exponent === 0 ? '' : `e${exponent}`}`;
  return `${sign}${mantissa}${DECIMAL_BY_EXPONENT.get(exponent) ?? `e${exponent}`}`;
}

/** Canonical text of any quantity input; malformed input is returned unchanged for validation to report. */
export function canonicalQuantity(input: unknown, roundToMilli = false): unknown {
  const q = parseQuantity(input);
  if (!q) return input;
  return formatQuantity(roundToMilli ? roundUp(q, 3) : q);
}

/**
 * Canonicalizes every value of a ResourceList in place, rounding up to milli-units as
 * SetDefaults_ResourceList does (so "0.0001" becomes "1m").
 */
export function canonicalizeResourceList(list: Record<string, unknown> | undefined): void {
  if (!list || typeof list !== 'object') return;
  for (const key of Object.keys(list)) list[key] = canonicalQuantity(list[key], true);
}
