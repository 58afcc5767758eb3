import { ApiClientError, type Api } from '../api/client.js';
import type { Clock } from '../api/clock.js';
import { Informer, keyOf } from '../api/informer.js';
import { silentLogger, type Logger } from '../api/log.js';
import { ExponentialBackoffRateLimiter } from '../api/rate-limiter.js';
import { resolveResource } from '../api/resources.js';
import type { Node } from '../api/schemas/cluster.js';
import type { Pod } from '../api/schemas/pod.js';
import { WorkQueue } from '../api/workqueue.js';
import { decide, numFeasibleNodesToFind, type Decision, type ScoreName } from './decide.js';
import { EventRecorder } from '../api/event-recorder.js';
import { isPending } from './pending.js';
import { isTerminal } from './plugins/index.js';
import { NodeCache } from './node-cache.js';

export const EXPLAIN_ANNOTATION = 'minik.dev/schedule-explain';

/** How one attempt ended; the loop alone turns it into queue operations. */
export type Outcome = 'scheduled' | 'unschedulable' | 'skipped' | 'dropped' | 'error';

/** Binds in flight at once; decisions go on while they are answered, as upstream's binding cycle does. */
const MAX_BINDS_IN_FLIGHT = 128;

export interface SchedulerOptions {
  client: Api;
  /** Events, as kube-scheduler's own event client: Scheduled Events waiting to be written do not hold up binds. `client` when not given. */
  eventClient?: Api;
  clock: Clock;
  logger?: Logger;
  score?: ScoreName;
  /** Breaks ties between equally scored nodes; seed it to replay a run. */
  random?: () => number;
  schedulerName?: string;
  /** Annotate each pod with every node's verdict and score. */
  explain?: boolean;
  /** Told of every attempt that reached a verdict. */
  onAttempt?: (result: 'scheduled' | 'unschedulable' | 'error', seconds: number) => void;
  /**
   * The resourceVersion of a write this process made on starting (its leader Lease): its caches start
   * no older, so that a lagging server cannot hide the binds its predecessor made.
   */
  fence?: () => Promise<string | undefined>;
}

const pods = resolveResource('pods')!;
const nodes = resolveResource('nodes')!;

/**
 * Binds pending pods to nodes as upstream does: informers on nodes and pods, a queue of pod keys,
 * one worker deciding one pod at a time (the scheduling cycle) against a cache of NodeInfos, and
 * the bind of each decision sent while the next is made (the binding cycle), the pod assumed onto
 * its node meanwhile. A pod that fits nowhere waits 1 s to 10 s (and is retried at once when a
 * node or a pod changes in a way that might make room).
 *
 *   const s = new Scheduler({ client, clock: realClock });
 *   await s.start();   // pods get bound
 *   await s.stop();
 */
export class Scheduler {
  private readonly nodes: Informer<Node>;
  private readonly pods: Informer<Pod>;
  private readonly queue: WorkQueue<string>;
  private readonly recorder: EventRecorder;
  private readonly log: Logger;
  private readonly name: string;
  private readonly random: () => number;
  /** Pods bound by us whose binding the pod cache does not show yet, with nodeName filled in. */
  private readonly reserved = new Map<string, Pod>();
  /** Pods that fit nowhere at their last attempt, waiting out their back-off. */
  private readonly unschedulable = new Set<string>();
  private inFlight: string | undefined;
  private worker: Promise<void> | undefined;
  private readonly cache = new NodeCache();
  private readonly binds = new Set<Promise<void>>();
  /** The worker waiting for a bind to finish, when MAX_BINDS_IN_FLIGHT are. */
  private bindSlotFreed: (() => void) | undefined;
  private readonly eventsInFlight = new Set<Promise<void>>();
  /** Where the next decision starts looking, so that successive pods spread over a big cluster. */
  private nextStartNode = 0;

  constructor(private readonly opts: SchedulerOptions) {
    const { client, clock } = opts;
    this.log = opts.logger ?? silentLogger();
    this.name = opts.schedulerName ?? 'default-scheduler';
    this.random = opts.random ?? Math.random;
    this.nodes = new Informer<Node>({ client, clock, resource: nodes });
    this.pods = new Informer<Pod>({ client, clock, resource: pods });
    // Upstream's pod back-off: 1 s doubling to 10 s.
    this.queue = new WorkQueue({ clock, name: 'scheduler', rateLimiter: new ExponentialBackoffRateLimiter({ baseMs: 1000, maxMs: 10_000 }) });
    this.recorder = new EventRecorder({ client: opts.eventClient ?? client, clock, component: this.name });
  }

