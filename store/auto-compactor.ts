import type { Clock, Timer } from '../api/clock.js';
import type { Logger } from '../api/log.js';
import type { Mvcc } from './mvcc.js';

export interface AutoCompactorOptions {
  store: Mvcc;
  /** Revisions of history to keep (etcd's --auto-compaction-mode=revision). */
  retention: number;
  clock: Clock;
  logger: Logger;
  /** How often to look; etcd's revision mode looks every 5 minutes. */
  intervalMs?: number;
}

/** Keeps the newest `retention` revisions of history and compacts the rest away, on a timer. */
export function startAutoCompactor(opts: AutoCompactorOptions): Timer {
  const { store, retention, logger } = opts;
  let running = false;
  return opts.clock.setInterval(() => {
    const target = store.revision - retention;
    if (running || target <= store.compactedRevision) return;
    running = true;
    store
      .compact({ revision: target })
      .then(() => logger.info({ revision: target, retention }, 'auto-compacted'))
      .catch((err) => logger.warn({ err, revision: target }, 'auto-compaction failed'))
      .finally(() => (running = false));
  }, opts.intervalMs ?? 5 * 60 * 1000);
}
