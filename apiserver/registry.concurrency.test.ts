import { fc } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../api/clock.js';
import { resolveResource, type ResourceType } from '../api/resources.js';
import { Backend } from '../store/backend.js';
import type { KV } from '../store/kv.js';
import { Mvcc } from '../store/mvcc.js';
import { ensureSystemNamespaces } from './bootstrap.js';
import { ApiError } from './errors.js';
import { Registry } from './registry.js';
import { strategies } from './strategies/index.js';
import { WatchCache, type KubeObject } from './watch-cache.js';

const configmaps: ResourceType = resolveResource('configmaps')!;
const NS = 'default';

/**
 * How a client writes: a PUT or a merge patch, carrying the resourceVersion it just read (fresh),
 * one that was superseded before it started (stale), or none (unconditional).
 */
type Precondition = 'fresh' | 'stale' | 'none';
type Verb = 'put' | 'patch';
interface Client {
  verb: Verb;
  precondition: Precondition;
}

interface Outcome {
  client: number;
  verb: Verb;
  precondition: Precondition;
  value: string;
  /** The resourceVersion the client saw when it read the object. */
  read: string;
  /** The resourceVersion its write was conditional on, if any. */
  sent: string | undefined;
  result: { rv: string; value: unknown } | 'conflict';
}

/**
 * The store as the scheduler lets it run: each call starts, and each answer arrives, only when the
 * scheduler says. One client's read-modify-write can then be split by another's write anywhere.
 */
function scheduledKV(kv: KV, s: fc.Scheduler): KV {
  let n = 0;
  const gate = async <T>(label: string, call: () => Promise<T>): Promise<T> => {
    const id = ++n;
    await s.schedule(Promise.resolve(), `${label}#${id} starts`);
    const answer = await call();
    // Gated apart from the call so that a counterexample lists steps, not store responses.
    await s.schedule(Promise.resolve(), `${label}#${id} answers`);
    return answer;
  };
  return {
    range: (req) => gate('range', () => kv.range(req)),
    put: (req) => gate('put', () => kv.put(req)),
    deleteRange: (req) => gate('deleteRange', () => kv.deleteRange(req)),
    txn: (req) => gate('txn', () => kv.txn(req)),
    compact: (req) => kv.compact(req),
    watch: (req, on) => kv.watch(req, on),
  };
}

/** The store with its watch events held until the scheduler lets each through, in order: a watch cache over it lags. */
function laggingWatchKV(kv: KV, s: fc.Scheduler): KV {
  return {
    ...kv,
    range: (req) => kv.range(req),
    watch: (req, on) => {
      let delivered = Promise.resolve();
      return kv.watch(req, (resp) => {
        delivered = delivered.then(() => s.schedule(Promise.resolve(), `watch event at ${resp.header.revision}`)).then(() => on(resp));
      });
    },
  };
}

const rvOf = (o: KubeObject) => String((o.metadata as { resourceVersion?: string }).resourceVersion);
const valueOf = (o: KubeObject) => (o.data as { v?: string } | undefined)?.v;

