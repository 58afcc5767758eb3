import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../api/clock.js';
import { resolveResource } from '../api/resources.js';
import { Backend } from '../store/backend.js';
import { Mvcc } from '../store/mvcc.js';
import { ensureSystemNamespaces } from './bootstrap.js';
import { fieldError } from './errors.js';
import { Registry } from './registry.js';
import { strategies } from './strategies/index.js';
import type { Strategy } from './strategy.js';
import { WatchCache, type KubeObject } from './watch-cache.js';

const deployments = resolveResource('deployments')!;
const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

/** The registry over a store in memory, with the Deployment strategy `wrap` makes of the usual one. */
async function registry(wrap: (s: Strategy) => Strategy = (s) => s) {
  const store = await Mvcc.open({ backend: await Backend.open() });
  const cache = new WatchCache({ store });
  const all = strategies();
  all.set(deployments, wrap(all.get(deployments)!));
  const reg = new Registry({ store, cache, clock: new FakeClock(Date.parse('2026-11-22T03:00:00Z')), strategies: all });
  await cache.start();
  await ensureSystemNamespaces(reg);
  closers.push(async () => {
    cache.stop();
    await store.close();
  });
  return { reg, cache };
}

const web = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'app:1' }] } } },
};

describe('Registry updates', () => {
  it('change the status or the spec from the cached revision, which stays as it was', async () => {
    const { reg, cache } = await registry();
    const created = (await reg.create(deployments, 'default', web)).object;
    const before = JSON.stringify(cache.get('/registry/deployments/default/web')!.object);
    const status = (await reg.updateStatus(deployments, 'default', 'web', { ...created, status: { replicas: 2, readyReplicas: 1 } })).object;
    expect(status.status).toEqual({ replicas: 2, readyReplicas: 1 });
    expect(status.spec).toEqual(created.spec);
    expect(JSON.stringify(created)).toBe(before);
    const scaled = (await reg.update(deployments, 'default', 'web', { ...status, spec: { ...(status.spec as object), replicas: 3 } })).object;
    expect(scaled.status).toEqual({ replicas: 2, readyReplicas: 1 });
    expect((scaled.spec as { replicas: number }).replicas).toBe(3);
    expect((scaled.metadata as { generation: number }).generation).toBe(2);
    expect((status.spec as { replicas: number }).replicas).toBe(2);
    expect(Object.isFrozen(status.spec)).toBe(true);
  });

  it('succeed when the strategy writes into the spec on every write, as a strategy may', async () => {
    // Assigns whether or not the field is set: a frozen spec would refuse it.
    const writesSpec = (s: Strategy): Strategy => ({
      ...s,
      default(obj: KubeObject) {
        s.default(obj);
        const spec = obj.spec as { minReadySeconds?: number } | undefined;
        if (spec) spec.minReadySeconds = spec.minReadySeconds ?? 0;
      },
    });
    const { reg } = await registry(writesSpec);
    const created = (await reg.create(deployments, 'default', web)).object;
    const status = (await reg.updateStatus(deployments, 'default', 'web', { ...created, status: { replicas: 2 } })).object;
    expect(status.status).toEqual({ replicas: 2 });
    expect((status.spec as { minReadySeconds: number }).minReadySeconds).toBe(0);
    const updated = (await reg.update(deployments, 'default', 'web', { ...status, metadata: { ...(status.metadata as object), labels: { a: 'b' } } })).object;
    expect((updated.metadata as { labels: object }).labels).toEqual({ a: 'b' });
  });

  it('validate a status update by the status alone: a spec that newer rules refuse still gets its status written', async () => {
    // As after an upgrade that tightened a rule: the stored spec passed when it was written.
    let strict = false;
    const tightened = (s: Strategy): Strategy => ({
      ...s,
      validate(obj: KubeObject, old: KubeObject | undefined) {
        const errors = s.validate(obj, old);
        const replicas = (obj.spec as { replicas?: number } | undefined)?.replicas ?? 0;
        return strict && replicas > 1 ? [...errors, fieldError.invalid('spec.replicas', replicas, 'at most 1')] : errors;
      },
    });
    const { reg } = await registry(tightened);
    const created = (await reg.create(deployments, 'default', web)).object;
    strict = true;
    const status = (await reg.updateStatus(deployments, 'default', 'web', { ...created, status: { replicas: 2 } })).object;
    expect(status.status).toEqual({ replicas: 2 });
    await expect(reg.update(deployments, 'default', 'web', { ...status, metadata: { ...(status.metadata as object), labels: { a: 'b' } } })).rejects.toMatchObject({ code: 422 });
  });
});

