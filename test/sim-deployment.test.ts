import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveResource } from '../api/resources.js';
import type { Node } from '../api/schemas/cluster.js';
import type { Pod } from '../api/schemas/pod.js';
import type { Deployment, ReplicaSet } from '../api/schemas/workloads.js';
import { milliValue, parseQuantity } from '../api/quantity.js';
import { SimCluster } from '../sim/cluster.js';

/**
 * Model-based: random sequences of user changes and faults on a whole simulated cluster (3 nodes of
 * 4 CPUs, pods asking 1 CPU), the safety invariants of controller-rules.md after every step, and
 * once the faults stop, the Deployment complete within a bound of virtual time.
 * Replay a failure: MINIK_SIM_SEED=<seed> [MINIK_SIM_PATH=<path>] npx vitest run test/sim-deployment.test.ts
 */
const deployments = resolveResource('deployments')!;
const replicaSets = resolveResource('replicasets')!;
const IMAGES = ['app:1', 'app:2', 'app:3'];
const NODES = ['node-1', 'node-2', 'node-3'];
const REVISION = 'deployment.kubernetes.io/revision';
const HISTORY_LIMIT = 2;

interface Model {
  replicas: number;
  image: string;
  paused: boolean;
  deadNode: string | undefined;
  /** The user changed replicas since the rollout last completed: the surge bound does not hold meanwhile. */
  userScaled: boolean;
}

type Real = { sim: SimCluster };
type Cmd = fc.AsyncCommand<Model, Real>;

function deployment(replicas: number, image: string): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      revisionHistoryLimit: HISTORY_LIMIT,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image, resources: { requests: { cpu: '1' } } }] } },
    },
  } as Deployment;
}

const patchWeb = (sim: SimCluster, patch: unknown) => sim.client.patch(deployments, 'default', 'web', 'merge', patch);

/** Every step ends by letting virtual time pass, so that the cluster acts on it. */
abstract class Step implements Cmd {
  constructor(readonly waitMs: number) {}
  check(_m: Readonly<Model>): boolean {
    return true;
  }
  abstract act(m: Model, sim: SimCluster): Promise<void>;
  abstract describe(): string;
  async run(m: Model, r: Real): Promise<void> {
    await this.act(m, r.sim);
    await r.sim.advance(this.waitMs);
    checkSafety(m, r.sim);
  }
  toString(): string {
    return `${this.describe()} +${this.waitMs}ms`;
  }
}

class Scale extends Step {
  constructor(readonly replicas: number, waitMs: number) {
    super(waitMs);
  }
  async act(m: Model, sim: SimCluster) {
    await patchWeb(sim, { spec: { replicas: this.replicas } });
    if (this.replicas !== m.replicas) m.userScaled = true;
    m.replicas = this.replicas;
  }
  describe() {
    return `scale ${this.replicas}`;
  }
}

class SetImage extends Step {
  constructor(readonly image: string, waitMs: number) {
    super(waitMs);
  }
  async act(m: Model, sim: SimCluster) {
    await patchWeb(sim, { spec: { template: { spec: { containers: [{ name: 'web', image: this.image }] } } } });
    m.image = this.image;
  }
  describe() {
    return `set image ${this.image}`;
  }
}

/** `kubectl rollout undo`: the template of the previous revision becomes the Deployment's again. */
class Rollback extends Step {
  async act(m: Model, sim: SimCluster) {
    const rss = sim.objects<ReplicaSet>('replicasets', 'default').sort((a, b) => rev(b) - rev(a));
    const previous = rss[1];
    if (!previous) return;
    const template = structuredClone(previous.spec!.template!);
    delete template.metadata?.labels?.['pod-template-hash'];
    await patchWeb(sim, { spec: { template } });
    m.image = template.spec!.containers[0]!.image!;
  }
  describe() {
    return 'rollout undo';
  }
}

class Pause extends Step {
  constructor(readonly paused: boolean, waitMs: number) {
    super(waitMs);
  }
  async act(m: Model, sim: SimCluster) {
    await patchWeb(sim, { spec: { paused: this.paused } });
    m.paused = this.paused;
  }
  describe() {
    return this.paused ? 'rollout pause' : 'rollout resume';
  }
}

