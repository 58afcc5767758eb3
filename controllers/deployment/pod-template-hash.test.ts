import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { computeHash, equalIgnoreHash, equivalent, fnv32a, normalize, POD_TEMPLATE_HASH_LABEL, safeEncodeString } from './pod-template-hash.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const template = (image: string, labels: Record<string, string> = { app: 'web' }) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'c', image }] },
});

describe('fnv32a', () => {
  it('gives the published FNV-1a 32-bit test vectors', () => {
    expect(fnv32a(bytes(''))).toBe(0x811c9dc5);
    expect(fnv32a(bytes('a'))).toBe(0xe40c292c);
    expect(fnv32a(bytes('foobar'))).toBe(0xbf9cf968);
  });

  it('continues a hash when seeded with it, as writing more bytes to Go hasher does', () => {
    expect(fnv32a(bytes('bar'), fnv32a(bytes('foo')))).toBe(fnv32a(bytes('foobar')));
  });
});

describe('safeEncodeString', () => {
  it('maps decimal digits as upstream rand.SafeEncodeString does', () => {
    expect(safeEncodeString('1234')).toBe('5678');
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
    // The doc comment's example: a hash of 3421386289 names web-78657db6df.
    expect(safeEncodeString('3421386289')).toBe('78657db6df');
  });
});

describe('computeHash', () => {
  test.prop([fc.string({ minLength: 1, maxLength: 12 }), fc.option(fc.nat(1000), { nil: undefined })])(
    'is stable, uses only the encoded digit alphabet, and is a valid name suffix',
    (image, collisions) => {
      const h = computeHash(template(image), collisions);
      expect(computeHash(template(image), collisions)).toBe(h);
      expect(h).toMatch(/^[456789bcdf]{1,10}$/);
    },
  );

  test.prop([fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })])('changes with the template', (a, b) => {
    fc.pre(a !== b);
    expect(computeHash(template(a))).not.toBe(computeHash(template(b)));
  });

  test.prop([fc.nat(1000), fc.nat(1000)])('changes with collisionCount, and a count of 0 differs from none', (a, b) => {
    fc.pre(a !== b);
    expect(computeHash(template('nginx'), a)).not.toBe(computeHash(template('nginx'), b));
    expect(computeHash(template('nginx'), a)).not.toBe(computeHash(template('nginx')));
  });

  it('ignores key order and empty fields, which carry no meaning', () => {
    const a = { spec: { containers: [{ image: 'x', name: 'c' }] }, metadata: { labels: { b: '2', a: '1' } } };
    const b = { metadata: { labels: { a: '1', b: '2' }, annotations: {} }, spec: { containers: [{ name: 'c', image: 'x', env: [] }] } };
    expect(computeHash(a)).toBe(computeHash(b));
  });
});

describe('equalIgnoreHash', () => {
  it('compares templates without the pod-template-hash label', () => {
    const rsTemplate = template('nginx', { app: 'web', [POD_TEMPLATE_HASH_LABEL]: 'abc' });
    expect(equalIgnoreHash(rsTemplate, template('nginx'))).toBe(true);
    expect(equalIgnoreHash(rsTemplate, template('nginx:2'))).toBe(false);
    expect(equalIgnoreHash(template('nginx', { [POD_TEMPLATE_HASH_LABEL]: 'x' }), { spec: { containers: [{ name: 'c', image: 'nginx' }] } })).toBe(true);
  });
});

/** A JSON value rich in what normalizing drops: undefined members, empty maps and lists, lists of them. */
const sparse = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom<unknown>(undefined, null, 0, 'a', true, {}, [], [{}], { x: [] }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('value'), { maxKeys: 3 }),
  ),
})).value;

describe('equivalent', () => {
  it('sees no difference where normalizing leaves none, with the example of its doc comment', () => {
    expect(equivalent({ a: [], b: { c: 1 } }, { b: { c: 1 }, d: {} })).toBe(true);
    expect(equivalent([1, {}, 2], [1, 2])).toBe(true);
    expect(equivalent([1, 2], [2, 1])).toBe(false);
    expect(equivalent({ a: null }, {})).toBe(false);
  });

  test.prop([sparse, sparse, fc.boolean()], { numRuns: 2000 })('is true exactly when the two normalize to the same JSON', (a, other, same) => {
    const b = same ? JSON.parse(JSON.stringify(a ?? null)) : other;
    expect(equivalent(a, b)).toBe(JSON.stringify(normalize(a)) === JSON.stringify(normalize(b)));
    expect(equivalent(b, a)).toBe(equivalent(a, b));
  });
});
