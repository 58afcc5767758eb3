import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeClock, type Clock } from '../api/clock.js';
import type { KV } from '../store/kv.js';
import { ensureSystemNamespaces } from './bootstrap.js';
import { createApiApp } from './http/app.js';
import { ApiMetrics } from './http/metrics.js';
import { Registry } from './registry.js';
import { strategies } from './strategies/index.js';
import { WatchCache } from './watch-cache.js';

export interface InProcessApi {
  url: string;
  port: number;
  registry: Registry;
  cache: WatchCache;
  /** Ends its watches and stops listening; the store is the caller's to close. */
  close(): Promise<void>;
}

/**
 * The API server inside this process, over a store the caller owns, on a loopback port: what tests
 * of API clients use, wired as `minik apiserver` wires it.
 *
 *   const store = await Mvcc.open({ backend: await Backend.open() });
 *   const api = await serveInProcess({ store });
 *   // ... new ApiClient({ server: api.url }) ...
 *   await api.close(); await store.close();
 */
export async function serveInProcess(opts: { store: KV; port?: number; historySize?: number; clock?: Clock }): Promise<InProcessApi> {
  const clock = opts.clock ?? new FakeClock(Date.parse('2026-11-21T10:00:00Z'));
  const cache = new WatchCache({ store: opts.store, now: () => clock.now(), ...(opts.historySize ? { historySize: opts.historySize } : {}) });
  const registry = new Registry({ store: opts.store, cache, clock, strategies: strategies() });
  const api = createApiApp({ registry, cache, metrics: new ApiMetrics(), now: () => clock.now() });
  await cache.start();
  await ensureSystemNamespaces(registry);
  const http: Server = createServer(api.handle);
  http.on('upgrade', api.upgrade);
  await new Promise<void>((r) => http.listen(opts.port ?? 0, '127.0.0.1', r));
  const port = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    registry,
    cache,
    async close() {
      api.close();
      cache.stop();
      http.closeAllConnections();
      await new Promise((r) => http.close(r));
    },
  };
}
