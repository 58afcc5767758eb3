/**
 * Resource quantities ("100m", "128Mi", "1.5", "1e3"), parsed, compared and printed as the
 * Kubernetes API server does, so that what a client applies comes back in the form kubectl shows:
 *
 *   formatQuantity(parseQuantity('0.5Gi'))  = '512Mi'     (binary input stays binary)
 *   formatQuantity(parseQuantity('1.5'))    = '1500m'     (no fractions: the suffix shrinks)
 *   formatQuantity(parseQuantity('1e3'))    = '1e3'       (exponent input stays an exponent)
 *   milliValue(parseQuantity('250m'))       = 250         (CPU in millicores)
 *   value(parseQuantity('1.5Ki'))           = 1536        (memory in bytes)
 *   parseQuantity('1.5 Gi')                 throws QuantityError(QUANTITY_FORMAT_MESSAGE)
 *
 * A quantity is held exactly, as a count of nano-units: upstream rounds every parsed value up (away
 * from zero) to a multiple of 10^-9, so nothing finer can exist. The format records which family of
 * suffix the input used, since canonical output keeps it.
 */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The value in units of 10^-9. */
  readonly nanos: bigint;
  readonly format: QuantityFormat;
}

export const QUANTITY_FORMAT_MESSAGE =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const NUMERIC_MESSAGE = 'unable to parse numeric part of quantity';
const SUFFIX_MESSAGE = "unable to parse quantity's suffix";

export class QuantityError extends Error {
  override readonly name = 'QuantityError';
}

const NANO = 10n ** 9n;
const MAX_INT64 = 2n ** 63n - 1n;
const MAX_INT32 = 2147483647;
/**
 * Upstream holds huge exponents as a scale and never expands them; an exact bigint cannot. No real
 * resource comes near 10^1000, so a larger value is refused rather than risk a hang.
 */
const MAX_NANO_DIGITS = 1000;

interface Suffix {
  base: 2 | 10;
  exponent: number;
  format: QuantityFormat;
}

const DECIMAL_SUFFIXES = new Map<string, number>([
  ['n', -9],
  ['u', -6],
  ['m', -3],
  ['', 0],
  ['k', 3],
  ['M', 6],
  ['G', 9],
  ['T', 12],
  ['P', 15],
  ['E', 18],
]);
const BINARY_SUFFIXES = new Map<string, number>([
  ['Ki', 10],
  ['Mi', 20],
  ['Gi', 30],
  ['Ti', 40],
  ['Pi', 50],
  ['Ei', 60],
]);
const DECIMAL_BY_EXPONENT = new Map([...DECIMAL_SUFFIXES].map(([s, e]) => [e, s]));
const BINARY_BY_POWER = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

function interpretSuffix(s: string): Suffix | undefined {
  const dec = DECIMAL_SUFFIXES.get(s);
  if (dec !== undefined) return { base: 10, exponent: dec, format: 'DecimalSI' };
  const bin = BINARY_SUFFIXES.get(s);
  if (bin !== undefined) return { base: 2, exponent: bin, format: 'BinarySI' };
  if (s.length > 1 && (s[0] === 'e' || s[0] === 'E')) {
    const rest = s.slice(1);
    if (!/^[+-]?[0-9]+$/.test(rest)) return undefined;
    const exponent = BigInt(rest);
    // Upstream keeps the exponent in an int32 and rejects what does not fit.
    if (exponent > BigInt(MAX_INT32) || exponent < -BigInt(MAX_INT32)) return undefined;
    return { base: 10, exponent: Number(exponent), format: 'DecimalExponent' };
  }
  return undefined;
}

interface Scanned {
  positive: boolean;
  /** The text of the number, sign included; only whether it has a digit matters here. */
  value: string;
  /** Integer digits, leading zeros stripped, "0" if none. */
  num: string;
  /** Fraction digits. */
  denom: string;
  suffix: string;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const SUFFIX_CHARS = 'eEinumkKMGTP';

/**
 * A port of upstream's hand-written scanner rather than its advertised regular expression, because
 * the scanner is what decides: it accepts "1.", ".5" and even "+", "." and "m" (all zero).
 */
function scan(str: string): Scanned {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (str[0] === '-') {
    positive = false;
    pos++;
  } else if (str[0] === '+') {
    pos++;
  }
  while (str[pos] === '0') pos++;
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
    if (i >= end) return { positive, value: str, num, denom: str.slice(pos), suffix: '' };
    denom = str.slice(pos, i);
    pos = i;
  }
  const value = str.slice(0, pos);

  const suffixStart = pos;
  while (pos < end && SUFFIX_CHARS.includes(str[pos] as string)) pos++;
  if (str[pos] === '-' || str[pos] === '+') pos++;
  while (pos < end && isDigit(str[pos])) pos++;
  if (pos < end) throw new QuantityError(QUANTITY_FORMAT_MESSAGE);
  return { positive, value, num, denom, suffix: str.slice(suffixStart) };
}

/**
 * Whether upstream leaves its int64 fast path for the inf.Dec one, which alone insists that the
 * number has a digit: "Ki" is zero but "Pi" is an error.
 */
