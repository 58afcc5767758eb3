import type { StoreClient } from '../store/client.js';
import { nowMs } from './_stats.js';

export interface PutLoadOptions {
  concurrency: number;
  durationMs: number;
  valueBytes: number;
  /** Keys are `prefix` + a counter modulo `keySpace`: updates of existing keys, as a cluster's objects get. */
  prefix: string;
  keySpace: number;
}

export interface PutLoadResult {
  ops: number;
  elapsedMs: number;
  latenciesMs: number[];
}

/**
 * `concurrency` closed loops, each sending its next put when the previous one is answered, until
 * the time is up. Elapsed time runs until the last answer, so every counted put is a finished one.
 * A failed put stops the run: figures with errors in them would not compare.
 */
export async function putLoad(client: StoreClient, o: PutLoadOptions): Promise<PutLoadResult> {
  const value = Buffer.alloc(o.valueBytes, 'v');
  const latenciesMs: number[] = [];
  let next = 0;
  let failure: unknown;
  const start = performance.now();
  const deadline = start + o.durationMs;
  const loop = async () => {
    while (failure === undefined && performance.now() < deadline) {
      const key = Buffer.from(o.prefix + String(next++ % o.keySpace).padStart(6, '0'));
      const t0 = performance.now();
      try {
        await client.put({ key, value });
      } catch (err) {
        failure ??= err;
        return;
      }
      latenciesMs.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, loop));
  const elapsedMs = performance.now() - start;
  if (failure !== undefined) {
    throw new Error(`a put failed at concurrency ${o.concurrency} after ${latenciesMs.length} puts: ${(failure as Error).message}`);
  }
  return { ops: latenciesMs.length, elapsedMs, latenciesMs };
}

export interface WatchLoadOptions {
  watchers: number;
  puts: number;
  intervalMs: number;
  valueBytes: number;
  prefix: string;
}

export interface WatchLoadResult {
  expected: number;
  delivered: number;
  latenciesMs: number[];
}

/**
 * `watchers` watch streams on one prefix; puts at a steady pace (not as fast as possible, so that
 * the figure is the delivery path, not a queue), each value starting with its send time. A sample
 * is the time from a put's send to one watcher's receipt of its event.
 */
export async function watchLoad(client: StoreClient, o: WatchLoadOptions): Promise<WatchLoadResult> {
  const key = Buffer.from(o.prefix);
  const rangeEnd = prefixEnd(key);
  const expected = o.watchers * o.puts;
  const latenciesMs: number[] = [];
  let created = 0;
  let problem: string | undefined;
  let wake: () => void = () => {};
  const settled = () => problem !== undefined || latenciesMs.length >= expected;
  const watches = Array.from({ length: o.watchers }, () =>
    client.watch({ key, rangeEnd }, (r) => {
      const now = nowMs();
      if (r.created && !r.canceled) created++;
      if (r.canceled) problem ??= `a watch was canceled: ${r.cancelReason ?? 'no reason given'}`;
      for (const ev of r.events) latenciesMs.push(now - ev.kv.value.readDoubleLE(0));
      wake();
    }),
  );
  // `what` is called at the timeout, so that the message tells how far it got.
  const until = (done: () => boolean, timeoutMs: number, what: () => string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what()} within ${timeoutMs} ms`)), timeoutMs);
      wake = () => {
        if (!done()) return;
        clearTimeout(timer);
        resolve();
      };
      wake();
    });
  try {
    await until(() => created >= o.watchers || problem !== undefined, 10_000, () => `${created} of ${o.watchers} watches were created`);
    if (problem) throw new Error(problem);
    const start = performance.now();
    const puts: Promise<unknown>[] = [];
    for (let i = 0; i < o.puts; i++) {
      const due = start + i * o.intervalMs - performance.now();
      if (due > 0) await new Promise((r) => setTimeout(r, due));
      const value = Buffer.alloc(o.valueBytes, 'w');
      value.writeDoubleLE(nowMs(), 0);
      puts.push(client.put({ key: Buffer.from(o.prefix + String(i).padStart(6, '0')), value }));
    }
    await Promise.all(puts);
    // What has not arrived in 10 s after the last put is counted as lost, not waited for.
    await until(settled, 10_000, () => 'not every event arrived').catch(() => {});
    if (problem) throw new Error(problem);
    return { expected, delivered: latenciesMs.length, latenciesMs };
  } finally {
    for (const w of watches) w.cancel();
  }
}

/** etcd's range end for "every key with this prefix". */
function prefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i] = end[i]! + 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}
