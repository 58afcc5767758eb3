import { afterEach, describe, expect, it, vi } from 'vitest';
import { type KubeObject } from '../../api/client.js';
import { FakeClock } from '../../api/clock.js';
import { silentLogger } from '../../api/log.js';
import { resolveResource } from '../../api/resources.js';
import type { Node } from '../../api/schemas/cluster.js';
import type { Pod, Toleration } from '../../api/schemas/pod.js';
import { ControllerManager } from '../controller-manager.js';
import { nodeLifecycleController } from './controller.js';
import { inProcessApi } from '../../test/support/in-process-api.js';

const nodesR = resolveResource('nodes')!;
const podsR = resolveResource('pods')!;
const leasesR = resolveResource('leases')!;
const eventsR = resolveResource('events')!;

const START = Date.parse('2026-11-21T10:00:00Z');
const SPEED = 20; // grace period 2 s, the default toleration 300 s -> 15 s
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** Lease times are MicroTimes. */
const micro = (ms: number) => new Date(ms).toISOString().replace(/Z$/, '000Z');

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const conditions = (ready: 'True' | 'False', at: string) =>
  ['MemoryPressure', 'DiskPressure', 'PIDPressure'].map((type) => ({ type, status: 'False' as const, lastHeartbeatTime: at, lastTransitionTime: at })).concat([
    { type: 'Ready', status: ready as 'False', lastHeartbeatTime: at, lastTransitionTime: at },
  ]);

async function cluster() {
  const clock = new FakeClock(START);
  const { client } = await inProcessApi(cleanups, { clock });
  const node = await client.create<Node>(nodesR, undefined, { metadata: { name: 'node-2' } });
  await client.updateStatus(nodesR, undefined, { ...node, status: { conditions: conditions('True', iso(START)) } });
  await client.create(leasesR, 'kube-node-lease', { metadata: { name: 'node-2' }, spec: { holderIdentity: 'node-2', renewTime: micro(START) } });
  const pod = (name: string, tolerations: Toleration[] = []): Pod => ({
    metadata: { name },
    spec: { nodeName: 'node-2', containers: [{ name: 'c', image: 'nginx' }], tolerations },
  });
  await client.create(podsR, 'default', pod('web-1'));
  await client.create(podsR, 'default', pod('steady', [{ operator: 'Exists' }]));
  const manager = new ControllerManager({
    client,
    clock,
    logger: silentLogger(),
    speed: SPEED,
    controllers: new Map([['nodelifecycle', nodeLifecycleController]]),
  });
  await manager.start();
  cleanups.push(() => manager.stop());
  return { client, clock };
}

/** Moves virtual time on in small steps until `check` passes; answers the virtual time it took. */
async function advanceUntil(clock: FakeClock, check: () => Promise<void>, stepMs = 100): Promise<number> {
  const from = clock.now();
  await vi.waitFor(
    async () => {
      try {
        await check();
      } catch (err) {
        clock.advance(stepMs);
        throw err;
      }
    },
    { timeout: 15_000, interval: 10 },
  );
  return clock.now() - from;
}

const ready = (n: Node) => n.status?.conditions?.find((c) => c.type === 'Ready');
const taintIds = (n: Node) => (n.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`);

describe('node lifecycle controller against the API server', () => {
  it('marks a silent node Unknown and unreachable, evicts what does not tolerate it, and untaints it when it comes back', async () => {
    const { client, clock } = await cluster();
    const silentFor = await advanceUntil(clock, async () => {
      const n = await client.get<Node>(nodesR, undefined, 'node-2');
      expect(ready(n)).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: iso(START) });
      expect(taintIds(n)).toEqual(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    });
    expect(silentFor).toBeGreaterThanOrEqual(2_000);
    const { items: events } = await client.list<KubeObject & { reason?: string; message?: string }>(eventsR, 'default');
    expect(events.map((e) => [e.reason, e.message])).toContainEqual(['NodeNotReady', 'Node node-2 status is now: NodeNotReady']);

    // web-1 has the API server's default toleration, 300 s: 15 s at speed 20.
    expect((await client.get<Pod>(podsR, 'default', 'web-1')).metadata?.deletionTimestamp).toBeUndefined();
    const tolerated = await advanceUntil(clock, async () => {
      expect((await client.get<Pod>(podsR, 'default', 'web-1')).metadata?.deletionTimestamp).toBeDefined();
    }, 500);
    expect(tolerated).toBeGreaterThanOrEqual(14_000);
    expect((await client.get<Pod>(podsR, 'default', 'steady')).metadata?.deletionTimestamp).toBeUndefined();
    const after = await client.list<KubeObject & { reason?: string; message?: string }>(eventsR, 'default');
    expect(after.items.map((e) => [e.reason, e.message])).toContainEqual(['TaintManagerEviction', 'Marking for deletion Pod default/web-1']);

    // The kubelet is back: it renews its Lease and posts Ready=True.
    const n = await client.get<Node>(nodesR, undefined, 'node-2');
    await client.updateStatus(nodesR, undefined, { ...n, status: { ...n.status, conditions: conditions('True', iso(clock.now())) } });
    await advanceUntil(clock, async () => expect(taintIds(await client.get<Node>(nodesR, undefined, 'node-2'))).toEqual([]));
  });

  it('keeps a node whose Lease is renewed Ready, though its status heartbeat is old', async () => {
    const { client, clock } = await cluster();
    for (let i = 1; i <= 10; i++) {
      clock.advance(500);
      const lease = await client.get<KubeObject & { spec: object }>(leasesR, 'kube-node-lease', 'node-2');
      await client.update(leasesR, 'kube-node-lease', { ...lease, spec: { ...lease.spec, renewTime: micro(clock.now()) } });
      // Let the controller see the renewal before time moves on.
      await new Promise((r) => setTimeout(r, 30));
    }
    const n = await client.get<Node>(nodesR, undefined, 'node-2');
    expect([ready(n)?.status, taintIds(n)]).toEqual(['True', []]);
  });
});
