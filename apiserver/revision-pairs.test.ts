import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RevisionPairs } from './revision-pairs.js';
import { decode, type CachedObject } from './watch-cache.js';

/** `decode`, counting its calls. */
function counting(): { decode: (key: string, value: Buffer, rev: number) => CachedObject; calls: () => number } {
  let calls = 0;
  return {
    decode: (key, value, rev) => {
      calls++;
      return decode(key, value, rev);
    },
    calls: () => calls,
  };
}

const bytes = (o: unknown) => Buffer.from(JSON.stringify(o));

describe('RevisionPairs', () => {
  it('parses a revision seen twice once, whichever copy of its bytes comes first, and gives each the same object', () => {
    fc.assert(
      fc.property(
        // Writes of distinct keys, each with its answer and its watch event in some order among the others.
        fc.uniqueArray(fc.record({ name: fc.string({ minLength: 1, maxLength: 8 }), n: fc.integer() }), { selector: (w) => w.name, minLength: 1, maxLength: 40 }),
        fc.infiniteStream(fc.boolean()),
        (writes, coin) => {
          const pairs = new RevisionPairs();
          const d = counting();
          const pending = writes.flatMap((w, i) => [
            { key: `/registry/configmaps/default/${w.name}`, rev: i + 1, value: bytes({ data: { n: String(w.n) } }) },
            { key: `/registry/configmaps/default/${w.name}`, rev: i + 1, value: bytes({ data: { n: String(w.n) } }) },
          ]);
          const seen = new Map<string, CachedObject>();
          const it = coin[Symbol.iterator]();
          while (pending.length > 0) {
            // The next delivery: the first pending one, or the one after it.
            const i = pending.length > 1 && it.next().value ? 1 : 0;
            const [p] = pending.splice(i, 1);
            const got = pairs.decode(p!.key, p!.value, p!.rev, d.decode);
            expect(got.object).toEqual(decode(p!.key, p!.value, p!.rev).object);
            const other = seen.get(p!.key);
            if (other) expect(got).toBe(other);
            else seen.set(p!.key, got);
          }
          expect(d.calls()).toBe(writes.length);
        },
      ),
    );
  });

  it('parses again when the revision or the length of the bytes differs from what waits', () => {
    const pairs = new RevisionPairs();
    const d = counting();
    const key = '/registry/configmaps/default/app';
    const a = pairs.decode(key, bytes({ data: { v: '1' } }), 5, d.decode);
    const b = pairs.decode(key, bytes({ data: { v: '2' } }), 6, d.decode);
    const c = pairs.decode(key, bytes({ data: { v: '22' } }), 6, d.decode);
    expect(d.calls()).toBe(3);
    expect([a.object['data'], b.object['data'], c.object['data']]).toEqual([{ v: '1' }, { v: '2' }, { v: '22' }]);
  });

  it('keeps at most 1,024 revisions waiting for their second copy, dropping the oldest', () => {
    const pairs = new RevisionPairs();
    const d = counting();
    for (let i = 0; i < 1100; i++) pairs.decode(`/registry/configmaps/default/c${i}`, bytes({ i }), i + 1, d.decode);
    expect(pairs.size).toBe(1024);
    pairs.decode('/registry/configmaps/default/c0', bytes({ i: 0 }), 1, d.decode);
    pairs.decode('/registry/configmaps/default/c1099', bytes({ i: 1099 }), 1100, d.decode);
    expect(d.calls()).toBe(1101);
  });
});
