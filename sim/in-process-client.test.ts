import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type WatchEvent } from '../api/client.js';
import { resolveResource } from '../api/resources.js';
import { ensureSystemNamespaces } from '../apiserver/bootstrap.js';
import { Registry } from '../apiserver/registry.js';
import { strategies } from '../apiserver/strategies/index.js';
import { WatchCache } from '../apiserver/watch-cache.js';
import { Backend } from '../store/backend.js';
import { Mvcc } from '../store/mvcc.js';
import { apiConformance } from '../api/api.conformance.js';
import { Activity, coalescedType, InProcessClient, type ClientFaults, type WriteRecord } from './in-process-client.js';
import { FakeClock } from '../api/clock.js';

const cms = resolveResource('configmaps')!;

async function inProcess(opts: { faults?: ClientFaults; onWrite?: (w: WriteRecord) => void; clock?: FakeClock; activity?: Activity; historySize?: number } = {}) {
  const store = await Mvcc.open({ backend: await Backend.open() });
  const clock = opts.clock ?? new FakeClock(Date.parse('2026-11-21T10:00:00Z'));
  const cache = new WatchCache({ store, historySize: opts.historySize ?? 5 });
  const registry = new Registry({ store, cache, clock, strategies: strategies() });
  await cache.start();
  await ensureSystemNamespaces(registry);
  const { historySize: _, ...rest } = opts;
  const client = new InProcessClient({ registry, cache, clock, actor: 'test', ...rest });
  return {
    client,
    clock,
    async close() {
      cache.stop();
      await store.close();
    },
  };
}

apiConformance('InProcessClient', inProcess);

