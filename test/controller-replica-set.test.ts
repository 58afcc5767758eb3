import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../api/client.js';
import { resolveResource } from '../api/resources.js';
import type { Pod } from '../api/schemas/pod.js';
import type { ReplicaSet } from '../api/schemas/workloads.js';
import { startControlPlane, type ControlPlane } from './support/cluster.js';

const pods = resolveResource('pods')!;
const rss = resolveResource('replicasets')!;

describe('the ReplicaSet controller in minik controller-manager, with a scheduler and simulated nodes', () => {
  let plane: ControlPlane;
  let client: ApiClient;

  beforeAll(async () => {
    plane = await startControlPlane([
      ['kubelet-sim', ['--nodes', '3', '--speed', '20']],
      ['scheduler', ['--seed', '3']],
      ['controller-manager', ['--controllers', 'replicaset', '--no-leader-elect']],
    ]);
    client = plane.client;
  });
  afterAll(() => plane?.stop());

  const running = async () => {
    const { items } = await client.list<Pod>(pods, 'default', { labelSelector: 'app=web' });
    return items.filter((p) => !p.metadata?.deletionTimestamp && p.status?.phase === 'Running');
  };
  const live = async () => (await client.list<Pod>(pods, 'default', { labelSelector: 'app=web' })).items.filter((p) => !p.metadata?.deletionTimestamp);
  const status = async () => (await client.get<ReplicaSet>(rss, 'default', 'web')).status;
  const settle = (fn: () => Promise<void>) => vi.waitFor(fn, { timeout: 15_000, interval: 200 });

  it('runs 3 pods spread over the nodes, then follows scaling to 5 and to 1', async () => {
    await client.create<ReplicaSet>(rss, 'default', {
      metadata: { name: 'web' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
        },
      },
    });
    await settle(async () => {
      const ps = await running();
      expect(ps).toHaveLength(3);
      // LeastAllocated puts each pod on the emptiest node: one per node.
      expect(new Set(ps.map((p) => p.spec?.nodeName))).toEqual(new Set(['node-1', 'node-2', 'node-3']));
      expect(await status()).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
    });

    await client.patch(rss, 'default', 'web', 'merge', { spec: { replicas: 5 } });
    await settle(async () => {
      expect(await running()).toHaveLength(5);
      expect(await status()).toMatchObject({ replicas: 5, readyReplicas: 5, observedGeneration: 2 });
    });

    await client.patch(rss, 'default', 'web', 'merge', { spec: { replicas: 1 } });
    await settle(async () => {
      expect(await live()).toHaveLength(1);
      expect(await status()).toMatchObject({ replicas: 1, readyReplicas: 1, observedGeneration: 3 });
    });
    // Settled means settled: no pod is created or deleted after that.
    const [last] = await live();
    await new Promise((r) => setTimeout(r, 500));
    expect((await live()).map((p) => p.metadata?.uid)).toEqual([last!.metadata?.uid]);
  });
});
