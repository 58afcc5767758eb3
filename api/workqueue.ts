import type { Clock, Timer } from './clock.js';
import { ExponentialBackoffRateLimiter, type RateLimiter } from './rate-limiter.js';

export interface WorkQueueOptions<K extends string> {
  clock: Clock;
  /** Decides how long `addRateLimited` waits; per-key exponential back-off when omitted. */
  rateLimiter?: RateLimiter<K>;
  /** Names the queue in metrics and errors. */
  name?: string;
}

interface Delayed {
  readyAt: number;
  timer: Timer;
}

/**
 * The queue of keys (`namespace/name`) between an informer and its reconcile loop, shared by
 * every controller and the scheduler. A key stands for "this object may need work", so a key
 * queued many times is worked on once, and one key is never worked on by two workers at once.
 *
 *   const clock = new FakeClock(0);
 *   const queue = new WorkQueue<string>({ clock });
 *   queue.add('default/web');
 *   queue.add('default/web');          // len() = 1: already queued
 *   const key = await queue.get();     // 'default/web', now processing; len() = 0
 *   queue.add('default/web');          // len() = 0: it changed while being worked on...
 *   queue.done('default/web');         // len() = 1: ...so it runs again after done
 *   queue.addAfter('default/db', 100);
 *   clock.advance(100);                // len() = 2
 */
export class WorkQueue<K extends string> {
  readonly name: string;
  private readonly clock: Clock;
  private readonly rateLimiter: RateLimiter<K>;

  // Invariants (checkInvariants asserts them; the property test runs it after every step):
  //  - every queued key is dirty and not processing, so a key is queued at most once and never
  //    handed to a worker while another holds it;
  //  - a key both dirty and processing was re-added while being worked on; `done` queues it,
  //    so the change that re-added it is not lost;
  //  - a dirty key that is not processing is queued;
  //  - getters wait only while nothing is queued, so a ready key never sits beside an idle worker.
  /** Keys ready for a worker; a Set's insertion order is the FIFO order. */
  private readonly queue = new Set<K>();
  /** Keys that need work: queued, or re-added while processing. */
  private readonly dirty = new Set<K>();
  /** Keys a worker holds, between `get` and `done`. */
  private readonly processing = new Set<K>();
  /** Resolvers of `get` calls waiting for a key, oldest first. */
  private readonly getters: ((key: K | undefined) => void)[] = [];
  /** Keys waiting out a delay; one timer per key, due at the earliest requested time. */
  private readonly delayed = new Map<K, Delayed>();
  /** Resolvers of `shutDownWithDrain` calls waiting for workers to finish. */
  private readonly drainers: (() => void)[] = [];
  private closed = false;
  private addCount = 0;
  private retryCount = 0;

  constructor(options: WorkQueueOptions<K>) {
    this.clock = options.clock;
    this.rateLimiter = options.rateLimiter ?? new ExponentialBackoffRateLimiter<K>();
    this.name = options.name ?? '';
  }

  /** Keys accepted by `add` that were not already waiting for a worker. */
  get adds(): number {
    return this.addCount;
  }

  /** Keys ready for a worker right now. */
  get depth(): number {
    return this.queue.size;
  }

  /** Delayed and rate-limited adds. */
  get retries(): number {
    return this.retryCount;
  }

  len(): number {
    return this.queue.size;
  }

  shuttingDown(): boolean {
    return this.closed;
  }

  add(key: K): void {
    if (this.closed || this.dirty.has(key)) return;
    this.addCount++;
    this.dirty.add(key);
    // A worker holds it: `done` queues it, so that two workers never hold one key.
    if (this.processing.has(key)) return;
    this.queue.add(key);
    this.handOut();
  }

  /** Adds `key` once `ms` have passed on the clock; an earlier pending add of the key wins. */
  addAfter(key: K, ms: number): void {
    if (this.closed) return;
    this.retryCount++;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const readyAt = this.clock.now() + ms;
    const pending = this.delayed.get(key);
    if (pending && pending.readyAt <= readyAt) return;
    pending?.timer.cancel();
    const timer = this.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { readyAt, timer });
  }

  /** Adds `key` after the rate limiter's delay: the retry path for a failed reconcile. */
  addRateLimited(key: K): void {
    this.addAfter(key, this.rateLimiter.when(key));
  }

  /** Resets `key`'s back-off: call it when a reconcile succeeds. */
  forget(key: K): void {
    this.rateLimiter.forget(key);
  }

  numRequeues(key: K): number {
    return this.rateLimiter.numRequeues(key);
  }

  /**
   * Resolves with the next ready key, which the caller then holds until `done(key)`.
   * Resolves with undefined once the queue is shut down and nothing is left queued.
   */
  get(): Promise<K | undefined> {
    const key = this.take();
    if (key !== undefined) return Promise.resolve(key);
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Releases `key`; if it was re-added meanwhile, it is queued again. */
  done(key: K): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.queue.add(key);
      this.handOut();
    } else if (this.processing.size === 0) {
      for (const resolve of this.drainers.splice(0)) resolve();
    }
  }

  /** Stops accepting keys and releases waiting getters; keys already queued can still be got. */
  shutDown(): void {
    if (this.closed) return;
    this.closed = true;
    for (const { timer } of this.delayed.values()) timer.cancel();
    this.delayed.clear();
    // Getters wait only while nothing is queued, so there is nothing to give them.
    for (const resolve of this.getters.splice(0)) resolve(undefined);
  }

  /** Shuts down, then resolves once every key handed out has been marked done. */
  shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainers.push(resolve));
  }

  /** Throws if an invariant on the fields above is broken; for tests. */
  checkInvariants(): void {
    const broken = (why: string): never => {
      throw new Error(`Work queue ${this.name || '(unnamed)'} is inconsistent: ${why}`);
    };
    for (const key of this.queue) {
      if (!this.dirty.has(key)) broken(`${key} is queued but not dirty`);
      if (this.processing.has(key)) broken(`${key} is queued while a worker holds it`);
    }
    for (const key of this.dirty) {
      if (!this.processing.has(key) && !this.queue.has(key)) broken(`${key} is dirty but neither queued nor held`);
    }
    if (this.getters.length > 0 && this.queue.size > 0) broken(`${this.getters.length} getters wait beside queued keys`);
  }

  private take(): K | undefined {
    const next = this.queue.values().next();
    if (next.done) return undefined;
    const key = next.value;
    this.queue.delete(key);
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }

  private handOut(): void {
    while (this.getters.length > 0 && this.queue.size > 0) {
      const resolve = this.getters.shift();
      const key = this.take();
      if (resolve && key !== undefined) resolve(key);
    }
  }
}
