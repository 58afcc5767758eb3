import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiClientError, type KubeObject } from '../../api/client.js';
import { FakeClock } from '../../api/clock.js';
import { keyOf } from '../../api/informer.js';
import type { ResourceType } from '../../api/resources.js';
import type { Pod } from '../../api/schemas/pod.js';
import type { ReplicaSet } from '../../api/schemas/workloads.js';
import { replicaSet } from './_test-pods.js';
import { isPodActive } from './pod-ranking.js';
import { ReplicaSetSync, type ReplicaSetClient } from './sync.js';

const notFound = (name: string) =>
  new ApiClientError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 404, reason: 'NotFound', message: `pods "${name}" not found` });

/**
 * An API server holding one ReplicaSet and its pods, and a pod cache that sees the server's
 * changes only when told to deliver them: a watch that lags behind the controller's own writes.
 */
class LaggingWorld {
  readonly clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
  rs: ReplicaSet;
  readonly pods = new Map<string, Pod>();
  private readonly cache = new Map<string, Pod>();
  private readonly undelivered: Array<{ type: 'add' | 'delete'; pod: Pod }> = [];
  private serial = 0;
  readonly sync: ReplicaSetSync;

  constructor(replicas: number, expectations: boolean) {
    this.rs = replicaSet('web', replicas);
    const client: ReplicaSetClient = {
      get: async <T extends KubeObject>() => structuredClone(this.rs) as unknown as T,
      create: async <T extends KubeObject>(_r: ResourceType, _ns: string | undefined, obj: T) => {
        const pod = structuredClone(obj) as unknown as Pod;
        const name = `${pod.metadata!.generateName}${this.serial++}`;
        Object.assign(pod.metadata!, { name, uid: `uid-${name}`, resourceVersion: String(this.serial) });
        this.pods.set(name, pod);
        this.undelivered.push({ type: 'add', pod });
        return structuredClone(pod) as unknown as T;
      },
      delete: async (_r: ResourceType, _ns: string | undefined, name: string) => this.remove(name),
      patch: async () => {
        throw new Error('no orphans here: nothing to patch');
      },
      updateStatus: async <T extends KubeObject>(_r: ResourceType, _ns: string | undefined, obj: T) => {
        this.rs = { ...this.rs, status: structuredClone((obj as ReplicaSet).status) };
        return structuredClone(this.rs) as unknown as T;
      },
    };
    this.sync = new ReplicaSetSync({
      client,
      clock: this.clock,
      pods: { get: (k) => this.cache.get(k.split('/')[1]!), list: () => [...this.cache.values()] },
      replicaSets: { get: (k) => (k === keyOf(this.rs) ? this.rs : undefined), list: () => [this.rs] },
      events: { record: async () => {} },
      enqueue: () => {},
      expectations,
    });
  }

  remove(name: string): KubeObject {
    const pod = this.pods.get(name);
    if (!pod) throw notFound(name);
    this.pods.delete(name);
    this.undelivered.push({ type: 'delete', pod });
    return pod;
  }

  /** The next `n` changes reach the cache and the handlers, in order, as a watch delivers them. */
  deliver(n: number): void {
    for (const e of this.undelivered.splice(0, n)) {
      const name = e.pod.metadata!.name!;
      if (e.type === 'add') {
        this.cache.set(name, e.pod);
        this.sync.podAdded(e.pod);
      } else {
        this.cache.delete(name);
        this.sync.podDeleted(e.pod);
      }
    }
  }

  active(): number {
    return [...this.pods.values()].filter(isPodActive).length;
  }
}

type Step =
  | { type: 'reconcile' }
  | { type: 'deliver'; n: number }
  | { type: 'kill'; which: number }
  | { type: 'scale'; replicas: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ type: 'reconcile' as const }) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 4 }).map((n) => ({ type: 'deliver' as const, n })) },
  { weight: 1, arbitrary: fc.nat().map((which) => ({ type: 'kill' as const, which })) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 6 }).map((replicas) => ({ type: 'scale' as const, replicas })) },
);

/**
 * Safety under a lagging cache: the controller never creates a pod that takes the active count
 * above spec.replicas. When spec goes down, the pods already there are allowed until they go.
 */
function neverTooMany(expectations: boolean) {
  return fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.array(step, { maxLength: 40 }), async (replicas, steps) => {
    const w = new LaggingWorld(replicas, expectations);
    let allowed = replicas;
    for (const s of steps) {
      if (s.type === 'reconcile') await w.sync.reconcile('default/web');
      if (s.type === 'deliver') w.deliver(s.n);
      if (s.type === 'kill' && w.pods.size > 0) w.remove([...w.pods.keys()][s.which % w.pods.size]!);
      if (s.type === 'scale') w.rs = { ...w.rs, metadata: { ...w.rs.metadata, generation: (w.rs.metadata!.generation ?? 1) + 1 }, spec: { ...w.rs.spec!, replicas: s.replicas } };
      const spec = w.rs.spec!.replicas!;
      if (s.type === 'scale') allowed = Math.max(spec, w.active());
      expect(w.active()).toBeLessThanOrEqual(allowed);
      allowed = Math.max(spec, Math.min(allowed, w.active()));
    }
    // Once the cache catches up, the controller settles on spec.replicas.
    for (let i = 0; i < 4; i++) {
      w.deliver(Infinity);
      await w.sync.reconcile('default/web');
    }
    w.deliver(Infinity);
    expect(w.active()).toBe(w.rs.spec!.replicas);
  });
}

describe('ReplicaSetSync with a pod cache that lags behind its own writes', () => {
  it('never has more active pods than spec.replicas, and settles once the cache catches up', async () => {
    await fc.assert(neverTooMany(true), { numRuns: 300 });
  });

  it('creates too many without expectations: the property finds it', async () => {
    const out = await fc.check(neverTooMany(false), { numRuns: 300 });
    expect(out.failed).toBe(true);
  });

  it('waits for its creates to be seen before it creates again (the doc example)', async () => {
    const w = new LaggingWorld(3, true);
    await w.sync.reconcile('default/web');
    expect(w.active()).toBe(3);
    await w.sync.reconcile('default/web');
    expect(w.active()).toBe(3);
    w.deliver(2);
    await w.sync.reconcile('default/web');
    expect(w.active()).toBe(3);
    expect(w.sync.expectations.pending('default/web')).toEqual({ adds: 1, dels: 0 });
    // After five minutes without the last event, the controller stops waiting (and would re-create).
    w.clock.advance(5 * 60_000 + 1);
    await w.sync.reconcile('default/web');
    expect(w.active()).toBe(4);
  });
});
