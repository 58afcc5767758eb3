import { resolveResource } from '../api/resources.js';
import type { Pod } from '../api/schemas/pod.js';
import type { Deployment, ReplicaSet } from '../api/schemas/workloads.js';
import { seededRandom } from '../scheduler/random.js';
import { SimCluster } from '../sim/cluster.js';

/**
 * One scenario of `npm run bench -- sim`, as test/sim-deployment.test.ts runs them: a fresh 3-node
 * cluster, a Deployment of 3 replicas asking 1 CPU each, then 50 steps drawn from
 * `seededRandom(seed)`, so that scenario i is the same in every run and on every thread.
 */

export const STEPS = 50;
const NODES = ['node-1', 'node-2', 'node-3'];
const IMAGES = ['app:1', 'app:2', 'app:3'];
const REVISION = 'deployment.kubernetes.io/revision';
const deployments = resolveResource('deployments')!;

export function deployment(replicas: number, image: string, cpu: string): Deployment {
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
export const setImage = (sim: SimCluster, image: string) =>
  sim.client.patch(deployments, 'default', 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'web', image }] } } } });
const pick = <T>(random: () => number, xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const between = (random: () => number, min: number, max: number) => min + Math.floor(random() * (max - min + 1));

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

export interface ScenarioResult {
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

export async function scenario(seed: number): Promise<ScenarioResult> {
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

