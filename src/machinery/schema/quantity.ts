/**
 * resource.Quantity as the API server reads and writes it: parse the wire string (or number), keep
 * its format (binary "Mi", decimal "k"/"m", or exponent "e3"), and print the canonical form the
 * server stores ("0.5" → "500m", "1024Mi" → "1Gi", "1000m" → "1").
 */

/** The message of k8s.io/apimachinery resource.ErrFormatWrong. */
export const QUANTITY_FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const NUMERIC_ERROR = 'unable to parse numeric part of quantity';
const SUFFIX_ERROR = "unable to parse quantity's suffix";

export type QuantityFormat = 'BinarySI' | 'DecimalSI' | 'DecimalExponent';

export class QuantityError extends Error {}

export interface ParsedQuantity {
  /** value = mantissa × 10^scale */
  mantissa: bigint;
  scale: number;
  format: QuantityFormat;
}

const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_SUFFIX_BY_EXPONENT = new Map(Object.entries(DECIMAL).map(([suffix, exp]) => [exp, suffix]));
const BINARY_SUFFIX_BY_EXPONENT = new Map(Object.entries(BINARY).map(([suffix, exp]) => [exp, suffix]));
const SHAPE = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const NUMBER = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)$/;

/** Quantities carry at most nano precision; finer values round up (away from zero), as the server does. */
const MIN_SCALE = -9;

export function parseQuantity(input: string): ParsedQuantity {
  const text = input.trim();
  if (text.length === 0) throw new QuantityError(QUANTITY_FORMAT_ERROR);
  const shape = SHAPE.exec(text);
  if (!shape) throw new QuantityError(QUANTITY_FORMAT_ERROR);
  const [, numberPart, suffix] = shape;
  if (!NUMBER.test(numberPart)) throw new QuantityError(NUMERIC_ERROR);

  let format: QuantityFormat;
  let base10Exponent = 0;
  let binaryExponent = 0;
  if (suffix in BINARY) {
    format = 'BinarySI';
    binaryExponent = BINARY[suffix];
  } else if (suffix in DECIMAL) {
    format = 'DecimalSI';
    base10Exponent = DECIMAL[suffix];
  } else if (/^[eE][-+]?[0-9]+$/.test(suffix)) {
    format = 'DecimalExponent';
    base10Exponent = Number.parseInt(suffix.slice(1), 10);
  } else {
    throw new QuantityError(SUFFIX_ERROR);
  }

  const negative = numberPart.startsWith('-');
  const unsigned = numberPart.replace(/^[+-]/, '');
  const dot = unsigned.indexOf('.');
  const whole = dot < 0 ? unsigned : unsigned.slice(0, dot);
  const fraction = dot < 0 ? '' : unsigned.slice(dot + 1);
  let mantissa = BigInt((whole + fraction).replace(/^0+(?=.)/, '') || '0');
  let scale = base10Exponent - fraction.length;
  if (binaryExponent) mantissa *= 1n << BigInt(binaryExponent);
  if (scale < MIN_SCALE) {
    const divisor = 10n ** BigInt(MIN_SCALE - scale);
    const rounded = mantissa / divisor;
    mantissa = rounded * divisor === mantissa ? rounded : rounded + 1n;
    scale = MIN_SCALE;
  }
  if (negative) mantissa = -mantissa;
  return { mantissa, scale, format };
}

/** The canonical wire form, like Quantity.String() / MarshalJSON. */
export function formatQuantity(q: ParsedQuantity): string {
  let { mantissa, scale, format } = q;
  if (mantissa === 0n) return '0';
  // Strip factors of ten into the exponent.
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    scale += 1;
  }
  if (format === 'BinarySI') {
    const magnitude = absBig(mantissa);
    const small = scale >= 0 ? magnitude * 10n ** BigInt(scale) < 1024n : magnitude < 1024n * 10n ** BigInt(-scale);
    const integral = scale >= 0;
    if (small || !integral) {
      format = 'DecimalSI';
    } else {
      let value = mantissa * 10n ** BigInt(scale);
      let exponent = 0;
      while (exponent < 60 && value % 1024n === 0n && value !== 0n) {
        value /= 1024n;
        exponent += 10;
      }
      return `${value}${BINARY_SUFFIX_BY_EXPONENT.get(exponent) ?? ''}`;
    }
  }
  // Bring the exponent down to a multiple of three, growing the mantissa.
  const remainder = ((scale % 3) + 3) % 3;
  mantissa *= 10n ** BigInt(remainder);
  scale -= remainder;
  if (format === 'DecimalExponent') return scale === 0 ? `${mantissa}` : `${mantissa}e${scale}`;
  const suffix = DECIMAL_SUFFIX_BY_EXPONENT.get(scale);
  return suffix !== undefined ? `${mantissa}${suffix}` : `${mantissa}e${scale}`;
}

function absBig(value: bigint): bigint {
  return value < 0n ? -value : value;
}

/** Parses and reprints; throws QuantityError with the server's wording when the input is no quantity. */
export function canonicalQuantity(input: string): string {
  return formatQuantity(parseQuantity(input));
}
