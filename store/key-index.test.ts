import { describe, expect, it } from 'vitest';
import { KeyIndex } from './key-index.js';

const r = (main: number, sub = 0) => ({ main, sub });
const shape = (ki: KeyIndex) => ki.generations.map((g) => g.revs.map((x) => x.main));

/** The doc comment's example: put 1, put 2, delete 3, put 4, delete 5. */
function example(): KeyIndex {
  const ki = new KeyIndex();
  ki.put(r(1));
  ki.put(r(2));
  ki.tombstone(r(3));
  ki.put(r(4));
  ki.tombstone(r(5));
  return ki;
}

describe('KeyIndex', () => {
  it('builds the generations of the doc example', () => {
    expect(shape(example())).toEqual([[1, 2, 3], [4, 5], []]);
  });

  it('answers get at every revision of the example', () => {
    const ki = example();
    expect(ki.get(0)).toBeUndefined();
    expect(ki.get(1)).toEqual({ modified: r(1), created: r(1), version: 1 });
    expect(ki.get(2)).toEqual({ modified: r(2), created: r(1), version: 2 });
    expect(ki.get(3)).toBeUndefined();
    expect(ki.get(4)).toEqual({ modified: r(4), created: r(4), version: 1 });
    expect(ki.get(5)).toBeUndefined();
    expect(ki.get(99)).toBeUndefined();
  });

  it('compacts as the doc example says, keeping what reads at the compacted revision need', () => {
    const ki = example();
    let keep = new Set<string>();
    ki.compact(2, keep);
    expect(shape(ki)).toEqual([[2, 3], [4, 5], []]);
    expect([...keep]).toEqual(['2_0']);
    expect(ki.get(2)).toEqual({ modified: r(2), created: r(1), version: 2 });

    keep = new Set();
    ki.compact(4, keep);
    expect(shape(ki)).toEqual([[4, 5], []]);
    expect([...keep]).toEqual(['4_0']);

    keep = new Set();
    ki.compact(5, keep);
    expect(ki.isEmpty()).toBe(true);
    expect([...keep]).toEqual([]);
  });

  it('keeps the version count across compaction', () => {
    const ki = new KeyIndex();
    for (let i = 1; i <= 5; i++) ki.put(r(i));
    ki.compact(4, new Set());
    expect(ki.get(5)).toEqual({ modified: r(5), created: r(1), version: 5 });
    expect(ki.get(4)?.version).toBe(4);
  });

  it('refuses a tombstone on a key that is not live, and a revision that goes back', () => {
    const ki = new KeyIndex();
    expect(ki.tombstone(r(1))).toBe(false);
    ki.put(r(2));
    expect(() => ki.put(r(2))).toThrow(/not newer/);
  });

  it('restores from the newest stored revision with its create revision and version', () => {
    const ki = new KeyIndex();
    ki.restore(r(3), r(9), 4);
    expect(ki.get(9)).toEqual({ modified: r(9), created: r(3), version: 4 });
    ki.put(r(10));
    expect(ki.get(10)?.version).toBe(5);
  });
});
