import { createServer } from 'node:http';
import { realClock } from '../api/clock.js';
import { createLogger } from '../api/log.js';
import { StoreClient } from '../store/client.js';
import { ensureSystemNamespaces } from './bootstrap.js';
import { createApiApp } from './http/app.js';
import { ApiMetrics } from './http/metrics.js';
import { Registry } from './registry.js';
import { strategies } from './strategies/index.js';
import { WatchCache } from './watch-cache.js';

export interface ApiServerConfig {
  host: string;
  port: number;
  /** Store endpoints: minik's store or the members of an etcd cluster, comma-separated. */
  store: string;
  /** Keep this many revisions of history in the store; compacted on a timer, as kube-apiserver does. */
  compactionIntervalMs: number;
}

/** `minik apiserver`: wires the store client, the watch cache, the registry and the HTTP face. */
export async function runApiServer(config: ApiServerConfig): Promise<void> {
  const log = createLogger('apiserver');
  const clock = realClock;
  const store = StoreClient.fromList(config.store);
  const cache = new WatchCache({ store, logger: log });
  const registry = new Registry({ store, cache, clock, strategies: strategies(), logger: log });
  const metrics = new ApiMetrics({ defaultMetrics: true });
  const address = `${config.host}:${config.port}`;
  const api = createApiApp({ registry, cache, metrics, logger: log, address });

  await cache.start();
  await ensureSystemNamespaces(registry);

  const server = createServer({ keepAliveTimeout: 60_000 }, api.app);
  server.on('upgrade', api.upgrade);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${config.port} on ${config.host} is already in use: stop what holds it or choose another --port`) : err),
    );
    server.listen(config.port, config.host, resolve);
  });
  log.info({ address: `http://${address}`, store: config.store, revision: cache.revision }, 'apiserver ready');

  // Keep the store's history bounded: compact what is older than one interval, as kube-apiserver does every 5 minutes.
  let lastRev = cache.revision;
  const compactor = clock.setInterval(() => {
    const target = lastRev;
    lastRev = cache.revision;
    if (target > 1) store.compact({ revision: target }).catch(() => {});
  }, config.compactionIntervalMs);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'apiserver stopping');
    setTimeout(() => process.exit(1), 10_000).unref();
    compactor.cancel();
    api.close();
    cache.stop();
    server.close(() => {
      store.close();
      log.info('apiserver stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