  /** Resolves once both caches are filled and the worker runs. */
  async start(): Promise<void> {
    this.nodes.on({
      add: (node) => {
        this.cache.setNode(node);
        this.retryUnschedulable();
      },
      update: (old, cur) => {
        this.cache.setNode(cur);
        if (nodeFingerprint(old) !== nodeFingerprint(cur)) this.retryUnschedulable();
      },
      delete: (node) => this.cache.deleteNode(node.metadata?.name ?? ''),
    });
    this.pods.on({
      add: (pod) => this.observe(pod),
      update: (old, cur) => this.observe(cur, old),
      delete: (pod) => this.forget(pod),
    });
    const floor = await this.opts.fence?.();
    this.nodes.listNotOlderThan(floor);
    this.pods.listNotOlderThan(floor);
    await Promise.all([this.nodes.start(), this.pods.start()]);
    this.worker ??= this.work();
  }

  hasSynced(): boolean {
    return this.nodes.hasSynced() && this.pods.hasSynced();
  }

  /** Keys ready to schedule, and pods waiting out a back-off. */
  pendingCounts(): { active: number; unschedulable: number } {
    return { active: this.queue.depth, unschedulable: this.unschedulable.size };
  }

  /** Stops watching, lets the attempt in flight finish, and ends the worker. */
  async stop(): Promise<void> {
    this.nodes.stop();
    this.pods.stop();
    await this.queue.shutDownWithDrain();
    await this.worker;
    await Promise.all(this.eventsInFlight);
  }

  private observe(pod: Pod, old?: Pod): void {
    const key = keyOf(pod);
    this.cache.setPod(pod);
    if (pod.spec?.nodeName) {
      this.reserved.delete(key);
      this.unschedulable.delete(key);
      // A bound pod that finished gave its room back.
      if (old && !isTerminal(old) && isTerminal(pod)) this.retryUnschedulable();
      return;
    }
    if (!isPending(pod, this.name)) return;
    // Our own annotation and status writes change the pod too; only a new spec deserves a retry.
    if (old && this.unschedulable.has(key) && JSON.stringify(old.spec) === JSON.stringify(pod.spec)) return;
    this.queue.add(key);
  }

  private forget(pod: Pod): void {
    const key = keyOf(pod);
    this.cache.deletePod(key);
    this.reserved.delete(key);
    this.unschedulable.delete(key);
    if (pod.spec?.nodeName) this.retryUnschedulable();
  }

  /** The cluster changed: every pod that fit nowhere gets another try now, not after its back-off. */
  private retryUnschedulable(): void {
    for (const key of this.unschedulable) this.queue.add(key);
    // The pod in flight may be about to be found unschedulable against the old state.
    if (this.inFlight) this.queue.add(this.inFlight);
  }

