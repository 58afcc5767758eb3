import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from './backend.js';
import { kvConformance, watchInto } from './kv.conformance.js';
import fc from 'fast-check';
import { Mvcc } from './mvcc.js';

const b = (s: string) => Buffer.from(s);

describe('MVCC in memory: the KV contract', () => {
  let store: Mvcc;
  beforeAll(async () => {
    store = await Mvcc.open({ backend: await Backend.open() });
  });
  afterAll(() => store.close());
  kvConformance(() => store);
});

describe('MVCC on classic-level: the KV contract', () => {
  let store: Mvcc;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'minik-mvcc-'));
    store = await Mvcc.open({ backend: await Backend.open({ dataDir: dir }) });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  kvConformance(() => store);
});

describe('MVCC where etcd 3.4 falls over', () => {
  // etcd 3.4's duplicate-key check reads a range end of "\0" as an empty interval, so this txn
  // passes it, deletes the key, then panics applying the ignore_value put, and panics again at
  // every restart as it replays its log. Refusing it whole is what etcd means to do.
  it('refuses a txn that deletes a key and then puts it with ignore_value, and changes nothing', async () => {
    const store = await Mvcc.open({ backend: await Backend.open() });
    const before = (await store.put({ key: b('k/e'), value: b('x') })).header.revision;
    await expect(
      store.txn({
        success: [
          { requestTxn: { success: [{ requestDeleteRange: { key: b('k/b'), rangeEnd: b('\0') } }] } },
          { requestPut: { key: b('k/e'), ignoreValue: true } },
        ],
      }),
    ).rejects.toMatchObject({ code: 3, message: expect.stringMatching(/key not found/) });
    const after = await store.range({ key: b('k/e') });
    expect(after.header.revision).toBe(before);
    expect(after.kvs.map((kv) => kv.value.toString())).toEqual(['x']);
    await store.close();
  });
});