class DeletePod extends Step {
  async act(_m: Model, sim: SimCluster) {
    await sim.deleteRandomPod('default');
  }
  describe() {
    return 'delete a random pod';
  }
}

class KillNode extends Step {
  constructor(readonly node: string, waitMs: number) {
    super(waitMs);
  }
  override check(m: Readonly<Model>) {
    return m.deadNode === undefined;
  }
  async act(m: Model, sim: SimCluster) {
    await sim.killNode(this.node);
    m.deadNode = this.node;
  }
  describe() {
    return `kill ${this.node}`;
  }
}

class ReviveNode extends Step {
  override check(m: Readonly<Model>) {
    return m.deadNode !== undefined;
  }
  async act(m: Model, sim: SimCluster) {
    await sim.reviveNode(m.deadNode!);
    m.deadNode = undefined;
  }
  describe() {
    return 'revive the dead node';
  }
}

class Crash extends Step {
  constructor(readonly component: 'controller-manager' | 'scheduler', waitMs: number) {
    super(waitMs);
  }
  async act(_m: Model, sim: SimCluster) {
    await sim.crash(this.component);
  }
  describe() {
    return `crash ${this.component}`;
  }
}

const rev = (rs: ReplicaSet) => Number(rs.metadata?.annotations?.[REVISION] ?? 0);
const active = (p: Pod) => !p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';

