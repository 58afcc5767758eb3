import { createServer } from 'node:http';
import { realClock } from '../api/clock.js';
import { createLogger } from '../api/log.js';
import { StoreClient } from '../store/client.js';
import { startWhenStoreAnswers } from './bootstrap.js';
import { startCompactor } from './compactor.js';
import { startEventExpiry } from './event-expiry.js';
import { ensureKubernetesService } from './kubernetes-service.js';
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
  /** How long an Event is kept after its last write (kube-apiserver's --event-ttl). */
  eventTtlMs: number;
  serviceCidr: string;
  nodePortRange: string;
  loadBalancerCidr: string;
}

/** `minik apiserver`: wires the store client, the watch cache, the registry and the HTTP face. */
export async function runApiServer(config: ApiServerConfig): Promise<void> {
  const log = createLogger('apiserver');
  const clock = realClock;
  const store = StoreClient.fromList(config.store);
  const cache = new WatchCache({ store, logger: log });
  const registry = new Registry({
    store,
    cache,
    clock,
    strategies: strategies(),
    logger: log,
    serviceCidr: config.serviceCidr,
    nodePortRange: config.nodePortRange,
    loadBalancerCidr: config.loadBalancerCidr,
  });
  const metrics = new ApiMetrics({ defaultMetrics: true });
  const address = `${config.host}:${config.port}`;
  const api = createApiApp({ registry, cache, metrics, logger: log, address });

  await startWhenStoreAnswers(cache, registry, log, () => ensureKubernetesService(registry, { serviceCidr: config.serviceCidr, host: config.host, port: config.port, log }));

  const server = createServer({ keepAliveTimeout: 60_000 }, api.handle);
  server.on('upgrade', api.upgrade);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${config.port} on ${config.host} is already in use: stop what holds it or choose another --port`) : err),
    );
    // A queue of pending connections as long as the kernel allows (Node asks for 511): many clients
    // connecting at once, as 1,000 kubelets may, get their SYNs answered instead of dropped.
    server.listen({ port: config.port, host: config.host, backlog: 4096 }, resolve);
  });
  log.info({ address: `http://${address}`, store: config.store, revision: cache.revision }, 'apiserver ready');

  const compactor = startCompactor({ store, clock, intervalMs: config.compactionIntervalMs, revision: () => cache.revision });
  const eventExpiry = startEventExpiry({ registry, clock, ttlMs: config.eventTtlMs, log });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'apiserver stopping');
    setTimeout(() => process.exit(1), 10_000).unref();
    compactor.cancel();
    eventExpiry.cancel();
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
