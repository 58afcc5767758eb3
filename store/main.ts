import { createServer } from 'node:http';
import { realClock } from '../api/clock.js';
import { createLogger } from '../api/log.js';
import { startAutoCompactor } from './auto-compactor.js';
import { Backend } from './backend.js';
import { StoreMetrics } from './metrics.js';
import { Mvcc } from './mvcc.js';
import { createStoreApp } from './server.js';

export interface StoreConfig {
  host: string;
  port: number;
  dataDir: string;
  autoCompactionRetention: number;
  autoCompactionIntervalMs: number;
  progressNotifyIntervalMs: number;
  maxRequestBytes: number;
  maxTxnOps: number;
}

/** `minik store`: wires the backend, the MVCC and the HTTP face, and stops cleanly on SIGTERM. */
export async function runStore(config: StoreConfig): Promise<void> {
  const log = createLogger('store');
  const clock = realClock;
  const backend = await Backend.open({ dataDir: config.dataDir });
  const store = await Mvcc.open({
    backend,
    logger: log,
    maxTxnOps: config.maxTxnOps,
    onFatal: () => process.exit(1),
  });
  const app = createStoreApp({
    store,
    logger: log,
    clock,
    metrics: new StoreMetrics(store, { defaultMetrics: true }),
    maxRequestBytes: config.maxRequestBytes,
    progressNotifyIntervalMs: config.progressNotifyIntervalMs,
  });
  const compactor =
    config.autoCompactionRetention > 0
      ? startAutoCompactor({
          store,
          retention: config.autoCompactionRetention,
          intervalMs: config.autoCompactionIntervalMs,
          clock,
          logger: log,
        })
      : undefined;

  const server = createServer({ keepAliveTimeout: 60_000 }, app.handle);
  server.on('upgrade', app.upgrade);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`port ${config.port} on ${config.host} is already in use: stop what holds it or choose another --port`)
          : err,
      ),
    );
    server.listen(config.port, config.host, resolve);
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  log.info({ address: `http://${config.host}:${port}`, dataDir: config.dataDir, revision: store.revision }, 'store ready');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'store stopping');
    setTimeout(() => process.exit(1), 10_000).unref();
    compactor?.cancel();
    app.close();
    server.close();
    server.closeIdleConnections();
    await store.close();
    log.info('store stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
