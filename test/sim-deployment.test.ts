import { describe, expect, it } from 'vitest';
import { deploymentProperty } from './support/deployment-model.js';

/**
 * Model-based: random sequences of user changes (scale, set image, rollout undo, pause/resume,
 * cordon) and faults (pod deletion, node loss, controller manager or scheduler crash, dropped
 * requests, delayed, reordered and coalesced watch events, stale lists) on a whole simulated
 * cluster; the safety invariants of controller-rules.md at every instant; once the faults stop, the
 * Deployment complete within a bound of virtual time and then quiet.
 * Replay a failure: MINIK_SIM_SEED=<seed> MINIK_SIM_PATH=<path> npx vitest run test/sim-deployment.test.ts
 */
describe('Deployment on the simulated cluster, model-based', () => {
  it('keeps the safety invariants at every instant and converges once the faults stop', { timeout: 600_000 }, async () => {
    const started = Date.now();
    const runs = await deploymentProperty(0, 1);
    console.log(`sim-deployment: ${runs} scenarios in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(runs).toBeGreaterThan(0);
  });
});
