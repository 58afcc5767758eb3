import { StoreError } from '../../store/errors.js';
import type { StoreClient } from '../../store/client.js';

/** A small, seedable PRNG (mulberry32), so that a failing run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One write the store acknowledged: the revision it answered and every key it wrote. */
export interface Ack {
  op: 'put' | 'txn';
  revision: number;
  kvs: Array<{ key: string; value: string }>;
}

export interface LoadRun {
  /** Requests sent and not yet answered. */
  inFlight(): number;
  /** From now on a failed write is expected (the store is being killed or stopped). */
  expectFailures(): void;
  /** Settles once every writer has stopped: on its first failure, or after stop(). */
  done: Promise<void>;
  stop(): void;
}

/**
 * Concurrent writers, each writing its own never-reused keys `w{i}/{n}` (a txn also writes
 * `w{i}/{n}/t`), so that every key has exactly one possible value and one possible revision.
 * The counters live across runs, so that rounds on the same data never write a key twice.
 */
export class WriteLoad {
  readonly acks: Ack[] = [];
  /** Every value sent for a key, acknowledged or not: whatever the store holds must be one of these. */
  readonly attempted = new Map<string, string>();
  /** Failures that came while the store was supposed to be healthy, or answers that make no sense. */
  readonly unexpected: string[] = [];
  private readonly counters: number[];
  private readonly randoms: Array<() => number>;

  constructor(
    readonly writers: number,
    seed: number,
  ) {
    this.counters = Array.from({ length: writers }, () => 0);
    this.randoms = Array.from({ length: writers }, (_, i) => seededRandom(seed + i + 1));
  }

  /** Records a write made outside the load (a probe), so that later checks cover it too. */
  record(ack: Ack): void {
    for (const kv of ack.kvs) this.attempted.set(kv.key, kv.value);
    this.acks.push(ack);
  }

  run(client: StoreClient, tag: string): LoadRun {
    let pending = 0;
    let stopped = false;
    let failuresExpected = false;

    const writer = async (i: number) => {
      const random = this.randoms[i]!;
      while (!stopped) {
        const n = this.counters[i]!;
        this.counters[i] = n + 1;
        const key = `w${i}/${n}`;
        const value = `${tag}:${i}:${n}`;
        const asTxn = random() < 0.25;
        const kvs = asTxn ? [{ key, value }, { key: `${key}/t`, value: `${value}/t` }] : [{ key, value }];
        for (const kv of kvs) this.attempted.set(kv.key, kv.value);
        pending++;
        try {
          if (asTxn) {
            const r = await client.txn({
              compare: [{ key: Buffer.from(key), target: 'CREATE', result: 'EQUAL', createRevision: 0 }],
              success: kvs.map((kv) => ({ requestPut: { key: Buffer.from(kv.key), value: Buffer.from(kv.value) } })),
            });
            // The key was never written before, so the compare cannot fail.
            if (!r.succeeded) this.unexpected.push(`txn on ${key} took its failure branch at ${r.header.revision}`);
            else this.acks.push({ op: 'txn', revision: r.header.revision, kvs });
          } else {
            const r = await client.put({ key: Buffer.from(key), value: Buffer.from(value) });
            this.acks.push({ op: 'put', revision: r.header.revision, kvs });
          }
        } catch (err) {
          if (!failuresExpected || !(err instanceof StoreError)) {
            this.unexpected.push(`writer ${i}, ${key}: ${(err as Error).message}`);
          }
          return;
        } finally {
          pending--;
        }
      }
    };

    const done = Promise.all(Array.from({ length: this.writers }, (_, i) => writer(i))).then(() => undefined);
    return {
      inFlight: () => pending,
      expectFailures: () => {
        failuresExpected = true;
      },
      done,
      stop: () => {
        stopped = true;
      },
    };
  }
}
