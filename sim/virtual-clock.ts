import type { Clock, Timer } from '../api/clock.js';

interface Scheduled {
  at: number;
  seq: number;
  fn: () => void;
  every: number | undefined;
  cancelled: boolean;
}

/**
 * A virtual clock that fires one instant at a time, so that the simulated cluster can let every
 * reaction to one instant's timers settle before the next instant comes. api/clock.ts's FakeClock
 * fires every timer of an `advance` in one go, before any promise those timers start can resolve;
 * a timer such a reaction sets (a retry, a requeue) would be skipped over.
 *
 *   const clock = new VirtualClock(0);
 *   clock.setTimeout(() => seen.push('a'), 100);
 *   clock.setInterval(() => seen.push('b'), 60);
 *   clock.nextAt();        // 60
 *   clock.fireNext(1000);  // now() = 60, seen = ['b']
 *   clock.fireNext(1000);  // now() = 100, seen = ['b', 'a']
 *   clock.fireNext(110);   // false: the next timer (b at 120) is after 110; now() = 100
 */
export class VirtualClock implements Clock {
  private time: number;
  private seq = 0;
  private timers: Scheduled[] = [];

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    return this.schedule(fn, ms, undefined);
  }

  setInterval(fn: () => void, ms: number): Timer {
    return this.schedule(fn, ms, Math.max(1, ms));
  }

  /** When the next timer is due, or undefined when none is waiting. */
  nextAt(): number | undefined {
    return this.next()?.at;
  }

  /**
   * Moves to the next instant at which timers are due, if it is no later than `until`, and fires
   * every timer due then (in the order they were set). False when there was none.
   */
  fireNext(until: number): boolean {
    const first = this.next();
    if (!first || first.at > until) return false;
    this.time = first.at;
    const due = this.timers.filter((t) => !t.cancelled && t.at === this.time).sort((a, b) => a.seq - b.seq);
    for (const t of due) {
      if (t.cancelled) continue;
      if (t.every !== undefined) t.at += t.every;
      else t.cancelled = true;
      t.fn();
    }
    this.timers = this.timers.filter((t) => !t.cancelled);
    return true;
  }

  /** Moves time forward to `t` without firing anything (the caller has fired what was due before). */
  moveTo(t: number): void {
    if (t > this.time) this.time = t;
  }

  /** Timers waiting: a test can assert that a stopped component left none. */
  pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  private schedule(fn: () => void, ms: number, every: number | undefined): Timer {
    const entry: Scheduled = { at: this.time + Math.max(0, ms), seq: this.seq++, fn, every, cancelled: false };
    this.timers.push(entry);
    return { cancel: () => void (entry.cancelled = true) };
  }

  private next(): Scheduled | undefined {
    let best: Scheduled | undefined;
    for (const t of this.timers) {
      if (t.cancelled) continue;
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}
