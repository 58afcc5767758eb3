import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { getOwn, isJsonObject, jsonEqual, setOwn, type JsonObject, type JsonValue } from './json-value.js';
import { applyMergePatch } from './merge-patch.js';

function frozen<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) frozen(v);
    Object.freeze(value);
  }
  return value;
}

/** The merge patch that turns `a` into `b`, when `b` holds no nulls (a null in a patch deletes). */
function diff(a: JsonObject, b: JsonObject): JsonObject {
  const patch: JsonObject = {};
  for (const key of Object.keys(a)) if (!Object.hasOwn(b, key)) setOwn(patch, key, null);
  for (const key of Object.keys(b)) {
    const from = getOwn(a, key);
    const to = b[key]!;
    if (isJsonObject(from) && isJsonObject(to)) {
      const inner = diff(from, to);
      if (Object.keys(inner).length > 0) setOwn(patch, key, inner);
    } else if (from === undefined || !jsonEqual(from, to)) {
      setOwn(patch, key, to);
    }
  }
  return patch;
}

describe('applyMergePatch', () => {
  it('applies the doc example, as kubectl label sends it', () => {
    const doc = frozen({ metadata: { labels: { app: 'web', tier: 'fe' } }, spec: { replicas: 1 } });
    const patch = frozen({ metadata: { labels: { tier: null, env: 'prod' } }, spec: { replicas: 5 } });
    expect(applyMergePatch(doc, patch)).toEqual({ metadata: { labels: { app: 'web', env: 'prod' } }, spec: { replicas: 5 } });
  });

  it('applies what kubectl scale sends to /scale', () => {
    const scale = frozen({ kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'web' }, spec: { replicas: 2 } });
    expect(applyMergePatch(scale, { spec: { replicas: 5 } })).toEqual({ ...scale, spec: { replicas: 5 } });
  });

  // RFC 7386 appendix A, every case.
  it.each([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('RFC 7386: %j patched with %j is %j', (doc, patch, want) => {
    expect(applyMergePatch(frozen(doc), frozen(patch))).toEqual(want);
  });

  it('copies what it takes from the patch', () => {
    const patch = { a: { b: [1] } };
    const out = applyMergePatch({}, patch) as { a: { b: number[] } };
    out.a.b.push(2);
    expect(patch).toEqual({ a: { b: [1] } });
  });

  it('merges __proto__ as an ordinary key', () => {
    const out = applyMergePatch({}, JSON.parse('{"__proto__":{"polluted":true}}')) as object;
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  describe('properties', () => {
    const key = fc.oneof(fc.constantFrom('a', 'b', 'c', '__proto__'), fc.string({ maxLength: 3 }));
    const normal = (v: unknown) => JSON.parse(JSON.stringify(v)) as JsonObject;
    const { object: withoutNulls } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string({ maxLength: 3 }),
        fc.integer(),
        fc.boolean(),
        tie('object'),
        fc.array(tie('value'), { maxLength: 3 }),
      ),
      object: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
    }));
    const doc = withoutNulls.map(normal);
    const patch = fc.dictionary(key, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }).map(normal);

    test.prop([doc, doc])('applying diff(a, b) to a gives b', (a, b) => {
      expect(jsonEqual(applyMergePatch(frozen(a), frozen(diff(a, b))) as JsonValue, b)).toBe(true);
    });

    test.prop([doc, patch])('never modifies its inputs, and applying twice is applying once', (a, p) => {
      const once = applyMergePatch(frozen(a), frozen(p));
      expect(applyMergePatch(once, p)).toEqual(once);
    });
  });
});
