import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStoreProcess, type StoreProcess } from './support/store-process.js';

const RANGE = '/v3/kv/range';
const PUT = '/v3/kv/put';
const DELETE = '/v3/kv/deleterange';
const TXN = '/v3/kv/txn';
const COMPACTION = '/v3/kv/compaction';
const WATCH = '/v3/watch';
const KV_PATHS = [RANGE, PUT, DELETE, TXN, COMPACTION];

const MSG = {
  emptyKey: 'etcdserver: key is not provided',
  keyNotFound: 'etcdserver: key not found',
  valueProvided: 'etcdserver: value is provided',
  leaseProvided: 'etcdserver: lease is provided',
  leaseNotFound: 'etcdserver: requested lease not found',
  tooManyOps: 'etcdserver: too many operations in txn request',
  duplicateKey: 'etcdserver: duplicate key given in txn request',
  invalidSort: 'etcdserver: invalid sort option',
  tooLarge: 'etcdserver: request is too large',
  compacted: 'etcdserver: mvcc: required revision has been compacted',
  future: 'etcdserver: mvcc: required revision is a future revision',
};

const MiB = 1024 * 1024;
const b64 = (s: string | Buffer) => (typeof s === 'string' ? Buffer.from(s) : s).toString('base64');
const FUTURE = '1000000000';

let store: StoreProcess;
let dataDir: string;
let okCount = 0;

