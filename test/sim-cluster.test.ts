import { describe, expect, it } from 'vitest';
import { resolveResource } from '../api/resources.js';
import type { Node } from '../api/schemas/cluster.js';
import type { Pod } from '../api/schemas/pod.js';
import type { Deployment } from '../api/schemas/workloads.js';
import { SimCluster } from '../sim/cluster.js';
import { webWorkload } from './support/web-workload.js';

const deployments = resolveResource('deployments')!;

const web = (replicas: number, image = 'nginx:1.27'): Deployment => webWorkload('Deployment', replicas, image, '100m');

const running = (sim: SimCluster) =>
  sim.objects<Pod>('pods', 'default').filter((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp);

/** A short scenario with every kind of command, its trace returned. */
async function scenario(seed: number): Promise<string> {
  const sim = await SimCluster.start({ seed, nodes: 3 });
  try {
    await sim.client.create(deployments, 'default', web(4));
    await sim.advance(30_000);
    await sim.deleteRandomPod('default');
    await sim.crash('controller-manager');
    await sim.client.patch(deployments, 'default', 'web', 'merge', { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] } } } });
    await sim.advance(30_000);
    await sim.killNode('node-2');
    await sim.advance(120_000);
    return sim.trace.join('\n');
  } finally {
    await sim.stop();
  }
}

describe('SimCluster', () => {
  it('runs a Deployment to Running pods spread over the nodes, in virtual time', async () => {
    const sim = await SimCluster.start({ seed: 1, nodes: 3 });
    try {
      expect(sim.objects('nodes').map((n) => n.metadata?.name)).toEqual(['node-1', 'node-2', 'node-3']);
      await sim.client.create(deployments, 'default', web(3));
      await sim.advance(60_000);
      const pods = running(sim);
      expect(pods).toHaveLength(3);
      expect(pods.every((p) => ['node-1', 'node-2', 'node-3'].includes(p.spec?.nodeName ?? ''))).toBe(true);
      expect(sim.objects<Deployment>('deployments', 'default')[0]!.status).toMatchObject({ replicas: 3, readyReplicas: 3, updatedReplicas: 3 });
      expect(sim.elapsed).toBe(60_000);
    } finally {
      await sim.stop();
    }
  });

  it('views the objects it holds without copying them, frozen, where objects() hands out copies to change', async () => {
    const sim = await SimCluster.start({ seed: 1, nodes: 3 });
    try {
      await sim.client.create(deployments, 'default', web(2));
      await sim.advance(30_000);
      const viewed = sim.view<Pod>('pods', 'default');
      expect(viewed.filter((p) => p.status?.phase === 'Running')).toHaveLength(2);
      expect(JSON.stringify(viewed)).toBe(JSON.stringify(sim.objects('pods', 'default')));
      expect(() => ((viewed[0]!.metadata as { name: string }).name = 'x')).toThrow(TypeError);
      const copy = sim.objects<Pod>('pods', 'default')[0]!;
      copy.metadata!.name = 'x';
      expect(sim.view<Pod>('pods', 'default')[0]!.metadata?.name).not.toBe('x');
    } finally {
      await sim.stop();
    }
  });

  it('gives the same trace, byte for byte, for the same seed and commands', async () => {
    const a = await scenario(42);
    const b = await scenario(42);
    expect(a.split('\n').length).toBeGreaterThan(50);
    expect(b).toBe(a);
  });

  it('carries on after a controller-manager crash: the fresh one scales what the old one left', async () => {
    const sim = await SimCluster.start({ seed: 3, nodes: 2 });
    try {
      await sim.client.create(deployments, 'default', web(2));
      await sim.advance(30_000);
      await sim.stopComponent('controller-manager');
      await sim.client.patch(deployments, 'default', 'web', 'merge', { spec: { replicas: 5 } });
      await sim.advance(30_000);
      expect(running(sim)).toHaveLength(2);
      await sim.startComponent('controller-manager');
      await sim.advance(30_000);
      expect(running(sim)).toHaveLength(5);
    } finally {
      await sim.stop();
    }
  });

  it('binds nothing while the scheduler is down, and everything once it is back', async () => {
    const sim = await SimCluster.start({ seed: 4, nodes: 2 });
    try {
      await sim.stopComponent('scheduler');
      await sim.client.create(deployments, 'default', web(3));
      await sim.advance(30_000);
      const pending = sim.objects<Pod>('pods', 'default');
      expect(pending).toHaveLength(3);
      expect(pending.every((p) => !p.spec?.nodeName)).toBe(true);
      await sim.startComponent('scheduler');
      await sim.advance(30_000);
      expect(running(sim)).toHaveLength(3);
    } finally {
      await sim.stop();
    }
  });

  it('replaces the pods of a node that went silent, on the other nodes', async () => {
    const sim = await SimCluster.start({ seed: 5, nodes: 3 });
    try {
      await sim.client.create(deployments, 'default', web(3));
      await sim.advance(30_000);
      await sim.killNode('node-1');
      // 40 s grace period, then the unreachable taint; pods tolerate it for 300 s.
      await sim.advance(420_000);
      const pods = running(sim).filter((p) => p.spec?.nodeName !== 'node-1');
      expect(pods).toHaveLength(3);
      expect(sim.objects('nodes').find((n) => n.metadata?.name === 'node-1')?.spec).toMatchObject({ taints: expect.arrayContaining([expect.objectContaining({ key: 'node.kubernetes.io/unreachable' })]) });
    } finally {
      await sim.stop();
    }
  });

  it('gives a cluster of more nodes than the default pod network holds a bigger one', { timeout: 60_000 }, async () => {
    const sim = await SimCluster.start({ seed: 6, nodes: 300 });
    try {
      await sim.advance(1_000);
      const cidrs = sim.objects<Node>('nodes').map((n) => n.spec?.podCIDR ?? '');
      expect(cidrs).toHaveLength(300);
      expect(new Set(cidrs).size).toBe(300);
      // Inside 10.128.0.0/9, clear of the services' 10.96.0.0/12.
      expect(cidrs.filter((c) => !(/^10\.(\d+)\.\d+\.0\/24$/.test(c) && Number(c.split('.')[1]) >= 128))).toEqual([]);
    } finally {
      await sim.stop();
    }
  });
});
