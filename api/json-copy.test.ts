import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { jsonCopy } from './json-copy.js';

const roundTrip = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

/** Plain data with what JSON drops or rewrites mixed in: undefined, functions, non-finite numbers, -0. */
const data = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(undefined, null, NaN, Infinity, -0, () => 1, true, 'x'),
    fc.double(),
    fc.string(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('jsonCopy', () => {
  test.prop([data.filter((v) => v !== undefined && typeof v !== 'function')])('is the JSON round trip, key order included', (v) => {
    const got = jsonCopy(v);
    expect(JSON.stringify(got)).toBe(JSON.stringify(roundTrip(v)));
    expect(got).toStrictEqual(roundTrip(v));
  });

  it('gives the example of its doc comment, Dates and class instances as JSON writes them', () => {
    expect(jsonCopy({ a: undefined, b: [undefined, NaN], c: new Date(0) })).toStrictEqual({ b: [null, null], c: '1970-01-01T00:00:00.000Z' });
    class Point {
      constructor(readonly x: number) {}
    }
    expect(jsonCopy({ p: new Point(1), m: new Map([[1, 2]]) })).toStrictEqual({ p: { x: 1 }, m: {} });
  });

  it('shares nothing with what it copied, frozen or not', () => {
    const o = Object.freeze({ spec: Object.freeze({ containers: Object.freeze([Object.freeze({ name: 'web' })]) }) });
    const c = jsonCopy(o) as { spec: { containers: Array<{ name: string }> } };
    c.spec.containers[0]!.name = 'api';
    expect(o.spec.containers[0]!.name).toBe('web');
    expect(Object.isFrozen(c.spec)).toBe(false);
  });

  it('throws on a BigInt as JSON does', () => {
    expect(() => jsonCopy({ n: 1n })).toThrow(TypeError);
  });
});
