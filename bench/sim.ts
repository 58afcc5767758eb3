import { resolveResource } from '../api/resources.js';
import type { Pod } from '../api/schemas/pod.js';
import type { Deployment, ReplicaSet } from '../api/schemas/workloads.js';
import { seededRandom } from '../scheduler/random.js';
import { SimCluster } from '../sim/cluster.js';
import { nowMs, summarise } from './_stats.js';
import { renderTable } from './_table.js';

/**
 * `npm run bench -- sim [--seconds 20 | --scenarios N] [--rollout-replicas 1000] [--rollout-nodes 100]
 * [--rollout-timeout 600] [--skip-scenarios] [--skip-rollout]`: the simulated cluster (sim/), the whole
 * control plane in this process on a virtual clock.
 *
 * 1. Scenarios as test/sim-deployment.test.ts runs them: a fresh 3-node cluster, a Deployment of 3
 *    replicas asking 1 CPU each, then 50 steps (scale, set image, rollout undo, pause/resume, delete a
 *    pod, kill/revive a node, crash a component), each followed by 0.5-30 s of virtual time. The steps
 *    come from `seededRandom(scenario number)`, so scenario i is the same in every run. Figures:
 *    scenarios/s, steps/s, ms per scenario, pods that reached Running per wall second, API writes per
 *    wall second, and the virtual seconds simulated per wall second.
 * 2. A Deployment brought to Ready, then rolled to a new image, in virtual time (1,000 replicas on 100
 *    nodes unless told; the size is `--rollout-replicas 10000 --rollout-nodes 1000`): wall and virtual seconds of
 *    each phase, and the RSS at the end.
 */

const TARGET_SCENARIOS_PER_S = 20;
const STEPS = 50;
const NODES = ['node-1', 'node-2', 'node-3'];
const IMAGES = ['app:1', 'app:2', 'app:3'];
const REVISION = 'deployment.kubernetes.io/revision';
/** Virtual time the large rollout moves per step between checks: the resolution of its virtual figures. */
const ROLLOUT_STEP_MS = 1_000;
const deployments = resolveResource('deployments')!;

interface Options {
  seconds: number;
  scenarios: number | undefined;
  rolloutReplicas: number;
  rolloutNodes: number;
  rolloutTimeoutS: number;
  skipScenarios: boolean;
  skipRollout: boolean;
}

