import { isAlreadyExists, isConflict, isNotFound, type Api, type KubeObject } from '../api/client.js';
import { realClock, type Clock } from '../api/clock.js';
import { Informer, keyOf } from '../api/informer.js';
import { silentLogger, type Logger } from '../api/log.js';
import { pool } from '../api/pool.js';
import { resolveResource, type ResourceType } from '../api/resources.js';
import { applyMergePatch } from '../apiserver/patch/merge-patch.js';
import { missingConfig } from './config-refs.js';
import { executeResult } from './execute-result.js';
import { heartbeatsStopped } from './heartbeat-fault.js';
import { LeaseKeeper } from './lease-keeper.js';
import { NodeImages } from './node-images.js';
import { nodeObject, uniformNodes, withKubeletEndpoint, type KubeletEndpoint, type NodeShape, type SimNode } from './node-object.js';
import { PodIpPool } from './pod-ip-pool.js';
import { DEFAULT_CLUSTER_CIDR, parseClusterCidr, type PodNetwork } from './pod-network.js';
import { EventRecorder } from '../api/event-recorder.js';
import { StageRunner } from './stage-runner.js';
import { defaultStages } from './stages/defaults.js';
import { applyStage, matchingStage, stageDelayMs, type StageContext } from './stages/engine.js';
import type { Stage, StageEvent } from './stages/stage.js';
import { timestamp } from './timestamp.js';

const podsR = resolveResource('pods')!;
const nodesR = resolveResource('nodes')!;
const configMapsR = resolveResource('configmaps')!;
const secretsR = resolveResource('secrets')!;
/** Node creates in flight while registering: enough to keep the API server busy, not so many it queues. */
const REGISTER_CONCURRENCY = 64;
/** Registration events in flight afterwards: they may take their time. */
const EVENT_CONCURRENCY = 8;

export interface NodeSimOptions extends NodeShape {
  client: Api;
  /**
   * Leases and Node status, as a kubelet's HeartbeatClient: a node's heartbeat does not wait
   * behind a backlog of its pods' writes. `client` when not given.
   */
  heartbeatClient?: Api;
  /** Events, as a kubelet's EventClient: Events waiting to be written do not hold up pod status. `client` when not given. */
  eventClient?: Api;
  /** A count (node-1..node-N of the one shape above) or each node as a nodes file describes it. */
  nodes: number | readonly SimNode[];
  /** Advertised on each Node so that the API server can reach the simulator's log endpoint. */
  kubelet?: KubeletEndpoint;
  /** The pod network, one /24 per node: 10.244.0.0/16 (255 nodes) unless given. */
  clusterCidr?: string;
  clock?: Clock;
  /** MINIK_SPEED: every stage delay and the lease interval are divided by it; a function when it changes live (call speedChanged). */
  speed?: number | (() => number);
  /** Pods go through their stages with no delay (benchmarks); nodes keep the heartbeat cadence of `speed`. */
  instantPods?: boolean;
  stages?: readonly Stage[];
  random?: () => number;
  logger?: Logger;
  onTransition?(stage: string): void;
}

type Spec = { nodeName?: string; containers?: Array<{ image?: string }>; initContainers?: Array<{ image?: string }> };
type Status = { phase?: string; podIP?: string; containerStatuses?: Array<{ image?: string; imageID?: string }>; initContainerStatuses?: Array<{ image?: string; imageID?: string }> };

/**
 * N simulated nodes in one process. It registers `node-1..node-N`, renews their Leases, and runs
 * the stages for those nodes and for every pod bound to them, writing each result through the API.
 * It keeps nothing it cannot rebuild: timers and pod IPs come from what the informers list, so a
 * restarted simulator picks up each pod where it stands.
 *
 *   const sim = new NodeSim({ client, nodes: 2, cpu: '4', memory: '8Gi', maxPods: 110, speed: 10 });
 *   await sim.start();   // node-1 and node-2 registered, caches synced
 *   // a pod bound to node-1 goes Pending, Running (IP 10.244.1.x), Ready
 *   await sim.stop();
 */
export class NodeSim {
  readonly nodeNames: string[];
  private readonly simNodes: readonly SimNode[];
  private readonly network: PodNetwork;
  private readonly pools = new Map<string, PodIpPool>();
  private readonly images = new NodeImages();
  private readonly clock: Clock;
  private readonly speed: number | (() => number);
  private readonly log: Logger;
  private readonly pods: Informer;
  private readonly nodes: Informer;
  private readonly configMaps: Informer;
  private readonly secrets: Informer;
  private readonly podRunner: StageRunner;
  private readonly nodeRunner: StageRunner;
  private readonly leases: LeaseKeeper;
  private readonly events: EventRecorder;
  private readonly stages: readonly Stage[];
  private registered = false;
  private stopped = false;

