import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient, type Api, type KubeObject } from '../api/client.js';
import { FakeClock } from '../api/clock.js';
import { resolveResource } from '../api/resources.js';
import { LeaseKeeper } from './lease-keeper.js';
import { inProcessApi } from '../test/support/in-process-api.js';

const leases = resolveResource('leases')!;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A client that notes each verb it is asked for, and the Lease each update names, so a test can count what renewals cost. */
function counting(client: ApiClient): { api: Api; calls: string[]; updated: string[] } {
  const calls: string[] = [];
  const updated: string[] = [];
  const api = new Proxy(client, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        calls.push(String(prop));
        if (prop === 'update') updated.push(String((args[2] as KubeObject).metadata?.name));
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { api, calls, updated };
}

describe('LeaseKeeper', () => {
  it('renews with one PUT of the Lease it last wrote, and reads only when that copy is stale or gone', async () => {
    const { client } = await inProcessApi(cleanups);
    const { api, calls } = counting(client);
    const keeper = new LeaseKeeper({ client: api, clock: new FakeClock(Date.parse('2026-11-21T10:00:00Z')), nodes: ['node-1'], speed: 1 });

    await keeper.renewAll();
    expect(calls.splice(0)).toEqual(['get', 'create']);
    await keeper.renewAll();
    expect(calls.splice(0)).toEqual(['update']);

    // Someone else wrote the Lease: the keeper's copy is stale, so it reads and writes again.
    const lease = await client.get<KubeObject & { spec: object }>(leases, 'kube-node-lease', 'node-1');
    await client.update(leases, 'kube-node-lease', { ...lease, spec: { ...lease.spec, holderIdentity: 'someone' } });
    await keeper.renewAll();
    expect(calls.splice(0)).toEqual(['update', 'get', 'update']);
    expect((await client.get<KubeObject & { spec: { holderIdentity: string } }>(leases, 'kube-node-lease', 'node-1')).spec.holderIdentity).toBe('node-1');

    // Deleted: it comes back on the next beat.
    await client.delete(leases, 'kube-node-lease', 'node-1');
    await keeper.renewAll();
    expect(calls.splice(0)).toEqual(['update', 'get', 'create']);
  });
});

describe('LeaseKeeper under a slow server', () => {
  it('starts no renewal of a node while its last one is unanswered, so beats that overlap cost no conflict', async () => {
    const { client } = await inProcessApi(cleanups);
    const { api, calls } = counting(client);
    const keeper = new LeaseKeeper({ client: api, clock: new FakeClock(Date.parse('2026-11-21T10:00:00Z')), nodes: ['node-1', 'node-2'], speed: 1 });
    await keeper.renewAll();
    calls.splice(0);

    // node-1's next PUT hangs until released; beats go on meanwhile.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let node2Renewed!: () => void;
    const node2 = new Promise<void>((r) => (node2Renewed = r));
    const slow = new Proxy(api, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as (...a: unknown[]) => Promise<KubeObject>;
        if (prop !== 'update') return v;
        return async (...args: unknown[]) => {
          const name = (args[2] as KubeObject).metadata?.name;
          if (name === 'node-1') await held;
          const out = await v.apply(target, args);
          if (name === 'node-2') node2Renewed();
          return out;
        };
      },
    });
    const slowKeeper = keeper as unknown as { opts: { client: Api } };
    slowKeeper.opts.client = slow;
    const first = keeper.renewAll();
    await node2;
    await new Promise((r) => setImmediate(r));
    await keeper.renewAll();
    await keeper.renewAll();
    release();
    await first;
    expect(calls.filter((c) => c === 'get')).toEqual([]);
    expect(calls).toEqual(['update', 'update', 'update', 'update']);
  });
});

describe('LeaseKeeper on the clock', () => {
  it('renews each node once an interval, a tenth of the nodes at a time, as kubelets each on their own phase do', async () => {
    const { client } = await inProcessApi(cleanups);
    const clock = new FakeClock(Date.parse('2026-11-21T10:00:00Z'));
    const nodes = Array.from({ length: 20 }, (_, i) => `node-${i}`);
    const { api, updated: renewed } = counting(client);
    const keeper = new LeaseKeeper({ client: api, clock, nodes, speed: 1 });
    cleanups.push(() => keeper.stop());
    await keeper.start();
    const bySecond: string[][] = [];
    for (let s = 1; s <= 20; s++) {
      clock.advance(1_000);
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
      bySecond.push(renewed.splice(0));
    }
    expect(bySecond.map((b) => b.length)).toEqual(Array(20).fill(2));
    for (const n of nodes) {
      const seconds = bySecond.flatMap((b, i) => (b.includes(n) ? [i] : []));
      expect(seconds).toHaveLength(2);
      expect(seconds[1]! - seconds[0]!).toBe(10);
    }
  });
});
