import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonEqual } from './json-equal.js';

/** The JSON of a value with every object's keys sorted: two values are the same JSON when these are equal. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_, x: unknown) =>
    x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x,
  );
}

/** A JSON value, now and then with undefined members. */
const value = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.constantFrom<unknown>(null, true, false, 0, 1, 'a', ''), fc.array(tie('value'), { maxLength: 3 }), tie('object')),
  object: fc.dictionary(fc.constantFrom('a', 'b', 'c', '__proto__'), fc.option(tie('value'), { nil: undefined, freq: 4 }), { maxKeys: 3 }),
})).value;

/** The same value with every object's keys in another order. */
function reordered(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reordered);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reordered(x)]));
}

describe('jsonEqual', () => {
  it('weighs neither key order nor undefined members, with the examples of its doc comment', () => {
    expect(jsonEqual({ a: 1, b: [true], c: undefined }, { b: [true], a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: '1' })).toBe(false);
    expect(jsonEqual({ a: [] }, { a: {} })).toBe(false);
    expect(jsonEqual({ a: null }, {})).toBe(false);
  });

  it('is true exactly when the two serialize alike with sorted keys', () => {
    fc.assert(
      fc.property(value, value, fc.boolean(), (a, other, same) => {
        const b = same ? reordered(a) : other;
        expect(jsonEqual(a, b)).toBe(canonical(a) === canonical(b));
        expect(jsonEqual(b, a)).toBe(jsonEqual(a, b));
      }),
      { numRuns: 2000 },
    );
  });
});
