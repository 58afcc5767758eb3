import { describe, expect, it } from 'vitest';
import { runScenarioPool } from './_sim-pool.js';
import { scenario } from './_sim-scenario.js';

const worker = new URL('../dist/bench/_sim-worker.js', import.meta.url);

describe('the scenario pool of npm run bench -- sim', () => {
  it('runs seeds 1..n once each, on every thread, each as it runs on the main thread, whatever ran to warm up', async () => {
    const { results, wallMs } = await runScenarioPool({ threads: 2, seconds: 60, scenarios: 5, warmupSeconds: 0.3, worker });
    expect(results.map((r) => r.seed)).toEqual([1, 2, 3, 4, 5]);
    expect(wallMs).toBeGreaterThan(0);
    for (const seed of [1, 4]) {
      const here = await scenario(seed);
      const there = results[seed - 1]!;
      expect({ writes: there.writes, virtualMs: there.virtualMs, runningPods: there.runningPods }).toEqual(here);
      // A scenario that did nothing would pass the comparison too.
      expect(here.writes).toBeGreaterThan(100);
    }
  });

  it('when run for a time, counts every scenario it started, and no seed twice', async () => {
    const { results } = await runScenarioPool({ threads: 2, seconds: 0.5, scenarios: undefined, worker });
    expect(results.length).toBeGreaterThan(0);
    expect(results.map((r) => r.seed)).toEqual(results.map((_, i) => i + 1));
  });

  it('a thread whose script fails to load fails the run, rather than hanging it', async () => {
    const missing = new URL('../dist/bench/no-such-worker.js', import.meta.url);
    await expect(runScenarioPool({ threads: 2, seconds: 1, scenarios: 2, worker: missing })).rejects.toThrow();
  });
});