function flag(args: string[], name: string, fallback: number): number;
function flag(args: string[], name: string, fallback: undefined): number | undefined;
function flag(args: string[], name: string, fallback: number | undefined): number | undefined {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(args[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} wants a positive number`);
  return v;
}

function options(args: string[]): Options {
  return {
    seconds: flag(args, 'seconds', 20),
    scenarios: flag(args, 'scenarios', undefined),
    rolloutReplicas: flag(args, 'rollout-replicas', 1_000),
    rolloutNodes: flag(args, 'rollout-nodes', 100),
    rolloutTimeoutS: flag(args, 'rollout-timeout', 600),
    skipScenarios: args.includes('--skip-scenarios'),
    skipRollout: args.includes('--skip-rollout'),
  };
}

function deployment(replicas: number, image: string, cpu: string): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      revisionHistoryLimit: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image, resources: { requests: { cpu } } }] } },
    },
  } as Deployment;
}

const patchWeb = (sim: SimCluster, patch: unknown) => sim.client.patch(deployments, 'default', 'web', 'merge', patch);
/** As `kubectl set image`: a strategic merge patch keeps the container's other fields. */
const setImage = (sim: SimCluster, image: string) =>
  sim.client.patch(deployments, 'default', 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'web', image }] } } } });
const pick = <T>(random: () => number, xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const between = (random: () => number, min: number, max: number) => min + Math.floor(random() * (max - min + 1));

// ---- 1. scenarios ------------------------------------------------------------------------------

/** One step of a scenario; `deadNode` is the scenario's only state, as in the model of the test. */
type Step = (sim: SimCluster, state: { deadNode: string | undefined }) => Promise<unknown>;

/** `kubectl rollout undo`: the previous revision's template becomes the Deployment's again. */
async function rollback(sim: SimCluster): Promise<void> {
  const rev = (rs: ReplicaSet) => Number(rs.metadata?.annotations?.[REVISION] ?? 0);
  const previous = sim.objects<ReplicaSet>('replicasets', 'default').sort((a, b) => rev(b) - rev(a))[1];
  if (!previous) return;
  const template = structuredClone(previous.spec!.template!);
  delete template.metadata?.labels?.['pod-template-hash'];
  await patchWeb(sim, { spec: { template } });
}

/**
 * The step kinds of test/sim-deployment.test.ts, equally likely. Killing a node while one is dead, or
 * reviving when none is, is not possible there either: such a draw is drawn again (undefined).
 */
function drawStep(random: () => number, deadNode: string | undefined): Step | undefined {
  switch (Math.floor(random() * 8)) {
    case 0: {
      const replicas = between(random, 0, 6);
      return (sim) => patchWeb(sim, { spec: { replicas } });
    }
    case 1: {
      const image = pick(random, IMAGES);
      return (sim) => setImage(sim, image);
    }
    case 2:
      return (sim) => rollback(sim);
    case 3: {
      const paused = random() < 0.5;
      return (sim) => patchWeb(sim, { spec: { paused } });
    }
    case 4:
      return (sim) => sim.deleteRandomPod('default');
    case 5: {
      if (deadNode) return undefined;
      const node = pick(random, NODES);
      return async (sim, state) => {
        await sim.killNode(node);
        state.deadNode = node;
      };
    }
    case 6:
      if (!deadNode) return undefined;
      return async (sim, state) => {
        await sim.reviveNode(state.deadNode!);
        state.deadNode = undefined;
      };
    default: {
      const component = random() < 0.5 ? 'controller-manager' : 'scheduler';
      return (sim) => sim.crash(component);
    }
  }
}

interface ScenarioResult {
  virtualMs: number;
  /** Distinct pods seen in phase Running. */
  runningPods: number;
  /** Trace lines that are API writes (refused and dropped ones included: the server or the client did the work). */
  writes: number;
}

/**
 * Pods that reached Running are counted by uid from `sim.view('pods')` after the first 20 s and
 * after every step: the trace records writes, not phases. A pod that reaches Running and is gone
 * again within one step is missed, so the figure is a slight undercount.
 */
function noteRunning(sim: SimCluster, seen: Set<string>): void {
  for (const p of sim.view<Pod>('pods', 'default')) if (p.status?.phase === 'Running') seen.add(p.metadata?.uid ?? '');
}

async function scenario(seed: number): Promise<ScenarioResult> {
  const random = seededRandom(seed);
  const sim = await SimCluster.start({ seed, nodes: 3 });
  const running = new Set<string>();
  try {
    await sim.client.create(deployments, 'default', deployment(3, IMAGES[0]!, '1'));
    // As the test does: the Deployment up before the first fault.
    await sim.advance(20_000);
    noteRunning(sim, running);
    const state = { deadNode: undefined as string | undefined };
    for (let i = 0; i < STEPS; ) {
      const step = drawStep(random, state.deadNode);
      if (!step) continue;
      await step(sim, state);
      await sim.advance(between(random, 500, 30_000));
      noteRunning(sim, running);
      i++;
    }
    return { virtualMs: sim.elapsed, runningPods: running.size, writes: sim.trace.filter((l) => !/^\S+ sim /.test(l)).length };
  } finally {
    await sim.stop();
  }
}

async function scenarios(o: Options): Promise<string[]> {
  const results: Array<ScenarioResult & { wallMs: number }> = [];
  const t0 = nowMs();
  const deadline = t0 + o.seconds * 1000;
  for (let seed = 1; o.scenarios === undefined ? nowMs() < deadline : results.length < o.scenarios; seed++) {
    const s0 = nowMs();
    const r = await scenario(seed);
    results.push({ ...r, wallMs: nowMs() - s0 });
  }
  const wallS = (nowMs() - t0) / 1000;
  const n = results.length;
  const sum = (f: (r: (typeof results)[number]) => number) => results.reduce((s, r) => s + f(r), 0);
  const virtualS = sum((r) => r.virtualMs) / 1000;
  const perScenario = summarise(results.map((r) => r.wallMs));
  const perS = n / wallS;
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  return [
    `bench sim: ${n} scenarios of ${STEPS} steps on 3 nodes (seeds 1..${n}) in ${wallS.toFixed(1)} s`,
    ...renderTable(
      ['figure', 'in-process', 'virtual time they covered', 'virtual/wall', 'target'],
      [
        ['scenarios/s', perS.toFixed(1), '', '', `>= ${TARGET_SCENARIOS_PER_S}: ${met(perS >= TARGET_SCENARIOS_PER_S)}`],
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
