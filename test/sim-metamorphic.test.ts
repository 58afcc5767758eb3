import fc from 'fast-check';
import { describe, it } from 'vitest';
import { anyPathEndsAsFresh, crashesChangeNothing } from './support/metamorphic.js';

/**
 * Metamorphic checks on the simulated cluster (test/support/metamorphic.ts).
 * Replay a failure: MINIK_SIM_SEED=<seed> MINIK_SIM_PATH=<path> npx vitest run test/sim-metamorphic.test.ts -t '<name>'
 */
const params = (numRuns: number, seed: number): fc.Parameters<unknown> =>
  process.env.MINIK_SIM_SEED === undefined
    ? { numRuns: Number(process.env.MINIK_SIM_SCENARIOS ?? numRuns), seed: Number(process.env.MINIK_SIM_BASE_SEED ?? seed) }
    : { seed: Number(process.env.MINIK_SIM_SEED), ...(process.env.MINIK_SIM_PATH ? { path: process.env.MINIK_SIM_PATH } : {}) };

describe('the simulated cluster, metamorphic', () => {
  it('reaching a spec through any changes and faults ends as applying it fresh does', { timeout: 300_000 }, async () => {
    await fc.assert(anyPathEndsAsFresh(), params(100, 13));
  });

  it('crashes and stale lists change neither the end state nor what is created and deleted', { timeout: 300_000 }, async () => {
    await fc.assert(crashesChangeNothing(), params(100, 17));
  });
});
