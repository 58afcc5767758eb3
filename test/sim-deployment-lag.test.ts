import { describe, expect, it } from 'vitest';
import { SimCluster } from '../sim/cluster.js';
import { checkSafety, deployment, deployments, initialModel, setImage } from './support/deployment-model.js';

/**
 * Two template changes in quick succession while the controller manager sees every change up to 5 s
 * late: a Deployment controller that planned from a cache lagging its own ReplicaSet writes sized the
 * newest ReplicaSet from an old one's replicas before its last scale-up, and the rollout surged past
 * maxSurge (found by test/sim-deployment.test.ts from base seed 202).
 */
describe('a Deployment rolled twice while its controller sees changes late', () => {
  it('never surges past maxSurge', { timeout: 120_000 }, async () => {
    const surged: string[] = [];
    for (let seed = 0; seed < 40; seed++) {
      const sim = await SimCluster.start({ seed, nodes: 3 });
      const m = initialModel();
      const check = () => checkSafety(m, sim);
      try {
        await sim.client.create(deployments, 'default', deployment(3, 'app:1'));
        await sim.advance(20_000);
        sim.setFaults('controller-manager', { watchDelayMs: [0, 5_000] });
        await setImage(sim, (m.image = 'app:2'));
        await sim.advance(2_000 + (seed % 10) * 800, check);
        await setImage(sim, (m.image = 'app:3'));
        await sim.advance(20_000, check);
      } catch (err) {
        surged.push(`seed ${seed}: ${(err as Error).message.split('\n')[0]}`);
      } finally {
        await sim.stop();
      }
    }
    expect(surged).toEqual([]);
  });
});
