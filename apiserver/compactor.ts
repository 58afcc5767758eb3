import type { Clock, Timer } from '../api/clock.js';
import type { KV } from '../store/kv.js';

/**
 * Keeps the store's history bounded as kube-apiserver does: at each tick, compact up to the
 * revision seen at the previous tick, so that one interval of history always remains for watches
 * to resume from.
 */
export function startCompactor(opts: { store: KV; clock: Clock; intervalMs: number; revision: () => number }): Timer {
  let last = opts.revision();
  return opts.clock.setInterval(() => {
    const target = last;
    last = opts.revision();
    if (target > 1) opts.store.compact({ revision: target }).catch(() => {});
  }, opts.intervalMs);
}
