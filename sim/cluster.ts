import { isNotFound, type KubeObject } from '../api/client.js';
import { microTime } from '../api/leader-election.js';
import { silentLogger } from '../api/log.js';
import { resolveResource, storePrefix } from '../api/resources.js';
import { ensureSystemNamespaces } from '../apiserver/bootstrap.js';
import { copyOfCached } from '../api/json-copy.js';
import { Registry } from '../apiserver/registry.js';
import { strategies } from '../apiserver/strategies/index.js';
import { WatchCache } from '../apiserver/watch-cache.js';
import { CONTROLLERS } from '../controllers/all.js';
import type { ControllerFactory } from '../controllers/controller.js';
import { ControllerManager } from '../controllers/controller-manager.js';
import { HEARTBEATS_ANNOTATION } from '../kubelet-sim/heartbeat-fault.js';
import { NodeSim } from '../kubelet-sim/node-sim.js';
import { seededRandom } from '../scheduler/random.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { Backend } from '../store/backend.js';
import { Mvcc } from '../store/mvcc.js';
import { Watchdog } from './watchdog.js';
import { Activity, InProcessClient, type ClientFaults, type WriteRecord } from './in-process-client.js';
import { FakeClock } from '../api/clock.js';

/** Faults of one component's API connection; see `SimCluster.setFaults`. */
export interface SimFaults {
  dropRate?: number;
  watchDelayMs?: readonly [number, number];
  coalesce?: boolean;
  staleRevisions?: number;
}

/** The processes of a cluster that can crash, restart, and be given faults. */
export type Component = 'controller-manager' | 'scheduler' | 'kubelet';
const COMPONENTS: readonly Component[] = ['controller-manager', 'scheduler', 'kubelet'];

export interface SimClusterOptions {
  /** Everything random in the cluster (names, uids aside, tie-breaks, stage jitter, faults) follows from it. */
  seed: number;
  /** Simulated nodes node-1..node-N: 4 CPUs, 8Gi, 110 pods each. */
  nodes: number;
  /**
   * The pod network, one /24 per node: 10.244.0.0/16 (255 nodes) unless given, or 10.128.0.0/9
   * (32,767) for more nodes than that holds.
   */
  clusterCidr?: string;
  /** The controllers to run, by name (all of them unless given). */
  controllers?: ReadonlyMap<string, ControllerFactory>;
  /** MINIK_SPEED for the simulated delays; 1 unless given. Virtual time costs nothing, so 1 is usual. */
  speed?: number;
  /** The virtual clock starts here (ms since the epoch). */
  startTime?: number;
  /** Turns of the event loop `settle` allows before it calls the cluster livelocked; 200,000 unless given. */
  maxSettleTurns?: number;
  /**
   * How to replay this cluster's scenario (`MINIK_SIM_SEED=7 MINIK_SIM_PATH=41`), printed should its
   * thread get stuck in synchronous code (see sim/watchdog.ts).
   */
  label?: string;
}

const pods = resolveResource('pods')!;
const MAX_FIRINGS_PER_INSTANT = 10_000;
/** Where the virtual clock starts unless told. */
const DEFAULT_START = Date.parse('2026-01-01T00:00:00Z');
const nodesR = resolveResource('nodes')!;
const leasesR = resolveResource('leases')!;
/** How many nodes the default pod network holds, and the one a bigger cluster gets (clear of the 10.96.0.0/12 services). */
const DEFAULT_NETWORK_NODES = 255;
const LARGE_CLUSTER_CIDR = '10.128.0.0/9';

/**
 * The whole control plane in this process on one virtual clock: the store's MVCC on tables in memory,
 * the API server's Registry and watch cache, the controller manager, the scheduler and the node
 * simulator, each talking through its own in-process client. Nothing runs until the test moves time;
 * the same seed and the same commands give the same trace of API writes, byte for byte.
 *
 *   const sim = await SimCluster.start({ seed: 7, nodes: 3 });
 *   await sim.client.create(deployments, 'default', web);   // replicas: 3
 *   await sim.advance(60_000);       // one virtual minute, every reaction settled in between
 *   sim.objects('pods').length       // 3, Running on node-1..node-3
 *   await sim.crash('controller-manager'); await sim.advance(10_000);   // a fresh one takes over
 *   sim.trace.join('\n')             // "+0.000 user create deployments default/web rv=..." ...
 *   await sim.stop();
 */