  constructor(private readonly opts: NodeSimOptions) {
    const count = typeof opts.nodes === 'number' ? opts.nodes : opts.nodes.length;
    this.network = parseClusterCidr(opts.clusterCidr ?? DEFAULT_CLUSTER_CIDR);
    if (!Number.isInteger(count) || count < 1 || count > this.network.maxNodes) {
      throw new RangeError(
        `Cannot simulate ${count} nodes: the pod network ${this.network.cidr} holds 1 to ${this.network.maxNodes}, one /24 each; give a bigger --cluster-cidr, such as 10.128.0.0/11`,
      );
    }
    this.clock = opts.clock ?? realClock;
    this.stages = opts.stages ?? defaultStages();
    this.speed = opts.speed ?? 1;
    this.log = opts.logger ?? silentLogger();
    this.simNodes = typeof opts.nodes === 'number' ? uniformNodes(opts.nodes, opts) : opts.nodes;
    this.nodeNames = this.simNodes.map((n) => n.name);
    for (const n of this.simNodes) this.pools.set(n.name, new PodIpPool(this.network.podCidrOf(n.index)));
    const { client } = opts;
    this.pods = new Informer({ client, resource: podsR, clock: this.clock });
    this.nodes = new Informer({ client, resource: nodesR, clock: this.clock });
    this.configMaps = new Informer({ client, resource: configMapsR, clock: this.clock });
    this.secrets = new Informer({ client, resource: secretsR, clock: this.clock });
    this.events = new EventRecorder({ client: opts.eventClient ?? client, clock: this.clock, component: 'kubelet' });
    const runner = (r: ResourceType, informer: Informer, kind: string, ours: (o: KubeObject) => boolean, speed: number | (() => number) = this.speed) =>
      new StageRunner({
        stages: this.stages,
        clock: this.clock,
        speed,
        ...(opts.random ? { random: opts.random } : {}),
        current: (key) => {
          const obj = informer.get(key);
          return obj && ours(obj) ? this.view({ ...obj, kind }) : undefined;
        },
        execute: (stage, obj) => this.execute(r, stage, obj),
        settled: (err) => isConflict(err) || isNotFound(err),
        onError: (key, stage, err) => this.log.warn({ key, stage: stage.name, err: (err as Error).message }, 'stage failed'),
      });
    // A speed so high that every pod delay rounds to nothing, while node heartbeats keep theirs.
    this.podRunner = runner(podsR, this.pods, 'Pod', (p) => this.runs(p), opts.instantPods ? 1e12 : this.speed);
    this.nodeRunner = runner(nodesR, this.nodes, 'Node', (n) => this.pools.has(n.metadata?.name ?? ''));
    this.leases = new LeaseKeeper({
      client: opts.heartbeatClient ?? client,
      clock: this.clock,
      nodes: this.nodeNames,
      speed: this.speed,
      paused: (node) => heartbeatsStopped(this.nodes.get(node)),
      onError: (node, err) => this.log.warn({ node, err: (err as Error).message }, 'lease renewal failed'),
    });
  }

  /** Where Node status goes. */
  private get heartbeats(): Api {
    return this.opts.heartbeatClient ?? this.opts.client;
  }

  /** The speed changed: every armed stage waits its delay again at the new speed (instant pods stay instant). */
  speedChanged(): void {
    if (!this.opts.instantPods) this.podRunner.rearmAll();
    this.nodeRunner.rearmAll();
    this.leases.rearm();
  }

  /** Registers the nodes, fills the caches and starts the leases; resolves when all is done. */
  async start(): Promise<void> {
    await this.register();
    this.pods.on({
      add: (p) => this.observePod(p),
      update: (_, p) => this.observePod(p),
      delete: (p) => this.forgetPod(p),
    });
    this.nodes.on({
      add: (n) => (this.nodeRunner.evaluate(keyOf(n)), this.advertise(n)),
      update: (old, n) => {
        this.nodeRunner.evaluate(keyOf(n));
        this.advertise(n);
        // Heartbeats stopped or resumed: its kubelet stops or resumes running its pods too.
        if (heartbeatsStopped(old) !== heartbeatsStopped(n)) this.evaluatePodsOn(n.metadata?.name);
      },
      delete: (n) => this.nodeRunner.forget(keyOf(n)),
    });
    const configChanged = (o: KubeObject) => this.evaluatePodsIn(o.metadata?.namespace);
    for (const informer of [this.configMaps, this.secrets]) {
      informer.on({ add: configChanged, update: (_, o) => configChanged(o), delete: configChanged });
    }
    await Promise.all([this.pods.start(), this.nodes.start(), this.configMaps.start(), this.secrets.start()]);
    if (this.stopped) return;
    await this.leases.start();
  }

