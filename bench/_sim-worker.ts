import { parentPort, workerData } from 'node:worker_threads';
import { scenario } from './_sim-scenario.js';
import { nowMs } from './_stats.js';
import { WARMUP_SEEDS, type PoolShared, type ScenarioDone, type WorkerReport } from './_sim-pool.js';

/**
 * One thread of the scenario pool: it warms up, says it is ready, waits for the start, then takes
 * the next seed from the shared counter and runs it, until the pool's limit or deadline.
 */
const { counter, limit, warmupSeconds } = workerData as PoolShared;
const port = parentPort!;
const report = (m: WorkerReport) => port.postMessage(m);

port.once('message', async (deadline: number) => {
  try {
    for (;;) {
      // The deadline is asked before a seed is taken: every seed taken is run, so the seeds run are 1..n.
      if (limit === 0 && nowMs() >= deadline) break;
      const seed = Atomics.add(counter, 0, 1) + 1;
      if (limit > 0 && seed > limit) break;
      const s0 = nowMs();
      const r = await scenario(seed);
      report({ kind: 'scenario', seed, ...r, wallMs: nowMs() - s0 } satisfies ScenarioDone);
    }
    report({ kind: 'done' });
  } catch (err) {
    report({ kind: 'failed', message: (err as Error)?.stack ?? String(err) });
  }
});
// Warm-up scenarios draw from seeds the measured run never uses, so that they change nothing it counts.
try {
  const until = nowMs() + warmupSeconds * 1000;
  for (let seed = WARMUP_SEEDS; nowMs() < until; seed++) await scenario(seed);
  report({ kind: 'ready' });
} catch (err) {
  report({ kind: 'failed', message: (err as Error)?.stack ?? String(err) });
}
