import { availableParallelism } from 'node:os';
import { resolveResource } from '../api/resources.js';
import type { Deployment } from '../api/schemas/workloads.js';
import { SimCluster } from '../sim/cluster.js';
import { runScenarioPool } from './_sim-pool.js';
import { deployment, setImage, STEPS } from './_sim-scenario.js';
import { nowMs, summarise } from './_stats.js';
import { renderTable } from './_table.js';

/**
 * `npm run bench -- sim [--seconds 20 | --scenarios N] [--threads N] [--warmup 3] [--rollout-replicas 1000]
 * [--rollout-nodes 100] [--rollout-timeout 600] [--skip-scenarios] [--skip-rollout]`: the simulated
 * cluster (sim/), the whole control plane in this process on a virtual clock.
 *
 * 1. Scenarios as test/sim-deployment.test.ts runs them: a fresh 3-node cluster, a Deployment of 3
 *    replicas asking 1 CPU each, then 50 steps (scale, set image, rollout undo, pause/resume, delete a
 *    pod, kill/revive a node, crash a component), each followed by 0.5-30 s of virtual time. The steps
 *    come from `seededRandom(scenario number)`, so scenario i is the same in every run. They run on
 *    worker threads of this process, one per core unless `--threads` says otherwise, as the suite's
 *    1,000 scenarios run on a vitest worker per core. Each thread first runs other seeds for `--warmup`
 *    seconds, unmeasured, so that the figures are of compiled code, as in a long test run. Figures: scenarios/s in all and on each thread,
 *    steps/s, ms per scenario, pods that reached Running per wall second, API writes per wall second,
 *    and the virtual seconds simulated per wall second.
 * 2. A Deployment brought to Ready, then rolled to a new image, in virtual time (1,000 replicas on 100
 *    nodes unless told; the size is `--rollout-replicas 10000 --rollout-nodes 1000`): wall and virtual seconds of
 *    each phase, and the RSS at the end.
 */

const TARGET_SCENARIOS_PER_S = 20;
/** Virtual time the large rollout moves per step between checks: the resolution of its virtual figures. */
const ROLLOUT_STEP_MS = 1_000;
const deployments = resolveResource('deployments')!;

interface Options {
  seconds: number;
  scenarios: number | undefined;
  threads: number;
  warmupSeconds: number;
  rolloutReplicas: number;
  rolloutNodes: number;
  rolloutTimeoutS: number;
  skipScenarios: boolean;
  skipRollout: boolean;
}

/** A number flag: positive, or 0 too when `zero` allows it. */
function flag(args: string[], name: string, fallback: number, zero?: boolean): number;
function flag(args: string[], name: string, fallback: undefined): number | undefined;
function flag(args: string[], name: string, fallback: number | undefined, zero = false): number | undefined {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(args[i + 1]);
  if (!Number.isFinite(v) || v < 0 || (v === 0 && !zero)) throw new Error(`--${name} wants a ${zero ? 'number, 0 or more' : 'positive number'}`);
  return v;
}

function options(args: string[]): Options {
  return {
    seconds: flag(args, 'seconds', 20),
    scenarios: flag(args, 'scenarios', undefined),
    threads: Math.floor(flag(args, 'threads', availableParallelism())),
    warmupSeconds: flag(args, 'warmup', 3, true),
    rolloutReplicas: flag(args, 'rollout-replicas', 1_000),
    rolloutNodes: flag(args, 'rollout-nodes', 100),
    rolloutTimeoutS: flag(args, 'rollout-timeout', 600),
    skipScenarios: args.includes('--skip-scenarios'),
    skipRollout: args.includes('--skip-rollout'),
  };
}

// ---- 1. scenarios ------------------------------------------------------------------------------

const threads = (n: number) => (n === 1 ? 'one worker thread' : `${n} worker threads`);

async function scenarios(o: Options): Promise<string[]> {
  const { results, wallMs } = await runScenarioPool(o);
  const wallS = wallMs / 1000;
  const n = results.length;
  const sum = (f: (r: (typeof results)[number]) => number) => results.reduce((s, r) => s + f(r), 0);
  const virtualS = sum((r) => r.virtualMs) / 1000;
  const perScenario = summarise(results.map((r) => r.wallMs));
  const perS = n / wallS;
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  return [
    `bench sim: ${n} scenarios of ${STEPS} steps on 3 nodes (seeds 1..${n}) in ${wallS.toFixed(1)} s, on ${threads(o.threads)}` +
      (o.warmupSeconds > 0 ? `, each warmed up first for ${o.warmupSeconds} s (--warmup 0 to measure from cold)` : ', from cold'),
    ...renderTable(
      ['figure', 'in-process', 'virtual time they covered', 'virtual/wall', 'target'],
      [
        ['scenarios/s', perS.toFixed(1), '', '', `>= ${TARGET_SCENARIOS_PER_S}: ${met(perS >= TARGET_SCENARIOS_PER_S)}`],
        ['scenarios/s, each thread', (perS / o.threads).toFixed(1), '', '', ''],
        ['steps/s', ((n * STEPS) / wallS).toFixed(0), '', '', ''],
        ['ms per scenario, mean / p99', `${(sum((r) => r.wallMs) / n).toFixed(1)} / ${perScenario.p99.toFixed(1)}`, '', '', ''],
        [`${n} scenarios, wall vs virtual`, `${wallS.toFixed(1)} s`, `${virtualS.toFixed(0)} s`, `${(virtualS / wallS).toFixed(0)}x`, ''],
        ['pods reached Running, per wall s', (sum((r) => r.runningPods) / wallS).toFixed(0), '', '', ''],
        ['API writes, per wall s', (sum((r) => r.writes) / wallS).toFixed(0), '', '', ''],
      ],
    ),
    '',
  ];
}

