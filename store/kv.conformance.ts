import { expect, it } from 'vitest';
import { StoreError } from './errors.js';
import type { KV } from './kv.js';
import type { KeyValue, WatchCreateRequest, WatchResponse } from './types.js';

/**
 * The KV contract (kv.ts), written once and run against every implementation: the MVCC in process
 * (memory and disk), the store process over HTTP, and a real etcd. Tests share one store per
 * target, so each works under a prefix of its own and reasons in revisions relative to its start.
 */
export function kvConformance(target: () => KV): void {
  let n = 0;
  const prefix = () => `conf/${Date.now().toString(36)}-${n++}/`;
  const b = (s: string) => Buffer.from(s);
  const str = (kv: KeyValue | undefined) => kv?.value.toString();
  const keys = (kvs: KeyValue[]) => kvs.map((kv) => kv.key.toString());
  const rev = async (kv: KV) => (await kv.range({ key: b('conf/none') })).header.revision;
  const failsWith = async (p: Promise<unknown>, code: number, message: RegExp) => {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe(code);
    expect((err as StoreError).message).toMatch(message);
  };

  it('gives each put one new revision, and tracks create revision and version', async () => {
    const kv = target();
    const p = prefix();
    const r0 = await rev(kv);
    const put1 = await kv.put({ key: b(p + 'a'), value: b('1') });
    expect(put1.header.revision).toBe(r0 + 1);
    const put2 = await kv.put({ key: b(p + 'a'), value: b('2'), prevKv: true });
    expect(put2.header.revision).toBe(r0 + 2);
    expect(str(put2.prevKv)).toBe('1');
    const got = await kv.range({ key: b(p + 'a') });
    expect(got.count).toBe(1);
    expect(got.kvs[0]).toMatchObject({ createRevision: r0 + 1, modRevision: r0 + 2, version: 2 });
    expect(str(got.kvs[0])).toBe('2');
  });

  it('starts a new life for a key deleted and put again', async () => {
    const kv = target();
    const p = prefix();
    const created = (await kv.put({ key: b(p + 'k'), value: b('x') })).header.revision;
    const del = await kv.deleteRange({ key: b(p + 'k'), prevKv: true });
    expect(del.deleted).toBe(1);
    expect(del.header.revision).toBe(created + 1);
    expect(str(del.prevKvs[0])).toBe('x');
    expect((await kv.range({ key: b(p + 'k') })).kvs).toEqual([]);
    const again = (await kv.put({ key: b(p + 'k'), value: b('y') })).header.revision;
    expect((await kv.range({ key: b(p + 'k') })).kvs[0]).toMatchObject({ createRevision: again, version: 1 });
    // Reading in the past sees the first life.
    expect(str((await kv.range({ key: b(p + 'k'), revision: created })).kvs[0])).toBe('x');
    expect((await kv.range({ key: b(p + 'k'), revision: created + 1 })).kvs).toEqual([]);
  });

  it('adds no revision for a delete that deletes nothing', async () => {
    const kv = target();
    const p = prefix();
    const r0 = await rev(kv);
    const del = await kv.deleteRange({ key: b(p + 'missing'), rangeEnd: b(p + 'missinh') });
    expect(del).toMatchObject({ deleted: 0, header: { revision: r0 } });
  });

  it('ranges over prefixes with limits, counts, key-only and sorting', async () => {
    const kv = target();
    const p = prefix();
    for (const [k, times] of [['a', 3], ['b', 1], ['c', 2], ['d', 1]] as const) {
      for (let i = 0; i < times; i++) await kv.put({ key: b(p + k), value: b(`${k}${i}`) });
    }
    const end = b(p.slice(0, -1) + '0'); // '/' + 1
    const all = await kv.range({ key: b(p), rangeEnd: end });
    expect(keys(all.kvs)).toEqual([p + 'a', p + 'b', p + 'c', p + 'd']);
    expect(all).toMatchObject({ count: 4, more: false });

    const limited = await kv.range({ key: b(p), rangeEnd: end, limit: 2 });
    expect(keys(limited.kvs)).toEqual([p + 'a', p + 'b']);
    expect(limited).toMatchObject({ count: 4, more: true });

    const counted = await kv.range({ key: b(p), rangeEnd: end, countOnly: true });
    expect(counted).toMatchObject({ count: 4, kvs: [] });

    const keysOnly = await kv.range({ key: b(p), rangeEnd: end, keysOnly: true, limit: 1 });
    expect(keysOnly.kvs[0]!.value.length).toBe(0);

    const desc = await kv.range({ key: b(p), rangeEnd: end, sortOrder: 'DESCEND' });
    expect(keys(desc.kvs)).toEqual([p + 'd', p + 'c', p + 'b', p + 'a']);

    const byVersion = await kv.range({ key: b(p), rangeEnd: end, sortTarget: 'VERSION', sortOrder: 'DESCEND', limit: 2 });
    expect(keys(byVersion.kvs)).toEqual([p + 'a', p + 'c']);
    expect(byVersion.more).toBe(true);

    const fromC = await kv.range({ key: b(p + 'c'), rangeEnd: Buffer.from([0]) });
    expect(keys(fromC.kvs).slice(0, 2)).toEqual([p + 'c', p + 'd']);

    const newer = await kv.range({ key: b(p), rangeEnd: end, minModRevision: all.kvs[3]!.modRevision });
    expect(keys(newer.kvs)).toEqual([p + 'd']);
  });

  it('runs a txn on one revision, each op seeing the ones before', async () => {
    const kv = target();
    const p = prefix();
    const r0 = await rev(kv);
    const t = await kv.txn({
      compare: [{ key: b(p + 'lock'), target: 'VERSION', result: 'EQUAL', version: 0 }],
      success: [
        { requestPut: { key: b(p + 'lock'), value: b('me') } },
        { requestPut: { key: b(p + 'data'), value: b('d') } },
        { requestRange: { key: b(p + 'lock') } },
      ],
      failure: [{ requestRange: { key: b(p + 'lock') } }],
    });
    expect(t.succeeded).toBe(true);
    expect(t.header.revision).toBe(r0 + 1);
    const seen = t.responses[2]!;
    expect('responseRange' in seen && str(seen.responseRange.kvs[0])).toBe('me');
    expect((await kv.range({ key: b(p + 'data') })).kvs[0]!.modRevision).toBe(r0 + 1);

    const again = await kv.txn({
      compare: [{ key: b(p + 'lock'), target: 'VERSION', result: 'EQUAL', version: 0 }],
      success: [{ requestPut: { key: b(p + 'lock'), value: b('other') } }],
      failure: [{ requestRange: { key: b(p + 'lock') } }],
    });
    expect(again.succeeded).toBe(false);
    expect(again.header.revision).toBe(r0 + 1);
    const held = again.responses[0]!;
    expect('responseRange' in held && str(held.responseRange.kvs[0])).toBe('me');
  });

  it('compares on mod revision and value, as optimistic concurrency needs', async () => {
    const kv = target();
    const p = prefix();
    const mod = (await kv.put({ key: b(p + 'obj'), value: b('v1') })).header.revision;
    const update = (expected: number) =>
      kv.txn({
        compare: [{ key: b(p + 'obj'), target: 'MOD', result: 'EQUAL', modRevision: expected }],
        success: [{ requestPut: { key: b(p + 'obj'), value: b('v2') } }],
      });
    expect((await update(mod)).succeeded).toBe(true);
    expect((await update(mod)).succeeded).toBe(false);
    const byValue = await kv.txn({
      compare: [{ key: b(p + 'obj'), target: 'VALUE', result: 'EQUAL', value: b('v2') }],
      success: [{ requestDeleteRange: { key: b(p + 'obj') } }],
    });
    expect(byValue.succeeded).toBe(true);
    // A value compare on a missing key is always false.
    const missing = await kv.txn({
      compare: [{ key: b(p + 'obj'), target: 'VALUE', result: 'NOT_EQUAL', value: b('x') }],
    });
    expect(missing.succeeded).toBe(false);
  });

  it('runs nested txns, and adds no revision for a read-only txn', async () => {
    const kv = target();
    const p = prefix();
    const r0 = await rev(kv);
    const readOnly = await kv.txn({ success: [{ requestRange: { key: b(p + 'x') } }] });
    expect(readOnly.header.revision).toBe(r0);
    const nested = await kv.txn({
      success: [
        { requestPut: { key: b(p + 'x'), value: b('1') } },
        {
          requestTxn: {
            compare: [{ key: b(p + 'x'), target: 'VERSION', result: 'EQUAL', version: 0 }],
            success: [{ requestPut: { key: b(p + 'y'), value: b('before-x') } }],
            failure: [{ requestPut: { key: b(p + 'y'), value: b('after-x') } }],
          },
        },
      ],
    });
    expect(nested.header.revision).toBe(r0 + 1);
    // Nested compares see the state before the whole txn.
    expect(str((await kv.range({ key: b(p + 'y') })).kvs[0])).toBe('before-x');
  });

  it('refuses bad requests with etcd errors and changes nothing', async () => {
    const kv = target();
    const p = prefix();
    const r0 = await rev(kv);
    await failsWith(kv.put({ key: b('') }), 3, /key is not provided/);
    await failsWith(kv.range({ key: b(p), revision: r0 + 1000 }), 11, /future revision/);
    await failsWith(
      kv.txn({ success: [{ requestPut: { key: b(p + 'd') } }, { requestPut: { key: b(p + 'd') } }] }),
      3,
      /duplicate key/,
    );
    await failsWith(kv.put({ key: b(p + 'l'), lease: 12345 }), 5, /lease not found/);
    await failsWith(kv.put({ key: b(p + 'nope'), ignoreValue: true }), 3, /key not found/);
    expect(await rev(kv)).toBe(r0);
  });

  it('forgets history at compaction, and says so to readers and watchers', async () => {
    const kv = target();
    const p = prefix();
    const first = (await kv.put({ key: b(p + 'h'), value: b('1') })).header.revision;
    const second = (await kv.put({ key: b(p + 'h'), value: b('2') })).header.revision;
    await kv.put({ key: b(p + 'h'), value: b('3') });
    await kv.compact({ revision: second, physical: true });
    await failsWith(kv.range({ key: b(p + 'h'), revision: first }), 11, /compacted/);
    expect(str((await kv.range({ key: b(p + 'h'), revision: second })).kvs[0])).toBe('2');
    await failsWith(kv.compact({ revision: second }), 11, /compacted/);
    await failsWith(kv.compact({ revision: second + 10_000 }), 11, /future revision/);

    const w = watchInto(kv, { key: b(p + 'h'), startRevision: first });
    const canceled = await w.until((rs) => rs.some((r) => r.canceled));
    w.cancel();
    expect(canceled.find((r) => r.canceled)).toMatchObject({ canceled: true, compactRevision: second });
  });

  it('watches new changes in order, with previous values when asked', async () => {
    const kv = target();
    const p = prefix();
    const w = watchInto(kv, { key: b(p), rangeEnd: b(p + '\xff'), prevKv: true });
    await w.until((rs) => rs.some((r) => r.created));
    await kv.put({ key: b(p + 'a'), value: b('1') });
    await kv.put({ key: b(p + 'a'), value: b('2') });
    await kv.txn({ success: [{ requestPut: { key: b(p + 'b'), value: b('x') } }, { requestDeleteRange: { key: b(p + 'a') } }] });
    await kv.put({ key: b('elsewhere/' + p), value: b('not watched') });
    const events = (await w.until((rs) => rs.flatMap((r) => r.events).length >= 4)).flatMap((r) => r.events);
    w.cancel();
    expect(events.map((e) => `${e.type} ${e.kv.key.toString().slice(p.length)} ${str(e.prevKv) ?? '-'}`)).toEqual([
      'PUT a -',
      'PUT a 1',
      'PUT b -',
      'DELETE a 2',
    ]);
    const revs = events.map((e) => e.kv.modRevision);
    expect(revs[2]).toBe(revs[3]);
    expect(revs[0]! < revs[1]! && revs[1]! < revs[2]!).toBe(true);
  });

  it('gives no prev_kv to a put that re-creates a key its own txn deleted, live or replayed', async () => {
    const kv = target();
    // Only a range ending in "\0" gets a delete and a put of one key into one txn past etcd's
    // duplicate-key check, so these keys sort after every other test's.
    const p = `~last/${prefix()}`;
    const live = watchInto(kv, { key: b(p + 'c'), prevKv: true });
    await live.until((rs) => rs.some((r) => r.created));
    const start = (await kv.put({ key: b(p + 'c'), value: b('old') })).header.revision;
    await kv.txn({
      success: [
        { requestDeleteRange: { key: b(p + 'c'), rangeEnd: b('\0') } },
        { requestPut: { key: b(p + 'c'), value: b('new') } },
      ],
    });
    const replayed = watchInto(kv, { key: b(p + 'c'), startRevision: start, prevKv: true });
    const seen = (w: typeof live) => w.until((rs) => rs.flatMap((r) => r.events).length >= 3);
    for (const w of [live, replayed]) {
      const events = (await seen(w)).flatMap((r) => r.events);
      w.cancel();
      expect(events.map((e) => `${e.type} ${str(e.kv) ?? ''} prev=${str(e.prevKv) ?? '-'}`)).toEqual([
        'PUT old prev=-',
        'DELETE  prev=old',
        'PUT new prev=-',
      ]);
    }
  });

  it('replays history from a past revision, then goes on live, with filters', async () => {
    const kv = target();
    const p = prefix();
    const start = (await kv.put({ key: b(p + 'k'), value: b('1') })).header.revision;
    await kv.deleteRange({ key: b(p + 'k') });
    await kv.put({ key: b(p + 'k'), value: b('2') });
    const all = watchInto(kv, { key: b(p + 'k'), startRevision: start });
    const deletes = watchInto(kv, { key: b(p + 'k'), startRevision: start, filters: ['NOPUT'] });
    await all.until((rs) => rs.flatMap((r) => r.events).length >= 3);
    await kv.put({ key: b(p + 'k'), value: b('3') });
    const got = (await all.until((rs) => rs.flatMap((r) => r.events).length >= 4)).flatMap((r) => r.events);
    all.cancel();
    expect(got.map((e) => `${e.type}:${str(e.kv) ?? ''}`)).toEqual(['PUT:1', 'DELETE:', 'PUT:2', 'PUT:3']);
    expect(got.map((e) => e.kv.modRevision)).toEqual([start, start + 1, start + 2, start + 3]);
    const onlyDeletes = (await deletes.until((rs) => rs.flatMap((r) => r.events).length >= 1)).flatMap((r) => r.events);
    deletes.cancel();
    expect(onlyDeletes.map((e) => e.type)).toEqual(['DELETE']);
  });
}

/** Collects a watch's responses and waits for a condition on them. */
export function watchInto(kv: KV, req: WatchCreateRequest) {
  const responses: WatchResponse[] = [];
  const waiters: Array<() => void> = [];
  const w = kv.watch(req, (r) => {
    responses.push(r);
    for (const f of waiters.splice(0)) f();
  });
  return {
    responses,
    cancel: () => w.cancel(),
    async until(done: (rs: WatchResponse[]) => boolean, timeoutMs = 10_000): Promise<WatchResponse[]> {
      const deadline = Date.now() + timeoutMs;
      while (!done(responses)) {
        if (Date.now() > deadline) throw new Error(`watch condition not met; got ${JSON.stringify(responses)}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      return responses;
    },
  };
}
