import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { Backend } from '../store/backend.js';
import { Mvcc } from '../store/mvcc.js';
import { deepFreeze } from '../api/deep-freeze.js';
import { cachedRanges, decode, encodeObject, serializedJson, serializedJsonOnce, settled, textWithRevision, WatchCache, type KubeObject } from './watch-cache.js';

/** What the store hands back over the network: the same bytes, not the Buffer the writer made. */
const overTheWire = (value: Buffer) => Buffer.from(value);

const text = fc.string({ unit: fc.constantFrom('a', '"', '\\', '{', '}', ':', ',', 'é', '\u2028', 'metadata', 'resourceVersion') });
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(text, tie('v'), { maxKeys: 3 })),
})).v;
const object = fc.record({
  apiVersion: text,
  kind: text,
  metadata: fc.dictionary(text.filter((k) => k !== 'resourceVersion'), value, { maxKeys: 4 }),
  spec: fc.dictionary(text, value, { maxKeys: 3 }),
});

describe('stored objects', () => {
  it('answer with the stored text and the revision spliced in, the same JSON as the object they decode to', () => {
    fc.assert(
      fc.property(object, fc.integer({ min: 1, max: 2 ** 40 }), (obj, rev) => {
        const entry = decode('/registry/things/ns/a', overTheWire(encodeObject(obj as KubeObject)), rev);
        expect(entry.object).toEqual({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(rev) } });
        expect(JSON.parse(entry.json)).toEqual(entry.object);
        expect(serializedJson(entry.object)).toBe(entry.json);
      }),
      { numRuns: 500 },
    );
  });

  it('lead with apiVersion, kind and metadata however the object was built, and carry no resourceVersion', () => {
    const value = encodeObject({ spec: { a: 1 }, metadata: { resourceVersion: '7', name: 'a' }, kind: 'Pod', apiVersion: 'v1' });
    expect(value.toString()).toBe('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"},"spec":{"a":1}}');
    expect(textWithRevision(value.toString(), 9)).toBe('{"apiVersion":"v1","kind":"Pod","metadata":{"resourceVersion":"9","name":"a"},"spec":{"a":1}}');
    expect(textWithRevision('{"apiVersion":"v1","kind":"Pod","metadata":{}}', 3)).toBe('{"apiVersion":"v1","kind":"Pod","metadata":{"resourceVersion":"3"}}');
  });

  it('read back as other bytes while their write is in flight are the object written, sharing what the revision before had', () => {
    const before = deepFreeze({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', resourceVersion: '3' }, spec: { containers: [{ name: 'web' }] } });
    const key = '/registry/pods/ns/a';
    const value = encodeObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: { containers: [{ name: 'web' }] }, status: { phase: 'Running' } }, before, key);
    // The watch event, in a Buffer of its own, comes before the writer's answer.
    const watched = decode(key, overTheWire(value), 4);
    expect(watched.object.spec).toBe(before.spec);
    expect(watched.object).toEqual({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', resourceVersion: '4' }, spec: { containers: [{ name: 'web' }] }, status: { phase: 'Running' } });
    settled(key, value);
    // Other bytes for the key, or any once the write is answered, are parsed.
    const again = encodeObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: { containers: [{ name: 'web' }] } }, before, key);
    expect(decode(key, overTheWire(Buffer.from(again.toString().replace('web', 'api'))), 5).object.spec).toEqual({ containers: [{ name: 'api' }] });
    settled(key, again);
    const parsed = decode(key, overTheWire(again), 6);
    expect(parsed.object.spec).not.toBe(before.spec);
    expect(parsed.object.spec).toEqual(before.spec);
  });

  it('written in another order (by another writer) are serialized from the object instead', () => {
    const stored = Buffer.from('{"metadata":{"name":"a"},"kind":"Pod","apiVersion":"v1","spec":{"x":"\\"metadata\\":{"}}');
    expect(textWithRevision(stored.toString(), 4)).toBeUndefined();
    const entry = decode('/registry/pods/ns/a', stored, 4);
    expect(JSON.parse(entry.json)).toEqual({ metadata: { name: 'a', resourceVersion: '4' }, kind: 'Pod', apiVersion: 'v1', spec: { x: '"metadata":{' } });
  });
});

