import type { Logger } from '../api/log.js';
import { RESOURCES } from '../api/resources.js';
import { ApiError } from './errors.js';
import type { Registry } from './registry.js';
import type { WatchCache } from './watch-cache.js';

/** The namespaces every cluster has from the start. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Creates what is missing of the system namespaces; safe to run at every start. */
export async function ensureSystemNamespaces(registry: Registry): Promise<void> {
  const namespaces = RESOURCES.find((r) => r.kind === 'Namespace')!;
  for (const name of SYSTEM_NAMESPACES) {
    try {
      await registry.create(namespaces, undefined, { metadata: { name } });
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 409)) throw err;
    }
  }
}

/**
 * Fills the watch cache and makes sure of the system namespaces (then of what `more` makes),
 * retrying with back-off until the store answers: components start in any order, and come back in
 * any order.
 */
export async function startWhenStoreAnswers(cache: WatchCache, registry: Registry, log: Logger, more?: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await cache.start();
      await ensureSystemNamespaces(registry);
      await more?.();
      return;
    } catch (err) {
      log.warn({ err: (err as Error).message, attempt }, 'store not reachable yet; retrying');
      await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt)));
    }
  }
}
