import fc from 'fast-check';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etcdAvailable, startEtcd, type EtcdProcess } from './support/etcd.js';
import { startStoreProcess, type StoreProcess } from './support/store-process.js';

/**
 * Random sequences of put, delete, range, txn, compaction and watch, sent as raw JSON to a real
 * etcd 3.4 and to minik's store, every response and every watch event compared field by field
 * (all but the cluster's identity). Both stores live through every sequence in lock step, so
 * their revisions stay equal; each sequence works under a key prefix of its own and names
 * revisions relative to the newest one.
 */

const RUNS = Number(process.env.MINIK_DIFF_RUNS ?? 200);
const KEYS = ['a', 'b', 'c', 'd', 'e'] as const;
const VALUES = ['', 'x', 'y', 'zz'] as const;

type Json = Record<string, unknown>;
type Val<A> = A extends fc.Arbitrary<infer T> ? T : never;
interface Reply {
  status: number;
  body: Json;
}

// ---- the commands, as data -------------------------------------------------------------------

const key = fc.constantFrom(...KEYS);
const value = fc.constantFrom(...VALUES);
/** A revision as an offset back from the newest; `future` asks for one past it. */
const pastRev = fc.oneof(fc.constant<'none'>('none'), fc.nat({ max: 8 }), fc.constant<'future'>('future'));
const end = fc.option(fc.oneof(key, fc.constant('\0')), { nil: undefined });

const rangeOp = fc.record(
  {
    key,
    end,
    limit: fc.option(fc.nat({ max: 4 }), { nil: undefined }),
    rev: pastRev,
    sort_order: fc.option(fc.constantFrom('NONE', 'ASCEND', 'DESCEND'), { nil: undefined }),
    sort_target: fc.option(fc.constantFrom('KEY', 'VERSION', 'CREATE', 'MOD', 'VALUE'), { nil: undefined }),
    keys_only: fc.boolean(),
    count_only: fc.boolean(),
    min_mod_back: fc.option(fc.nat({ max: 6 }), { nil: undefined }),
  },
  { requiredKeys: ['key', 'rev', 'keys_only', 'count_only'] },
);
const putOp = fc.record({
  key,
  value,
  prev_kv: fc.boolean(),
  ignore_value: fc.constantFrom(false, false, false, true),
  lease: fc.constantFrom(0, 0, 0, 0, 0, 7),
});
const deleteOp = fc.record({ key, end, prev_kv: fc.boolean() });
const compareOp = fc.record({
  key,
  end: fc.option(key, { nil: undefined }),
  target: fc.constantFrom('VERSION', 'CREATE', 'MOD', 'VALUE'),
  result: fc.constantFrom('EQUAL', 'NOT_EQUAL', 'GREATER', 'LESS'),
  back: fc.nat({ max: 6 }),
  version: fc.nat({ max: 3 }),
  value,
});
type Op =
  | { range: Val<typeof rangeOp> }
  | { put: Val<typeof putOp> }
  | { del: Val<typeof deleteOp> }
  | { txn: Txn };
interface Txn {
  compare: Array<Val<typeof compareOp>>;
  success: Op[];
  failure: Op[];
}
const leafOp: fc.Arbitrary<Op> = fc.oneof(
  rangeOp.map((range) => ({ range })),
  putOp.map((put) => ({ put })),
  deleteOp.map((del) => ({ del })),
);
const txnOf = (inner: fc.Arbitrary<Op>): fc.Arbitrary<Txn> =>
  fc.record({
    compare: fc.array(compareOp, { maxLength: 2 }),
    success: fc.array(inner, { maxLength: 3 }),
    failure: fc.array(inner, { maxLength: 3 }),
  });
/**
 * etcd 3.4 panics, and then panics at every restart, on a txn that deletes a range ending in "\0"
 * and puts with ignore_value: its duplicate-key check sees that range as empty. minik refuses such a
 * txn (store/mvcc.test.ts); here they are left out, so that the reference survives the run.
 */
const crashesEtcd = (t: Txn): boolean => {
  const ops = (x: Txn): Op[] => [...x.success, ...x.failure].flatMap((o) => ('txn' in o ? [o, ...ops(o.txn)] : [o]));
  const all = ops(t);
  return all.some((o) => 'del' in o && o.del.end === '\0') && all.some((o) => 'put' in o && o.put.ignore_value);
};
const txnOp = txnOf(
  fc.oneof({ weight: 4, arbitrary: leafOp }, { weight: 1, arbitrary: txnOf(leafOp).map((txn) => ({ txn })) }),
).filter((t) => !crashesEtcd(t));
const watchOp = fc.record({
  key,
  end,
  start: fc.oneof(fc.constant<'none'>('none'), fc.nat({ max: 8 })),
  prev_kv: fc.boolean(),
  filter: fc.constantFrom(undefined, undefined, 'NOPUT', 'NODELETE'),
});

