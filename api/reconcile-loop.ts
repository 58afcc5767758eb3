import { performance } from 'node:perf_hooks';
import type { Clock } from './clock.js';
import type { Logger } from './log.js';
import type { RateLimiter } from './rate-limiter.js';
import { WorkQueue } from './workqueue.js';

/** What a reconcile asks of the loop when it returns normally. */
export interface ReconcileResult {
  /** Look at the key again after this long, even if nothing changes (a deadline, a toleration). */
  requeueAfterMs?: number;
}

/** A failure that retrying cannot fix (a malformed object): logged, not retried. */
export class TerminalError extends Error {
  override readonly name = 'TerminalError';
}

export type ReconcileOutcome = 'success' | 'requeue' | 'error' | 'terminal';

/** Where a loop reports what it did; the controller manager backs it with Prometheus. */
export interface LoopMetrics {
  reconciled(loop: string, outcome: ReconcileOutcome, seconds: number): void;
  /** Called once per loop at construction, so depth can be read when scraped. */
  watchQueue?(loop: string, queue: WorkQueue<string>): void;
}

export interface ReconcileLoopOptions {
  /** Names the loop in logs and metrics: `replicaset`, `deployment`... */
  name: string;
  clock: Clock;
  /**
   * Brings the object named by `key` (`namespace/name`) to its desired state, re-reading
   * everything it needs: it is told which object, never what happened to it.
   */
  reconcile(key: string): Promise<ReconcileResult | void>;
  /** Keys worked on at once; one key is never held by two workers. */
  workers?: number;
  rateLimiter?: RateLimiter<string>;
  logger?: Logger;
  metrics?: LoopMetrics;
}

/**
 * The one loop every controller runs: a work queue of keys drained by workers, each calling
 * `reconcile(key)`. Only this loop touches the queue, in one place, by the outcome:
 *
 *   returns {}                  -> forget the key's back-off; done
 *   returns { requeueAfterMs }  -> forget the back-off; look again after that long
 *   throws TerminalError        -> logged; not retried until the object changes
 *   throws anything else        -> retried after the rate limiter's back-off
 *
 *   const loop = new ReconcileLoop({ name: 'replicaset', clock, reconcile: (key) => sync(key) });
 *   informer.on({ add: (rs) => loop.enqueue(keyOf(rs)), update: (_, rs) => loop.enqueue(keyOf(rs)) });
 *   loop.start();
 *   await loop.stop();   // lets the reconciles in flight finish
 */
export class ReconcileLoop {
  readonly name: string;
  readonly queue: WorkQueue<string>;
  private readonly workers: Promise<void>[] = [];

  constructor(private readonly opts: ReconcileLoopOptions) {
    this.name = opts.name;
    this.queue = new WorkQueue<string>({
      clock: opts.clock,
      name: opts.name,
      ...(opts.rateLimiter ? { rateLimiter: opts.rateLimiter } : {}),
    });
    opts.metrics?.watchQueue?.(opts.name, this.queue);
  }

  enqueue(key: string): void {
    this.queue.add(key);
  }

  enqueueAfter(key: string, ms: number): void {
    this.queue.addAfter(key, ms);
  }

  start(): void {
    if (this.workers.length > 0) return;
    for (let i = 0; i < (this.opts.workers ?? 1); i++) this.workers.push(this.work());
  }

  /** Stops taking keys; resolves once every reconcile in flight has finished. */
  async stop(): Promise<void> {
    await this.queue.shutDownWithDrain();
    await Promise.all(this.workers);
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        await this.handle(key);
      } finally {
        this.queue.done(key);
      }
      // A reconcile that only meets resolved promises never gives the event loop back: a key requeued
      // at once, forever, would starve every timer and socket of the process (and hang a simulated
      // cluster instead of failing it as a livelock).
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private async handle(key: string): Promise<void> {
    const started = performance.now();
    const outcome = await this.run(key);
    this.opts.metrics?.reconciled(this.name, outcome, (performance.now() - started) / 1000);
  }

  private async run(key: string): Promise<ReconcileOutcome> {
    let result: ReconcileResult | void;
    try {
      result = await this.opts.reconcile(key);
    } catch (err) {
      if (err instanceof TerminalError) {
        this.queue.forget(key);
        this.opts.logger?.error({ controller: this.name, key, err: err.message }, 'reconcile failed for good; waiting for the object to change');
        return 'terminal';
      }
      this.queue.addRateLimited(key);
      this.opts.logger?.warn(
        { controller: this.name, key, err: (err as Error)?.message ?? String(err), retries: this.queue.numRequeues(key) },
        'reconcile failed; retrying with back-off',
      );
      return 'error';
    }
    this.queue.forget(key);
    if (result?.requeueAfterMs !== undefined) {
      this.queue.addAfter(key, result.requeueAfterMs);
      return 'requeue';
    }
    return 'success';
  }
}
