import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryTable } from './memory-table.js';

const key = fc.uint8Array({ minLength: 0, maxLength: 3 }).map((a) => Buffer.from(a.map((b) => [0, 1, 0x7f, 0x80, 0xff][b % 5]!)));
const op = fc.oneof(
  fc.record({ type: fc.constant('put' as const), key, value: fc.string({ maxLength: 3 }).map((s) => Buffer.from(s)) }),
  fc.record({ type: fc.constant('del' as const), key }),
);

/** The model: a map by key bytes, sorted when read. */
function modelRange(model: Map<string, Buffer>, gte?: Buffer, lt?: Buffer): Array<[string, string]> {
  return [...model]
    .map(([k, v]) => [Buffer.from(k, 'hex'), v] as const)
    .filter(([k]) => (!gte || Buffer.compare(k, gte) >= 0) && (!lt || Buffer.compare(k, lt) < 0))
    .sort(([a], [b]) => Buffer.compare(a, b))
    .map(([k, v]) => [k.toString('hex'), v.toString()]);
}

describe('a table of the store held in memory', () => {
  it('reads what the same batches leave in a sorted map: point reads and ranges in byte order', () => {
    fc.assert(
      fc.property(fc.array(fc.array(op, { maxLength: 8 }), { maxLength: 12 }), fc.option(key, { nil: undefined }), fc.option(key, { nil: undefined }), (batches, gte, lt) => {
        const table = new MemoryTable();
        const model = new Map<string, Buffer>();
        for (const batch of batches) {
          table.apply(batch);
          for (const o of batch) {
            if (o.type === 'put') model.set(o.key.toString('hex'), o.value);
            else model.delete(o.key.toString('hex'));
          }
          for (const [k, v] of model) expect(table.get(Buffer.from(k, 'hex'))?.toString()).toBe(v.toString());
        }
        const got = table.entries({ gte, lt }).map(([k, v]) => [k.toString('hex'), v.toString()]);
        expect(got).toEqual(modelRange(model, gte, lt));
      }),
      { numRuns: 500 },
    );
  });

  it('answers a range as it was when asked, whatever is written while it is read', () => {
    const table = new MemoryTable();
    table.apply([
      { type: 'put', key: Buffer.from([1]), value: Buffer.from('a') },
      { type: 'put', key: Buffer.from([3]), value: Buffer.from('c') },
    ]);
    const before = table.entries();
    table.apply([
      { type: 'put', key: Buffer.from([2]), value: Buffer.from('b') },
      { type: 'put', key: Buffer.from([3]), value: Buffer.from('C') },
      { type: 'del', key: Buffer.from([1]) },
    ]);
    expect(before.map(([k, v]) => [k[0], v.toString()])).toEqual([
      [1, 'a'],
      [3, 'c'],
    ]);
    expect(table.entries().map(([k, v]) => [k[0], v.toString()])).toEqual([
      [2, 'b'],
      [3, 'C'],
    ]);
  });
});
