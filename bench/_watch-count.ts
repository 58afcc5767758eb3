export { pool } from '../api/pool.js';
import type { ApiClient, KubeObject } from '../api/client.js';
import { keyOf } from '../api/informer.js';
import type { ResourceType } from '../api/resources.js';
import { nowMs } from './_stats.js';

/**
 * Watches a resource and tells when `n` of its objects satisfy `done`, and when the first did:
 * how a benchmark sees the end of work that other processes do. One list, then one watch from its
 * resourceVersion, so that nothing done in between is missed.
 */
export async function watchCount<T extends KubeObject>(
  client: ApiClient,
  resource: ResourceType,
  ns: string | undefined,
  done: (obj: T) => boolean,
): Promise<{ count(): number; until(n: number, timeoutMs: number): Promise<{ firstMs: number; lastMs: number }>; stop(): void }> {
  const satisfied = new Set<string>();
  let firstMs = 0;
  let lastMs = 0;
  let waiter: (() => void) | undefined;
  const see = (obj: T, deleted = false) => {
    const key = keyOf(obj);
    if (!deleted && done(obj)) {
      if (!satisfied.has(key)) {
        satisfied.add(key);
        lastMs = nowMs();
        if (satisfied.size === 1) firstMs = lastMs;
        waiter?.();
      }
    } else satisfied.delete(key);
  };
  const list = await client.list<T>(resource, ns);
  for (const obj of list.items) see(obj);
  const watch = client.watch<T>(resource, ns, { resourceVersion: list.resourceVersion, timeoutSeconds: 3600 }, (e) => {
    if (e.type === 'ADDED' || e.type === 'MODIFIED') see(e.object);
    else if (e.type === 'DELETED') see(e.object, true);
  });
  let ended: Error | undefined;
  watch.done.then(
    () => (ended = new Error(`the watch of ${resource.resource} ended`)),
    (err: Error) => (ended = err),
  );
  return {
    count: () => satisfied.size,
    async until(n, timeoutMs) {
      const deadline = nowMs() + timeoutMs;
      while (satisfied.size < n) {
        if (ended) throw new Error(`${satisfied.size} of ${n} ${resource.resource} were done when the watch failed: ${ended.message}`);
        const left = deadline - nowMs();
        if (left <= 0) throw new Error(`only ${satisfied.size} of ${n} ${resource.resource} were done after ${(timeoutMs / 1000).toFixed(0)} s`);
        await new Promise<void>((r) => {
          waiter = r;
          setTimeout(r, Math.min(left, 500));
        });
      }
      return { firstMs, lastMs };
    },
    stop: () => watch.stop(),
  };
}