function takesSlowPath(s: Scanned, suffix: Suffix): boolean {
  if (suffix.base === 10) {
    return s.num.length + s.denom.length > 18 || suffix.exponent - s.denom.length < -9;
  }
  if (suffix.exponent < 0 || s.denom.length > 0) return true;
  const precision = 15 - s.num.length - Math.trunc((suffix.exponent * 3) / 10) - 1;
  return precision < 0 || BigInt(s.num) << BigInt(suffix.exponent) > MAX_INT64;
}

/** `n / d` with any remainder rounded away from zero, as upstream's RoundUp does. */
function divideAwayFromZero(n: bigint, d: bigint): bigint {
  const q = n / d;
  if (q * d === n) return q;
  return n < 0n ? q - 1n : q + 1n;
}

export function parseQuantity(str: string): Quantity {
  if (str.length === 0) throw new QuantityError(QUANTITY_FORMAT_MESSAGE);
  const scanned = scan(str);
  const suffix = interpretSuffix(scanned.suffix);
  if (!suffix) throw new QuantityError(SUFFIX_MESSAGE);
  if (!/[0-9]/.test(scanned.value) && takesSlowPath(scanned, suffix)) throw new QuantityError(NUMERIC_MESSAGE);

  const digits = BigInt(scanned.num + scanned.denom);
  let nanos: bigint;
  let format = suffix.format;
  if (suffix.base === 10) {
    const shift = suffix.exponent - scanned.denom.length + 9;
    if (shift >= 0) {
      if (digits !== 0n && scanned.num.length + scanned.denom.length + shift > MAX_NANO_DIGITS) throw new QuantityError(NUMERIC_MESSAGE);
      nanos = digits * 10n ** BigInt(shift);
    } else if (-shift > scanned.num.length + scanned.denom.length) {
      // Every digit falls below a nano-unit: the smallest non-zero amount, or zero.
      nanos = digits === 0n ? 0n : 1n;
    } else {
      nanos = divideAwayFromZero(digits, 10n ** BigInt(-shift));
    }
  } else {
    nanos = digits << BigInt(suffix.exponent);
    const shift = 9 - scanned.denom.length;
    nanos = shift >= 0 ? nanos * 10n ** BigInt(shift) : divideAwayFromZero(nanos, 10n ** BigInt(-shift));
    // Binary amounts are capped at int64's maximum; decimal ones are not (upstream's asymmetry).
    if (nanos > MAX_INT64 * NANO) nanos = MAX_INT64 * NANO;
    // A binary fraction below one would round to nothing in binary form.
    if (nanos > 0n && nanos < NANO) format = 'DecimalSI';
  }
  return { nanos: scanned.positive ? nanos : -nanos, format };
}

/** Mantissa and a base-10 exponent that is a multiple of three, as few digits as possible. */
function canonicalDecimal(nanos: bigint): { mantissa: bigint; exponent: number } {
  let mantissa = nanos;
  let exponent = -9;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  const down = ((exponent % 3) + 3) % 3;
  return { mantissa: mantissa * 10n ** BigInt(down), exponent: exponent - down };
}

function formatDecimal(nanos: bigint, format: 'DecimalSI' | 'DecimalExponent'): string {
  const { mantissa, exponent } = canonicalDecimal(nanos);
  const si = format === 'DecimalSI' ? DECIMAL_BY_EXPONENT.get(exponent) : undefined;
  // Past "E" (or, for exponent input, always) the exponent is written out, so nothing is lost.
  const suffix = si ?? (exponent === 0 ? '' : `e${exponent}`);
  return `${mantissa}${suffix}`;
}

/**
 * The canonical form (apimachinery's CanonicalizeBytes): no fractional digits, the largest suffix
 * that loses nothing, the input's suffix family kept. A binary quantity under 1024, or not a whole
 * number, is written in decimal SI, since "0.5Ki" or "1.5" in binary would need a fraction.
 */
export function formatQuantity(q: Quantity): string {
  if (q.nanos === 0n) return '0';
  if (q.format === 'BinarySI') {
    const magnitude = q.nanos < 0n ? -q.nanos : q.nanos;
    if (magnitude >= 1024n * NANO && q.nanos % NANO === 0n) {
      let amount = q.nanos / NANO;
      let power = 0;
      while (amount % 1024n === 0n) {
        amount /= 1024n;
        power++;
      }
      const suffix = BINARY_BY_POWER[power];
      if (suffix !== undefined) return `${amount}${suffix}`;
    }
    return formatDecimal(q.nanos, 'DecimalSI');
  }
  return formatDecimal(q.nanos, q.format);
}

/** -1, 0 or 1; the format plays no part, so "1Ki" equals "1024". */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  return a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0;
}

/** The sum keeps `a`'s format, unless `a` is zero: then it is `b`'s, so 0 + 1Gi prints "1Gi". */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos + b.nanos, format: a.nanos === 0n ? b.format : a.format };
}

/**
 * The value in thousandths, rounded away from zero (upstream's MilliValue): CPU in millicores, so
 * "1n" of CPU still counts as 1m. Exact up to 2^53.
 */
export function milliValue(q: Quantity): number {
  return Number(divideAwayFromZero(q.nanos, 10n ** 6n));
}

/** The whole value, rounded away from zero (upstream's Value): memory in bytes. Exact up to 2^53. */
export function value(q: Quantity): number {
  return Number(divideAwayFromZero(q.nanos, NANO));
}