type Command =
  | { kind: 'op'; op: Op }
  | { kind: 'compact'; back: number; physical: boolean }
  | { kind: 'watch'; watch: Val<typeof watchOp> };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 10, arbitrary: leafOp.map((op): Command => ({ kind: 'op', op })) },
  { weight: 5, arbitrary: txnOp.map((txn): Command => ({ kind: 'op', op: { txn } })) },
  { weight: 1, arbitrary: fc.record({ back: fc.nat({ max: 6 }), physical: fc.boolean() }).map((c): Command => ({ kind: 'compact', ...c })) },
  { weight: 2, arbitrary: watchOp.map((watch): Command => ({ kind: 'watch', watch })) },
);

// ---- turning commands into etcd JSON ---------------------------------------------------------

const b64 = (s: string) => Buffer.from(s, 'latin1').toString('base64');

class Encoder {
  constructor(
    private readonly prefix: string,
    private readonly current: () => number,
  ) {}

  k(name: string): string {
    return b64(this.prefix + name);
  }

  end(e: string | undefined): string | undefined {
    return e === undefined ? undefined : e === '\0' ? b64('\0') : this.k(e);
  }

  rev(r: 'none' | 'future' | number): string | undefined {
    if (r === 'none') return undefined;
    if (r === 'future') return String(this.current() + 1);
    return String(Math.max(1, this.current() - r));
  }

  op(op: Op): Json {
    if ('range' in op) return { request_range: this.range(op.range) };
    if ('put' in op) return { request_put: this.put(op.put) };
    if ('del' in op) return { request_delete_range: this.del(op.del) };
    return { request_txn: this.txn(op.txn) };
  }

  range(r: Val<typeof rangeOp>): Json {
    return clean({
      key: this.k(r.key),
      range_end: this.end(r.end),
      limit: r.limit,
      revision: this.rev(r.rev),
      sort_order: r.sort_order,
      sort_target: r.sort_target,
      keys_only: r.keys_only || undefined,
      count_only: r.count_only || undefined,
      min_mod_revision: r.min_mod_back === undefined ? undefined : String(Math.max(1, this.current() - r.min_mod_back)),
    });
  }

  put(p: Val<typeof putOp>): Json {
    return clean({
      key: this.k(p.key),
      value: p.ignore_value ? undefined : b64(p.value),
      prev_kv: p.prev_kv || undefined,
      ignore_value: p.ignore_value || undefined,
      lease: p.lease || undefined,
    });
  }

  del(d: Val<typeof deleteOp>): Json {
    return clean({ key: this.k(d.key), range_end: this.end(d.end), prev_kv: d.prev_kv || undefined });
  }

  txn(t: Txn): Json {
    return {
      compare: t.compare.map((c) =>
        clean({
          key: this.k(c.key),
          range_end: c.end === undefined ? undefined : this.k(c.end),
          target: c.target,
          result: c.result,
          version: c.target === 'VERSION' ? String(c.version) : undefined,
          create_revision: c.target === 'CREATE' ? String(this.current() - c.back) : undefined,
          mod_revision: c.target === 'MOD' ? String(this.current() - c.back) : undefined,
          value: c.target === 'VALUE' ? b64(c.value) : undefined,
        }),
      ),
      success: t.success.map((o) => this.op(o)),
      failure: t.failure.map((o) => this.op(o)),
    };
  }
}

function clean(o: Json): Json {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

// ---- talking to both --------------------------------------------------------------------------

function post(endpoint: string, path: string, body: Json): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = request(
      `${endpoint}${path}`,
      // A fresh connection each time: a reused one can be reset by its server as it idles, and a
      // retried write would put the two stores out of step.
      { method: 'POST', agent: false, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: normalize(JSON.parse(text)) as Json }));
      },
    );
    req.on('error', (err) => reject(new Error(`${endpoint}${path} ${data}: ${err.message}`, { cause: err })));
    req.end(data);
  });
}

/** Drops what names the cluster, which differs by design. */
function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object') {
    const out: Json = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === 'cluster_id' || k === 'member_id' || k === 'raft_term') continue;
      out[k] = normalize(x);
    }
    return out;
  }
  return v;
}

/** One watch stream, its responses collected as they come. */
class Stream {
  readonly responses: Json[] = [];
  private readonly req;

  constructor(endpoint: string, body: Json) {
    this.req = request(`${endpoint}/v3/watch`, { method: 'POST' }, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line) this.responses.push(normalize((JSON.parse(line) as Json).result ?? JSON.parse(line)) as Json);
        }
      });
    });
    this.req.on('error', () => {});
    this.req.end(JSON.stringify(body));
  }

  events(): Json[] {
    return this.responses.flatMap((r) => (r.events as Json[] | undefined) ?? []);
  }

  /** What the stream said, with events flattened: batching into responses may differ. */
  summary(): unknown[] {
    return this.responses.flatMap((r) => {
      const events = (r.events as Json[] | undefined) ?? [];
      const control = r.created || r.canceled ? [{ ...r, events: undefined }] : [];
      return [...control, ...events];
    });
  }

  canceled(): boolean {
    return this.responses.some((r) => r.canceled);
  }

  close(): void {
    this.req.destroy();
  }
}

