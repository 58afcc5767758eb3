import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { milliValue, parseQuantity } from '../../api/quantity.js';
import { resolveResource } from '../../api/resources.js';
import type { Node } from '../../api/schemas/cluster.js';
import type { Pod } from '../../api/schemas/pod.js';
import type { Deployment, ReplicaSet } from '../../api/schemas/workloads.js';
import type { ControllerFactory } from '../../controllers/controller.js';
import { SimCluster, type Component } from '../../sim/cluster.js';
import { webWorkload } from './web-workload.js';

/**
 * The model-based test of a Deployment on the simulated cluster, shared by the properties that use
 * it (test/sim-deployment, test/sim-mutation): 3 nodes of 4 CPUs, pods asking 1 CPU, random user
 * changes and faults as fast-check commands, the safety invariants of controller-rules.md after
 * every step, and once the faults stop, convergence and stability.
 */
export const deployments = resolveResource('deployments')!;
export const IMAGES = ['app:1', 'app:2', 'app:3'];
export const NODES = ['node-1', 'node-2', 'node-3'];
const REVISION = 'deployment.kubernetes.io/revision';
export const HISTORY_LIMIT = 2;

export interface Model {
  replicas: number;
  image: string;
  paused: boolean;
  deadNode: string | undefined;
  /**
   * Cordoned nodes, each with when it was cordoned and the pods it may hold: those it held then and
   * those bound while the scheduler's view could still lag (its watch delay); never another later.
   */
  cordoned: Map<string, { since: number; pods: Set<string> }>;
  /** The user changed replicas since the rollout last completed: the surge bound does not hold meanwhile. */
  userScaled: boolean;
  /** Components given faults: they are cleared before convergence. */
  faulty: Set<Component>;
}

export const initialModel = (): Model => ({
  replicas: 3,
  image: IMAGES[0]!,
  paused: false,
  deadNode: undefined,
  cordoned: new Map(),
  userScaled: false,
  faulty: new Set(),
});

type Real = { sim: SimCluster };
type Cmd = fc.AsyncCommand<Model, Real>;

export const deployment = (replicas: number, image: string): Deployment => webWorkload('Deployment', replicas, image, '1', { revisionHistoryLimit: HISTORY_LIMIT });

export const patchWeb = (sim: SimCluster, patch: unknown) => sim.client.patch(deployments, 'default', 'web', 'merge', patch);
/** What `kubectl set image` sends: a strategic merge patch, which merges containers by name (a merge patch would replace the list). */
export const setImage = (sim: SimCluster, image: string) =>
  sim.client.patch(deployments, 'default', 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'web', image }] } } } });

/** Every step ends by letting virtual time pass, so that the cluster acts on it; safety is checked at every instant. */
abstract class Step implements Cmd {
  constructor(readonly waitMs: number) {}
  check(_m: Readonly<Model>): boolean {
    return true;
  }
  abstract act(m: Model, sim: SimCluster): Promise<void>;
  abstract describe(): string;
  async run(m: Model, r: Real): Promise<void> {
    await this.act(m, r.sim);
    // Only an instant that wrote to what the invariants read can break them.
    let seen = 0;
    await r.sim.advance(this.waitMs, () => {
      const fresh = r.sim.trace.slice(seen);
      seen = r.sim.trace.length;
      if (seen === 0 || fresh.some((l) => WATCHED.test(l))) checkSafety(m, r.sim);
    });
  }
  toString(): string {
    return `${this.describe()} +${this.waitMs}ms`;
  }
}

const WATCHED = / (pods|replicasets|deployments|nodes) /;

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
    await setImage(sim, this.image);
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

