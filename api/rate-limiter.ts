/**
 * How long a failed key waits before its next attempt. A rate limiter returns durations and
 * never reads a clock: the work queue schedules the wait on its injected clock, so back-off
 * runs on virtual time in tests and stretches with MINIK_SPEED.
 *
 *   const limiter = new ExponentialBackoffRateLimiter({ baseMs: 5, maxMs: 40 });
 *   ['a', 'a', 'a', 'a', 'a'].map((k) => limiter.when(k));   // [5, 10, 20, 40, 40]
 *   limiter.numRequeues('a');                                // 5
 *   limiter.when('b');                                       // 5: keys back off independently
 *   limiter.forget('a');
 *   limiter.when('a');                                       // 5 again
 */
export interface RateLimiter<K extends string = string> {
  /** The delay, in milliseconds, before `key` is retried; counts this call as one more failure. */
  when(key: K): number;
  /** The key succeeded (or was given up on): its next failure starts again from the base delay. */
  forget(key: K): void;
  /** How many failures `key` has had since it was last forgotten. */
  numRequeues(key: K): number;
}

/** The per-item part of the default controller rate limiter: 5 ms doubling up to 1000 s. */
export const DEFAULT_BASE_DELAY_MS = 5;
export const DEFAULT_MAX_DELAY_MS = 1_000_000;

export interface ExponentialBackoffOptions {
  baseMs?: number;
  maxMs?: number;
}

/** Waits `baseMs * 2^failures`, capped at `maxMs`, counting failures per key. */
export class ExponentialBackoffRateLimiter<K extends string = string> implements RateLimiter<K> {
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly failures = new Map<K, number>();

  constructor(options: ExponentialBackoffOptions = {}) {
    this.baseMs = options.baseMs ?? DEFAULT_BASE_DELAY_MS;
    this.maxMs = options.maxMs ?? DEFAULT_MAX_DELAY_MS;
    if (!(this.baseMs >= 0) || !(this.maxMs >= this.baseMs)) {
      throw new Error(
        `Cannot build a back-off rate limiter with base ${this.baseMs} ms and max ${this.maxMs} ms: ` +
          'the base must be at least 0 and the max at least the base',
      );
    }
  }

  when(key: K): number {
    const exponent = this.failures.get(key) ?? 0;
    this.failures.set(key, exponent + 1);
    // 2 ** exponent reaches Infinity after about a thousand failures; the cap absorbs it.
    return Math.min(this.baseMs * 2 ** exponent, this.maxMs);
  }

  forget(key: K): void {
    this.failures.delete(key);
  }

  numRequeues(key: K): number {
    return this.failures.get(key) ?? 0;
  }
}

export interface MaxOfOptions<K extends string> {
  limiters: readonly RateLimiter<K>[];
}

/**
 * Combines limiters by waiting as long as the strictest one asks, so that, for instance, a
 * per-key back-off and a second, slower policy can both hold.
 */
export class MaxOfRateLimiter<K extends string = string> implements RateLimiter<K> {
  private readonly limiters: readonly RateLimiter<K>[];

  constructor(options: MaxOfOptions<K>) {
    this.limiters = [...options.limiters];
  }

  when(key: K): number {
    // Every limiter must see the failure, so no short-circuit.
    return this.limiters.reduce((longest, limiter) => Math.max(longest, limiter.when(key)), 0);
  }

  forget(key: K): void {
    for (const limiter of this.limiters) limiter.forget(key);
  }

  numRequeues(key: K): number {
    return this.limiters.reduce((most, limiter) => Math.max(most, limiter.numRequeues(key)), 0);
  }
}