const alive = () => store.child.exitCode === null && store.child.signalCode === null;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'minik-bad-input-'));
  store = await startStoreProcess({ dataDir });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function answering(): Promise<boolean> {
  try {
    return (await fetch(`${store.endpoint}/health`, { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}

/**
 * A bad request may kill the store just after its answer went out, so a live child process is not
 * enough: the store must still answer.
 */
async function expectAlive(): Promise<void> {
  if (alive() && (await answering())) return;
  await Promise.race([new Promise((r) => store.child.once('exit', r)), sleep(2_000)]);
  expect.fail(`the store stopped answering:\n${store.output()}`);
}

/** A fresh process on the same data if the last one died, so that one crash fails one test, not all after it. */
async function ensureStore(): Promise<void> {
  if (alive() && (await answering())) return;
  await store.crash();
  store = await startStoreProcess({ dataDir });
}

afterEach(ensureStore);

afterAll(async () => {
  await store?.destroy();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  text: string;
  json: unknown;
}

/**
 * POSTs a raw body. A watch that is accepted answers 200 and then streams forever, so for a watch
 * only the status is read and the stream is dropped.
 */
async function send(path: string, body: string | Uint8Array, method = 'POST'): Promise<Answer> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), 10_000);
  try {
    const res = await fetch(store.endpoint + path, {
      method,
      body: method === 'GET' ? undefined : body,
      headers: { 'Content-Type': 'application/json' },
      signal: ac.signal,
    });
    if (path === WATCH && res.status === 200) {
      ac.abort();
      return { status: 200, text: '', json: undefined };
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json };
  } finally {
    clearTimeout(timer);
  }
}

const post = (path: string, body: unknown) => send(path, JSON.stringify(body));

async function revision(): Promise<number> {
  const res = await post(RANGE, { key: b64('probe') });
  expect(res.status, res.text).toBe(200);
  return Number((res.json as { header: { revision: string } }).header.revision);
}

/** The store still answers reads and writes. */
async function expectServing(): Promise<void> {
  await expectAlive();
  const key = b64(`ok/${okCount++}`);
  const put = await post(PUT, { key, value: b64('fine') });
  expect(put.status, put.text).toBe(200);
  const got = await post(RANGE, { key });
  expect(got.status, got.text).toBe(200);
  expect((got.json as { kvs?: Array<{ value: string }> }).kvs?.[0]?.value).toBe(b64('fine'));
}

/** etcd's gateway error: `{"error": msg, "message": msg, "code": grpcCode}`. */
function expectEtcdErrorBody(res: Answer): { error: string; code: number } {
  const body = res.json as { error?: unknown; message?: unknown; code?: unknown } | undefined;
  expect(body, `not JSON: ${res.text.slice(0, 200)}`).toBeTypeOf('object');
  expect(body!.code, res.text.slice(0, 200)).toBeTypeOf('number');
  expect(body!.error, res.text.slice(0, 200)).toBeTypeOf('string');
  expect(body!.error).not.toBe('');
  expect(body!.message).toBe(body!.error);
  return body as { error: string; code: number };
}

function expectEtcdError(res: Answer, status: number, code: number, message?: string): void {
  expect(res.status, res.text.slice(0, 200)).toBe(status);
  const body = expectEtcdErrorBody(res);
  expect(body.code, res.text.slice(0, 200)).toBe(code);
  if (message !== undefined) expect(body.error).toBe(message);
}

/** Sends a bad request and checks etcd's answer, that nothing was written, and that the store carries on. */
async function expectRefused(
  path: string,
  body: string | Uint8Array,
  status: number,
  code: number,
  message?: string,
): Promise<void> {
  const before = await revision();
  let res: Answer;
  try {
    res = await send(path, body);
  } catch (err) {
    throw new Error(`no answer to a bad request on ${path}: ${(err as Error).message}\n${store.output()}`, { cause: err });
  }
  expectEtcdError(res, status, code, message);
  await expectAlive();
  expect(await revision(), 'a refused request moved the revision').toBe(before);
  await expectServing();
}

type Case = [name: string, body: unknown, status: number, code: number, message?: string];

const NOT_AN_OBJECT: Array<[string, string | Uint8Array]> = [
  ['malformed JSON', '{"key": '],
  ['broken JSON', '{bad}'],
  ['JSON with trailing garbage', '{"key":"YQ=="} x'],
  ['a JSON array', '[{"key":"YQ=="}]'],
  ['a JSON string', '"key"'],
  ['JSON null', 'null'],
  ['a JSON number', '42'],
  ['bytes that are not UTF-8', Uint8Array.from([0xff, 0xfe, 0x7b, 0x80])],
];

describe.each(KV_PATHS)('%s refuses a body that is not a JSON object', (path) => {
  it.each(NOT_AN_OBJECT)('%s', async (_name, body) => {
    await expectRefused(path, body, 400, 3);
  });
});

const txnOf = (...success: unknown[]) => ({ success });
const putOp = (key: string, extra: Record<string, unknown> = {}) => ({ request_put: { key: b64(key), value: b64('v'), ...extra } });

const CASES: Record<string, Case[]> = {
  [RANGE]: [
    ['bad base64 in key', { key: '!!!!' }, 400, 3],
    ['bad base64 in range_end', { key: b64('a'), range_end: '%%%' }, 400, 3],
    ['key as a number', { key: 42 }, 400, 3],
    ['limit as "abc"', { key: b64('a'), limit: 'abc' }, 400, 3],
    ['limit as an object', { key: b64('a'), limit: { n: 1 } }, 400, 3],
    ['revision as a fraction', { key: b64('a'), revision: 1.5 }, 400, 3],
    ['keys_only as "yes"', { key: b64('a'), keys_only: 'yes' }, 400, 3],
    ['count_only as 1', { key: b64('a'), count_only: 1 }, 400, 3],
    ['an unknown sort_order name', { key: b64('a'), sort_order: 'SIDEWAYS' }, 400, 3],
    ['an unknown sort_target name', { key: b64('a'), sort_target: 'COLOUR' }, 400, 3],
    ['a sort_order number out of range', { key: b64('a'), sort_order: 7 }, 400, 3, MSG.invalidSort],
    ['no key', {}, 400, 3, MSG.emptyKey],
    ['an empty key', { key: '' }, 400, 3, MSG.emptyKey],
    ['a future revision', { key: b64('a'), revision: FUTURE }, 400, 11, MSG.future],
  ],
  [PUT]: [
    ['bad base64 in key', { key: '!!!!', value: b64('v') }, 400, 3],
    ['bad base64 in value', { key: b64('a'), value: 'not base64!' }, 400, 3],
    ['key as a number', { key: 42, value: b64('v') }, 400, 3],
    ['value as a boolean', { key: b64('a'), value: true }, 400, 3],
    ['prev_kv as "yes"', { key: b64('a'), value: b64('v'), prev_kv: 'yes' }, 400, 3],
    ['lease as "abc"', { key: b64('a'), value: b64('v'), lease: 'abc' }, 400, 3],
    ['no key', { value: b64('v') }, 400, 3, MSG.emptyKey],
    ['an empty key', { key: '', value: b64('v') }, 400, 3, MSG.emptyKey],
    ['a lease that does not exist', { key: b64('a'), value: b64('v'), lease: '7' }, 404, 5, MSG.leaseNotFound],
    ['ignore_value on a missing key', { key: b64('missing'), ignore_value: true }, 400, 3, MSG.keyNotFound],
    ['ignore_lease on a missing key', { key: b64('missing'), ignore_lease: true }, 400, 3, MSG.keyNotFound],
    ['ignore_value with a value', { key: b64('a'), value: b64('v'), ignore_value: true }, 400, 3, MSG.valueProvided],
    ['ignore_lease with a lease', { key: b64('a'), lease: '7', ignore_lease: true }, 400, 3, MSG.leaseProvided],
    ['a 1.6 MiB value', { key: b64('big'), value: b64(Buffer.alloc(1.6 * MiB, 7)) }, 400, 3, MSG.tooLarge],
  ],
  [DELETE]: [
    ['bad base64 in key', { key: '!!!!' }, 400, 3],
    ['bad base64 in range_end', { key: b64('a'), range_end: '%%%' }, 400, 3],
    ['key as a number', { key: 42 }, 400, 3],
    ['prev_kv as "yes"', { key: b64('a'), prev_kv: 'yes' }, 400, 3],
    ['no key', {}, 400, 3, MSG.emptyKey],
    ['an empty key', { key: '' }, 400, 3, MSG.emptyKey],
  ],
  [TXN]: [
    ['compare as a string', { compare: 'x' }, 400, 3],
    ['success as a string', { success: 'x' }, 400, 3],
    ['an op as a number', txnOf(1), 400, 3],
    ['request_put as a string', txnOf({ request_put: 'x' }), 400, 3],
    ['bad base64 in a nested put', txnOf({ request_put: { key: b64('a'), value: '!!' } }), 400, 3],
    ['an unknown compare result name', { compare: [{ key: b64('a'), result: 'MAYBE', target: 'VERSION' }] }, 400, 3],
    ['a compare without a key', { compare: [{ result: 'EQUAL', target: 'VERSION' }] }, 400, 3, MSG.emptyKey],
    ['a put without a key', txnOf({ request_put: { value: b64('v') } }), 400, 3, MSG.emptyKey],
    ['an empty op', txnOf({}), 400, 3, MSG.keyNotFound],
    ['the same key put twice', txnOf(putOp('dup'), putOp('dup')), 400, 3, MSG.duplicateKey],
    [
      'a key put and deleted',
      txnOf(putOp('dup'), { request_delete_range: { key: b64('dup') } }),
      400,
      3,
      MSG.duplicateKey,
    ],
    [
      'a put inside a deleted range',
      txnOf({ request_delete_range: { key: b64('d/'), range_end: b64('d0') } }, putOp('d/x')),
      400,
      3,
      MSG.duplicateKey,
    ],
    ['129 puts', txnOf(...Array.from({ length: 129 }, (_, i) => putOp(`many/${i}`))), 400, 3, MSG.tooManyOps],
    [
      '129 compares',
      { compare: Array.from({ length: 129 }, (_, i) => ({ key: b64(`many/${i}`), result: 'EQUAL', target: 'VERSION' })) },
      400,
      3,
      MSG.tooManyOps,
    ],
    ['a put with a lease that does not exist', txnOf(putOp('a', { lease: '7' })), 404, 5, MSG.leaseNotFound],
    ['ignore_value on a missing key', txnOf({ request_put: { key: b64('missing'), ignore_value: true } }), 400, 3, MSG.keyNotFound],
    [
      'a range at a future revision, after a put',
      txnOf(putOp('a'), { request_range: { key: b64('a'), revision: FUTURE } }),
      400,
      11,
      MSG.future,
    ],
    ['a 1.6 MiB value', txnOf(putOp('big', { value: b64(Buffer.alloc(1.6 * MiB, 7)) })), 400, 3, MSG.tooLarge],
  ],
  [COMPACTION]: [
    ['revision as "abc"', { revision: 'abc' }, 400, 3],
    ['physical as "yes"', { revision: '1', physical: 'yes' }, 400, 3],
    ['a future revision', { revision: FUTURE }, 400, 11, MSG.future],
  ],
};

describe.each(Object.keys(CASES))('%s refuses bad input, etcd-style, and writes nothing', (path) => {
  it.each(CASES[path]!)('%s', async (_name, body, status, code, message) => {
    await expectRefused(path, JSON.stringify(body), status, code, message);
  });
});

describe('bodies of several MiB', () => {
  it.each([...KV_PATHS, WATCH])('%s answers 4xx and keeps serving', async (path) => {
    for (const body of [
      JSON.stringify({ key: b64('huge'), value: b64(Buffer.alloc(6 * MiB, 1)) }),
      'x'.repeat(8 * MiB),
    ]) {
      const before = await revision();
      const res = await send(path, body);
      expect(res.status, res.text.slice(0, 200)).toBeGreaterThanOrEqual(400);
      expect(res.status, res.text.slice(0, 200)).toBeLessThan(500);
      expect(await revision()).toBe(before);
      await expectServing();
    }
  });
});

describe('/v3/watch refuses a bad body with 4xx', () => {
  const cases: Array<[string, string, string?]> = [
    ['malformed JSON', '{bad}'],
    ['text that is not JSON', 'xyz'],
    ['a JSON array', '[1]'],
    ['a JSON string', '"s"'],
    ['JSON cut short', '{"create_request":'],
    ['bad base64 in key', JSON.stringify({ create_request: { key: '!!' } })],
    ['start_revision as "abc"', JSON.stringify({ create_request: { key: b64('a'), start_revision: 'abc' } })],
    ['watch_id as "x" in a cancel', JSON.stringify({ cancel_request: { watch_id: 'x' } })],
    [
      'a body just over the size limit',
      JSON.stringify({ create_request: { key: b64(Buffer.alloc(1.6 * MiB, 7)) } }),
      MSG.tooLarge,
    ],
  ];
  it.each(cases)('%s', async (_name, body, message) => {
    await expectRefused(WATCH, body, 400, 3, message);
  });
});

describe('compacted revisions', () => {
  it('are refused on range, txn and compaction with code 11', async () => {
    const revs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await post(PUT, { key: b64('hist'), value: b64(`v${i}`) });
      expect(res.status, res.text).toBe(200);
      revs.push(Number((res.json as { header: { revision: string } }).header.revision));
    }
    const [first, second] = revs as [number, number, number];
    const compacted = await post(COMPACTION, { revision: String(second) });
    expect(compacted.status, compacted.text).toBe(200);

    await expectRefused(RANGE, JSON.stringify({ key: b64('hist'), revision: String(first) }), 400, 11, MSG.compacted);
    await expectRefused(COMPACTION, JSON.stringify({ revision: String(second) }), 400, 11, MSG.compacted);
    await expectRefused(COMPACTION, JSON.stringify({ revision: String(first) }), 400, 11, MSG.compacted);
    await expectRefused(
      TXN,
      JSON.stringify(txnOf({ request_range: { key: b64('hist'), revision: String(first) } })),
      400,
      11,
      MSG.compacted,
    );

    // The compacted revision itself is still readable.
    const at = await post(RANGE, { key: b64('hist'), revision: String(second) });
    expect(at.status, at.text).toBe(200);
    expect((at.json as { kvs?: Array<{ value: string }> }).kvs?.[0]?.value).toBe(b64('v1'));
  });
});

describe('wrong method or path', () => {
  it.each([
    ['GET', RANGE, 405],
    ['GET', PUT, 405],
    ['GET', WATCH, 405],
    ['DELETE', DELETE, 405],
    ['POST', '/v3/kv/nope', 404],
    ['POST', '/nope', 404],
    ['GET', '/nope', 404],
  ] as const)('%s %s answers %i', async (method, path, status) => {
    const res = await send(path, '{}', method);
    expect(res.status).toBe(status);
    await expectServing();
  });
});

describe('what etcd accepts at the edges', () => {
  it('ignores unknown fields', async () => {
    const res = await post(PUT, { key: b64('unknown-fields'), value: b64('v'), bogus: { nested: [1] }, leese: 'x' });
    expect(res.status, res.text).toBe(200);
    const got = await post(RANGE, { key: b64('unknown-fields'), also_bogus: true });
    expect(got.status, got.text).toBe(200);
    expect((got.json as { kvs?: Array<{ value: string }> }).kvs?.[0]?.value).toBe(b64('v'));
  });

  it('takes a txn of exactly 128 puts, as one revision', async () => {
    const before = await revision();
    const res = await post(TXN, txnOf(...Array.from({ length: 128 }, (_, i) => putOp(`max/${i}`))));
    expect(res.status, res.text).toBe(200);
    expect(await revision()).toBe(before + 1);
  });

  it('takes a put of 1.4 MiB', async () => {
    const value = b64(Buffer.alloc(1.4 * MiB, 3));
    const res = await post(PUT, { key: b64('almost-too-big'), value });
    expect(res.status, res.text.slice(0, 200)).toBe(200);
    const got = await post(RANGE, { key: b64('almost-too-big') });
    expect((got.json as { kvs?: Array<{ value: string }> }).kvs?.[0]?.value === value).toBe(true);
  });
});

// Field names the store knows, so that garbage reaches past the JSON parser into the decoders and checks.
const FIELDS = [
  'key', 'range_end', 'value', 'limit', 'revision', 'sort_order', 'sort_target', 'keys_only', 'count_only',
  'min_mod_revision', 'prev_kv', 'ignore_value', 'ignore_lease', 'lease', 'physical', 'compare', 'success',
  'failure', 'result', 'target', 'version', 'mod_revision', 'create_revision', 'request_put', 'request_range',
  'request_delete_range', 'request_txn', 'create_request', 'cancel_request', 'progress_request',
  'start_revision', 'watch_id', 'filters', 'progress_notify',
] as const;

const leaf = fc.oneof(
  fc.base64String({ maxLength: 12 }),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('NONE', 'DESCEND', 'MOD', 'VALUE', 'EQUAL', 'LESS', 'NOPUT', '-1', '0', '1', '9007199254740993', '1e3', 'AA=='),
);
const { etcdish } = fc.letrec<{ etcdish: unknown }>((tie) => ({
  etcdish: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('etcdish'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...FIELDS), tie('etcdish'), { maxKeys: 4 }),
  ),
}));

const garbage: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.json(),
  fc.object().map((o) => JSON.stringify(o)),
  fc.dictionary(fc.constantFrom(...FIELDS), etcdish, { maxKeys: 5 }).map((o) => JSON.stringify(o)),
  fc.uint8Array({ maxLength: 300 }),
);

describe('garbage', () => {
  it('never gets a 5xx, never kills the store, and writes nothing unless accepted', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...KV_PATHS, WATCH), garbage, async (path, body) => {
        // While shrinking, each try must meet a live store, or every try after a crash would fail.
        await ensureStore();
        const before = await revision();
        const res = await send(path, body);
        expect(res.status, res.text.slice(0, 300)).toBeLessThan(500);
        await expectAlive();
        if (res.status !== 200) {
          expectEtcdErrorBody(res);
          expect(await revision(), 'a refused request moved the revision').toBe(before);
        }
      }),
      // The time limit only matters when a bug is found: shrinking then restarts the store often.
      { numRuns: 200, interruptAfterTimeLimit: 40_000 },
    );
    await expectServing();
  });
});
