import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { FakeClock } from './clock.js';
import { ExponentialBackoffRateLimiter } from './rate-limiter.js';
import { WorkQueue } from './workqueue.js';

/** Lets promise callbacks run; the queue never needs the wall clock to make progress. */
async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** Starts a `get` and records what it resolves with, so a test can see whether it is still waiting. */
function pendingGet<K extends string>(queue: WorkQueue<K>): { result?: K | undefined; settled: boolean } {
  const state: { result?: K | undefined; settled: boolean } = { settled: false };
  void queue.get().then((key) => {
    state.result = key;
    state.settled = true;
  });
  return state;
}

describe('WorkQueue', () => {
  it('dedups queued keys and re-runs a key changed while processing (the doc example)', async () => {
    const clock = new FakeClock(0);
    const queue = new WorkQueue<string>({ clock });
    queue.add('default/web');
    queue.add('default/web');
    expect(queue.len()).toBe(1);
    const key = await queue.get();
    expect(key).toBe('default/web');
    expect(queue.len()).toBe(0);
    queue.add('default/web');
    expect(queue.len()).toBe(0);
    queue.done('default/web');
    expect(queue.len()).toBe(1);
    queue.addAfter('default/db', 100);
    clock.advance(100);
    expect(queue.len()).toBe(2);
    expect([await queue.get(), await queue.get()]).toEqual(['default/web', 'default/db']);
  });

  it('hands keys out first in, first out, each once however often it was added', async () => {
    const queue = new WorkQueue<string>({ clock: new FakeClock() });
    for (const key of ['ns/a', 'ns/b', 'ns/a', 'ns/c', 'ns/b']) queue.add(key);
    expect(queue.len()).toBe(3);
    expect([await queue.get(), await queue.get(), await queue.get()]).toEqual(['ns/a', 'ns/b', 'ns/c']);
    expect(queue.len()).toBe(0);
  });

  it('never hands a key to a second worker while the first holds it', async () => {
    const queue = new WorkQueue<string>({ clock: new FakeClock() });
    queue.add('ns/a');
    const first = await queue.get();
    const second = pendingGet(queue);
    queue.add('ns/a');
    await flush();
    expect(second.settled).toBe(false);
    queue.done('ns/a');
    await flush();
    expect(first).toBe('ns/a');
    expect(second.result).toBe('ns/a');
  });

  it('does not re-run a key that was not re-added while processing', async () => {
    const queue = new WorkQueue<string>({ clock: new FakeClock() });
    queue.add('ns/a');
    queue.done((await queue.get()) ?? 'missing');
    expect(queue.len()).toBe(0);
  });

  it('wakes a waiting getter when a key arrives', async () => {
    const queue = new WorkQueue<string>({ clock: new FakeClock() });
    const waiting = pendingGet(queue);
    await flush();
    expect(waiting.settled).toBe(false);
    queue.add('ns/a');
    await flush();
    expect(waiting.result).toBe('ns/a');
  });

  it('adds after a delay on the injected clock; the earliest pending delay wins', () => {
    const clock = new FakeClock(0);
    const queue = new WorkQueue<string>({ clock });
    queue.addAfter('ns/a', 100);
    queue.addAfter('ns/a', 300); // does not postpone the earlier add
    queue.addAfter('ns/b', 200);
    queue.addAfter('ns/b', 50); // brings it forward
    clock.advance(49);
    expect(queue.len()).toBe(0);
    clock.advance(1);
    expect(queue.len()).toBe(1);
    clock.advance(50);
    expect(queue.len()).toBe(2);
    expect(clock.pending()).toBe(0);
    queue.addAfter('ns/c', 0);
    expect(queue.len()).toBe(3);
  });

  it('backs a failing key off exponentially up to the cap, and forget resets it', () => {
    const clock = new FakeClock(0);
    const rateLimiter = new ExponentialBackoffRateLimiter<string>({ baseMs: 10, maxMs: 40 });
    const queue = new WorkQueue<string>({ clock, rateLimiter });
    const readyAfter = (): number => {
      queue.addRateLimited('ns/a');
      const start = clock.now();
      while (queue.len() === 0) clock.advance(1);
      const waited = clock.now() - start;
      // Take the key and finish it, as a worker whose reconcile failed would.
      queue.done('ns/a');
      void queue.get();
      queue.done('ns/a');
      return waited;
    };
    expect([readyAfter(), readyAfter(), readyAfter(), readyAfter()]).toEqual([10, 20, 40, 40]);
    expect(queue.numRequeues('ns/a')).toBe(4);
    queue.forget('ns/a');
    expect(queue.numRequeues('ns/a')).toBe(0);
    expect(readyAfter()).toBe(10);
  });

  it('uses 5 ms exponential back-off when given no rate limiter', () => {
    const clock = new FakeClock(0);
    const queue = new WorkQueue<string>({ clock });
    queue.addRateLimited('ns/a');
    clock.advance(4);
    expect(queue.len()).toBe(0);
    clock.advance(1);
    expect(queue.len()).toBe(1);
  });

  it('releases waiting getters on shutDown, still drains queued keys, and ignores new ones', async () => {
    const clock = new FakeClock(0);
    const queue = new WorkQueue<string>({ clock });
    const a = pendingGet(queue);
    const b = pendingGet(queue);
    queue.addAfter('ns/late', 10);
    queue.shutDown();
    await flush();
    expect([a.settled, a.result, b.settled, b.result]).toEqual([true, undefined, true, undefined]);
    expect(clock.pending()).toBe(0);
    expect(queue.shuttingDown()).toBe(true);
    queue.add('ns/ignored');
    expect(queue.len()).toBe(0);
    expect(await queue.get()).toBeUndefined();
  });

  it('still hands out keys queued before shutDown', async () => {
    const queue = new WorkQueue<string>({ clock: new FakeClock() });
    queue.add('ns/a');
    queue.shutDown();
    expect(await queue.get()).toBe('ns/a');
    expect(await queue.get()).toBeUndefined();
  });

  it('shutDownWithDrain resolves once every held key is done', async () => {
    const queue = new WorkQueue<string>({ clock: new FakeClock() });
    queue.add('ns/a');
    queue.add('ns/b');
    await queue.get();
    await queue.get();
    let drained = false;
    void queue.shutDownWithDrain().then(() => (drained = true));
    queue.done('ns/a');
    await flush();
    expect(drained).toBe(false);
    queue.done('ns/b');
    await flush();
    expect(drained).toBe(true);
    await expect(new WorkQueue<string>({ clock: new FakeClock() }).shutDownWithDrain()).resolves.toBeUndefined();
  });

  it('counts adds, depth and retries for metrics', async () => {
    const clock = new FakeClock();
    const queue = new WorkQueue<string>({ clock, name: 'pods' });
    expect(queue.name).toBe('pods');
    queue.add('ns/a');
    queue.add('ns/a');
    queue.add('ns/b');
    expect([queue.adds, queue.depth, queue.retries]).toEqual([2, 2, 0]);
    queue.addRateLimited('ns/c');
    queue.addAfter('ns/d', 0);
    expect([queue.adds, queue.depth, queue.retries]).toEqual([3, 3, 2]);
    await queue.get();
    expect(queue.depth).toBe(2);
  });
});