export class SimCluster {
  /** Every API write and every command, one line each, in order: `+<virtual seconds> <actor> <verb> <resource> <ns/name> <outcome>`. */
  readonly trace: string[] = [];
  /** The client a test acts through (actor `user` in the trace). */
  readonly client: InProcessClient;
  readonly clock: FakeClock;
  private readonly activity = new Activity();
  private readonly clients = new Map<Component, InProcessClient>();
  private readonly faults = new Map<Component | 'user', ClientFaults>();
  private manager: ControllerManager | undefined;
  private scheduler: Scheduler | undefined;
  private kubelet: NodeSim | undefined;
  /** The virtual time the trace last stamped, and its text. */
  private stampedAt = Number.NaN;
  private stampText = '';
  private readonly faultRandom: () => number;
  private restarts = 0;
  private readonly watchdog = Watchdog.get();
  private stopped = false;

  private constructor(
    private readonly opts: SimClusterOptions,
    private readonly store: Mvcc,
    private readonly cache: WatchCache,
    private readonly registry: Registry,
    clock: FakeClock,
  ) {
    this.clock = clock;
    this.faultRandom = seededRandom(opts.seed ^ 0x5eed0004);
    this.client = this.newClient('user');
    this.watchdog.started();
    this.watchdog.label(`cluster seed ${opts.seed}${opts.label ? `; ${opts.label}` : ''}`);
  }

  static async start(opts: SimClusterOptions): Promise<SimCluster> {
    const clock = new FakeClock(opts.startTime ?? DEFAULT_START);
    const store = await Mvcc.open({ backend: await Backend.open() });
    // Events too, unlike the API server's: `objects()` answers from the cache at once, Events included.
    const cache = new WatchCache({ store, now: () => clock.now(), uncached: [] });
    let uids = 0;
    const registry = new Registry({
      store,
      cache,
      clock,
      strategies: strategies(),
      random: seededRandom(opts.seed ^ 0x5eed0001),
      // Numbered, so that a replay names every object alike; pods are ranked by uid among equals.
      uid: () => `00000000-0000-4000-8000-${(++uids).toString(16).padStart(12, '0')}`,
    });
    await cache.start();
    await ensureSystemNamespaces(registry);
    const sim = new SimCluster(opts, store, cache, registry, clock);
    try {
      for (const c of COMPONENTS) await sim.startComponent(c);
      await sim.settle();
    } catch (err) {
      await sim.stop();
      throw err;
    }
    return sim;
  }

  /** Virtual milliseconds since the cluster started. */
  get elapsed(): number {
    return this.clock.now() - (this.opts.startTime ?? DEFAULT_START);
  }

  /**
   * Moves virtual time forward by `ms`, one instant at a time: the timers due at each instant fire,
   * then everything they set off runs to quiet before the next instant. `afterEachInstant` runs at
   * every quiet point, for invariants that must hold all along, not only at the end.
   */
  async advance(ms: number, afterEachInstant?: () => void): Promise<void> {
    const until = this.clock.now() + ms;
    await this.settle();
    afterEachInstant?.();
    // Timers that keep setting timers for the same instant never let time move: a livelock too.
    let at = this.clock.now();
    let sameInstant = 0;
    while (this.clock.fireNext(until)) {
      sameInstant = this.clock.now() === at ? sameInstant + 1 : 0;
      at = this.clock.now();
      if (sameInstant > MAX_FIRINGS_PER_INSTANT) {
        throw new Error(`the cluster livelocked at +${this.elapsed} ms: timers fired ${MAX_FIRINGS_PER_INSTANT} times without time moving on`);
      }
      await this.settle();
      afterEachInstant?.();
    }
    this.clock.moveTo(until);
  }

  /**
   * Lets every reaction run until nothing is under way: no request, no watch event in flight, and
   * nothing new for two turns of the event loop. Throws (never hangs) if that does not happen.
   */
  async settle(): Promise<void> {
    const max = this.opts.maxSettleTurns ?? 200_000;
    for (let quiet = 0, turns = 0; quiet < 2; turns++) {
      if (turns > max) {
        throw new Error(`the cluster did not settle within ${max} event-loop turns at +${this.elapsed} ms: ${this.activity.inFlight} calls or deliveries still under way`);
      }
      const ticks = this.activity.ticks;
      await new Promise<void>((r) => setImmediate(r));
      quiet = this.activity.inFlight === 0 && this.activity.ticks === ticks ? quiet + 1 : 0;
    }
  }

  /** Objects of a resource as the API server holds them now (copies, in key order); not traced. */
  objects<T extends KubeObject = KubeObject>(resource: string, namespace?: string): T[] {
    return this.view<T>(resource, namespace).map((o) => copyOfCached(o) as T);
  }

