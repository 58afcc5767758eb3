import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { TreeIndex } from './tree-index.js';

/** A naive model: for each key, its list of (revision, deleted) in order. */
type History = Map<string, Array<{ rev: number; deleted: boolean }>>;

function modelRange(h: History, key: string, end: string | undefined, atRev: number): string[] {
  const keys = [...h.keys()].filter((k) => (end === undefined ? k === key : k >= key && (end === '' || k < end)));
  return keys
    .filter((k) => {
      const past = h.get(k)!.filter((e) => e.rev <= atRev);
      const last = past[past.length - 1];
      return last !== undefined && !last.deleted;
    })
    .sort();
}

const key = fc.constantFrom('a', 'b', 'ba', 'c', 'd', 'e\u00ff', '\u0000');
const op = fc.record({ key, del: fc.boolean() });

describe('TreeIndex', () => {
  test.prop([fc.array(op, { maxLength: 40 }), key, fc.option(fc.oneof(key, fc.constant('')), { nil: undefined }), fc.nat()])(
    'ranges agree with a naive model at every revision, whatever the insertion order',
    (ops, from, end, pick) => {
      const index = new TreeIndex();
      const h: History = new Map();
      let rev = 1;
      for (const o of ops) {
        rev++;
        const entries = h.get(o.key) ?? [];
        const live = entries.length > 0 && !entries[entries.length - 1]!.deleted;
        if (o.del) {
          if (!live) continue;
          index.tombstone(o.key, { main: rev, sub: 0 });
        } else {
          index.put(o.key, { main: rev, sub: 0 });
        }
        entries.push({ rev, deleted: o.del });
        h.set(o.key, entries);
      }
      const atRev = 1 + (pick % rev);
      expect(index.range(from, end, atRev).map((e) => e.key)).toEqual(modelRange(h, from, end, atRev));
    },
  );

  test.prop([fc.array(op, { maxLength: 40 }), fc.nat(), fc.nat()])(
    'compaction changes no read at or after the compacted revision',
    (ops, c, r) => {
      const index = new TreeIndex();
      let rev = 1;
      for (const o of ops) {
        rev++;
        if (o.del) {
          if (!index.tombstone(o.key, { main: rev, sub: 0 })) rev--;
        } else index.put(o.key, { main: rev, sub: 0 });
      }
      const compactAt = 1 + (c % rev);
      const readAt = compactAt + (r % (rev - compactAt + 1));
      const before = index.range('\u0000', '', readAt);
      index.compact(compactAt);
      expect(index.range('\u0000', '', readAt)).toEqual(before);
    },
  );
});
