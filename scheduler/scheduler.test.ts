import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient, type KubeObject, type Watch, type WatchEvent, type WatchOptions } from '../api/client.js';
import { FakeClock } from '../api/clock.js';
import { resolveResource, type ResourceType } from '../api/resources.js';
import type { Event, Node } from '../api/schemas/cluster.js';
import type { Pod } from '../api/schemas/pod.js';
import { makeNode, type NodeOptions } from './plugins/fixtures.js';
import { newNodeInfo } from './plugins/index.js';
import { seededRandom } from './random.js';
import { EXPLAIN_ANNOTATION, Scheduler, type SchedulerOptions } from './scheduler.js';
import { inProcessApi } from '../test/support/in-process-api.js';

const podsR = resolveResource('pods')!;
const nodesR = resolveResource('nodes')!;
const eventsR = resolveResource('events')!;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A client whose watch events arrive late, as from a loaded API server: the cache lags the binds. */
class LaggingClient extends ApiClient {
  constructor(server: string, private readonly lagMs: number) {
    super({ server });
  }

  override watch<T extends KubeObject = KubeObject>(r: ResourceType, ns: string | undefined, opts: WatchOptions, onEvent: (e: WatchEvent<T>) => void): Watch {
    return super.watch<T>(r, ns, opts, (e) => void setTimeout(() => onEvent(e), this.lagMs));
  }
}

async function cluster(opts: Partial<SchedulerOptions> = {}, watchLagMs = 0) {
  const { client, api } = await inProcessApi(cleanups);
  const watching = watchLagMs > 0 ? new LaggingClient(api.url, watchLagMs) : client;
  cleanups.push(() => watching.close());
  const clock = new FakeClock(Date.parse('2026-11-21T10:00:00Z'));
  const scheduler = new Scheduler({ client: watching, clock, random: seededRandom(1), ...opts });
  cleanups.push(() => scheduler.stop());
  return { client, clock, scheduler };
}

const node = (client: ApiClient, o: NodeOptions) => client.create<KubeObject>(nodesR, undefined, makeNode(o) as KubeObject);

function pod(name: string, cpu: string, memory = '64Mi', spec: Partial<Pod['spec']> = {}): KubeObject {
  return { metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu, memory } } }], ...spec } };
}

async function nodeOf(client: ApiClient, name: string): Promise<string | undefined> {
  return (await client.get<Pod>(podsR, 'default', name)).spec?.nodeName;
}

async function bound(client: ApiClient, name: string): Promise<string> {
  return vi.waitFor(async () => {
    const n = await nodeOf(client, name);
    if (!n) throw new Error(`${name} is not bound yet`);
    return n;
  });
}

async function eventsFor(client: ApiClient, podName: string, reason: string): Promise<Event[]> {
  const { items } = await client.list<Event>(eventsR, 'default');
  return items.filter((e) => e.involvedObject.name === podName && e.reason === reason);
}

