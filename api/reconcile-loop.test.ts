import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock } from './clock.js';
import { ExponentialBackoffRateLimiter } from './rate-limiter.js';
import { ReconcileLoop, TerminalError, type ReconcileOutcome } from './reconcile-loop.js';

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

function harness(reconcile: (key: string) => Promise<{ requeueAfterMs?: number } | void>, workers = 1) {
  const clock = new FakeClock(0);
  const outcomes: Array<[string, ReconcileOutcome]> = [];
  const loop = new ReconcileLoop({
    name: 'test',
    clock,
    workers,
    reconcile,
    rateLimiter: new ExponentialBackoffRateLimiter({ baseMs: 10, maxMs: 80 }),
    metrics: { reconciled: (_loop, outcome) => outcomes.push([_loop, outcome]) },
  });
  return { clock, loop, outcomes };
}

describe('ReconcileLoop', () => {
  it('retries a failing key with growing back-off, and forgets the back-off once it succeeds', async () => {
    const calls: number[] = [];
    let failures = 3;
    const { clock, loop, outcomes } = harness(async () => {
      calls.push(clock.now());
      if (failures-- > 0) throw new Error('store unavailable');
    });
    loop.start();
    loop.enqueue('default/web');
    await settle();
    for (let t = 0; t < 200; t += 5) {
      clock.advance(5);
      await settle();
    }
    expect(calls).toEqual([0, 10, 30, 70]);
    expect(outcomes.map(([, o]) => o)).toEqual(['error', 'error', 'error', 'success']);
    expect(loop.queue.numRequeues('default/web')).toBe(0);
    await loop.stop();
  });

  it('does not retry a terminal error, and looks again after requeueAfterMs', async () => {
    const calls: string[] = [];
    const { clock, loop, outcomes } = harness(async (key) => {
      calls.push(`${key}@${clock.now()}`);
      if (key === 'bad') throw new TerminalError('selector does not match template');
      if (key === 'later' && clock.now() === 0) return { requeueAfterMs: 50 };
    });
    loop.start();
    loop.enqueue('bad');
    loop.enqueue('later');
    await settle();
    for (let t = 0; t < 1000; t += 10) {
      clock.advance(10);
      await settle();
    }
    expect(calls).toEqual(['bad@0', 'later@0', 'later@50']);
    expect(outcomes.map(([, o]) => o)).toEqual(['terminal', 'requeue', 'success']);
    await loop.stop();
  });

  it('never hands one key to two workers at once, and runs a key changed mid-reconcile again', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 4 }), async (adds, workers) => {
        const running = new Set<string>();
        const runs = new Map<string, number>();
        let overlap = false;
        const gates: Array<() => void> = [];
        const { loop } = harness(async (key) => {
          if (running.has(key)) overlap = true;
          running.add(key);
          runs.set(key, (runs.get(key) ?? 0) + 1);
          await new Promise<void>((r) => gates.push(r));
          running.delete(key);
        }, workers);
        loop.start();
        for (const key of adds) {
          loop.enqueue(key);
          await settle();
          // Let about half the reconciles in flight finish between adds.
          gates.splice(0, Math.ceil(gates.length / 2)).forEach((g) => g());
          loop.queue.checkInvariants();
        }
        while (gates.length > 0 || loop.queue.len() > 0) {
          gates.splice(0).forEach((g) => g());
          await settle();
        }
        await loop.stop();
        expect(overlap).toBe(false);
        // Every key added was reconciled at least once after its last add.
        for (const key of new Set(adds)) expect(runs.get(key)).toBeGreaterThan(0);
        expect([...runs.values()].reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(adds.length);
      }),
      { numRuns: 60 },
    );
  });

  it('stops only after the reconciles in flight have finished', async () => {
    let release!: () => void;
    let finished = false;
    const { loop } = harness(async () => {
      await new Promise<void>((r) => (release = r));
      finished = true;
    });
    loop.start();
    loop.enqueue('x');
    await settle();
    const stopped = loop.stop();
    let done = false;
    void stopped.then(() => (done = true));
    await settle();
    expect(done).toBe(false);
    release();
    await stopped;
    expect(finished).toBe(true);
  });
});
