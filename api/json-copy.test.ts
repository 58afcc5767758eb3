import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { deepFreeze } from './deep-freeze.js';
import { jsonEqual } from './json-equal.js';
import { jsonAdoptSharing, jsonClone, jsonCopy, jsonCopySharing, jsonFaithful } from './json-copy.js';

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

/** Every object and array under `v`, `v` included. */
function parts(v: unknown, into = new Set<object>()): Set<object> {
  if (v !== null && typeof v === 'object' && !into.has(v)) {
    into.add(v);
    for (const x of Object.values(v)) parts(x, into);
  }
  return into;
}

/**
 * `v` with some of its parts replaced by `w`'s, as a revision differs from the one before it: the
 * bits say, part by part, whether to keep `v`'s.
 */
function blend(v: unknown, w: unknown, bits: boolean[], at = { i: 0 }): unknown {
  const keep = bits.length === 0 || bits[at.i++ % bits.length]!;
  if (!keep) return w;
  if (v === null || typeof v !== 'object' || typeof w !== 'object' || w === null) return v;
  if (Array.isArray(v)) return v.map((x, i) => blend(x, (w as unknown[])[i], bits, at));
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, blend(x, (w as Record<string, unknown>)[k], bits, at)]));
}

describe('jsonClone', () => {
  test.prop([fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v)) as unknown), fc.boolean()])('is jsonCopy of JSON data as a parse gives it, sharing nothing', (v, frozen) => {
    const value = frozen ? deepFreeze(v) : v;
    const got = jsonClone(value);
    expect(got).toStrictEqual(jsonCopy(value));
    expect(JSON.stringify(got)).toBe(JSON.stringify(value));
    const given = parts(value);
    for (const p of parts(got)) expect(given.has(p)).toBe(false);
  });

  it('gives the example of its doc comment, and an own __proto__ key as the round trip does', () => {
    const v = { spec: { replicas: 2 }, items: [null, 'a'] };
    expect(jsonClone(v)).toStrictEqual(v);
    expect(jsonClone(v).spec).not.toBe(v.spec);
    const odd = JSON.parse('{"a":{"__proto__":{"x":1}}}') as { a: object };
    expect(JSON.stringify(jsonClone(odd))).toBe('{"a":{"__proto__":{"x":1}}}');
    expect(Object.getPrototypeOf(jsonClone(odd).a)).toBe(Object.prototype);
  });
});

describe('jsonCopySharing', () => {
  const jsonData = data.filter((v) => v !== undefined && typeof v !== 'function');

  test.prop([jsonData, jsonData, fc.array(fc.boolean(), { maxLength: 8 })])(
    'is jsonCopy, and reuses each frozen part of the older value that it equals, and nothing else',
    (v, w, bits) => {
      const like = deepFreeze(roundTrip(blend(roundTrip(v), roundTrip(w), bits)));
      const got = jsonCopySharing(v, like);
      expect(JSON.stringify(got)).toBe(JSON.stringify(roundTrip(v)));
      expect(got).toStrictEqual(roundTrip(v));
      const old = parts(like);
      const given = parts(v);
      // A part is either the older value's, or new: never one of the caller's own.
      for (const p of parts(got)) expect(old.has(p) || !given.has(p)).toBe(true);
      // Wherever the copy and the older value agree, path by path, the older part is what it holds.
      const walk = (a: unknown, b: unknown): void => {
        if (a === null || typeof a !== 'object' || b === null || typeof b !== 'object') return;
        if (JSON.stringify(a) === JSON.stringify(b) && Array.isArray(a) === Array.isArray(b)) expect(a).toBe(b);
        for (const k of Object.keys(a)) if (Object.hasOwn(b, k)) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]);
      };
      walk(got, like);
    },
  );

  it('gives the example of its doc comment', () => {
    const was = deepFreeze({ spec: { image: 'a' }, status: { phase: 'Pending' } });
    const now = jsonCopySharing({ spec: { image: 'a' }, status: { phase: 'Running' } }, was);
    expect(now.spec).toBe(was.spec);
    expect(now.status).not.toBe(was.status);
    expect(now).toStrictEqual({ spec: { image: 'a' }, status: { phase: 'Running' } });
  });

  it('reuses nothing that is not frozen, nor an object whose keys came in another order', () => {
    const open = { spec: { image: 'a' } };
    expect(jsonCopySharing({ spec: { image: 'a' } }, open).spec).not.toBe(open.spec);
    const was = deepFreeze({ spec: { image: 'a', name: 'web' } });
    const now = jsonCopySharing({ spec: { name: 'web', image: 'a' } }, was);
    expect(now.spec).not.toBe(was.spec);
    expect(JSON.stringify(now)).toBe('{"spec":{"name":"web","image":"a"}}');
  });
});

