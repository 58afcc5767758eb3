import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  addQuantities,
  compareQuantities,
  formatQuantity,
  milliValue,
  parseQuantity,
  QUANTITY_FORMAT_MESSAGE,
  QuantityError,
  value,
  type Quantity,
  type QuantityFormat,
} from './quantity.js';

const canonical = (s: string): string => formatQuantity(parseQuantity(s));

function parseError(s: string): string {
  try {
    parseQuantity(s);
  } catch (e) {
    expect(e).toBeInstanceOf(QuantityError);
    return (e as Error).message;
  }
  throw new Error(`${JSON.stringify(s)} parsed`);
}

describe('parseQuantity and formatQuantity', () => {
  it('print the doc examples', () => {
    expect(canonical('0.5Gi')).toBe('512Mi');
    expect(canonical('1.5')).toBe('1500m');
    expect(canonical('1e3')).toBe('1e3');
    expect(milliValue(parseQuantity('250m'))).toBe(250);
    expect(value(parseQuantity('1.5Ki'))).toBe(1536);
    expect(parseError('1.5 Gi')).toBe(QUANTITY_FORMAT_MESSAGE);
  });

  it('keep canonical input as it is', () => {
    for (const s of ['128Mi', '1G', '100m', '1Ki', '1Gi', '5n', '4u', '3m', '8k', '50k', '7M', '40T', '2P', '1E', '12E', '0']) {
      expect(canonical(s)).toBe(s);
    }
  });

  it('move to the largest suffix that loses nothing, keeping the suffix family', () => {
    const cases: [string, string][] = [
      ['1024Mi', '1Gi'],
      ['1.5Gi', '1536Mi'],
      ['0.5Mi', '512Ki'],
      ['1000M', '1G'],
      ['1000m', '1'],
      ['1080m', '1080m'],
      ['0.0005k', '500m'],
      ['10.035M', '10035k'],
      ['100.035k', '100035'],
      ['6.987654321G', '6987654321'],
      ['1.', '1'],
      ['1.G', '1G'],
      ['-1.5', '-1500m'],
      ['+1.5Gi', '1536Mi'],
      ['01', '1'],
      // Exponent input stays in exponent form, with an exponent that is a multiple of three.
      ['1E-3', '1e-3'],
      ['1.2e3', '1200'],
      ['1.3E+6', '1300e3'],
      ['1E6', '1e6'],
      ['0.5e0', '500e-3'],
      // A binary amount that is under 1024, or not whole, is written in decimal.
      ['0.5Ki', '512'],
      ['100.035Ki', '102435840m'],
      ['.001Ki', '1024m'],
      ['.000000001Ki', '1024n'],
      // Past "E" the exponent is written out rather than dropped.
      ['1000E', '1e21'],
    ];
    for (const [input, output] of cases) expect([input, canonical(input)]).toEqual([input, output]);
  });

  it('round anything finer than a nano-unit up, away from zero', () => {
    expect(canonical('3.001n')).toBe('4n');
    expect(canonical('0.00000012345')).toBe('124n');
    expect(canonical('0.0000000001')).toBe('1n');
    expect(canonical('1.1E-9')).toBe('2e-9');
    expect(canonical('-0.0000000001')).toBe('-1n');
    expect(canonical('0.000000000001Ki')).toBe('2n');
    expect(canonical('1e-2147483647')).toBe('1e-9');
  });

  it('cap binary amounts at the largest int64, but not decimal ones', () => {
    expect(canonical('9Ei')).toBe('9223372036854775807');
    expect(canonical('9223372036854775807Ki')).toBe('9223372036854775807');
    expect(canonical('12E')).toBe('12E');
    expect(canonical('99999999999999999999')).toBe('99999999999999999999');
  });

  it('record the suffix family of the input', () => {
    const formats: [string, QuantityFormat][] = [
      ['1', 'DecimalSI'],
      ['1m', 'DecimalSI'],
      ['1Ki', 'BinarySI'],
      ['0Ki', 'BinarySI'],
      ['1e3', 'DecimalExponent'],
      ['0.000000000001Ki', 'DecimalSI'],
    ];
    for (const [input, format] of formats) expect([input, parseQuantity(input).format]).toEqual([input, format]);
  });

  it('accept what upstream’s scanner accepts, however odd', () => {
    for (const s of ['+', '-', '.', '-.', 'm', 'Ki', 'Ti', 'E', '.Ki']) expect(parseQuantity(s).nanos).toBe(0n);
  });

  it('reject malformed input with the messages kubectl prints', () => {
    const cases: [string, string][] = [
      ['', QUANTITY_FORMAT_MESSAGE],
      ['1.1.M', QUANTITY_FORMAT_MESSAGE],
      ['1+1.0M', QUANTITY_FORMAT_MESSAGE],
      ['0.1am', QUANTITY_FORMAT_MESSAGE],
      ['aoeu', QUANTITY_FORMAT_MESSAGE],
      [' 1', QUANTITY_FORMAT_MESSAGE],
      ['1 ', QUANTITY_FORMAT_MESSAGE],
      ['1,5', QUANTITY_FORMAT_MESSAGE],
      ['0.1mi', "unable to parse quantity's suffix"],
      ['.5i', "unable to parse quantity's suffix"],
      ['1i', "unable to parse quantity's suffix"],
      ['1ki', "unable to parse quantity's suffix"],
      ['-3.01e-', "unable to parse quantity's suffix"],
      ['1e', "unable to parse quantity's suffix"],
      ['1e4294967297', "unable to parse quantity's suffix"],
      // Without a digit, only upstream's slow path complains.
      ['Pi', 'unable to parse numeric part of quantity'],
      ['e-10', 'unable to parse numeric part of quantity'],
    ];
    for (const [input, message] of cases) expect([input, parseError(input)]).toEqual([input, message]);
    expect(QUANTITY_FORMAT_MESSAGE).toBe(
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
  });

  test.prop([fc.string({ maxLength: 12 })])('either parses or throws a QuantityError', (s) => {
    try {
      parseQuantity(s);
    } catch (e) {
      expect(e).toBeInstanceOf(QuantityError);
    }
  });
});

describe('value and milliValue', () => {
  it('round up, away from zero, as the kubelet and scheduler count', () => {
    expect(milliValue(parseQuantity('1'))).toBe(1000);
    expect(milliValue(parseQuantity('1n'))).toBe(1);
    expect(milliValue(parseQuantity('0.1m'))).toBe(1);
    expect(milliValue(parseQuantity('-1n'))).toBe(-1);
    expect(value(parseQuantity('128Mi'))).toBe(134217728);
    expect(value(parseQuantity('1G'))).toBe(1e9);
    expect(value(parseQuantity('100m'))).toBe(1);
    expect(value(parseQuantity('-1.5'))).toBe(-2);
    expect(value(parseQuantity('0'))).toBe(0);
  });
});

describe('compareQuantities and addQuantities', () => {
  it('compare values whatever the suffix', () => {
    expect(compareQuantities(parseQuantity('1Ki'), parseQuantity('1024'))).toBe(0);
    expect(compareQuantities(parseQuantity('10000T'), parseQuantity('100Gi'))).toBe(1);
    expect(compareQuantities(parseQuantity('50m'), parseQuantity('100m'))).toBe(-1);
  });

  it('keep the first operand’s suffix family unless it is zero', () => {
    const sum = (a: string, b: string): string => formatQuantity(addQuantities(parseQuantity(a), parseQuantity(b)));
    expect(sum('1Gi', '512Mi')).toBe('1536Mi');
    expect(sum('0', '1Gi')).toBe('1Gi');
    expect(sum('1Gi', '0')).toBe('1Gi');
    expect(sum('100m', '0')).toBe('100m');
    expect(sum('1G', '1Gi')).toBe('2073741824');
    expect(sum('1Gi', '1G')).toBe('2073741824');
    expect(sum('250m', '1')).toBe('1250m');
  });
});

const formats = fc.constantFrom<QuantityFormat>('DecimalSI', 'BinarySI', 'DecimalExponent');
/** Binary amounts beyond int64 are capped on parse, upstream too, so they cannot round-trip. */
const quantity: fc.Arbitrary<Quantity> = fc.oneof(
  fc.record({ nanos: fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), format: formats }),
  fc.record({ nanos: fc.bigInt({ min: -(2n ** 72n), max: 2n ** 72n }), format: formats }),
  fc
    .tuple(fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }), fc.nat({ max: 6 }), fc.nat({ max: 9 }))
    .map(([n, power, zeros]): Quantity => ({ nanos: n * 1024n ** BigInt(power) * 10n ** BigInt(zeros), format: 'BinarySI' })),
).filter((q) => q.format !== 'BinarySI' || (q.nanos < 0n ? -q.nanos : q.nanos) <= (2n ** 63n - 1n) * 10n ** 9n);

