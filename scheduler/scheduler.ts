import { ApiClientError, type ApiClient } from '../api/client.js';
import type { Clock } from '../api/clock.js';
import { Informer, keyOf } from '../api/informer.js';
import { silentLogger, type Logger } from '../api/log.js';
import { ExponentialBackoffRateLimiter } from '../api/rate-limiter.js';
import { resolveResource } from '../api/resources.js';
import type { Node } from '../api/schemas/cluster.js';
import type { Pod } from '../api/schemas/pod.js';
import { WorkQueue } from '../api/workqueue.js';
import { decide, type Decision, type ScoreName } from './decide.js';
import { EventRecorder } from '../api/event-recorder.js';
import { isPending } from './pending.js';
import { isTerminal } from './plugins/index.js';
import { snapshot } from './snapshot.js';

export const EXPLAIN_ANNOTATION = 'minik.dev/schedule-explain';

/** How one attempt ended; the loop alone turns it into queue operations. */
export type Outcome = 'scheduled' | 'unschedulable' | 'skipped' | 'dropped' | 'error';

export interface SchedulerOptions {
  client: ApiClient;
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
}

const pods = resolveResource('pods')!;
const nodes = resolveResource('nodes')!;

/**
 * Binds pending pods to nodes, one at a time, as upstream's scheduling cycle does: informers on
 * nodes and pods, a queue of pod keys, one worker. A pod that fits nowhere waits 1 s to 10 s (and
 * is retried at once when a node or a pod changes in a way that might make room).
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

  constructor(private readonly opts: SchedulerOptions) {
    const { client, clock } = opts;
    this.log = opts.logger ?? silentLogger();
    this.name = opts.schedulerName ?? 'default-scheduler';
    this.random = opts.random ?? Math.random;
    this.nodes = new Informer<Node>({ client, clock, resource: nodes });
    this.pods = new Informer<Pod>({ client, clock, resource: pods });
    // Upstream's pod back-off: 1 s doubling to 10 s.
    this.queue = new WorkQueue({ clock, name: 'scheduler', rateLimiter: new ExponentialBackoffRateLimiter({ baseMs: 1000, maxMs: 10_000 }) });
    this.recorder = new EventRecorder({ client, clock, component: this.name });
  }

  /** Resolves once both caches are filled and the worker runs. */
  async start(): Promise<void> {
    this.nodes.on({
      add: () => this.retryUnschedulable(),
      update: (old, cur) => (nodeFingerprint(old) !== nodeFingerprint(cur) ? this.retryUnschedulable() : undefined),
    });
    this.pods.on({
      add: (pod) => this.observe(pod),
      update: (old, cur) => this.observe(cur, old),
      delete: (pod) => this.forget(pod),
    });
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
  }

  private observe(pod: Pod, old?: Pod): void {
    const key = keyOf(pod);
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
    this.reserved.delete(key);
    this.unschedulable.delete(key);
    this.recorder.forget(pod);
    if (pod.spec?.nodeName) this.retryUnschedulable();
  }

  /** The cluster changed: every pod that fit nowhere gets another try now, not after its back-off. */
  private retryUnschedulable(): void {
    for (const key of this.unschedulable) this.queue.add(key);
    // The pod in flight may be about to be found unschedulable against the old state.
    if (this.inFlight) this.queue.add(this.inFlight);
  }

  /** The one loop that touches the queue. */
  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      this.inFlight = key;
      const started = this.opts.clock.now();
      let outcome: Outcome;
      try {
        outcome = await this.scheduleOne(key);
      } catch (err) {
        this.log.warn({ pod: key, err: (err as Error).message }, 'scheduling attempt failed; retrying');
        outcome = 'error';
      }
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
      this.inFlight = undefined;
      this.queue.done(key);
    }
  }

  private async scheduleOne(key: string): Promise<Outcome> {
    const pod = this.pods.get(key);
    if (!pod || !isPending(pod, this.name) || this.reserved.has(key)) return 'skipped';
    const ns = pod.metadata?.namespace ?? 'default';
    const name = pod.metadata?.name ?? '';
    const decision = decide(pod, snapshot(this.nodes.list(), this.pods.list(), this.reserved), this.opts.score ?? 'LeastAllocated', this.random);
    if (this.opts.explain) await this.explain(pod, decision);
    if (!decision.fits) {
      this.log.info({ pod: key, reason: decision.message }, 'pod is unschedulable');
      await this.event(pod, 'Warning', 'FailedScheduling', decision.message);
      return 'unschedulable';
    }
    // Reserve before binding: the pod cache may show the binding before bind() even returns.
    this.reserved.set(key, { ...pod, spec: { ...pod.spec!, nodeName: decision.node } });
    try {
      await this.opts.client.bind(ns, name, decision.node);
    } catch (err) {
      this.reserved.delete(key);
      if (err instanceof ApiClientError && (err.code === 409 || err.code === 404)) {
        this.log.info({ pod: key, err: err.message }, 'pod was bound or deleted meanwhile; dropped');
        return 'dropped';
      }
      throw err;
    }
    this.log.info({ pod: key, node: decision.node }, 'pod scheduled');
    await this.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${decision.node}`);
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