  ready(): boolean {
    return this.registered && [this.pods, this.nodes, this.configMaps, this.secrets].every((i) => i.hasSynced());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.leases.stop();
    this.podRunner.stop();
    this.nodeRunner.stop();
    this.pods.stop();
    this.nodes.stop();
    this.configMaps.stop();
    this.secrets.stop();
  }

  /** Pods on our nodes, by phase; a pod with no phase yet counts as Pending. */
  podsByPhase(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const p of this.pods.list()) {
      if (!this.isOurs(p)) continue;
      const phase = (p.status as Status | undefined)?.phase ?? 'Pending';
      out[phase] = (out[phase] ?? 0) + 1;
    }
    return out;
  }

  /** One of our pods, as the cache has it; undefined for a pod on no node of ours. */
  pod(namespace: string, name: string): Readonly<KubeObject> | undefined {
    const p = this.pods.get(`${namespace}/${name}`);
    return p && this.isOurs(p) ? p : undefined;
  }

  /**
   * Creates each node that is missing, as a kubelet registers: with the status it reports from the
   * start (a kubelet's initialNode runs its status setters before the create), which is what a stage
   * with no delay matching the new Node makes of it (node-initialize, by default). A node already
   * there is left as it is (a restart). Nodes are created 64 at a time; the stage's events are
   * recorded once every node is registered, so that a large cluster turns Ready first.
   */
  private async register(): Promise<void> {
    const events: Array<{ node: KubeObject; event: StageEvent }> = [];
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await pool(this.simNodes.length, REGISTER_CONCURRENCY, async (i) => {
          const initial = this.initialNode(this.simNodes[i]!);
          const created = await this.opts.client.create(nodesR, undefined, initial.node).catch((err: unknown) => {
            if (!isAlreadyExists(err)) throw err;
          });
          if (!created) return;
          if (initial.stage) this.opts.onTransition?.(initial.stage);
          for (const event of initial.events) events.push({ node: created, event });
        });
        this.registered = true;
        this.log.info({ nodes: this.nodeNames.length }, 'nodes registered');
        void pool(events.length, EVENT_CONCURRENCY, async (i) => {
          const { node, event } = events[i]!;
          if (!this.stopped) await this.events.record(node, event.type, event.reason, event.message, node.metadata?.name ?? '').catch((err: unknown) => this.log.warn({ err: (err as Error).message }, 'cannot record event'));
        });
        return;
      } catch (err) {
        this.log.warn({ attempt, err: (err as Error).message }, 'cannot register nodes yet; retrying');
        await new Promise<void>((r) => this.clock.setTimeout(r, Math.min(5000, 200 * 2 ** attempt)));
      }
    }
  }

  /** The Node to create, with what a stage that would run at once on it sets, and that stage's events. */
  private initialNode(node: SimNode): { node: KubeObject; stage?: string; events: StageEvent[] } {
    const obj = nodeObject(node, this.opts.kubelet, this.network);
    const stage = matchingStage(this.stages, obj);
    const speed = typeof this.speed === 'function' ? this.speed() : this.speed;
    if (!stage || stageDelayMs(stage, speed, () => 1, obj) > 0) return { node: obj, events: [] };
    const result = applyStage(stage, obj, { now: timestamp(this.clock), nodeName: node.name });
    if ('delete' in result || result.patch.metadata) return { node: obj, events: [] };
    const status = applyMergePatch((obj.status ?? {}) as Record<string, unknown>, result.patch.status ?? {}) as KubeObject['status'];
    return { node: { ...obj, status }, stage: stage.name, events: [...(result.event ? [result.event] : []), ...(result.events ?? [])] };
  }

  /**
   * Keeps each of our Nodes advertising this process's kubelet endpoint, whatever wrote its status
   * last: a stage, or this simulator before a restart on another port.
   */
  private advertise(node: KubeObject): void {
    const fixed = this.opts.kubelet && this.pools.has(node.metadata?.name ?? '') && withKubeletEndpoint(node, this.opts.kubelet);
    if (!fixed || this.stopped) return;
    this.heartbeats.updateStatus(nodesR, undefined, fixed).catch((err: unknown) => {
      // A conflict means a newer Node is on its way through the informer, and that brings us back here.
      if (!isConflict(err) && !isNotFound(err)) this.log.warn({ node: node.metadata?.name, err: (err as Error).message }, 'cannot advertise the kubelet endpoint');
    });
  }

  /**
   * The object as stages see it: a pod also carries `sim.configError` while a ConfigMap or Secret it
   * needs is missing, so that the decision is data (pod-config-error) and made from the caches as
   * they are. `execute` strips it before anything is written.
   */
  private view(obj: KubeObject): KubeObject {
    if (obj.kind !== 'Pod') return obj;
    const configError = missingConfig(obj, (kind, ns, name) => (kind === 'ConfigMap' ? this.configMaps : this.secrets).get(`${ns}/${name}`));
    return configError ? { ...obj, sim: { configError } } : obj;
  }

  /** A ConfigMap or Secret changed: any of our pods in its namespace may now go on, or be held. */
  private evaluatePodsIn(namespace: string | undefined): void {
    for (const p of this.pods.list()) {
      if (p.metadata?.namespace === namespace && this.isOurs(p)) this.podRunner.evaluate(keyOf(p));
    }
  }

  private isOurs(pod: KubeObject): boolean {
    return this.pools.has((pod.spec as Spec | undefined)?.nodeName ?? '');
  }

  /**
   * Whether this pod's kubelet is at work: ours, on a node whose heartbeats run. A node whose
   * heartbeats a class stopped stands for a dead or cut-off kubelet, which writes nothing about its
   * pods either: they stay as they were (Terminating, once evicted) until it comes back.
   */
  private runs(pod: KubeObject): boolean {
    return this.isOurs(pod) && !heartbeatsStopped(this.nodes.get((pod.spec as Spec).nodeName!));
  }

  private evaluatePodsOn(node: string | undefined): void {
    for (const p of this.pods.list()) if ((p.spec as Spec | undefined)?.nodeName === node) this.podRunner.evaluate(keyOf(p));
  }

  private observePod(pod: KubeObject): void {
    const key = keyOf(pod);
    if (!this.isOurs(pod)) return this.podRunner.forget(key);
    const ip = (pod.status as Status | undefined)?.podIP;
    const uid = pod.metadata?.uid;
    if (ip && uid) this.pools.get((pod.spec as Spec).nodeName!)?.claim(uid, ip);
    const status = (pod.status ?? {}) as Status;
    for (const c of [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])]) if (c.imageID && c.image) this.images.observed((pod.spec as Spec).nodeName!, c.image);
    if (!this.runs(pod)) return this.podRunner.forget(key);
    this.podRunner.evaluate(key);
  }

  private forgetPod(pod: KubeObject): void {
    this.podRunner.forget(keyOf(pod));
    const uid = pod.metadata?.uid;
    // A pod's address comes from its own node's pool, and a bound pod never moves.
    const node = (pod.spec as Spec | undefined)?.nodeName;
    if (uid && node) this.pools.get(node)?.release(uid);
  }

  private async execute(r: ResourceType, stage: Stage, view: KubeObject): Promise<void> {
    const { sim: _sim, ...obj } = view as KubeObject & { sim?: unknown };
    const isPod = obj.kind === 'Pod';
    const host = isPod ? ((obj.spec as Spec | undefined)?.nodeName ?? '') : (obj.metadata?.name ?? '');
    const pool = this.pools.get(host);
    const uid = obj.metadata?.uid ?? '';
    const hadIp = Boolean((obj.status as Status | undefined)?.podIP);
    // The address is taken only when a stage writes {{podIP}}, so pods that never run hold none.
    const ctx: StageContext = { now: timestamp(this.clock), nodeName: host, ...(isPod ? { images: this.images.presentFor(host, uid) } : {}) };
    if (isPod && pool) Object.defineProperty(ctx, 'podIP', { enumerable: true, get: () => pool.allocate(uid) });
    const result = applyStage(stage, view, ctx);
    try {
      await executeResult(isPod ? this.opts.client : this.heartbeats, r, obj, result);
    } catch (err) {
      if (isPod && !hadIp) pool?.release(uid);
      throw err;
    }
    // Its node has begun on the pod: what it lacked of the pod's images is pulled, by this pod.
    if (isPod && !obj.metadata?.deletionTimestamp && !('delete' in result)) {
      const spec = (obj.spec ?? {}) as Spec;
      this.images.pull(host, uid, [...(spec.initContainers ?? []), ...(spec.containers ?? [])].flatMap((c) => (c.image ? [c.image] : [])));
    }
    this.opts.onTransition?.(stage.name);
    this.log.debug({ kind: obj.kind, key: keyOf(obj), stage: stage.name }, 'stage done');
    for (const event of [...(result.event ? [result.event] : []), ...(result.events ?? [])]) {
      await this.events.record(obj, event.type, event.reason, event.message, host).catch((err: unknown) => this.log.warn({ err: (err as Error).message }, 'cannot record event'));
    }
  }
}