async function until(cond: () => boolean, what: () => string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

// ---- the property -----------------------------------------------------------------------------

describe.skipIf(!etcdAvailable())('the store against a real etcd 3.4', () => {
  let etcd: EtcdProcess;
  let minik: StoreProcess;
  let run = 0;

  beforeAll(async () => {
    [etcd, minik] = await Promise.all([startEtcd(), startStoreProcess()]);
  });
  afterAll(async () => {
    await Promise.all([etcd?.stop(), minik?.destroy()]);
  });

  it(`answers ${RUNS} random command sequences exactly as etcd does`, async () => {
    const first = (await post(etcd.endpoint, '/v3/kv/range', { key: b64('x') })).body as { header: { revision: string } };
    let rev = Number(first.header.revision);
    const both = async (path: string, body: Json): Promise<Reply> => {
      const [want, got] = await Promise.all([post(etcd.endpoint, path, body), post(minik.endpoint, path, body)]);
      expect({ path, request: body, reply: got }).toEqual({ path, request: body, reply: want });
      const r = Number((want.body.header as Json | undefined)?.revision ?? 0);
      if (r > rev) rev = r;
      return want;
    };

    const alive = () => minik.child.exitCode === null && minik.child.signalCode === null;
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 14 }), async (commands) => {
        const prefix = `diff/${String(run++).padStart(5, '0')}/`;
        const enc = new Encoder(prefix, () => rev);
        const streams: Array<{ want: Stream; got: Stream; starts: string[]; filter?: string | undefined }> = [];
        try {
          for (const c of commands) {
            if (c.kind === 'op') {
              const op = enc.op(c.op);
              const [path, body] = Object.entries(op)[0]! as [string, Json];
              const paths: Record<string, string> = {
                request_range: '/v3/kv/range',
                request_put: '/v3/kv/put',
                request_delete_range: '/v3/kv/deleterange',
                request_txn: '/v3/kv/txn',
              };
              await both(paths[path]!, body);
            } else if (c.kind === 'compact') {
              await both('/v3/kv/compaction', { revision: String(rev - c.back), physical: c.physical || undefined });
            } else {
              const w = c.watch;
              const create = clean({
                key: enc.k(w.key),
                range_end: enc.end(w.end),
                start_revision: w.start === 'none' ? undefined : String(Math.max(1, rev - w.start)),
                prev_kv: w.prev_kv || undefined,
                filters: w.filter ? [w.filter] : undefined,
              });
              const pair = {
                want: new Stream(etcd.endpoint, { create_request: create }),
                got: new Stream(minik.endpoint, { create_request: create }),
                // A range that ends before it starts watches nothing: no write can close it.
                starts: w.end !== undefined && w.end !== '\0' && w.end <= w.key ? [] : [w.key],
                filter: w.filter,
              };
              streams.push(pair);
              await until(
                () => pair.want.responses.length > 0 && pair.got.responses.length > 0,
                () => 'both watches to be created',
              );
              // etcd moves a watch that starts in the past to its synced set within 100 ms;
              // what happens meanwhile (a compaction, say) would depend on timing, not behaviour.
              if (w.start !== 'none') await new Promise((r) => setTimeout(r, 120));
            }
          }
          if (streams.length === 0) return;
          // Close the sequence with a write every watch sees, then compare what each stream said.
          const keys = [...new Set(streams.flatMap((s) => s.starts))];
          if (keys.length === 0) keys.push('a');
          const putAll = await both('/v3/kv/txn', {
            success: keys.map((k) => ({ request_put: { key: enc.k(k), value: b64('end') } })),
          });
          await both('/v3/kv/txn', { success: keys.map((k) => ({ request_delete_range: { key: enc.k(k) } })) });
          const last = Number((putAll.body.header as Json).revision);
          // The closing delete is the last event a watch can see, unless it filters deletes out.
          const done = (s: Stream, filter?: string) =>
            s.canceled() ||
            s.events().some((e) => Number((e.kv as Json).mod_revision) >= last + (filter === 'NODELETE' ? 0 : 1));
          for (const s of streams) {
            if (s.starts.length === 0) await new Promise((r) => setTimeout(r, 20));
            else {
              await until(
                () => done(s.want, s.filter) && done(s.got, s.filter),
                () => `the last write on both watches:\netcd: ${JSON.stringify(s.want.summary())}\nminik: ${JSON.stringify(s.got.summary())}`,
              );
            }
            expect(s.got.summary()).toEqual(s.want.summary());
          }
        } finally {
          for (const s of streams) {
            s.want.close();
            s.got.close();
          }
        }
      }),
      { numRuns: RUNS, seed: process.env.MINIK_SEED ? Number(process.env.MINIK_SEED) : undefined, endOnFailure: true },
    ).catch((err: Error) => {
      // What the store said is the first thing to read when it stops answering.
      const state = alive() ? 'still running' : `exited (${minik.child.exitCode ?? minik.child.signalCode})`;
      err.message += `\n\nminik store ${state}; its last output:\n${minik.output()}`;
      throw err;
    });
  }, 300_000);
});