  /**
   * As `objects`, without the copies: the API server's own objects, frozen, shared by every reader
   * (changing one throws). For checks that look at every object at every instant.
   *
   *   sim.view<Pod>('pods', 'default').filter((p) => p.status?.phase === 'Running').length   // 3
   */
  view<T extends KubeObject = KubeObject>(resource: string, namespace?: string): Readonly<T>[] {
    const r = resolveResource(resource);
    if (!r) throw new Error(`Cannot list ${resource}: no such resource`);
    return this.cache.list(storePrefix(r, namespace)).map((o) => o.object as Readonly<T>);
  }

  // ---- faults, as commands --------------------------------------------------------------------

  /**
   * A component's process dies and a fresh one starts: the old one's requests fail from now on (those
   * the server already has finish), its caches, queues and memory (expectations, assumed pods) are gone,
   * and the new one lists and watches from scratch.
   */
  async crash(component: Component): Promise<void> {
    this.note(`crash ${component}`);
    await this.stopComponent(component);
    await this.startComponent(component);
  }

  /** Stops a component (it stays down until `restart`): a scheduler that is down binds nothing. */
  async stopComponent(component: Component): Promise<void> {
    this.note(`stop ${component}`);
    this.clients.get(component)?.kill();
    this.clients.delete(component);
    const stopping =
      component === 'controller-manager' ? this.manager?.stop() : component === 'scheduler' ? this.scheduler?.stop() : this.kubelet?.stop();
    if (component === 'controller-manager') this.manager = undefined;
    if (component === 'scheduler') this.scheduler = undefined;
    if (component === 'kubelet') this.kubelet = undefined;
    // A stop waits for the work in flight, which the dead client fails fast; it must not hold the cluster up.
    void stopping?.catch(() => undefined);
    await this.settle();
  }

  /** Starts a component that is down (a no-op if it runs). */
  async startComponent(component: Component): Promise<void> {
    if (this.clients.has(component)) return;
    if (this.trace.length > 0) this.note(`start ${component}`);
    const client = this.newClient(component);
    this.clients.set(component, client);
    const speed = this.opts.speed ?? 1;
    const random = seededRandom((this.opts.seed ^ 0x5eed0002) + 7919 * this.restarts++);
    let started: Promise<void>;
    if (component === 'controller-manager') {
      const fence = () => this.takeLease(client, 'kube-controller-manager');
      this.manager = new ControllerManager({ client, clock: this.clock, logger: silentLogger(), speed, controllers: this.opts.controllers ?? CONTROLLERS, fence });
      started = this.manager.start();
    } else if (component === 'scheduler') {
      this.scheduler = new Scheduler({ client, clock: this.clock, random, fence: () => this.takeLease(client, 'kube-scheduler') });
      started = this.scheduler.start();
    } else {
      const clusterCidr = this.opts.clusterCidr ?? (this.opts.nodes > DEFAULT_NETWORK_NODES ? LARGE_CLUSTER_CIDR : undefined);
      this.kubelet = new NodeSim({ client, clock: this.clock, nodes: this.opts.nodes, cpu: '4', memory: '8Gi', maxPods: 110, speed, random, ...(clusterCidr ? { clusterCidr } : {}) });
      started = this.kubelet.start();
    }
    // Starting lists and watches; it must not wait on time, which only the test moves.
    started.catch((err: unknown) => this.note(`${component} failed to start: ${(err as Error).message}`));
    await this.settle();
  }

  /**
   * A node goes silent: its heartbeats (Lease and status) stop, as when its kubelet dies. The node
   * lifecycle controller notices after its grace period, taints it, and its pods are evicted later.
   */
  async killNode(name: string): Promise<void> {
    this.note(`kill node ${name}`);
    await this.annotateNode(name, 'stopped');
  }

  /** The node's heartbeats resume. */
  async reviveNode(name: string): Promise<void> {
    this.note(`revive node ${name}`);
    await this.annotateNode(name, null);
  }

