import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock } from './clock.js';

describe('FakeClock, one instant at a time', () => {
  it('fires one instant at a time (the doc example)', () => {
    const clock = new FakeClock(0);
    const seen: string[] = [];
    clock.setTimeout(() => seen.push('a'), 100);
    clock.setInterval(() => seen.push('b'), 60);
    expect(clock.nextAt()).toBe(60);
    expect(clock.fireNext(1000)).toBe(true);
    expect([clock.now(), seen]).toEqual([60, ['b']]);
    expect(clock.fireNext(1000)).toBe(true);
    expect([clock.now(), seen]).toEqual([100, ['b', 'a']]);
    expect(clock.fireNext(110)).toBe(false);
    expect(clock.now()).toBe(100);
  });

  it('never fires a cancelled timer, and a timer set while firing waits for its own instant', () => {
    const clock = new FakeClock(0);
    const seen: number[] = [];
    const t = clock.setTimeout(() => seen.push(-1), 10);
    t.cancel();
    clock.setTimeout(() => clock.setTimeout(() => seen.push(clock.now()), 0), 10);
    expect(clock.fireNext(100)).toBe(true);
    expect(seen).toEqual([]);
    expect(clock.fireNext(100)).toBe(true);
    expect(seen).toEqual([10]);
    expect(clock.pending()).toBe(0);
  });

  it('fires timers in (due time, order set), each at its own time', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 30 }), (delays) => {
        const clock = new FakeClock(1000);
        const fired: Array<{ i: number; at: number }> = [];
        delays.forEach((d, i) => clock.setTimeout(() => fired.push({ i, at: clock.now() }), d));
        while (clock.fireNext(Infinity));
        const expected = delays.map((d, i) => ({ i, at: 1000 + d })).sort((a, b) => a.at - b.at || a.i - b.i);
        expect(fired).toEqual(expected);
      }),
    );
  });
});
