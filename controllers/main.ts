import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { hostname } from 'node:os';
import { ApiClient } from '../api/client.js';
import { realClock } from '../api/clock.js';
import { createHealthApp } from '../api/health-app.js';
import { LeaderElection } from '../api/leader-election.js';
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
  leaderElect: boolean;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

/** `minik controller-manager`: wires the client, the election and the controllers; stops on SIGTERM. */
export async function runControllerManager(config: ControllerManagerConfig): Promise<void> {
  const log = createLogger('controller-manager');
  const controllers = selectControllers(config.controllers);
  const client = new ApiClient({ server: config.server });
  const metrics = new ControllerMetrics({ defaultMetrics: true });
  const manager = new ControllerManager({ client, clock: realClock, logger: log, speed: config.speed, controllers, metrics });
  const lead = () => void manager.start().catch((err: Error) => log.error({ err: err.message }, 'controllers failed to start'));
  const election = config.leaderElect
    ? new LeaderElection({
        client,
        clock: realClock,
        name: 'kube-controller-manager',
        identity: `${hostname()}_${process.pid}_${randomBytes(4).toString('hex')}`,
        leaseDurationMs: config.leaseDurationMs,
        renewDeadlineMs: config.renewDeadlineMs,
        retryPeriodMs: config.retryPeriodMs,
        logger: log,
        onStartedLeading: lead,
        // As upstream: a copy that lost the lease may hold stale state, so it exits and is restarted.
        onStoppedLeading: () => process.exit(1),
      })
    : undefined;

  // A standby is ready (it is doing its job: waiting); /readyz says whether this copy leads.
  const ready = () => (election ? !election.isLeader() || manager.hasSynced() : manager.hasSynced());
  const server = createServer(createHealthApp({ ready, notReady: 'caches not synced', registry: metrics.registry }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${config.port} on ${config.host} is already in use: stop what holds it or choose another --port`) : err),
    );
    server.listen(config.port, config.host, resolve);
  });
  log.info({ address: `http://${config.host}:${config.port}`, server: config.server, controllers: [...controllers.keys()] }, 'controller manager started');
  if (election) election.start();
  else lead();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'controller manager stopping');
    setTimeout(() => process.exit(1), 10_000).unref();
    await manager.stop();
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
