import { createServer } from 'node:http';
import { ApiClient } from '../api/client.js';
import { realClock } from '../api/clock.js';
import { createHealthApp } from '../api/health-app.js';
import { candidateIdentity, leadWhenElected, type LeaderElection, type LeaderElectionConfig } from '../api/leader-election.js';
import { LiveSpeed } from '../api/live-speed.js';
import { createLogger } from '../api/log.js';
import { selectControllers } from './all.js';
import { ControllerManager } from './controller-manager.js';
import { ControllerMetrics } from './metrics.js';

export interface ControllerManagerConfig {
  server: string;
  host: string;
  /** Health and metrics. */
  port: number;
  speed: number;
  /** `--controllers`: `*`, names, `-name`. */
  controllers: string;
  leaderElection: LeaderElectionConfig;
}

/** `minik controller-manager`: wires the client, the election and the controllers; stops on SIGTERM. */
export async function runControllerManager(config: ControllerManagerConfig): Promise<void> {
  const log = createLogger('controller-manager');
  const controllers = selectControllers(config.controllers);
  const client = new ApiClient({ server: config.server, userAgent: 'minik-controller-manager' });
  const metrics = new ControllerMetrics({ defaultMetrics: true });
  const speed = new LiveSpeed({
    client,
    clock: realClock,
    initial: config.speed,
    onChange: (value) => log.info({ speed: value }, 'speed changed (kube-system/minik-config)'),
    onInvalid: (value) => log.warn({ value }, 'kube-system/minik-config speed is not a positive number; ignored'),
  });
  void speed.start();
  const manager = new ControllerManager({ client, clock: realClock, logger: log, speed: () => speed.value, controllers, metrics, fence: async () => election?.leaseVersion() });
  const lead = () => void manager.start().catch((err: Error) => log.error({ err: err.message }, 'controllers failed to start'));
  let election: LeaderElection | undefined;
  // A standby is ready while it hears from the API server (waiting is its job); a leader once its caches have synced.
  const ready = () => (election && !election.isLeader() ? election.inContact() : manager.hasSynced());
  const server = createServer(createHealthApp({ ready, notReady: 'caches not synced', registry: metrics.registry }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${config.port} on ${config.host} is already in use: stop what holds it or choose another --port`) : err),
    );
    server.listen(config.port, config.host, resolve);
  });
  log.info({ address: `http://${config.host}:${config.port}`, server: config.server, controllers: [...controllers.keys()] }, 'controller manager started');
  election = leadWhenElected(config.leaderElection, {
    client,
    clock: realClock,
    name: 'kube-controller-manager',
    identity: candidateIdentity(),
    logger: log,
    lead,
    // As upstream: a copy that lost the lease may act on stale state, so it exits (and is restarted).
    lost: () => process.exit(1),
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'controller manager stopping');
    setTimeout(() => process.exit(1), 10_000).unref();
    await manager.stop();
    speed.stop();
    await election?.release();
    server.close();
    server.closeAllConnections();
    client.close();
    log.info('controller manager stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