describe('the history kept for resuming watches', () => {
  async function cacheOver(opts: { historySize: number; minHistory: number; freshMs: number }) {
    const store = await Mvcc.open({ backend: await Backend.open() });
    let t = 0;
    const cache = new WatchCache({ store, ...opts, now: () => t });
    await cache.start();
    const write = async (at: number, i: number) => {
      t = at;
      const { header } = await store.put({ key: Buffer.from(`/registry/configmaps/default/c${i}`), value: encodeObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}` } }) });
      await cache.waitFor(header.revision);
      return header.revision;
    };
    const replayed = (afterRev: number) => {
      const seen: number[] = [];
      cache.watchFrom(afterRev, { prefix: '/registry/', onEvent: (ev) => seen.push(ev.rev), onClose: () => {} })();
      return seen;
    };
    return { store, cache, write, replayed };
  }

  it('keeps what is fresh, lets go of what is old beyond the minimum, and answers a watch from before it with 410 Expired', async () => {
    const { store, cache, write, replayed } = await cacheOver({ historySize: 100, minHistory: 3, freshMs: 1_000 });
    try {
      const revs: number[] = [];
      for (let i = 0; i < 5; i++) revs.push(await write(0, i));
      expect(cache.historyLength).toBe(5);
      revs.push(await write(2_000, 5));
      expect(cache.historyLength).toBe(3);
      expect(replayed(revs[2]!)).toEqual(revs.slice(3));
      expect(() => replayed(revs[1]!)).toThrow(expect.objectContaining({ code: 410 }));
    } finally {
      cache.stop();
      await store.close();
    }
  });

  it('whatever the pace of writes: never more than its size, never fewer than the minimum, every fresh event kept, and a watch from the oldest kept revision replays them all', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(400), { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 12 }), async (gaps, minHistory, historySize) => {
        const { store, cache, write, replayed } = await cacheOver({ historySize, minHistory, freshMs: 1_000 });
        try {
          const written: Array<{ rev: number; at: number }> = [];
          let at = 0;
          for (const [i, gap] of gaps.entries()) {
            at += gap;
            written.push({ rev: await write(at, i), at });
            const kept = cache.historyLength;
            const fresh = written.filter((w) => at - w.at <= 1_000).length;
            expect(kept).toBeLessThanOrEqual(historySize);
            expect(kept).toBeGreaterThanOrEqual(Math.min(written.length, minHistory, historySize));
            expect(kept).toBeGreaterThanOrEqual(Math.min(fresh, historySize));
            expect(replayed(cache.oldestRevision)).toEqual(written.slice(-kept).map((w) => w.rev));
          }
        } finally {
          cache.stop();
          await store.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});

/** A watch cache over a store in memory, both started; `close` ends both. */
async function startedCache() {
  const store = await Mvcc.open({ backend: await Backend.open() });
  const cache = new WatchCache({ store });
  await cache.start();
  return {
    store,
    cache,
    close: async () => {
      cache.stop();
      await store.close();
    },
  };
}

describe('revisions replaced by newer ones', () => {
  it('share every unchanged part with the revision after them, and replay to a watch from the past as they were written', async () => {
    const { store, cache, close } = await startedCache();
    const key = '/registry/pods/default/web';
    const pod = (phase: string, rv?: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, ...(rv ? { resourceVersion: rv } : {}) },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27', resources: { requests: { cpu: '100m' } } }] },
      status: { phase },
    });
    try {
      const start = cache.revision;
      const live: string[] = [];
      const stopLive = cache.watchFrom(start, { prefix: '/registry/pods/', onEvent: (ev) => live.push(ev.current.json), onClose: () => {} });
      const written: KubeObject[] = [];
      let before: Readonly<KubeObject> | undefined;
      for (const phase of ['Pending', 'Running', 'Succeeded']) {
        const next = pod(phase);
        const { header } = await store.put({ key: Buffer.from(key), value: encodeObject(next, before) });
        await cache.waitFor(header.revision);
        const now = cache.get(key)!;
        if (before) {
          expect(now.object.spec).toBe(before.spec);
          expect(now.object.metadata!.labels).toBe(before.metadata!.labels);
          expect(now.object.status).not.toBe(before.status);
        }
        written.push(pod(phase, String(header.revision)));
        before = now.object;
      }
      stopLive();
      const replayed: string[] = [];
      cache.watchFrom(start, { prefix: '/registry/pods/', onEvent: (ev) => replayed.push(ev.current.json), onClose: () => {} })();
      expect(replayed.map((j) => JSON.parse(j))).toEqual(written);
      expect(replayed).toEqual(live);
    } finally {
      await close();
    }
  });
});

describe('the JSON of an object its watchers have', () => {
  it('is not kept beside it: an answer about it writes it again, the same bytes, while a list keeps what it wrote', async () => {
    const { store, cache, close } = await startedCache();
    const key = '/registry/pods/default/web';
    const delivered: string[] = [];
    const stop = cache.watchFrom(cache.revision, { prefix: '/registry/pods/', onEvent: (ev) => delivered.push(ev.current.json), onClose: () => {} });
    try {
      const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'web', image: 'nginx' }] } };
      const { header } = await store.put({ key: Buffer.from(key), value: encodeObject(pod) });
      await cache.waitFor(header.revision);
      const object = cache.get(key)!.object;
      const stringify = vi.spyOn(JSON, 'stringify');
      expect([serializedJsonOnce(object), serializedJsonOnce(object)]).toEqual([delivered[0], delivered[0]]);
      expect(stringify).toHaveBeenCalledTimes(2);
      expect([serializedJson(object), serializedJson(object)]).toEqual([delivered[0], delivered[0]]);
      expect(stringify).toHaveBeenCalledTimes(3);
      stringify.mockRestore();
    } finally {
      stop();
      await close();
    }
  });
});

describe('resources the cache does not hold', () => {
  it('are left out of the ranges it lists, whichever they are, and nothing else is', () => {
    const names = fc.uniqueArray(fc.stringMatching(/^[a-z]{1,8}$/), { maxLength: 4 });
    const keys = fc.array(fc.tuple(fc.stringMatching(/^[a-z]{1,9}$/), fc.stringMatching(/^[a-z0-9/]{0,6}$/)), { maxLength: 20 });
    fc.assert(
      fc.property(names, keys, (uncached, paths) => {
        const ranges = cachedRanges(new Set(uncached));
        for (const [resource, rest] of paths) {
          const key = `/registry/${resource}/${rest}`;
          const listed = ranges.some(([from, to]) => key >= from && key < to);
          expect(listed).toBe(!uncached.includes(resource));
        }
        // In key order, and apart: each key is listed once.
        for (let i = 1; i < ranges.length; i++) expect(ranges[i - 1]![1] <= ranges[i]![0]).toBe(true);
      }),
    );
    expect(cachedRanges(new Set(['events']))).toEqual([
      ['/registry/', '/registry/events/'],
      ['/registry/events0', '/registry0'],
    ]);
  });

  it('are not kept, from the first list or the watch, while the revision moves on with them', async () => {
    const store = await Mvcc.open({ backend: await Backend.open() });
    const put = (key: string) => store.put({ key: Buffer.from(key), value: encodeObject({ apiVersion: 'v1', kind: 'X', metadata: { name: key } }) });
    await put('/registry/events/default/before');
    await put('/registry/pods/default/before');
    const cache = new WatchCache({ store });
    await cache.start();
    try {
      expect(cache.caches('events')).toBe(false);
      expect(cache.caches('pods')).toBe(true);
      const last = (await put('/registry/events/default/after')).header.revision;
      await cache.waitFor(last);
      expect(cache.revision).toBe(last);
      expect(cache.list('/registry/events/')).toEqual([]);
      expect(cache.list('/registry/pods/').map((o) => o.key)).toEqual(['/registry/pods/default/before']);
      expect(cache.historyLength).toBe(0);
    } finally {
      cache.stop();
      await store.close();
    }
  });
});
