import type { Clock, Timer } from '../api/clock.js';
import type { Logger } from '../api/log.js';
import { resolveResource } from '../api/resources.js';
import { ApiError } from './errors.js';
import type { Registry } from './registry.js';

const events = resolveResource('events')!;

/**
 * Events expire as kube-apiserver's do (`--event-ttl`, 1 h): there each write of an Event gives it an
 * etcd lease of that TTL; here a sweep deletes each Event whose version it has seen unchanged for
 * longer than the TTL. Without it a class's cluster gathers Events without end in the store. An
 * Event the sweep has not seen before (after a restart, say) gets a whole TTL from then; a deletion
 * names the version it saw, so an Event written meanwhile stays.
 *
 *   const expiry = startEventExpiry({ registry, clock, ttlMs: 3_600_000, log });
 */
export function startEventExpiry(opts: { registry: Registry; clock: Clock; ttlMs: number; log: Logger; sweepEveryMs?: number }): Timer {
  const sweep = eventSweeper(opts);
  let running = false;
  return opts.clock.setInterval(() => {
    if (running) return;
    running = true;
    sweep()
      .catch((err: unknown) => opts.log.warn({ err: (err as Error).message }, 'event expiry sweep failed'))
      .finally(() => (running = false));
  }, opts.sweepEveryMs ?? Math.min(60_000, Math.max(1_000, opts.ttlMs / 10)));
}

/** One sweep at a time: notes the version of every Event, and deletes those unchanged for a TTL. Resolves to the number deleted. */
export function eventSweeper(opts: { registry: Registry; clock: Clock; ttlMs: number }): () => Promise<number> {
  const seen = new Map<string, { rv: string; since: number }>();
  return async () => {
    const now = opts.clock.now();
    const present = new Set<string>();
    const expired: Array<{ ns: string; name: string; rv: string }> = [];
    // Keys and versions only: Events are not in the watch cache, and their bodies do not matter here.
    for (const { namespace, name, resourceVersion: rv } of await opts.registry.versions(events)) {
      const ns = namespace ?? '';
      const key = `${ns}/${name}`;
      present.add(key);
      const last = seen.get(key);
      if (!last || last.rv !== rv) seen.set(key, { rv, since: now });
      else if (now - last.since >= opts.ttlMs) expired.push({ ns, name, rv });
    }
    for (const key of seen.keys()) if (!present.has(key)) seen.delete(key);
    let deleted = 0;
    for (const { ns, name, rv } of expired) {
      try {
        await opts.registry.delete(events, ns, name, { preconditions: { resourceVersion: rv } });
        deleted++;
      } catch (err) {
        // Written again or deleted meanwhile: the next sweep sees it as it is.
        if (!(err instanceof ApiError) || (err.code !== 404 && err.code !== 409)) throw err;
      }
    }
    return deleted;
  };
}