describe('optimistic concurrency under concurrent writers', () => {
  let store: Mvcc;
  let cache: WatchCache;
  let registry: Registry;
  let objects = 0;
  const clock = new FakeClock(Date.parse('2026-11-21T10:00:00Z'));

  beforeAll(async () => {
    store = await Mvcc.open({ backend: await Backend.open() });
    cache = new WatchCache({ store });
    registry = new Registry({ store, cache, clock, strategies: strategies() });
    await cache.start();
    await ensureSystemNamespaces(registry);
  });
  afterAll(async () => {
    cache.stop();
    await store.close();
  });

  /** The object's changes after `afterRv`, as the watch cache recorded them: the order writes took effect. */
  async function history(name: string, afterRv: string, untilRv: number): Promise<Array<{ type: string; rv: string; value: unknown }>> {
    await cache.waitFor(untilRv);
    const seen: Array<{ type: string; rv: string; value: unknown }> = [];
    // A watch from an exact resourceVersion replays the cache's history before it returns.
    const stop = await registry.watch(configmaps, NS, { resourceVersion: afterRv, fieldSelector: `metadata.name=${name}` }, {
      event: (type, o) => seen.push({ type, rv: String(o.rev), value: valueOf(o.object as KubeObject) }),
      close: () => {},
    });
    stop();
    return seen;
  }

  const client = fc.record({ verb: fc.constantFrom<Verb>('put', 'patch'), precondition: fc.constantFrom<Precondition>('fresh', 'stale', 'none') });

  it('never loses an acknowledged write and never accepts a stale one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.array(client, { minLength: 2, maxLength: 6 }), fc.boolean(), async (s, clients: Client[], lagging) => {
        const name = `c${++objects}`;
        const created = await registry.create(configmaps, NS, { metadata: { name }, data: { v: 'initial' } });
        // A write before any client starts: the first resourceVersion is stale for all of them.
        const staleRv = rvOf(created.object);
        const setup = await registry.update(configmaps, NS, name, { metadata: { name }, data: { v: 'setup' } });
        const setupRv = rvOf(setup.object);

        // The clients' registry shares the store, but reaches it through the scheduler; its cache
        // is the shared one, or its own whose watch events the scheduler holds back (an update
        // then starts from a stale copy).
        const own = lagging ? new WatchCache({ store: laggingWatchKV(store, s) }) : undefined;
        if (own) await own.start();
        const racing = new Registry({ store: scheduledKV(store, s), cache: own ?? cache, clock, strategies: strategies() });
        const outcomes: Outcome[] = [];
        const run = async ({ verb, precondition }: Client, i: number) => {
          const read = rvOf(await racing.get(configmaps, NS, name));
          const sent = precondition === 'fresh' ? read : precondition === 'stale' ? staleRv : undefined;
          const value = `client-${i}`;
          const metadata = { name, ...(sent !== undefined ? { resourceVersion: sent } : {}) };
          let result: Outcome['result'];
          try {
            const out =
              verb === 'put'
                ? await racing.update(configmaps, NS, name, { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { v: value } })
                : await racing.patch(configmaps, NS, name, 'merge', { metadata, data: { v: value } });
            result = { rv: rvOf(out.object), value: valueOf(out.object) };
          } catch (err) {
            if (!(err instanceof ApiError && err.code === 409 && err.reason === 'Conflict')) throw err;
            result = 'conflict';
          }
          outcomes.push({ client: i, verb, precondition, value, read, sent, result });
        };
        await s.waitFor(Promise.all(clients.map(run)));
        own?.stop();

        const acked = outcomes.filter((o): o is Outcome & { result: { rv: string; value: unknown } } => o.result !== 'conflict');
        const report = () => JSON.stringify(outcomes);

        for (const o of outcomes) {
          // An unconditional write is retried by the server until it lands; a stale one never lands.
          if (o.precondition === 'none') expect(o.result, report()).not.toBe('conflict');
          if (o.precondition === 'stale') expect(o.result, report()).toBe('conflict');
          if (o.result !== 'conflict') {
            expect(o.result.value, report()).toBe(o.value);
            expect(Number(o.result.rv), report()).toBeGreaterThan(Number(o.read));
          }
        }

        // Acknowledged writes in the order they took effect, after the setup write.
        const chain = [...acked].sort((a, b) => Number(a.result.rv) - Number(b.result.rv));
        expect(new Set(chain.map((o) => o.result.rv)).size, report()).toBe(chain.length);
        chain.forEach((o, k) => {
          const before = k === 0 ? setupRv : chain[k - 1]!.result.rv;
          // A conditional write that succeeded was based on the object as it was when it was written.
          if (o.sent !== undefined) expect(o.sent, report()).toBe(before);
        });
        const basedOn = acked.filter((o) => o.sent !== undefined).map((o) => o.sent);
        expect(new Set(basedOn).size, report()).toBe(basedOn.length);

        // A fresh write refused with 409 lost to a write that landed after its read.
        for (const o of outcomes) {
          if (o.precondition === 'fresh' && o.result === 'conflict') {
            expect(acked.some((a) => Number(a.result.rv) > Number(o.sent)), report()).toBe(true);
          }
        }

        // The object holds the last acknowledged write.
        const final = await registry.get(configmaps, NS, name);
        const last = chain[chain.length - 1];
        expect(rvOf(final), report()).toBe(last ? last.result.rv : setupRv);
        expect(valueOf(final), report()).toBe(last ? last.value : 'setup');

        // Every acknowledged write is in the object's history, in resourceVersion order, and nothing else is.
        const events = await history(name, setupRv, Number(rvOf(final)));
        expect(events, report()).toEqual(chain.map((o) => ({ type: 'MODIFIED', rv: o.result.rv, value: o.value })));
      }),
      { numRuns: 200 },
    );
  }, 120_000);
});