describe('jsonAdoptSharing', () => {
  test.prop([data, data.filter((v) => v !== undefined && typeof v !== 'function'), fc.array(fc.boolean(), { maxLength: 8 }), fc.boolean()], { numRuns: 1000 })(
    'gives what jsonCopySharing gives, in the value it was handed, or undefined exactly when JSON would not give that value back',
    (v, w, bits, reorder) => {
      const older = roundTrip(blend(v === undefined || typeof v === 'function' ? null : roundTrip(v), roundTrip(w), bits));
      const like = deepFreeze(reorder ? reversed(older) : older);
      const faithful = jsonFaithful(v) && !hasUndefinedMember(v);
      const copied = faithful ? jsonCopySharing(v, like) : undefined;
      const mine = parts(v);
      const got = jsonAdoptSharing(v, like);
      if (!faithful) {
        expect(got).toBeUndefined();
        return;
      }
      expect(JSON.stringify(got)).toBe(JSON.stringify(copied));
      // Part by part, the older value's where jsonCopySharing takes it, else the one handed over.
      const walk = (a: unknown, b: unknown): void => {
        if (a === null || typeof a !== 'object') return;
        const old = parts(like);
        expect(old.has(a)).toBe(old.has(b as object));
        if (old.has(a)) expect(a).toBe(b);
        else expect(mine.has(a)).toBe(true);
        for (const k of Object.keys(a)) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]);
      };
      walk(got, copied);
    },
  );

  it('gives the example of its doc comment', () => {
    const was = deepFreeze({ spec: { image: 'a' }, status: { phase: 'Pending' } });
    const v = { spec: { image: 'a' }, status: { phase: 'Running' } };
    expect(jsonAdoptSharing(v, was)).toBe(v);
    expect(v.spec).toBe(was.spec);
  });

  it('refuses to change a part someone froze, or what JSON would not give back, leaving the value the same JSON', () => {
    const frozen = deepFreeze({ a: { b: 1 }, c: 'x' });
    expect(jsonAdoptSharing({ x: frozen }, deepFreeze({ x: { a: { b: 1 }, c: 'x' } }))).toBeUndefined();
    expect(jsonAdoptSharing({ a: [1, NaN] }, undefined)).toBeUndefined();
    expect(jsonAdoptSharing({ a: 1, b: undefined }, undefined)).toBeUndefined();
  });
});

describe('jsonFaithful', () => {
  it('gives the examples of its doc comment', () => {
    expect(jsonFaithful({ a: [1, 'x'], b: undefined })).toBe(true);
    expect(jsonFaithful({ a: [undefined] })).toBe(false);
    expect(jsonFaithful({ a: new Date(0) })).toBe(false);
  });

  it('takes a __proto__ member as JSON.parse makes it for faithful: JSON writes and reads it back as a member', () => {
    const v = JSON.parse('{"data":{"__proto__":{"k":"v"}}}') as unknown;
    expect(jsonFaithful(v)).toBe(true);
    expect(jsonCopy(v)).toEqual(v);
    expect(JSON.stringify(jsonClone(v))).toBe('{"data":{"__proto__":{"k":"v"}}}');
  });

  test.prop([data])('is true exactly when the JSON round trip gives the value back, undefined members aside', (v) => {
    const same = v !== undefined && typeof v !== 'function' && jsonEqual(v, roundTrip(v)) && !hasNegativeZero(v);
    expect(jsonFaithful(v)).toBe(same);
  });
});

/** The same value with the keys of every other object (from the outermost on) in reverse order. */
function reversed(v: unknown, flip = true): unknown {
  if (Array.isArray(v)) return v.map((x) => reversed(x, flip));
  if (v === null || typeof v !== 'object') return v;
  const entries = Object.entries(v).map(([k, x]): [string, unknown] => [k, reversed(x, !flip)]);
  return Object.fromEntries(flip ? entries.reverse() : entries);
}

function hasUndefinedMember(v: unknown): boolean {
  return v !== null && typeof v === 'object' && Object.values(v).some((x) => x === undefined || hasUndefinedMember(x));
}

/** -0 reads back as 0, which jsonEqual does not tell from it. */
function hasNegativeZero(v: unknown): boolean {
  if (Object.is(v, -0)) return true;
  return v !== null && typeof v === 'object' && Object.values(v).some(hasNegativeZero);
}