// ---- 2. a large rollout --------------------------------------------------------------------------

interface Phase {
  wallS: number;
  virtualS: number;
  done: boolean;
}

/** Moves virtual time until `done` says so or the wall-clock deadline passes. */
async function advanceUntil(sim: SimCluster, deadline: number, done: (d: Deployment | undefined) => boolean): Promise<Phase> {
  const w0 = nowMs();
  const v0 = sim.elapsed;
  let ok = false;
  while (!(ok = done(sim.objects<Deployment>('deployments', 'default')[0])) && nowMs() < deadline) await sim.advance(ROLLOUT_STEP_MS);
  return { wallS: (nowMs() - w0) / 1000, virtualS: (sim.elapsed - v0) / 1000, done: ok };
}

const allReady = (n: number) => (d: Deployment | undefined) => (d?.status?.readyReplicas ?? 0) === n;

/** Complete as `kubectl rollout status` sees it: the new generation observed, every pod updated and available, the old ones gone. */
const rolledOut = (n: number) => (d: Deployment | undefined) => {
  const s = d?.status ?? {};
  return (s.observedGeneration ?? 0) >= (d?.metadata?.generation ?? 1) && s.updatedReplicas === n && s.availableReplicas === n && s.replicas === n;
};

async function rollout(o: Options): Promise<string[]> {
  const n = o.rolloutReplicas;
  const w0 = nowMs();
  // A burst of thousands of pods keeps one instant busy for many turns of the event loop; it is not a livelock.
  const sim = await SimCluster.start({ seed: 1, nodes: o.rolloutNodes, maxSettleTurns: 10_000_000 });
  const startS = (nowMs() - w0) / 1000;
  const deadline = w0 + o.rolloutTimeoutS * 1000;
  try {
    // 100m each: ten pods to a node of 4 CPUs at the default sizes, well inside its 110-pod limit.
    await sim.client.create(deployments, 'default', deployment(n, 'app:1', '100m'));
    const up = await advanceUntil(sim, deadline, allReady(n));
    let roll: Phase | undefined;
    if (up.done) {
      await setImage(sim, 'app:2');
      roll = await advanceUntil(sim, deadline, rolledOut(n));
    }
    const d = sim.objects<Deployment>('deployments', 'default')[0];
    const rssMb = process.memoryUsage().rss / 2 ** 20;
    const ratio = (p: Phase) => `${(p.virtualS / p.wallS).toFixed(2)}x`;
    const finished = (p: Phase, what: string) => (p.done ? 'yes' : `not finished: ${what} after ${o.rolloutTimeoutS} s of wall time`);
    const rows = [
      [`cluster of ${o.rolloutNodes} nodes started`, `${startS.toFixed(1)} s`, '', '', ''],
      [`0 -> ${n} replicas, all Ready`, `${up.wallS.toFixed(1)} s`, `${up.virtualS.toFixed(0)} s`, ratio(up), finished(up, `${d?.status?.readyReplicas ?? 0} Ready`)],
    ];
    if (roll) {
      const s = d?.status ?? {};
      rows.push([`rolling update of ${n}`, `${roll.wallS.toFixed(1)} s`, `${roll.virtualS.toFixed(0)} s`, ratio(roll), finished(roll, `${s.updatedReplicas ?? 0} updated, ${s.availableReplicas ?? 0} available`)]);
    }
    rows.push(['RSS at the end', `${rssMb.toFixed(0)} MB`, '', '', '']);
    rows.push(['trace lines at the end', String(sim.trace.length), '', '', '']);
    return [
      `bench sim: a Deployment of ${n} replicas (100m each) on ${o.rolloutNodes} simulated nodes, virtual time moved ${ROLLOUT_STEP_MS / 1000} s at a time`,
      ...renderTable(['figure', 'wall', 'virtual', 'virtual/wall', 'finished'], rows),
      '',
    ];
  } finally {
    await sim.stop();
  }
}

export async function run(args: string[]): Promise<void> {
  const o = options(args);
  if (!o.skipScenarios) process.stdout.write((await scenarios(o)).join('\n') + '\n');
  if (!o.skipRollout) process.stdout.write((await rollout(o)).join('\n') + '\n');
}
