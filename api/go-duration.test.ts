import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseGoDuration } from './go-duration.js';

describe("Go's time.ParseDuration", () => {
  it('reads the examples of its doc comment', () => {
    expect(parseGoDuration('1h30m')).toBe(5_400_000_000_000n);
    expect(parseGoDuration('1.5s')).toBe(1_500_000_000n);
    expect(() => parseGoDuration('90')).toThrow('time: missing unit in duration "90"');
  });

  it('reads every unit, signs, fractions and a lone 0 as Go does', () => {
    expect(['0', '+0', '-0', '0s', '1ns', '1us', '1µs', '1μs', '1ms', '1m', '1h', '-1.5h', '.5s', '1.s', '2h45m30.5s', '1h1h'].map((d) => parseGoDuration(d))).toEqual([
      0n,
      0n,
      0n,
      0n,
      1n,
      1_000n,
      1_000n,
      1_000n,
      1_000_000n,
      60_000_000_000n,
      3_600_000_000_000n,
      -5_400_000_000_000n,
      500_000_000n,
      1_000_000_000n,
      9_930_500_000_000n,
      7_200_000_000_000n,
    ]);
  });

  it("refuses in Go's words", () => {
    expect(() => parseGoDuration('')).toThrow('time: invalid duration ""');
    expect(() => parseGoDuration('bogus')).toThrow('time: invalid duration "bogus"');
    expect(() => parseGoDuration('.s')).toThrow('time: invalid duration ".s"');
    expect(() => parseGoDuration('1x')).toThrow('time: unknown unit "x" in duration "1x"');
    expect(() => parseGoDuration('1 s')).toThrow('time: unknown unit " s" in duration "1 s"');
    expect(() => parseGoDuration('1é')).toThrow('time: unknown unit "\\xc3\\xa9" in duration "1\\xc3\\xa9"');
    expect(() => parseGoDuration('9999999999999999999h')).toThrow('time: invalid duration "9999999999999999999h"');
    expect(() => parseGoDuration('2562048h')).toThrow('time: invalid duration "2562048h"');
    expect(parseGoDuration('-2562047h47m16.854775808s')).toBe(-(1n << 63n));
  });

  it('reads back what Go would print for a whole number of each unit', () => {
    const unit = fc.constantFrom(['ns', 1n], ['us', 1_000n], ['ms', 1_000_000n], ['s', 1_000_000_000n], ['m', 60_000_000_000n], ['h', 3_600_000_000_000n]);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(10_000), unit), { minLength: 1, maxLength: 4 }), fc.boolean(), (parts, negative) => {
        const text = (negative ? '-' : '') + parts.map(([n, [u]]) => `${n}${u}`).join('');
        const ns = parts.reduce((sum, [n, [, size]]) => sum + BigInt(n) * size, 0n);
        expect(parseGoDuration(text)).toBe(negative ? -ns : ns);
      }),
    );
  });
});