describe('InProcessClient, beyond the contract', () => {
  it('writes a body as it was when sent, whatever the caller changes once the call is made, as JSON carries it', async () => {
    const { client, close } = await inProcess();
    try {
      const body = { metadata: { name: 'app', labels: { tier: 'web' }, annotations: undefined }, data: { a: '1' } };
      const created = client.create(cms, 'default', body);
      body.data.a = 'changed';
      body.metadata.labels.tier = 'changed';
      const out = await created;
      expect(out.data).toEqual({ a: '1' });
      expect(out.metadata?.labels).toEqual({ tier: 'web' });
      expect(Object.hasOwn(out.metadata!, 'annotations')).toBe(false);
      const update = { ...out, data: { a: '2', b: 'x' } };
      const updated = client.update(cms, 'default', update);
      update.data.b = 'changed';
      expect((await updated).data).toEqual({ a: '2', b: 'x' });
      expect((await client.get(cms, 'default', 'app')).data).toEqual({ a: '2', b: 'x' });
    } finally {
      await close();
    }
  });

  it('tells onWrite of every write and how it ended', async () => {
    const writes: WriteRecord[] = [];
    const s = await inProcess({ onWrite: (w) => writes.push(w) });
    await s.client.create(cms, 'default', { metadata: { name: 'a' } });
    await s.client.create(cms, 'default', { metadata: { name: 'a' } }).catch(() => undefined);
    await s.client.delete(cms, 'default', 'a');
    expect(writes.map((w) => `${w.actor} ${w.verb} ${w.resource} ${w.namespace}/${w.name} ${w.outcome.replace(/rv=\d+/, 'rv=N')}`)).toEqual([
      'test create configmaps default/a rv=N',
      'test create configmaps default/a 409 AlreadyExists',
      'test delete configmaps default/a rv=N',
    ]);
    await s.close();
  });

  it('drops requests when told to: some before the server acts, some after (the write is there, the answer lost)', async () => {
    let n = 0;
    const faults: ClientFaults = { dropRate: 1, watchDelayMs: undefined, random: () => [0, 0.2, 0, 0.8][n++ % 4]! };
    const writes: WriteRecord[] = [];
    const s = await inProcess({ faults, onWrite: (w) => writes.push(w) });
    await expect(s.client.create(cms, 'default', { metadata: { name: 'early' } })).rejects.toThrow(/dropped before/);
    await expect(s.client.create(cms, 'default', { metadata: { name: 'late' } })).rejects.toThrow(/answer was lost/);
    faults.dropRate = 0;
    const names = (await s.client.list(cms, 'default')).items.map((o) => o.metadata?.name);
    expect(names).toEqual(['late']);
    expect(writes.map((w) => `${w.name} ${w.outcome}`)).toEqual(['early dropped request', 'late dropped answer']);
    await s.close();
  });

  it('holds watch events for a delay fault on the virtual clock, in order, as timers (not as work under way)', async () => {
    const activity = new Activity();
    const faults: ClientFaults = { dropRate: 0, watchDelayMs: [1000, 1000], random: () => 0.5 };
    const s = await inProcess({ faults, activity });
    const { resourceVersion } = await s.client.list(cms, 'default');
    const events: WatchEvent[] = [];
    const w = s.client.watch(cms, 'default', { resourceVersion }, (e) => events.push(e));
    await s.client.create(cms, 'default', { metadata: { name: 'x' } });
    await s.client.patch(cms, 'default', 'x', 'merge', { data: { v: '1' } });
    await new Promise((r) => setImmediate(r));
    expect(events).toEqual([]);
    expect(activity.inFlight).toBe(0);
    expect(s.clock.fireNext(s.clock.now() + 999)).toBe(false);
    expect(s.clock.fireNext(s.clock.now() + 1000)).toBe(true);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED']);
    expect(activity.inFlight).toBe(0);
    w.stop();
    await s.close();
  });

  it('coalesces the held changes of one object into its last state, keeping the order of the others', async () => {
    const activity = new Activity();
    const faults: ClientFaults = { dropRate: 0, watchDelayMs: [1000, 1000], coalesce: true, random: () => 0.5 };
    const s = await inProcess({ faults, activity });
    const { resourceVersion } = await s.client.list(cms, 'default');
    const events: string[] = [];
    const w = s.client.watch(cms, 'default', { resourceVersion }, (e) => events.push(`${e.type} ${e.object.metadata?.name} ${JSON.stringify(e.object.data ?? {})}`));
    await s.client.create(cms, 'default', { metadata: { name: 'x' } });
    await s.client.create(cms, 'default', { metadata: { name: 'y' } });
    await s.client.patch(cms, 'default', 'x', 'merge', { data: { v: '1' } });
    await s.client.patch(cms, 'default', 'x', 'merge', { data: { v: '2' } });
    await s.client.create(cms, 'default', { metadata: { name: 'gone' } });
    await s.client.delete(cms, 'default', 'gone');
    await new Promise((r) => setImmediate(r));
    expect(events).toEqual([]);
    while (s.clock.fireNext(s.clock.now() + 10_000));
    // y came before x's last change, so it is seen first; `gone` was born and died unseen.
    expect(events).toEqual(['ADDED y {}', 'ADDED x {"v":"2"}']);
    expect(activity.inFlight).toBe(0);
    w.stop();
    await s.close();
  });

  it('a coalesced stream ends in the state an uncoalesced one does, object by object', () => {
    const type = fc.constantFrom('ADDED' as const, 'MODIFIED' as const, 'DELETED' as const);
    // Any sequence of changes one object can go through: what exists after each, by type.
    fc.assert(
      fc.property(fc.array(type, { minLength: 1, maxLength: 8 }), (types) => {
        let seen: WatchEvent['type'] | undefined;
        let exists = false;
        for (const t of types) {
          exists = t !== 'DELETED';
          seen = seen === undefined ? t : coalescedType(seen, t);
        }
        const first = types[0];
        // Nothing seen only when it was new and is gone again; otherwise deleted exactly when it is gone.
        if (seen === undefined) expect(first === 'ADDED' && !exists).toBe(true);
        else expect(seen === 'DELETED').toBe(!exists);
        if (seen === 'ADDED') expect(first).toBe('ADDED');
      }),
    );
  });

  it('serves lists from the past under a stale-read fault, and the watch from there catches up', async () => {
    const faults: ClientFaults = { dropRate: 0, watchDelayMs: undefined, staleRevisions: 2, random: () => 0.5 };
    const s = await inProcess({ faults, historySize: 100 });
    for (const name of ['a', 'b', 'c']) await s.client.create(cms, 'default', { metadata: { name } });
    const stale = await s.client.list(cms, 'default');
    expect(stale.items.map((o) => o.metadata?.name)).toEqual(['a']);
    const events: string[] = [];
    const w = s.client.watch(cms, 'default', { resourceVersion: stale.resourceVersion }, (e) => events.push(`${e.type} ${e.object.metadata?.name}`));
    await new Promise((r) => setImmediate(r));
    expect(events).toEqual(['ADDED b', 'ADDED c']);
    // Once the fault is cleared, lists are current again.
    faults.staleRevisions = 0;
    expect((await s.client.list(cms, 'default')).items).toHaveLength(3);
    w.stop();
    await s.close();
  });
});
