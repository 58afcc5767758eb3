import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../api/client.js';
import { resolveResource } from '../api/resources.js';
import type { Pod } from '../api/schemas/pod.js';
import type { Deployment, ReplicaSet } from '../api/schemas/workloads.js';
import { startControlPlane, type ControlPlane } from './support/cluster.js';

const pods = resolveResource('pods')!;
const deployments = resolveResource('deployments')!;
const replicasets = resolveResource('replicasets')!;

const deployment = (name: string, replicas: number, image: string): Deployment => ({
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image, resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } },
  },
});

const isReady = (p: Pod) => !p.metadata?.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

describe('the Deployment controller as a process, with the ReplicaSet controller, scheduler and kubelet-sim', () => {
  let plane: ControlPlane;
  let client: ApiClient;

  beforeAll(async () => {
    plane = await startControlPlane([
      ['scheduler', ['--seed', '7']],
      ['kubelet-sim', ['--nodes', '3', '--speed', '20']],
      ['controller-manager', ['--controllers', 'deployment,replicaset', '--no-leader-elect']],
    ]);
    client = plane.client;
  });
  afterAll(() => plane?.stop());

  const podsOf = async (app: string) => (await client.list<Pod>(pods, 'default', { labelSelector: `app=${app}` })).items;
  const rsOf = async (app: string) => (await client.list<ReplicaSet>(replicasets, 'default', { labelSelector: `app=${app}` })).items;

  /** What `kubectl rollout status` waits for. */
  const rolledOut = (name: string, replicas: number, image: string) =>
    vi.waitFor(
      async () => {
        const d = await client.get<Deployment>(deployments, 'default', name);
        expect(d.status?.observedGeneration).toBe(d.metadata?.generation);
        expect(d.status).toMatchObject({ replicas, updatedReplicas: replicas, availableReplicas: replicas });
        expect(d.status?.conditions?.find((c) => c.type === 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
        const live = (await podsOf(name)).filter((p) => !p.metadata?.deletionTimestamp);
        expect(live.filter(isReady).map((p) => p.spec?.containers[0]?.image)).toEqual(Array(replicas).fill(image));
        expect(live).toHaveLength(replicas);
      },
      { timeout: 20_000, interval: 100 },
    );

  it('scales a Deployment 3 -> 10 -> 2, converging each time', async () => {
    await client.create(deployments, 'default', deployment('scaled', 3, 'nginx:1'));
    await rolledOut('scaled', 3, 'nginx:1');
    await client.patch(deployments, 'default', 'scaled', 'merge', { spec: { replicas: 10 } });
    await rolledOut('scaled', 10, 'nginx:1');
    await client.patch(deployments, 'default', 'scaled', 'merge', { spec: { replicas: 2 } });
    await rolledOut('scaled', 2, 'nginx:1');
    // Scaling is not a rollout: one ReplicaSet, still revision 1.
    const rss = await rsOf('scaled');
    expect(rss).toHaveLength(1);
    expect(rss[0]!.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
  });

  it('rolls out a new image without ever going below replicas - maxUnavailable ready pods', async () => {
    const replicas = 4;
    await client.create(deployments, 'default', deployment('rolling', replicas, 'nginx:1'));
    await rolledOut('rolling', replicas, 'nginx:1');

    let lowest = Infinity;
    let polling = true;
    const watch = (async () => {
      while (polling) {
        lowest = Math.min(lowest, (await podsOf('rolling')).filter(isReady).length);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    try {
      await client.patch(deployments, 'default', 'rolling', 'merge', {
        spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } } },
      });
      await rolledOut('rolling', replicas, 'nginx:2');
    } finally {
      polling = false;
      await watch;
    }
    expect(lowest).toBeLessThanOrEqual(replicas);
    expect(lowest).toBeGreaterThanOrEqual(replicas - 1);
    const rss = await rsOf('rolling');
    expect(rss.map((rs) => [rs.metadata?.annotations?.['deployment.kubernetes.io/revision'], rs.spec?.replicas]).sort()).toEqual([
      ['1', 0],
      ['2', replicas],
    ]);
  });

  // Deleting a Deployment with propagationPolicy Background removes its ReplicaSets and pods only
  // through the garbage collector, which is another controller: that part is not tested here.
});
