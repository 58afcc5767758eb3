import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from './backend.js';
import { kvConformance, watchInto } from './kv.conformance.js';
import fc from 'fast-check';
import { Mvcc, ownMemory } from './mvcc.js';

const b = (s: string) => Buffer.from(s);

describe('MVCC on memory-level: the KV contract', () => {
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

describe('MVCC keeps its values in memory of their own', () => {
  it('a kept value is the same bytes in exactly its size, whatever slab the request held it in', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 3000 }), fc.nat(100), (k, v, gap) => {
        // As a request leaves them: slices of one shared slab.
        const slab = Buffer.alloc(k.length + v.length + gap + 8192);
        const key = slab.subarray(gap, gap + k.length);
        key.set(k);
        const value = slab.subarray(gap + k.length + 3, gap + k.length + 3 + v.length);
        value.set(v);
        const kept = ownMemory({ key, value, createRevision: 2, modRevision: 3, version: 1, lease: 0 });
        slab.fill(0xee);
        expect(kept.key).toEqual(Buffer.from(k));
        expect(kept.value).toEqual(Buffer.from(v));
        expect(kept.key.buffer.byteLength).toBe(k.length + v.length);
        expect(kept).toMatchObject({ createRevision: 2, modRevision: 3, version: 1, lease: 0 });
        expect(ownMemory(kept)).toBe(kept);
      }),
    );
  });

  it('what a range reads after many writes does not hold the slabs the writes came in', async () => {
    const store = await Mvcc.open({ backend: await Backend.open() });
    try {
      for (let i = 0; i < 50; i++) await store.put({ key: b(`/k${i % 5}`), value: Buffer.from('x'.repeat(1500)) });
      const { kvs } = await store.range({ key: b('/k'), rangeEnd: b('/l') });
      expect(kvs).toHaveLength(5);
      for (const kv of kvs) expect(kv.value.buffer.byteLength).toBeLessThanOrEqual(kv.key.length + kv.value.length);
    } finally {
      await store.close();
    }
  });
});
