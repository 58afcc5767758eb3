import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../api/clock.js';
import { silentLogger } from '../api/log.js';
import { resolveResource } from '../api/resources.js';
import { Backend } from '../store/backend.js';
import { Mvcc } from '../store/mvcc.js';
import { ensureSystemNamespaces } from './bootstrap.js';
import { eventSweeper, startEventExpiry } from './event-expiry.js';
import { Registry } from './registry.js';
import { strategies } from './strategies/index.js';
import { WatchCache } from './watch-cache.js';

const events = resolveResource('events')!;
const HOUR = 3_600_000;
const closers: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function api() {
  const store = await Mvcc.open({ backend: await Backend.open() });
  const cache = new WatchCache({ store });
  const clock = new FakeClock(Date.parse('2026-11-21T10:00:00Z'));
  const registry = new Registry({ store, cache, clock, strategies: strategies() });
  await cache.start();
  await ensureSystemNamespaces(registry);
  closers.push(() => store.close(), () => cache.stop());
  const event = (name: string, count = 1) => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: 'default' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-1' },
    reason: 'Started',
    message: 'Started container web',
    type: 'Normal',
    count,
  });
  const names = async () => (await registry.list(events, 'default')).items.map((e) => e.metadata?.name).sort();
  return { registry, clock, event, names };
}

describe('Events expire after the event TTL, as with kube-apiserver --event-ttl', () => {
  it('deletes an Event an hour after its last write, and keeps one written again meanwhile', async () => {
    const { registry, clock, event, names } = await api();
    const sweep = eventSweeper({ registry, clock, ttlMs: HOUR });
    await registry.create(events, 'default', event('old'));
    await registry.create(events, 'default', event('repeated'));
    expect(await sweep()).toBe(0);

    clock.advance(40 * 60_000);
    const again = await registry.get(events, 'default', 'repeated');
    await registry.update(events, 'default', 'repeated', { ...again, count: 2 });
    await registry.create(events, 'default', event('new'));
    expect(await sweep()).toBe(0);

    clock.advance(20 * 60_000);
    expect(await sweep()).toBe(1);
    expect(await names()).toEqual(['new', 'repeated']);

    clock.advance(40 * 60_000);
    expect(await sweep()).toBe(2);
    expect(await names()).toEqual([]);
  });

  it('runs on its own timer, and a sweep that fails is logged and tried again at the next tick', async () => {
    const { registry, clock, event, names } = await api();
    await registry.create(events, 'default', event('a'));
    const warnings: unknown[] = [];
    const log = { ...silentLogger(), warn: (o: unknown) => warnings.push(o) } as ReturnType<typeof silentLogger>;
    const flaky = Object.create(registry) as Registry;
    let fail = true;
    flaky.versions = async (...args) => {
      if (fail) {
        fail = false;
        throw new Error('store unavailable');
      }
      return registry.versions(...args);
    };
    const timer = startEventExpiry({ registry: flaky, clock, ttlMs: HOUR, log, sweepEveryMs: 60_000 });
    closers.push(() => timer.cancel());
    for (let m = 0; m < 62; m++) {
      clock.advance(60_000);
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
    }
    expect(warnings).toHaveLength(1);
    expect(await names()).toEqual([]);
  });
});
