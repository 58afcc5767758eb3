import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient, type KubeObject } from './client.js';
import { FakeClock } from './clock.js';
import { LeaderElection } from './leader-election.js';
import { resolveResource } from './resources.js';
import { inProcessApi } from '../test/support/in-process-api.js';

const leases = resolveResource('leases')!;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function api() {
  const { client } = await inProcessApi(cleanups);
  return client;
}

const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

/** A copy of a component on a clock of its own: a copy whose clock stops is a copy that died. */
function candidate(client: ApiClient, identity: string) {
  const clock = new FakeClock(Date.parse('2026-11-21T10:00:00Z'));
  const events: string[] = [];
  const election = new LeaderElection({
    client,
    clock,
    name: 'kube-controller-manager',
    identity,
    leaseDurationMs: 15_000,
    renewDeadlineMs: 10_000,
    retryPeriodMs: 2_000,
    onStartedLeading: () => events.push('started'),
    onStoppedLeading: () => events.push('stopped'),
  });
  const step = async (ms: number) => {
    for (let t = 0; t < ms; t += 1_000) {
      clock.advance(1_000);
      await settle();
    }
  };
  return { election, events, step };
}

describe('LeaderElection', () => {
  it('lets one copy lead while another waits, and the waiting one takes over once the leader stops renewing', async () => {
    const client = await api();
    const a = candidate(client, 'a');
    const b = candidate(client, 'b');
    a.election.start();
    await settle();
    b.election.start();
    await settle();
    await Promise.all([a.step(6_000), b.step(6_000)]);
    expect([a.events, b.events]).toEqual([['started'], []]);

    // a dies: its clock, and so its renewals, stop. b sees no renewal for the lease's 15 s.
    await b.step(14_000);
    expect(b.events).toEqual([]);
    await b.step(4_000);
    expect(b.events).toEqual(['started']);
    const lease = await client.get<KubeObject & { spec: { holderIdentity: string; leaseTransitions: number } }>(leases, 'kube-system', 'kube-controller-manager');
    expect(lease.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    await b.election.release();
  });

  it('hands over at once when the leader releases the lease on its way out', async () => {
    const client = await api();
    const a = candidate(client, 'a');
    const b = candidate(client, 'b');
    a.election.start();
    await settle();
    b.election.start();
    await b.step(2_000);
    expect(b.events).toEqual([]);
    await a.election.release();
    // The released lease lasts 1 s; b takes it within two retry periods, not 15 s.
    await b.step(4_000);
    expect(b.events).toEqual(['started']);
    await b.election.release();
  });

  it('stops leading once it cannot renew for the renew deadline', async () => {
    const client = await api();
    const a = candidate(client, 'a');
    a.election.start();
    await settle();
    expect(a.events).toEqual(['started']);
    const lease = await client.get<KubeObject & { spec: object }>(leases, 'kube-system', 'kube-controller-manager');
    const farFuture = '2030-01-01T00:00:00.000000Z';
    await client.update(leases, 'kube-system', { ...lease, spec: { ...lease.spec, holderIdentity: 'intruder', renewTime: farFuture } });
    await a.step(8_000);
    expect(a.events).toEqual(['started']);
    await a.step(4_000);
    expect(a.events).toEqual(['started', 'stopped']);
    expect(a.election.isLeader()).toBe(false);
  });

  it('tries again soon while the API server has not yet answered, as when a whole cluster starts at once', async () => {
    const real = await api();
    let listening = false;
    // The API server of a cluster still starting: every request is refused until it listens.
    const starting = new Proxy(real, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => (listening ? v.apply(target, args) : Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6443')));
      },
    });
    const clock = new FakeClock(Date.parse('2026-11-21T10:00:00Z'));
    const events: string[] = [];
    const election = new LeaderElection({
      client: starting,
      clock,
      name: 'kube-scheduler',
      identity: 'a',
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
      onStartedLeading: () => events.push('started'),
      onStoppedLeading: () => events.push('stopped'),
    });
    election.start();
    await settle();
    clock.advance(100);
    await settle();
    expect(events).toEqual([]);
    listening = true;
    // Well within the 2 s retry period: the next quick attempt takes the lease.
    for (let t = 0; t < 400; t += 50) {
      clock.advance(50);
      await settle();
    }
    expect(events).toEqual(['started']);
    await election.release();
  });

  it('says whether it hears from the API server, so that a standby cut off is not called ready', async () => {
    const { client, api } = await inProcessApi(cleanups);
    const a = candidate(client, 'a');
    const b = candidate(client, 'b');
    expect(b.election.inContact()).toBe(false);
    a.election.start();
    await settle();
    b.election.start();
    await settle();
    expect([a.election.isLeader(), b.election.isLeader(), b.election.inContact()]).toEqual([true, false, true]);
    // What the leader's caches start no older than: its own write of the Lease.
    const lease = await client.get(leases, 'kube-system', 'kube-controller-manager');
    expect(a.election.leaseVersion()).toBe(lease.metadata?.resourceVersion);
    expect(b.election.leaseVersion()).toBeUndefined();
    await api.close();
    await b.step(2_000);
    expect(b.election.inContact()).toBe(false);
    await b.election.release();
    await a.election.release();
  });
});
