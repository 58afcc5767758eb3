/**
 * Time, injected. Every component takes a Clock so that tests run on virtual time and
 * MINIK_SPEED can stretch or shrink every simulated delay.
 *
 *   const clock = new FakeClock(0);
 *   const seen: number[] = [];
 *   clock.setTimeout(() => seen.push(clock.now()), 500);
 *   clock.advance(499);   // seen = []
 *   clock.advance(1);     // seen = [500]
 */
export interface Clock {
  /** Milliseconds since the epoch (or since the fake clock's start). */
  now(): number;
  setTimeout(fn: () => void, ms: number): Timer;
  setInterval(fn: () => void, ms: number): Timer;
}

export interface Timer {
  cancel(): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
  setInterval(fn, ms) {
    const t = setInterval(fn, ms);
    t.unref?.();
    return { cancel: () => clearInterval(t) };
  },
};

interface Scheduled {
  at: number;
  seq: number;
  fn: () => void;
  every?: number;
  cancelled: boolean;
}

/** A virtual clock: time moves only when `advance` is called; timers fire in time order. */
export class FakeClock implements Clock {
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

  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const next = this.nextDue(until);
      if (!next) break;
      this.time = next.at;
      if (next.every !== undefined) {
        next.at += next.every;
      } else {
        next.cancelled = true;
      }
      next.fn();
    }
    this.timers = this.timers.filter((t) => !t.cancelled);
    this.time = until;
  }

  /** When the next timer is due, or undefined when none is waiting. */
  nextAt(): number | undefined {
    return this.nextDue(Infinity)?.at;
  }

  /**
   * Moves to the next instant at which timers are due, if it is no later than `until`, and fires
   * the timers due then, in the order they were set; a timer one of them sets for that same
   * instant waits for the next call. Unlike `advance`, this lets whatever those timers start
   * (promises, I/O) settle before later timers fire: what the simulated cluster steps with. False
   * when nothing was due.
   *
   *   clock.setTimeout(a, 100); clock.setInterval(b, 60);
   *   clock.fireNext(1000);   // now() = 60, b ran
   *   clock.fireNext(1000);   // now() = 100, a ran
   *   clock.fireNext(110);    // false: b's next run (120) is later; now() = 100
   */
  fireNext(until: number): boolean {
    const first = this.nextDue(until);
    if (!first) return false;
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

  /** How many timers are waiting: lets a test assert that nothing was left scheduled. */
  pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  private schedule(fn: () => void, ms: number, every: number | undefined): Timer {
    const entry: Scheduled = { at: this.time + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    if (every !== undefined) entry.every = every;
    this.timers.push(entry);
    return { cancel: () => void (entry.cancelled = true) };
  }

  private nextDue(until: number): Scheduled | undefined {
    let best: Scheduled | undefined;
    for (const t of this.timers) {
      if (t.cancelled || t.at > until) continue;
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}
