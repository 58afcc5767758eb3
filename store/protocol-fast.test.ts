import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastDeleteRange, fastPut, fastRange, fastTxn, MISS } from './protocol-fast.js';
import { bySchema, encodeTxnRequest } from './protocol-requests.js';
import type { Compare, RequestOp, TxnRequest } from './types.js';

/** The schema's answer, or the error it words. */
function schema<T>(decode: (json: unknown) => T, json: unknown): { ok: T } | { error: string } {
  try {
    return { ok: decode(json) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

// ---- JSON as clients send it, and as they should not -------------------------------------------

const junk = fc.oneof(fc.constant(null), fc.constant(undefined), fc.string({ maxLength: 6 }), fc.double(), fc.integer(), fc.boolean(), fc.constant([]), fc.constant({}));
const base64 = fc.uint8Array({ maxLength: 12 }).map((a) => Buffer.from(a).toString('base64'));
// Mostly what a field may hold, edge cases often: a message is taken whole or not at all, so most must be well formed.
const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });
const bytesField = fc.oneof(w(6, base64), w(2, base64.map((s) => s.replace(/=+$/, ''))), w(1, fc.constant('not base64!')), w(1, junk));
const intField = fc.oneof(
  w(6, fc.integer({ min: -5, max: 1_000_000 })),
  w(2, fc.integer({ min: 0, max: 99 }).map(String)),
  w(1, fc.constantFrom('007', '-3', '12x', '1.5', '')),
  w(1, fc.constantFrom(2 ** 60, 1.5, -0)),
  w(1, junk),
);
const boolField = fc.oneof(w(6, fc.boolean()), w(1, junk));
const enumField = (names: readonly string[]) =>
  fc.oneof(w(6, fc.constantFrom(...names)), w(3, fc.integer({ min: -1, max: names.length })), w(1, fc.constantFrom('SIDEWAYS', 'equal')), w(1, junk));

/** An object with some of `fields`, each maybe absent, plus maybe a field no schema knows. */
function objectOf(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc.record({ ...fields, extra: junk }, { requiredKeys: [] });
}

const rangeJson = objectOf({
  key: bytesField,
  range_end: bytesField,
  limit: intField,
  revision: intField,
  sort_order: enumField(['NONE', 'ASCEND', 'DESCEND']),
  sort_target: enumField(['KEY', 'VERSION', 'CREATE', 'MOD', 'VALUE']),
  serializable: boolField,
  keys_only: boolField,
  count_only: boolField,
  min_mod_revision: intField,
  max_create_revision: intField,
});
const putJson = objectOf({ key: bytesField, value: bytesField, lease: intField, prev_kv: boolField, ignore_value: boolField, ignore_lease: boolField });
const deleteJson = objectOf({ key: bytesField, range_end: bytesField, prev_kv: boolField });
const compareJson = objectOf({
  result: enumField(['EQUAL', 'GREATER', 'LESS', 'NOT_EQUAL']),
  target: enumField(['VERSION', 'CREATE', 'MOD', 'VALUE', 'LEASE']),
  key: bytesField,
  version: intField,
  create_revision: intField,
  mod_revision: intField,
  value: bytesField,
  lease: intField,
  range_end: bytesField,
});
const { txnJson } = fc.letrec<{ txnJson: Record<string, unknown>; opJson: unknown }>((tie) => ({
  opJson: fc.oneof(
    { depthSize: 'small' },
    objectOf({ request_range: fc.oneof(rangeJson, junk), request_put: fc.oneof(putJson, junk), request_delete_range: fc.oneof(deleteJson, junk), request_txn: fc.oneof(tie('txnJson'), junk) }),
    junk,
  ),
  txnJson: objectOf({
    compare: fc.oneof(fc.array(fc.oneof(compareJson, junk), { maxLength: 3 }), junk),
    success: fc.oneof(fc.array(tie('opJson'), { maxLength: 3 }), junk),
    failure: fc.oneof(fc.array(tie('opJson'), { maxLength: 3 }), junk),
  }),
}));

// ---- requests as minik's own client writes them ------------------------------------------------

const key = fc.string({ minLength: 1, maxLength: 12 }).map((s) => Buffer.from(s));
const compare: fc.Arbitrary<Compare> = fc.record(
  {
    key,
    target: fc.constantFrom('VERSION', 'CREATE', 'MOD', 'VALUE', 'LEASE'),
    result: fc.constantFrom('EQUAL', 'GREATER', 'LESS', 'NOT_EQUAL'),
    modRevision: fc.nat(),
    createRevision: fc.nat(),
    value: key,
  },
  { requiredKeys: ['key', 'target', 'result'] },
);
const op: fc.Arbitrary<RequestOp> = fc.oneof(
  fc.record({ requestPut: fc.record({ key, value: key, prevKv: fc.boolean() }, { requiredKeys: ['key', 'value'] }) }),
  fc.record({ requestRange: fc.record({ key, rangeEnd: key, limit: fc.nat(), keysOnly: fc.boolean() }, { requiredKeys: ['key'] }) }),
  fc.record({ requestDeleteRange: fc.record({ key, prevKv: fc.boolean() }, { requiredKeys: ['key'] }) }),
);
const txn: fc.Arbitrary<TxnRequest> = fc.record(
  { compare: fc.array(compare, { maxLength: 3 }), success: fc.array(op, { maxLength: 3 }), failure: fc.array(op, { maxLength: 3 }) },
  { requiredKeys: [] },
);

describe('the fast decoding of KV requests', () => {
  it('decodes what minik writes without falling back to the schema, to what the schema gives', () => {
    fc.assert(
      fc.property(txn, (t) => {
        const json = JSON.parse(JSON.stringify(encodeTxnRequest(t))) as unknown;
        const fast = fastTxn(json);
        expect(fast).not.toBe(MISS);
        expect({ ok: fast }).toEqual(schema(bySchema.txn, json));
      }),
    );
  });

  it('answers anything else as the schema does, or leaves it to the schema', () => {
    const cases = [
      ['txn', txnJson, fastTxn, bySchema.txn],
      ['range', rangeJson, fastRange, bySchema.range],
      ['put', putJson, fastPut, bySchema.put],
      ['delete range', deleteJson, fastDeleteRange, bySchema.deleteRange],
    ] as const;
    for (const [, arb, fast, bySchemaDecode] of cases) {
      fc.assert(
        fc.property(arb as fc.Arbitrary<unknown>, (json) => {
          const got = (fast as (j: unknown) => unknown)(json);
          if (got === MISS) return;
          // Whatever the fast path takes, the schema takes too, and reads alike.
          expect({ ok: got }).toEqual(schema(bySchemaDecode as (j: unknown) => unknown, json));
        }),
        { numRuns: 1000 },
      );
    }
  });
});