// A model-based property: random operations on the queue and on a plain model of the same
// rules; after every step the queue's invariants hold, both have handed out the same keys in
// the same order, no key is held twice, and in the end every added key has been handed out.

type Op =
  | { kind: 'add' | 'addRateLimited' | 'forget'; key: string }
  | { kind: 'addAfter'; key: string; ms: number }
  | { kind: 'get' }
  | { kind: 'done'; pick: number }
  | { kind: 'advance'; ms: number };

const keyArb = fc.constantFrom('ns/a', 'ns/b', 'ns/c', 'ns/d');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('add' as const, 'addRateLimited' as const, 'forget' as const), key: keyArb }),
  fc.record({ kind: fc.constant('addAfter' as const), key: keyArb, ms: fc.integer({ min: -5, max: 50 }) }),
  fc.record({ kind: fc.constant('get' as const) }),
  fc.record({ kind: fc.constant('done' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 60 }) }),
);

const backoff = { baseMs: 5, maxMs: 80 };

/** The queue's rules written as plainly as possible: arrays and sets, no timers, no promises. */
class Model {
  now = 0;
  queue: string[] = [];
  dirty = new Set<string>();
  processing = new Set<string>();
  delayed = new Map<string, { readyAt: number; seq: number }>();
  waiters = 0;
  handed: string[] = [];
  private seq = 0;
  private limiter = new ExponentialBackoffRateLimiter(backoff);

