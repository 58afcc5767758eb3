import fc from 'fast-check';
import { describe, it } from 'vitest';
import { replicaSetProperty } from './support/replica-set-model.js';

/** Replay a failure: MINIK_SIM_SEED=<seed> MINIK_SIM_PATH=<path> npx vitest run test/sim-replica-set.test.ts */
describe('ReplicaSet on the simulated cluster, with the controller manager seeing changes late', () => {
  it('never has more active pods than its replicas, unless they just went down', { timeout: 300_000 }, async () => {
    const seed = process.env.MINIK_SIM_SEED;
    await fc.assert(
      replicaSetProperty(),
      seed === undefined
        ? { numRuns: Number(process.env.MINIK_SIM_SCENARIOS ?? 150), seed: Number(process.env.MINIK_SIM_BASE_SEED ?? 11) }
        : { seed: Number(seed), ...(process.env.MINIK_SIM_PATH ? { path: process.env.MINIK_SIM_PATH } : {}) },
    );
  });
});