const quantityText = fc
  .tuple(
    fc.constantFrom('', '-', '+'),
    fc.stringMatching(/^[0-9]{0,12}$/),
    fc.option(fc.stringMatching(/^[0-9]{0,12}$/)),
    fc.constantFrom('', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'e3', 'E-7', 'e+12'),
  )
  .map(([sign, int, frac, suffix]) => `${sign}${int || '1'}${frac === null ? '' : `.${frac}`}${suffix}`);

describe('quantity laws', () => {
  test.prop([quantity])('format then parse gives an equal quantity, printed the same way', (q) => {
    const text = formatQuantity(q);
    const back = parseQuantity(text);
    expect(compareQuantities(back, q)).toBe(0);
    expect(formatQuantity(back)).toBe(text);
  });

  test.prop([quantityText])('any parsed quantity survives format and parse', (text) => {
    const q = parseQuantity(text);
    expect(compareQuantities(parseQuantity(formatQuantity(q)), q)).toBe(0);
  });

  test.prop([quantity, quantity, quantity])('compare is a total order', (a, b, c) => {
    expect(compareQuantities(a, b)).toBe(-compareQuantities(b, a) || 0);
    expect(compareQuantities(a, a)).toBe(0);
    if (compareQuantities(a, b) <= 0 && compareQuantities(b, c) <= 0) expect(compareQuantities(a, c)).toBeLessThanOrEqual(0);
  });

  const small = fc.record({ nanos: fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), format: formats });
  test.prop([small, small])('compare agrees with value and milliValue', (a, b) => {
    if (compareQuantities(a, b) <= 0) {
      expect(value(a)).toBeLessThanOrEqual(value(b));
      expect(milliValue(a)).toBeLessThanOrEqual(milliValue(b));
    }
    if (value(a) < value(b)) expect(compareQuantities(a, b)).toBe(-1);
  });

  test.prop([quantity, quantity])('add is commutative', (a, b) => {
    expect(compareQuantities(addQuantities(a, b), addQuantities(b, a))).toBe(0);
  });
});