  add(key: string): void {
    if (this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.queue.push(key);
    this.handOut();
  }
  addAfter(key: string, ms: number): void {
    if (ms <= 0) return this.add(key);
    const readyAt = this.now + ms;
    const pending = this.delayed.get(key);
    if (pending && pending.readyAt <= readyAt) return;
    this.delayed.set(key, { readyAt, seq: this.seq++ });
  }
  addRateLimited(key: string): void {
    this.addAfter(key, this.limiter.when(key));
  }
  forget(key: string): void {
    this.limiter.forget(key);
  }
  get(): void {
    this.waiters++;
    this.handOut();
  }
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.queue.push(key);
      this.handOut();
    }
  }
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.delayed].filter(([, d]) => d.readyAt <= until);
      due.sort(([, x], [, y]) => x.readyAt - y.readyAt || x.seq - y.seq);
      const first = due[0];
      if (!first) break;
      this.now = first[1].readyAt;
      this.delayed.delete(first[0]);
      this.add(first[0]);
    }
    this.now = until;
  }
  private handOut(): void {
    while (this.waiters > 0 && this.queue.length > 0) {
      const key = this.queue.shift() ?? '';
      this.waiters--;
      this.dirty.delete(key);
      this.processing.add(key);
      this.handed.push(key);
    }
  }
}

describe('WorkQueue against a model', () => {
  test.prop([fc.array(opArb, { maxLength: 60 })], { numRuns: 300 })(
    'keeps its invariants, matches the model, never double-hands a key and loses none',
    async (ops) => {
      const clock = new FakeClock(0);
      const queue = new WorkQueue<string>({ clock, rateLimiter: new ExponentialBackoffRateLimiter(backoff) });
      const model = new Model();
      const held: string[] = [];
      const handed: string[] = [];
      const owed = new Set<string>();
      let released = 0;
      let outstanding = 0;

      const startGet = (): void => {
        outstanding++;
        void queue.get().then((key) => {
          outstanding--;
          if (key === undefined) {
            released++;
            return;
          }
          expect(held, `${key} handed to a second worker`).not.toContain(key);
          held.push(key);
          handed.push(key);
          owed.delete(key);
        });
      };
      const check = async (): Promise<void> => {
        await flush();
        queue.checkInvariants();
        expect(handed).toEqual(model.handed);
        expect(queue.len()).toBe(model.queue.length);
        expect(new Set(held)).toEqual(model.processing);
        expect(held.length).toBe(model.processing.size);
      };

      for (const op of ops) {
        switch (op.kind) {
          case 'add':
          case 'addRateLimited':
            owed.add(op.key);
            queue[op.kind](op.key);
            model[op.kind](op.key);
            break;
          case 'addAfter':
            owed.add(op.key);
            queue.addAfter(op.key, op.ms);
            model.addAfter(op.key, op.ms);
            break;
          case 'forget':
            queue.forget(op.key);
            model.forget(op.key);
            break;
          case 'get':
            // A bounded pool of workers, as a controller has.
            if (outstanding < 3) {
              startGet();
              model.get();
            }
            break;
          case 'done': {
            if (held.length === 0) break;
            const [key] = held.splice(op.pick % held.length, 1);
            if (key === undefined) break;
            queue.done(key);
            model.done(key);
            break;
          }
          case 'advance':
            clock.advance(op.ms);
            model.advance(op.ms);
            break;
        }
        await check();
      }

      // Let every delay elapse, then let workers finish until nothing is left.
      clock.advance(backoff.maxMs + 100);
      model.advance(backoff.maxMs + 100);
      await check();
      for (let round = 0; held.length > 0 || queue.len() > 0; round++) {
        expect(round, 'the queue never drains').toBeLessThan(100);
        for (const key of held.splice(0)) {
          queue.done(key);
          model.done(key);
        }
        for (let n = queue.len() - outstanding; n > 0; n--) {
          startGet();
          model.get();
        }
        await check();
      }
      expect([...owed], 'added but never handed out').toEqual([]);
      expect(clock.pending()).toBe(0);

      const waiting = outstanding;
      queue.shutDown();
      await flush();
      expect(released).toBe(waiting);
    },
  );
});