/** The safety invariants that hold after every step, whatever the faults. */
function checkSafety(m: Model, sim: SimCluster): void {
  const pods = sim.objects<Pod>('pods', 'default');
  const rss = sim.objects<ReplicaSet>('replicasets', 'default');
  const [d] = sim.objects<Deployment>('deployments', 'default');
  for (const o of [...pods, ...rss]) {
    const controllers = (o.metadata?.ownerReferences ?? []).filter((r) => r.controller);
    expect(controllers.length, `${o.kind} ${o.metadata?.name} has ${controllers.length} controller ownerReferences`).toBeLessThanOrEqual(1);
  }
  for (const p of pods) {
    const owner = p.metadata?.ownerReferences?.find((r) => r.controller);
    const rs = owner && rss.find((x) => x.metadata?.uid === owner.uid);
    if (rs) expect(p.metadata?.labels?.['pod-template-hash'], `pod ${p.metadata?.name} adopted by ${rs.metadata?.name} without matching it`).toBe(rs.spec?.selector?.matchLabels?.['pod-template-hash']);
  }
  for (const n of sim.objects<Node>('nodes')) {
    const bound = pods.filter((p) => p.spec?.nodeName === n.metadata?.name && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
    const cpu = bound.reduce((s, p) => s + milliValue(parseQuantity(String(p.spec?.containers[0]?.resources?.requests?.cpu ?? '0'))), 0);
    expect(cpu, `node ${n.metadata?.name} is over-committed: ${bound.length} pods`).toBeLessThanOrEqual(milliValue(parseQuantity(String(n.status?.allocatable?.cpu ?? '0'))));
  }
  if (d && !m.userScaled) {
    const replicas = d.spec?.replicas ?? 1;
    const sum = rss.reduce((s, rs) => s + (rs.spec?.replicas ?? 0), 0);
    expect(sum, `ReplicaSets want ${sum} pods, more than ${replicas} replicas + surge`).toBeLessThanOrEqual(replicas + Math.ceil(replicas * 0.25));
  }
  if (d && complete(d, m)) m.userScaled = false;
}

function complete(d: Deployment, m: Model): boolean {
  const s = d.status ?? {};
  return (
    (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
    (s.replicas ?? 0) === m.replicas &&
    (s.updatedReplicas ?? 0) === m.replicas &&
    (s.availableReplicas ?? 0) === m.replicas
  );
}

/** After the faults: the Deployment complete, its pods running the model's image, old ReplicaSets at zero and pruned. */
async function checkConverges(m: Model, sim: SimCluster): Promise<void> {
  if (m.deadNode) await sim.reviveNode(m.deadNode);
  if (m.paused) await patchWeb(sim, { spec: { paused: false } });
  // Node loss takes 40 s to notice and 300 s of toleration before eviction; then the rollout.
  const boundMs = 15 * 60_000;
  for (let waited = 0; waited < boundMs; waited += 10_000) {
    await sim.advance(10_000);
    const [d] = sim.objects<Deployment>('deployments', 'default');
    if (d && complete(d, m) && runningOf(sim).length === m.replicas) break;
  }
  const [d] = sim.objects<Deployment>('deployments', 'default');
  expect(d && complete(d, m), `not complete after ${boundMs} ms of virtual time: ${JSON.stringify(d?.status)}`).toBe(true);
  const pods = runningOf(sim);
  expect(pods.map((p) => p.spec?.containers[0]?.image)).toEqual(Array(m.replicas).fill(m.image));
  const rss = sim.objects<ReplicaSet>('replicasets', 'default');
  expect(rss.filter((rs) => (rs.spec?.replicas ?? 0) > 0).length).toBeLessThanOrEqual(1);
  expect(rss.length).toBeLessThanOrEqual(HISTORY_LIMIT + 1);
  // And it stays there: another minute changes nothing that matters.
  await sim.advance(60_000);
  expect(runningOf(sim).map((p) => p.metadata?.name)).toEqual(pods.map((p) => p.metadata?.name));
}

const runningOf = (sim: SimCluster) => sim.objects<Pod>('pods', 'default').filter((p) => active(p) && p.status?.phase === 'Running');

const wait = fc.integer({ min: 500, max: 30_000 });
const commands = fc.commands(
  [
    fc.tuple(fc.integer({ min: 0, max: 6 }), wait).map(([n, w]) => new Scale(n, w)),
    fc.tuple(fc.constantFrom(...IMAGES), wait).map(([i, w]) => new SetImage(i, w)),
    wait.map((w) => new Rollback(w) as Step),
    fc.tuple(fc.boolean(), wait).map(([p, w]) => new Pause(p, w)),
    wait.map((w) => new DeletePod(w) as Step),
    fc.tuple(fc.constantFrom(...NODES), wait).map(([n, w]) => new KillNode(n, w)),
    wait.map((w) => new ReviveNode(w) as Step),
    fc.tuple(fc.constantFrom('controller-manager' as const, 'scheduler' as const), wait).map(([c, w]) => new Crash(c, w)),
  ],
  { maxCommands: 10 },
);

const replaySeed = process.env.MINIK_SIM_SEED ? Number(process.env.MINIK_SIM_SEED) : undefined;
const TIME_BUDGET_MS = Number(process.env.MINIK_SIM_BUDGET_MS ?? 25_000);

describe('Deployment on the simulated cluster, model-based', () => {
  it('keeps the safety invariants at every step and converges once the faults stop', { timeout: TIME_BUDGET_MS + 60_000 }, async () => {
    let runs = 0;
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 - 1 }), commands, async (clusterSeed, cmds) => {
        runs++;
        const sim = await SimCluster.start({ seed: clusterSeed, nodes: 3 });
        const model: Model = { replicas: 3, image: IMAGES[0]!, paused: false, deadNode: undefined, userScaled: false };
        try {
          await sim.client.create(deployments, 'default', deployment(model.replicas, model.image));
          await sim.advance(20_000);
          await fc.asyncModelRun(() => ({ model, real: { sim } }), cmds);
          await checkConverges(model, sim);
        } catch (err) {
          // The trace's tail says what the cluster did last; fast-check adds the seed and the shrunk commands.
          throw new Error(`${(err as Error).message}\n--- last writes of the trace (cluster seed ${clusterSeed}) ---\n${sim.trace.slice(-40).join('\n')}`);
        } finally {
          await sim.stop();
        }
      }),
      {
        numRuns: 1_000,
        interruptAfterTimeLimit: TIME_BUDGET_MS,
        ...(replaySeed === undefined ? {} : { seed: replaySeed, ...(process.env.MINIK_SIM_PATH ? { path: process.env.MINIK_SIM_PATH } : {}) }),
      },
    );
    const minutes = (Date.now() - started) / 60_000;
    console.log(`sim-deployment: ${runs} scenarios in ${(minutes * 60).toFixed(1)} s (${Math.round(runs / minutes)} a minute)`);
    expect(runs).toBeGreaterThan(0);
  });
});