describe('MVCC on disk', () => {
  it('rebuilds its index at start: revisions, versions, history and compaction carry on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minik-mvcc-'));
    try {
      let store = await Mvcc.open({ backend: await Backend.open({ dataDir: dir }) });
      await store.put({ key: b('a'), value: b('1') }); // 2
      await store.put({ key: b('a'), value: b('2') }); // 3
      await store.put({ key: b('b'), value: b('x') }); // 4
      await store.deleteRange({ key: b('b') }); // 5
      await store.put({ key: b('a'), value: b('3') }); // 6
      await store.compact({ revision: 3, physical: true });
      const ids = { cluster: store.clusterId, member: store.memberId };
      await store.close();

      store = await Mvcc.open({ backend: await Backend.open({ dataDir: dir }) });
      expect(store.revision).toBe(6);
      expect(store.compactedRevision).toBe(3);
      expect({ cluster: store.clusterId, member: store.memberId }).toEqual(ids);
      expect((await store.range({ key: b('a') })).kvs[0]).toMatchObject({ createRevision: 2, modRevision: 6, version: 3 });
      expect((await store.range({ key: b('a'), revision: 3 })).kvs[0]?.value.toString()).toBe('2');
      expect((await store.range({ key: b('b'), revision: 4 })).kvs[0]?.value.toString()).toBe('x');
      await expect(store.range({ key: b('a'), revision: 2 })).rejects.toThrow(/compacted/);
      expect((await store.put({ key: b('a'), value: b('4') })).header.revision).toBe(7);
      expect((await store.range({ key: b('a') })).kvs[0]?.version).toBe(4);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the revision of a store whose every key was deleted and compacted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minik-mvcc-'));
    try {
      let store = await Mvcc.open({ backend: await Backend.open({ dataDir: dir }) });
      await store.put({ key: b('a'), value: b('1') });
      await store.deleteRange({ key: b('a') });
      await store.compact({ revision: 3, physical: true });
      await store.close();
      store = await Mvcc.open({ backend: await Backend.open({ dataDir: dir }) });
      expect(store.revision).toBe(3);
      expect((await store.put({ key: b('a'), value: b('2') })).header.revision).toBe(4);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('MVCC durability', () => {
  /** A backend whose writes wait until the test lets them through: a slow disk, under control. */
  async function gatedStore() {
    const backend = await Backend.open();
    const store = await Mvcc.open({ backend });
    const write = backend.write.bind(backend);
    const gates: Array<() => void> = [];
    const batches: number[] = [];
    backend.write = async (ops) => {
      batches.push(ops.length);
      await new Promise<void>((release) => gates.push(release));
      return write(ops);
    };
    const release = async () => {
      while (gates.length === 0) await new Promise((r) => setImmediate(r));
      gates.shift()!();
    };
    return { store, release, batches };
  }

  it('shows a write to no reader or watcher before it is on disk', async () => {
    const { store, release } = await gatedStore();
    const w = watchInto(store, { key: b('k') });
    let acked = false;
    const put = store.put({ key: b('k'), value: b('v') }).then((r) => ((acked = true), r));
    await new Promise((r) => setTimeout(r, 20));
    expect(acked).toBe(false);
    expect((await store.range({ key: b('k') })).kvs).toEqual([]);
    expect(store.revision).toBe(1);
    expect(w.responses.flatMap((r) => r.events)).toEqual([]);
    await release();
    expect((await put).header.revision).toBe(2);
    expect((await store.range({ key: b('k') })).kvs[0]?.value.toString()).toBe('v');
    await w.until((rs) => rs.flatMap((r) => r.events).length === 1);
    w.cancel();
  });

  it('lets writers that arrive during an fsync share the next one (group commit)', async () => {
    const { store, release, batches } = await gatedStore();
    const first = store.put({ key: b('k0'), value: b('v') });
    await new Promise((r) => setTimeout(r, 5));
    const rest = Array.from({ length: 20 }, (_, i) => store.put({ key: b(`k${i + 1}`), value: b('v') }));
    await new Promise((r) => setTimeout(r, 5)); // all twenty applied, waiting for the disk
    await release(); // the first write's fsync
    await first;
    await release(); // one fsync for the twenty that queued behind it
    const revs = (await Promise.all(rest)).map((r) => r.header.revision);
    expect(batches).toEqual([1, 20]);
    expect(new Set(revs).size).toBe(20);
    expect(Math.max(...revs)).toBe(22);
  });
});

describe('MVCC keeps values on disk, and reads one a write replaces when it is needed', () => {
  it('answers prev_kv, ignore_value and comparisons of values after a restart, with nothing in memory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minik-mvcc-'));
    try {
      let store = await Mvcc.open({ backend: await Backend.open({ dataDir: dir }) });
      await store.put({ key: b('a'), value: b('1') });
      await store.put({ key: b('b'), value: b('2') });
      await store.put({ key: b('c'), value: b('3') });
      await store.close();
      store = await Mvcc.open({ backend: await Backend.open({ dataDir: dir }) });
      expect(store.keyCount).toBe(3);
      expect((await store.put({ key: b('a'), value: b('1b'), prevKv: true })).prevKv?.value.toString()).toBe('1');
      await store.put({ key: b('b'), ignoreValue: true });
      expect((await store.range({ key: b('b') })).kvs[0]).toMatchObject({ value: b('2'), version: 2 });
      const txn = await store.txn({
        compare: [{ key: b('c'), target: 'VALUE', result: 'EQUAL', value: b('3') }],
        success: [{ requestPut: { key: b('c'), value: b('3b'), prevKv: true } }],
      });
      expect(txn.succeeded).toBe(true);
      expect(txn.responses[0]).toMatchObject({ responsePut: { prevKv: { value: b('3') } } });
      const del = await store.deleteRange({ key: b('a'), rangeEnd: b('z'), prevKv: true });
      expect(del.prevKvs.map((kv) => kv.value.toString())).toEqual(['1b', '2', '3b']);
      expect(store.keyCount).toBe(0);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives prev_kv to a watcher that came while the write was on its way to disk, as to one that came before', async () => {
    const gates: Array<() => void> = [];
    const backend = await Backend.open();
    const write = backend.write.bind(backend);
    let gated = false;
    backend.write = async (ops) => {
      if (gated) await new Promise<void>((release) => gates.push(release));
      return write(ops);
    };
    const store = await Mvcc.open({ backend });
    try {
      await store.put({ key: b('k'), value: b('v1') });
      await store.put({ key: b('j'), value: b('w1') });
      const before = watchInto(store, { key: b('j'), prevKv: true });
      gated = true;
      // Applied while nobody watched k for prev_kv: its old value is not read.
      const puts = [store.put({ key: b('k'), value: b('v2') }), store.put({ key: b('j'), value: b('w2') })];
      await new Promise((r) => setTimeout(r, 10));
      const during = watchInto(store, { key: b('k'), prevKv: true });
      const plain = watchInto(store, { key: b('k') });
      while (gates.length > 0 || !(await Promise.race([Promise.all(puts).then(() => true), new Promise((r) => setTimeout(() => r(false), 5))]))) gates.shift()?.();
      gated = false;
      const events = async (w: ReturnType<typeof watchInto>) =>
        (await w.until((rs) => rs.flatMap((r) => r.events).length === 1)).flatMap((r) => r.events).map((e) => [e.kv.value.toString(), e.prevKv?.value.toString()]);
      expect(await events(during)).toEqual([['v2', 'v1']]);
      expect(await events(plain)).toEqual([['v2', undefined]]);
      expect(await events(before)).toEqual([['w2', 'w1']]);
      for (const w of [before, during, plain]) w.cancel();
    } finally {
      await store.close();
    }
  });
});
