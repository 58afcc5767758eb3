import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BASE_DELAY_MS,
  DEFAULT_MAX_DELAY_MS,
  ExponentialBackoffRateLimiter,
  MaxOfRateLimiter,
  type RateLimiter,
} from './rate-limiter.js';

describe('ExponentialBackoffRateLimiter', () => {
  it('doubles per failure, caps, and restarts after forget (the doc example)', () => {
    const limiter = new ExponentialBackoffRateLimiter({ baseMs: 5, maxMs: 40 });
    expect(['a', 'a', 'a', 'a', 'a'].map((k) => limiter.when(k))).toEqual([5, 10, 20, 40, 40]);
    expect(limiter.numRequeues('a')).toBe(5);
    expect(limiter.when('b')).toBe(5);
    limiter.forget('a');
    expect(limiter.numRequeues('a')).toBe(0);
    expect(limiter.when('a')).toBe(5);
  });

  it('defaults to 5 ms doubling up to 1000 s', () => {
    const limiter = new ExponentialBackoffRateLimiter();
    expect(DEFAULT_BASE_DELAY_MS).toBe(5);
    expect(DEFAULT_MAX_DELAY_MS).toBe(1_000_000);
    const delays = Array.from({ length: 20 }, () => limiter.when('k'));
    expect(delays.slice(0, 3)).toEqual([5, 10, 20]);
    // 5 * 2^17 = 655 360 ms is the last step under the cap.
    expect(delays[17]).toBe(655_360);
    expect(delays[18]).toBe(1_000_000);
    expect(delays[19]).toBe(1_000_000);
  });

  it('stays at the cap however many failures pile up', () => {
    const limiter = new ExponentialBackoffRateLimiter({ baseMs: 1, maxMs: 10 });
    for (let i = 0; i < 2000; i++) limiter.when('k');
    expect(limiter.when('k')).toBe(10);
  });

  it('rejects a max below the base', () => {
    expect(() => new ExponentialBackoffRateLimiter({ baseMs: 10, maxMs: 5 })).toThrow(
      /base 10 ms and max 5 ms/,
    );
  });
});

describe('MaxOfRateLimiter', () => {
  const fixed = (ms: number): RateLimiter & { calls: number; forgotten: number } => ({
    calls: 0,
    forgotten: 0,
    when() {
      this.calls++;
      return ms;
    },
    forget() {
      this.forgotten++;
    },
    numRequeues() {
      return this.calls;
    },
  });

  it('waits as long as the strictest limiter, and every limiter sees each failure', () => {
    const slow = fixed(50);
    const backoff = new ExponentialBackoffRateLimiter({ baseMs: 20, maxMs: 1000 });
    const limiter = new MaxOfRateLimiter({ limiters: [backoff, slow] });
    expect([limiter.when('k'), limiter.when('k'), limiter.when('k')]).toEqual([50, 50, 80]);
    expect(slow.calls).toBe(3);
    expect(limiter.numRequeues('k')).toBe(3);
    limiter.forget('k');
    expect(slow.forgotten).toBe(1);
    expect(backoff.numRequeues('k')).toBe(0);
  });

  it('asks for no wait when it combines nothing', () => {
    expect(new MaxOfRateLimiter({ limiters: [] }).when('k')).toBe(0);
  });
});
