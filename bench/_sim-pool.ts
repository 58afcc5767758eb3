import { Worker } from 'node:worker_threads';
import type { ScenarioResult } from './_sim-scenario.js';
import { nowMs } from './_stats.js';

export interface ScenarioDone extends ScenarioResult {
  kind: 'scenario';
  seed: number;
  wallMs: number;
}

export type WorkerReport = ScenarioDone | { kind: 'ready' } | { kind: 'done' } | { kind: 'failed'; message: string };

/** What every thread of a pool shares: the last seed taken, how many to run (0: until the deadline), how long to warm up. */
export interface PoolShared {
  counter: Int32Array;
  limit: number;
  warmupSeconds: number;
}

/** The first seed of the warm-up scenarios, far from the measured run's 1..n. */
export const WARMUP_SEEDS = 1_000_000_000;

export interface PoolOptions {
  threads: number;
  seconds: number;
  /** How many to run; undefined: as many as start within `seconds`. */
  scenarios: number | undefined;
  /**
   * Wall seconds each thread first runs scenarios of other seeds, unmeasured, so that the figures are
   * of code the engine has compiled (a fresh thread runs its first second or so at a third of the
   * speed); 0 unless given.
   */
  warmupSeconds?: number;
  /** The compiled worker script; the one beside this module unless given (tests run from the sources). */
  worker?: URL;
}

export interface PoolRun {
  /** By seed: 1..n, each run once. */
  results: ScenarioDone[];
  /** From the start signal, once every thread had loaded and warmed up, to the last scenario's end. */
  wallMs: number;
}

/**
 * Runs scenarios 1, 2, ... on `threads` worker threads, each taking the next seed when it is free,
 * for `seconds` of wall time or until `scenarios` have run. Scenarios share nothing, so threads
 * share them as vitest's workers share test/sim-deployment.test.ts and its second half. A scenario
 * started before the deadline runs to its end and counts.
 */
export async function runScenarioPool(o: PoolOptions): Promise<PoolRun> {
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const shared: PoolShared = { counter, limit: o.scenarios ?? 0, warmupSeconds: o.warmupSeconds ?? 0 };
  const url = o.worker ?? new URL('./_sim-worker.js', import.meta.url);
  const workers = Array.from({ length: o.threads }, () => new Worker(url, { workerData: shared }));
  const results: ScenarioDone[] = [];
  let t0 = 0;
  try {
    const ready: Array<Promise<void>> = [];
    const runs = workers.map((w) => {
      let loaded!: () => void;
      let failed!: (err: Error) => void;
      ready.push(new Promise<void>((resolve, reject) => ((loaded = resolve), (failed = reject))));
      return new Promise<void>((resolve, reject) => {
        const fail = (err: Error) => (failed(err), reject(err));
        w.on('message', (m: WorkerReport) => {
          if (m.kind === 'ready') loaded();
          else if (m.kind === 'scenario') results.push(m);
          else if (m.kind === 'done') resolve();
          else fail(new Error(`a scenario thread failed: ${m.message}`));
        });
        w.on('error', fail);
        w.on('exit', (code) => fail(new Error(`a scenario thread exited (code ${code}) before it was done`)));
      });
    });
    // A thread that fails while loading fails the wait for the others too, rather than leaving it hanging.
    runs.forEach((r) => r.catch(() => {}));
    await Promise.all(ready);
    t0 = nowMs();
    const deadline = t0 + o.seconds * 1000;
    for (const w of workers) w.postMessage(deadline);
    await Promise.all(runs);
    const wallMs = nowMs() - t0;
    return { results: results.sort((a, b) => a.seed - b.seed), wallMs };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
