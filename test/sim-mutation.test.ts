import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { CONTROLLERS } from '../controllers/all.js';
import { createReplicaSetController } from '../controllers/replica-set/controller.js';
import { deploymentScenarios } from './support/deployment-model.js';
import { replicaSetProperty } from './support/replica-set-model.js';

/**
 * Mutation checks: the model-based properties are only worth their runs if they fail when a
 * safeguard the controllers need is taken away. Each mutant must be caught within a budget of
 * scenarios from a fixed seed; shrinking is skipped (the counterexample found is enough).
 */
vi.mock('../controllers/deployment/limits.js', async (original) => {
  const real = await original<typeof import('../controllers/deployment/limits.js')>();
  // Only when the test says so: the unmutated module is what every other case here runs.
  return { ...real, maxSurge: (d: Parameters<typeof real.maxSurge>[0]) => (surgeUnlimited ? Number.MAX_SAFE_INTEGER : real.maxSurge(d)) };
});
let surgeUnlimited = false;

const BUDGET = 100;

function caught<T>(result: fc.RunDetails<T>): string {
  expect(result.failed, `the mutant survived ${result.numRuns} scenarios`).toBe(true);
  return String(result.errorInstance).split('\n')[0]!;
}

describe('the simulated-cluster properties catch mutants', () => {
  it('a ReplicaSet controller without expectations creates pods twice from a lagging cache', { timeout: 300_000 }, async () => {
    const mutant = new Map(CONTROLLERS).set('replicaset', (ctx) => createReplicaSetController(ctx, { expectations: false }));
    const result = await fc.check(replicaSetProperty(mutant), { numRuns: BUDGET, seed: 3, endOnFailure: true });
    console.log(`mutant without expectations caught after ${result.numRuns} scenarios: ${caught(result)}`);
  });

  it('a rolling update without its surge limit runs more pods than replicas + maxSurge', { timeout: 300_000 }, async () => {
    surgeUnlimited = true;
    try {
      const result = await fc.check(deploymentScenarios(), { numRuns: BUDGET, seed: 3, endOnFailure: true });
      console.log(`mutant without a surge limit caught after ${result.numRuns} scenarios: ${caught(result)}`);
    } finally {
      surgeUnlimited = false;
    }
  });

  it('the same budget passes unmutated, so what is caught is the mutation', { timeout: 300_000 }, async () => {
    const rs = await fc.check(replicaSetProperty(), { numRuns: 20, seed: 3 });
    const dep = await fc.check(deploymentScenarios(), { numRuns: 20, seed: 3 });
    expect(rs.failed, String(rs.errorInstance)).toBe(false);
    expect(dep.failed, String(dep.errorInstance)).toBe(false);
  });
});