  /** Deletes one pod, chosen by the seed among those not already going; its name, or undefined if there was none. */
  async deleteRandomPod(namespace?: string): Promise<string | undefined> {
    const candidates = this.objects('pods', namespace).filter((p) => !p.metadata?.deletionTimestamp);
    if (candidates.length === 0) return undefined;
    const victim = candidates[Math.floor(this.faultRandom() * candidates.length)]!;
    this.note(`delete pod ${victim.metadata?.namespace}/${victim.metadata?.name}`);
    await this.client.delete(pods, victim.metadata?.namespace, victim.metadata?.name ?? '').catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
    });
    return `${victim.metadata?.namespace}/${victim.metadata?.name}`;
  }

  /**
   * Gives a component's API connection faults until changed: requests dropped with a chance
   * `dropRate`; watch events held `watchDelayMs` (its caches lag, its streams arrive out of step with
   * one another) and, with `coalesce`, an object's held changes merged into its last state; with
   * `staleRevisions`, lists served that many revisions in the past (a restarted component starts from
   * an old view). `setFaults(c, {})` clears them. A crash keeps the faults for the new process.
   */
  setFaults(component: Component | 'user', f: SimFaults): void {
    const faults = this.faultsOf(component);
    faults.dropRate = f.dropRate ?? 0;
    faults.watchDelayMs = f.watchDelayMs;
    faults.coalesce = f.coalesce ?? false;
    faults.staleRevisions = f.staleRevisions ?? 0;
    const delay = f.watchDelayMs ? f.watchDelayMs.join('-') : 'none';
    this.note(`faults ${component} drop=${faults.dropRate} watchDelay=${delay} coalesce=${faults.coalesce} stale=${faults.staleRevisions}`);
  }

  /** Marks a node unschedulable (`kubectl cordon`), or schedulable again: new pods go elsewhere, running ones stay. */
  async cordon(name: string, unschedulable = true): Promise<void> {
    this.note(`${unschedulable ? 'cordon' : 'uncordon'} node ${name}`);
    await this.client.patch(nodesR, undefined, name, 'merge', { spec: { unschedulable: unschedulable || null } });
    await this.settle();
  }

  /** Writes a command into the trace, so that a replay can be followed line by line. */
  note(what: string): void {
    this.trace.push(`${this.stamp()} sim ${what}`);
    this.watchdog.line(this.trace[this.trace.length - 1]!);
  }

  async stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      this.watchdog.stopped();
    }
    for (const c of COMPONENTS) {
      this.clients.get(c)?.kill();
      this.clients.delete(c);
    }
    await Promise.allSettled([this.manager?.stop(), this.scheduler?.stop(), this.kubelet?.stop()]);
    this.client.kill();
    this.cache.stop();
    await this.store.close();
  }

  /**
   * What a starting controller manager or scheduler writes first, as leader election has it do: its Lease. The
   * write's resourceVersion is how fresh its caches must start, whatever stale lists the faults serve.
   * A dropped write is tried again; after ten, the caches start unfenced.
   */
  private async takeLease(client: InProcessClient, name: string): Promise<string | undefined> {
    const spec = { holderIdentity: `${name}-${this.restarts}`, leaseDurationSeconds: 15, renewTime: microTime(this.clock.now()) };
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        const lease = await client.get(leasesR, 'kube-system', name).catch((err: unknown) => {
          if (isNotFound(err)) return undefined;
          throw err;
        });
        const written: KubeObject = lease
          ? await client.update(leasesR, 'kube-system', { ...lease, spec })
          : await client.create(leasesR, 'kube-system', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-system' }, spec });
        return written.metadata?.resourceVersion;
      } catch {
        // Dropped by a fault, or a conflict: the next attempt reads it again.
      }
    }
    return undefined;
  }

  private async annotateNode(name: string, value: string | null): Promise<void> {
    await this.client.patch(nodesR, undefined, name, 'merge', { metadata: { annotations: { [HEARTBEATS_ANNOTATION]: value } } });
    await this.settle();
  }

  private faultsOf(component: Component | 'user'): ClientFaults {
    let f = this.faults.get(component);
    if (!f) {
      f = { dropRate: 0, watchDelayMs: undefined, random: seededRandom((this.opts.seed ^ 0x5eed0003) + COMPONENTS.indexOf(component as Component) + 1) };
      this.faults.set(component, f);
    }
    return f;
  }

  private newClient(actor: Component | 'user'): InProcessClient {
    return new InProcessClient({
      registry: this.registry,
      cache: this.cache,
      clock: this.clock,
      actor,
      activity: this.activity,
      faults: this.faultsOf(actor),
      watchTimeouts: false,
      onWrite: (w) => this.record(w),
    });
  }

  private record(w: WriteRecord): void {
    const where = w.namespace ? `${w.namespace}/${w.name}` : w.name;
    this.trace.push(`${this.stamp()} ${w.actor} ${w.verb} ${w.resource} ${where} ${w.outcome}`);
    this.watchdog.line(this.trace[this.trace.length - 1]!);
  }

  /** The trace's time of a line; an instant's many writes share its text. */
  private stamp(): string {
    const elapsed = this.elapsed;
    if (elapsed !== this.stampedAt) {
      this.stampedAt = elapsed;
      this.stampText = `+${(elapsed / 1000).toFixed(3)}`;
    }
    return this.stampText;
  }
}