  /** The one loop that touches the queue: decides one pod at a time, and lets its bind run. */
  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) break;
      this.inFlight = key;
      const started = this.opts.clock.now();
      let cycle: Outcome | { binding: Promise<Outcome> };
      try {
        cycle = await this.scheduleOne(key);
      } catch (err) {
        this.log.warn({ pod: key, err: (err as Error).message }, 'scheduling attempt failed; retrying');
        cycle = 'error';
      }
      this.inFlight = undefined;
      if (typeof cycle === 'string') {
        this.finish(key, cycle, started);
        continue;
      }
      // The key stays held until its bind is answered, so no second attempt races the first.
      const bind: Promise<void> = cycle.binding.then(
        (outcome) => this.finish(key, outcome, started),
        (err: unknown) => {
          this.log.warn({ pod: key, err: (err as Error).message }, 'binding failed; retrying');
          this.finish(key, 'error', started);
        },
      );
      this.binds.add(bind);
      void bind.finally(() => {
        this.binds.delete(bind);
        const wake = this.bindSlotFreed;
        this.bindSlotFreed = undefined;
        wake?.();
      });
      // One waiter, woken by the first bind to finish: a Promise.race over every bind in flight
      // would hang a reaction on each of them for every pod decided meanwhile.
      if (this.binds.size >= MAX_BINDS_IN_FLIGHT) await new Promise<void>((resolve) => (this.bindSlotFreed = resolve));
    }
    await Promise.all(this.binds);
  }

  /** Turns an attempt's outcome into queue operations; the only place that does. */
  private finish(key: string, outcome: Outcome, started: number): void {
    switch (outcome) {
      case 'unschedulable':
        this.unschedulable.add(key);
        this.queue.addRateLimited(key);
        break;
      case 'error':
        this.queue.addRateLimited(key);
        break;
      default:
        this.unschedulable.delete(key);
        this.queue.forget(key);
    }
    if (outcome !== 'skipped') {
      const seconds = (this.opts.clock.now() - started) / 1000;
      this.opts.onAttempt?.(outcome === 'dropped' ? 'error' : outcome, seconds);
    }
    this.queue.done(key);
  }

  /** The scheduling cycle: an outcome, or for a pod that fits, the bind under way (wrapped, or awaiting this would wait for it). */
  private async scheduleOne(key: string): Promise<Outcome | { binding: Promise<Outcome> }> {
    const pod = this.pods.get(key);
    if (!pod || !isPending(pod, this.name) || this.reserved.has(key)) return 'skipped';
    const infos = this.cache.nodeList();
    // Teaching wants every node's verdict; otherwise a share of a big cluster is enough, as upstream.
    const search = this.opts.explain ? undefined : { start: this.nextStartNode, limit: numFeasibleNodesToFind(infos.length) };
    const decision = decide(pod, infos, this.opts.score ?? 'LeastAllocated', this.random, search, this.opts.explain ? 'every verdict' : 'failures only');
    if (infos.length > 0) this.nextStartNode = (this.nextStartNode + decision.processed) % infos.length;
    if (this.opts.explain) await this.explain(pod, decision);
    if (!decision.fits) {
      this.log.info({ pod: key, reason: decision.message }, 'pod is unschedulable');
      await this.event(pod, 'Warning', 'FailedScheduling', decision.message);
      return 'unschedulable';
    }
    // Assume before binding: the next decisions must see this pod's room taken. Frozen as the
    // informer's pods are, so that every NodeInfo that counts it parses its requests once.
    const assumed: Pod = Object.freeze({ ...pod, spec: Object.freeze({ ...pod.spec!, nodeName: decision.node }) });
    this.reserved.set(key, assumed);
    this.cache.assume(key, assumed);
    return { binding: this.bind(key, pod, decision.node) };
  }

  private async bind(key: string, pod: Pod, node: string): Promise<Outcome> {
    const ns = pod.metadata?.namespace ?? 'default';
    const name = pod.metadata?.name ?? '';
    try {
      await this.opts.client.bind(ns, name, node);
    } catch (err) {
      this.reserved.delete(key);
      this.cache.forget(key);
      if (err instanceof ApiClientError && (err.code === 409 || err.code === 404)) {
        this.log.info({ pod: key, err: err.message }, 'pod was bound or deleted meanwhile; dropped');
        return 'dropped';
      }
      throw err;
    }
    this.log.info({ pod: key, node }, 'pod scheduled');
    // The pod is bound: the attempt is over, whenever its Event gets written.
    const written = this.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${node}`);
    this.eventsInFlight.add(written);
    void written.finally(() => this.eventsInFlight.delete(written));
    return 'scheduled';
  }

  /** Events are for people; failing to write one must not change what the scheduler does. */
  private async event(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    try {
      await this.recorder.record(pod, type, reason, message);
    } catch (err) {
      this.log.warn({ pod: keyOf(pod), reason, err: (err as Error).message }, 'could not record event');
    }
  }

  private async explain(pod: Pod, decision: Decision): Promise<void> {
    const value = JSON.stringify(decision.verdicts);
    if (pod.metadata?.annotations?.[EXPLAIN_ANNOTATION] === value) return;
    try {
      const patch = { metadata: { annotations: { [EXPLAIN_ANNOTATION]: value } } };
      await this.opts.client.patch(pods, pod.metadata?.namespace, pod.metadata?.name ?? '', 'merge', patch);
    } catch (err) {
      this.log.warn({ pod: keyOf(pod), err: (err as Error).message }, 'could not annotate pod with its verdicts');
    }
  }
}

/** What of a node can change a verdict; heartbeats change none of it. */
function nodeFingerprint(node: Node): string {
  const conditions = (node.status?.conditions ?? []).map((c) => `${c.type}=${c.status}`);
  return JSON.stringify([node.spec, node.metadata?.labels, node.status?.allocatable, conditions]);
}
