import { describe, expect, it } from 'vitest';
import { FakeClock } from './clock.js';

describe('FakeClock', () => {
  it('fires a timeout only once its time has come (the doc example)', () => {
    const clock = new FakeClock(0);
    const seen: number[] = [];
    clock.setTimeout(() => seen.push(clock.now()), 500);
    clock.advance(499);
    expect(seen).toEqual([]);
    clock.advance(1);
    expect(seen).toEqual([500]);
    expect(clock.pending()).toBe(0);
  });

  it('fires intervals repeatedly, in time order with timeouts, until cancelled', () => {
    const clock = new FakeClock(1000);
    const seen: string[] = [];
    const every = clock.setInterval(() => seen.push(`i${clock.now()}`), 100);
    clock.setTimeout(() => seen.push(`t${clock.now()}`), 150);
    clock.advance(300);
    expect(seen).toEqual(['i1100', 't1150', 'i1200', 'i1300']);
    every.cancel();
    clock.advance(1000);
    expect(seen).toHaveLength(4);
  });

  it('lets a cancelled timeout never fire', () => {
    const clock = new FakeClock();
    let fired = false;
    clock.setTimeout(() => (fired = true), 10).cancel();
    clock.advance(100);
    expect(fired).toBe(false);
  });
});