class Cordon extends Step {
  constructor(readonly node: string, readonly on: boolean, waitMs: number) {
    super(waitMs);
  }
  async act(m: Model, sim: SimCluster) {
    await sim.cordon(this.node, this.on);
    if (!this.on) m.cordoned.delete(this.node);
    else if (!m.cordoned.has(this.node)) m.cordoned.set(this.node, { since: sim.clock.now(), pods: new Set(podsOn(sim, this.node)) });
  }
  describe() {
    return `${this.on ? 'cordon' : 'uncordon'} ${this.node}`;
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

interface FaultSpec {
  component: 'controller-manager' | 'scheduler' | 'kubelet';
  dropRate: number;
  delayMs: number;
  coalesce: boolean;
  staleRevisions: number;
}

/**
 * Faults of one component's connection: dropped requests, delayed (so reordered across streams) and
 * coalesced watch events, stale lists. Stale lists not for the node simulator: it writes no Lease
 * of its own on starting to fence its first lists with (the controller manager and the scheduler
 * do), and a crash of it is not a command here.
 */
class Faults extends Step {
  constructor(readonly f: FaultSpec, waitMs: number) {
    super(waitMs);
  }
  async act(m: Model, sim: SimCluster) {
    const { component, dropRate, delayMs, coalesce, staleRevisions } = this.f;
    sim.setFaults(component, {
      dropRate,
      ...(delayMs > 0 ? { watchDelayMs: [0, delayMs] as const } : {}),
      coalesce,
      staleRevisions: component === 'kubelet' ? 0 : staleRevisions,
    });
    m.faulty.add(component);
  }
  describe() {
    const f = this.f;
    return `faults ${f.component} drop=${f.dropRate} delay<=${f.delayMs}ms coalesce=${f.coalesce} stale=${f.staleRevisions}`;
  }
}

const rev = (rs: ReplicaSet) => Number(rs.metadata?.annotations?.[REVISION] ?? 0);
export const active = (p: Pod) => !p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
const podsOn = (sim: SimCluster, node: string) =>
  sim
    .view<Pod>('pods', 'default')
    .filter((p) => p.spec?.nodeName === node)
    .map((p) => p.metadata!.name!);

/** The safety invariants that hold at every instant, whatever the faults. */
export function checkSafety(m: Model, sim: SimCluster): void {
  const pods = sim.view<Pod>('pods', 'default');
  const rss = sim.view<ReplicaSet>('replicasets', 'default');
  const [d] = sim.view<Deployment>('deployments', 'default');
  for (const o of [...pods, ...rss]) {
    const controllers = (o.metadata?.ownerReferences ?? []).filter((r) => r.controller);
    expect(controllers.length, `${o.kind} ${o.metadata?.name} has ${controllers.length} controller ownerReferences`).toBeLessThanOrEqual(1);
  }
  for (const p of pods) {
    const owner = p.metadata?.ownerReferences?.find((r) => r.controller);
    const rs = owner && rss.find((x) => x.metadata?.uid === owner.uid);
    if (rs) expect(p.metadata?.labels?.['pod-template-hash'], `pod ${p.metadata?.name} adopted by ${rs.metadata?.name} without matching it`).toBe(rs.spec?.selector?.matchLabels?.['pod-template-hash']);
  }
  for (const n of sim.view<Node>('nodes')) {
    const bound = pods.filter((p) => p.spec?.nodeName === n.metadata?.name && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
    const cpu = bound.reduce((s, p) => s + milliValue(parseQuantity(String(p.spec?.containers[0]?.resources?.requests?.cpu ?? '0'))), 0);
    expect(cpu, `node ${n.metadata?.name} is over-committed: ${bound.length} pods`).toBeLessThanOrEqual(milliValue(parseQuantity(String(n.status?.allocatable?.cpu ?? '0'))));
  }
  for (const [node, c] of m.cordoned) {
    const settled = sim.clock.now() - c.since > MAX_WATCH_DELAY_MS;
    for (const name of podsOn(sim, node)) {
      if (!settled) c.pods.add(name);
      expect(c.pods.has(name), `pod ${name} was placed on ${node} after it was cordoned`).toBe(true);
    }
  }
  if (d && !m.userScaled) {
    const replicas = d.spec?.replicas ?? 1;
    const sum = rss.reduce((s, rs) => s + (rs.spec?.replicas ?? 0), 0);
    expect(sum, `ReplicaSets want ${sum} pods, more than ${replicas} replicas + surge`).toBeLessThanOrEqual(replicas + Math.ceil(replicas * 0.25));
  }
  if (d && complete(d, m)) m.userScaled = false;
}

export function complete(d: Deployment, m: Pick<Model, 'replicas'>): boolean {
  const s = d.status ?? {};
  return (
    (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
    (s.replicas ?? 0) === m.replicas &&
    (s.updatedReplicas ?? 0) === m.replicas &&
    (s.availableReplicas ?? 0) === m.replicas
  );
}

export const runningOf = (sim: SimCluster) => sim.objects<Pod>('pods', 'default').filter((p) => active(p) && p.status?.phase === 'Running');

/** Ends the faults: the dead node back, nodes uncordoned, connections healthy, the rollout resumed. */
export async function endFaults(m: Model, sim: SimCluster): Promise<void> {
  if (m.deadNode) await sim.reviveNode(m.deadNode);
  m.deadNode = undefined;
  for (const node of m.cordoned.keys()) await sim.cordon(node, false);
  m.cordoned.clear();
  for (const c of m.faulty) sim.setFaults(c, {});
  m.faulty.clear();
  if (m.paused) await patchWeb(sim, { spec: { paused: false } });
  m.paused = false;
}

/** Advances until the Deployment is complete with `replicas` Running pods, or the bound passes. */
export async function awaitComplete(m: Pick<Model, 'replicas'>, sim: SimCluster, boundMs = 15 * 60_000): Promise<void> {
  for (let waited = 0; waited < boundMs; waited += 10_000) {
    await sim.advance(10_000);
    const [d] = sim.objects<Deployment>('deployments', 'default');
    if (d && complete(d, m) && runningOf(sim).length === m.replicas) return;
  }
  const [d] = sim.objects<Deployment>('deployments', 'default');
  expect(d && complete(d, m), `not complete after ${boundMs} ms of virtual time: ${JSON.stringify(d?.status)}`).toBe(true);
}

/**
 * After the faults: the Deployment complete within a bound of virtual time, its pods running the
 * model's image, old ReplicaSets at zero and pruned; then a quiet minute in which no controller
 * creates, deletes or rescales anything (no oscillation) and the same pods keep running.
 */
export async function checkConverges(m: Model, sim: SimCluster): Promise<void> {
  await endFaults(m, sim);
  // Node loss takes 40 s to notice and 300 s of toleration before eviction; then the rollout.
  await awaitComplete(m, sim);
  const pods = runningOf(sim);
  expect(pods.map((p) => p.spec?.containers[0]?.image)).toEqual(Array(m.replicas).fill(m.image));
  const rss = sim.objects<ReplicaSet>('replicasets', 'default');
  expect(rss.filter((rs) => (rs.spec?.replicas ?? 0) > 0).length).toBeLessThanOrEqual(1);
  expect(rss.length).toBeLessThanOrEqual(HISTORY_LIMIT + 1);
  const from = sim.trace.length;
  await sim.advance(60_000);
  const churn = sim.trace.slice(from).filter((l) => / (create|delete|update|patch) (pods|replicasets|deployments) /.test(l) || / bind pods /.test(l));
  expect(churn, 'writes to workloads after the cluster converged').toEqual([]);
  expect(runningOf(sim).map((p) => p.metadata?.name)).toEqual(pods.map((p) => p.metadata?.name));
}

const wait = fc.integer({ min: 500, max: 30_000 });
const MAX_WATCH_DELAY_MS = 5_000;
const faultSpec: fc.Arbitrary<FaultSpec> = fc.record({
  component: fc.constantFrom('controller-manager' as const, 'scheduler' as const, 'kubelet' as const),
  dropRate: fc.constantFrom(0, 0, 0.1, 0.3),
  delayMs: fc.constantFrom(0, 500, 2_000, MAX_WATCH_DELAY_MS),
  coalesce: fc.boolean(),
  staleRevisions: fc.constantFrom(0, 0, 5, 30),
});

/** Every user change and fault, at most `maxCommands` of them. */
export function deploymentCommands(maxCommands = 10) {
  return fc.commands(
    [
      fc.tuple(fc.integer({ min: 0, max: 6 }), wait).map(([n, w]) => new Scale(n, w)),
      fc.tuple(fc.constantFrom(...IMAGES), wait).map(([i, w]) => new SetImage(i, w)),
      wait.map((w) => new Rollback(w) as Step),
      fc.tuple(fc.boolean(), wait).map(([p, w]) => new Pause(p, w)),
      wait.map((w) => new DeletePod(w) as Step),
      fc.tuple(fc.constantFrom(...NODES), wait).map(([n, w]) => new KillNode(n, w)),
      wait.map((w) => new ReviveNode(w) as Step),
      fc.tuple(fc.constantFrom(...NODES), fc.boolean(), wait).map(([n, on, w]) => new Cordon(n, on, w)),
      fc.tuple(fc.constantFrom('controller-manager' as const, 'scheduler' as const), wait).map(([c, w]) => new Crash(c, w)),
      fc.tuple(faultSpec, wait).map(([f, w]) => new Faults(f, w)),
    ],
    { maxCommands },
  );
}

/**
 * One scenario: a cluster from `seed`, the Deployment at 3 replicas, the commands, then convergence.
 * A failure carries the trace's last writes (fast-check adds its seed and the shrunk commands).
 */
export async function runDeploymentScenario(
  seed: number,
  cmds: Iterable<Cmd>,
  controllers?: ReadonlyMap<string, ControllerFactory>,
  afterConverged?: (sim: SimCluster, m: Model) => Promise<void>,
): Promise<void> {
  const sim = await SimCluster.start({ seed, nodes: 3, label: replayLabel, ...(controllers ? { controllers } : {}) });
  const model = initialModel();

  try {
    await sim.client.create(deployments, 'default', deployment(model.replicas, model.image));
    await sim.advance(20_000);
    await fc.asyncModelRun(() => ({ model, real: { sim } }), cmds);
    await checkConverges(model, sim);
    await afterConverged?.(sim, model);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- last writes of the trace (cluster seed ${seed}) ---\n${sim.trace.slice(-40).join('\n')}`);
  } finally {
    await sim.stop();
  }
}

/** The property: a cluster seed and up to 10 commands, each scenario run by runDeploymentScenario. */
export const deploymentScenarios = (controllers?: ReadonlyMap<string, ControllerFactory>, onRun?: () => void) =>
  fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 - 1 }), deploymentCommands(10), async (clusterSeed, cmds) => {
    onRun?.();
    await runDeploymentScenario(clusterSeed, cmds, controllers);
  });

/**
 * The property itself, as a test runs it: `part` of `parts` of the scenarios (each part in its own
 * test file, so that workers share them), or the one scenario MINIK_SIM_SEED and MINIK_SIM_PATH name.
 * Returns how many scenarios ran.
 */
export async function deploymentProperty(part: number, parts: number, controllers?: ReadonlyMap<string, ControllerFactory>): Promise<number> {
  const replaySeed = process.env.MINIK_SIM_SEED ? Number(process.env.MINIK_SIM_SEED) : undefined;
  // A fixed seed unless told, so that CI replays scenarios known to pass; MINIK_SIM_BASE_SEED explores.
  const scenarios = Number(process.env.MINIK_SIM_SCENARIOS ?? 1_000);
  const seed = replaySeed ?? Number(process.env.MINIK_SIM_BASE_SEED ?? 7) + part;
  let runs = 0;
  await fc.assert(
    deploymentScenarios(controllers, () => {
      // The run's index replays it unshrunk, should the watchdog have to end the process mid-run.
      replayLabel = replaySeed === undefined ? `replay: MINIK_SIM_SEED=${seed} MINIK_SIM_PATH=${runs}` : `replaying MINIK_SIM_SEED=${seed}`;
      runs++;
    }),
    replaySeed === undefined
      ? { numRuns: Math.ceil(scenarios / parts), seed }
      : { seed, ...(process.env.MINIK_SIM_PATH ? { path: process.env.MINIK_SIM_PATH } : {}) },
  );
  return runs;
}

/** How to replay the scenario under way, for the simulated cluster's watchdog. */
let replayLabel: string | undefined;

/**
 * The test of a test file that runs `part` of `parts` of the scenarios: model-based, random sequences
 * of user changes (scale, set image, rollout undo, pause/resume, cordon) and faults (pod deletion,
 * node loss, controller manager or scheduler crash, dropped requests, delayed, reordered and
 * coalesced watch events, stale lists) on a whole simulated cluster; the safety invariants of
 * controller-rules.md at every instant; once the faults stop, the Deployment complete within a bound
 * of virtual time and then quiet.
 */
export function describeDeploymentProperty(part: number, parts: number): void {
  describe(`Deployment on the simulated cluster, model-based (part ${part + 1} of ${parts})`, () => {
    it('keeps the safety invariants at every instant and converges once the faults stop', { timeout: 600_000 }, async () => {
      const started = Date.now();
      const runs = await deploymentProperty(part, parts);
      console.log(`sim-deployment (part ${part + 1} of ${parts}): ${runs} scenarios in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      expect(runs).toBeGreaterThan(0);
    });
  });
}