describe('Scheduler against the API served in process', () => {
  it('binds a pod to a node that fits and records the upstream Scheduled event', async () => {
    const { client, scheduler } = await cluster();
    await node(client, { name: 'node-1', cpu: '1', memory: '1Gi' });
    await node(client, { name: 'node-2', cpu: '4', memory: '8Gi' });
    await scheduler.start();
    await client.create(podsR, 'default', pod('web-1', '2'));
    expect(await bound(client, 'web-1')).toBe('node-2');
    const [event] = await vi.waitFor(async () => {
      const evs = await eventsFor(client, 'web-1', 'Scheduled');
      expect(evs).toHaveLength(1);
      return evs;
    });
    expect(event).toMatchObject({
      type: 'Normal',
      message: 'Successfully assigned default/web-1 to node-2',
      source: { component: 'default-scheduler' },
      count: 1,
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-1' },
    });
  });

  it('never over-commits a node when many pods arrive at once (the reservations)', async () => {
    const { client, scheduler } = await cluster({}, 300);
    await node(client, { name: 'node-1', cpu: '2', memory: '2Gi', pods: 10 });
    await node(client, { name: 'node-2', cpu: '3', memory: '2Gi', pods: 10 });
    await scheduler.start();
    // 5 CPUs of room, 14 pods of 500m: exactly 10 fit.
    await Promise.all(Array.from({ length: 14 }, (_, i) => client.create(podsR, 'default', pod(`p-${i}`, '500m'))));
    await vi.waitFor(
      async () => {
        const { items } = await client.list<Pod>(podsR, 'default');
        expect(items.filter((p) => p.spec?.nodeName)).toHaveLength(10);
      },
      { timeout: 10_000 },
    );
    const { items } = await client.list<Pod>(podsR, 'default');
    for (const n of (await client.list<Node>(nodesR)).items) {
      const info = newNodeInfo(n, items.filter((p) => p.spec?.nodeName === n.metadata?.name));
      expect(info.requested.milliCPU).toBeLessThanOrEqual(info.allocatable.milliCPU);
      expect(info.requested.memory).toBeLessThanOrEqual(info.allocatable.memory);
      expect(info.pods.length).toBeLessThanOrEqual(info.allocatable.pods);
    }
  });

  it('leaves a pod too big for every node Pending with a FailedScheduling event', async () => {
    const { client, scheduler } = await cluster();
    await node(client, { name: 'node-1', cpu: '1', memory: '1Gi' });
    await node(client, { name: 'node-2', cpu: '2', memory: '1Gi' });
    await scheduler.start();
    await client.create(podsR, 'default', pod('huge', '3'));
    const [event] = await vi.waitFor(async () => {
      const evs = await eventsFor(client, 'huge', 'FailedScheduling');
      expect(evs).toHaveLength(1);
      return evs;
    });
    expect(event).toMatchObject({ type: 'Warning', message: '0/2 nodes are available: 2 Insufficient cpu.', count: 1 });
    expect(event?.firstTimestamp).toBe('2026-11-21T10:00:00Z');
    expect(await nodeOf(client, 'huge')).toBeUndefined();
    expect(scheduler.pendingCounts().unschedulable).toBe(1);
  });

  it('writes its Events through the event client it is given, and binds through its own', async () => {
    const { client, api } = await inProcessApi(cleanups);
    const eventClient = new ApiClient({ server: api.url });
    cleanups.push(() => eventClient.close());
    const created: string[] = [];
    const recordingEvents = new Proxy(eventClient, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (prop !== 'create' || typeof v !== 'function') return typeof v === 'function' ? v.bind(target) : v;
        return (r: ResourceType, ns: string | undefined, obj: KubeObject) => {
          created.push(r.resource);
          return v.call(target, r, ns, obj);
        };
      },
    });
    const bindsOn: string[] = [];
    const main = new Proxy(client, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (typeof v !== 'function') return v;
        if (prop === 'create') throw new Error('the scheduler creates nothing through its main client');
        if (prop === 'bind') bindsOn.push('main');
        return v.bind(target);
      },
    });
    const scheduler = new Scheduler({ client: main, eventClient: recordingEvents, clock: new FakeClock(Date.parse('2026-11-21T10:00:00Z')), random: seededRandom(1) });
    cleanups.push(() => scheduler.stop());
    await node(client, { name: 'node-1', cpu: '2', memory: '2Gi' });
    await scheduler.start();
    await client.create(podsR, 'default', pod('web', '100m'));
    expect(await bound(client, 'web')).toBe('node-1');
    await vi.waitFor(async () => expect(await eventsFor(client, 'web', 'Scheduled')).toHaveLength(1));
    expect(created).toEqual(['events']);
    expect(bindsOn).toEqual(['main']);
  });

  it('keeps pods off a cordoned node, and lets the pending pod in once it is uncordoned', async () => {
    const { client, scheduler } = await cluster();
    await node(client, { name: 'node-1', cpu: '2', memory: '2Gi', unschedulable: true });
    await scheduler.start();
    await client.create(podsR, 'default', pod('web', '100m'));
    await vi.waitFor(async () => {
      const [event] = await eventsFor(client, 'web', 'FailedScheduling');
      expect(event?.message).toBe('0/1 nodes are available: 1 node(s) were unschedulable.');
    });
    // The fake clock never moves: only the node update can bring the pod back.
    await client.patch(nodesR, undefined, 'node-1', 'merge', { spec: { unschedulable: null } });
    expect(await bound(client, 'web')).toBe('node-1');
  });

  it('retries a back-off after its delay on the clock, folding the repeated event into a count', async () => {
    const { client, clock, scheduler } = await cluster();
    await node(client, { name: 'node-1', cpu: '1', memory: '1Gi' });
    await scheduler.start();
    await client.create(podsR, 'default', pod('huge', '3'));
    await vi.waitFor(async () => expect(await eventsFor(client, 'huge', 'FailedScheduling')).toHaveLength(1));
    clock.advance(1000);
    await vi.waitFor(async () => {
      const evs = await eventsFor(client, 'huge', 'FailedScheduling');
      expect(evs.map((e) => e.count)).toEqual([2]);
    });
  });

  it('leaves a pod with spec.nodeName alone and counts its requests on that node', async () => {
    const { client, scheduler } = await cluster();
    await node(client, { name: 'node-1', cpu: '2', memory: '2Gi' });
    await node(client, { name: 'node-2', cpu: '4', memory: '4Gi' });
    await client.create(podsR, 'default', pod('pinned', '3', '64Mi', { nodeName: 'node-2' }));
    await scheduler.start();
    // node-2 has 1 CPU left, node-1 has 2: LeastAllocated alone would prefer node-2 without the pinned pod.
    await client.create(podsR, 'default', pod('web', '1500m'));
    expect(await bound(client, 'web')).toBe('node-1');
    expect(await nodeOf(client, 'pinned')).toBe('node-2');
    expect(await eventsFor(client, 'pinned', 'Scheduled')).toHaveLength(0);
  });

  it('ignores pods addressed to another scheduler', async () => {
    const { client, scheduler } = await cluster();
    await node(client, { name: 'node-1', cpu: '2', memory: '2Gi' });
    await scheduler.start();
    await client.create(podsR, 'default', pod('other', '100m', '64Mi', { schedulerName: 'other-scheduler' }));
    await client.create(podsR, 'default', pod('mine', '100m'));
    await bound(client, 'mine');
    expect(await nodeOf(client, 'other')).toBeUndefined();
  });

  it('with explain, annotates the pod with every node verdict and score', async () => {
    const { client, scheduler } = await cluster({ explain: true });
    await node(client, { name: 'node-1', cpu: '1', memory: '1Gi' });
    await node(client, { name: 'node-2', cpu: '4', memory: '4Gi', unschedulable: true });
    await node(client, { name: 'node-3', cpu: '4', memory: '4Gi' });
    await scheduler.start();
    await client.create(podsR, 'default', pod('web', '2'));
    expect(await bound(client, 'web')).toBe('node-3');
    const p = await client.get<Pod>(podsR, 'default', 'web');
    const verdicts = JSON.parse(p.metadata?.annotations?.[EXPLAIN_ANNOTATION] ?? '[]') as unknown[];
    expect(verdicts).toEqual([
      { node: 'node-1', fits: false, reasons: ['Insufficient cpu'] },
      { node: 'node-2', fits: false, reasons: ['node(s) were unschedulable'] },
      { node: 'node-3', fits: true, score: expect.any(Number) as number },
    ]);
  });
});
