import { createServer } from 'node:http';
import { ApiClient } from '../api/client.js';
import { realClock } from '../api/clock.js';
import { createLogger } from '../api/log.js';
import { createHealthApp } from '../api/health-app.js';
import { candidateIdentity, leadWhenElected, type LeaderElection, type LeaderElectionConfig } from '../api/leader-election.js';
import type { ScoreName } from './decide.js';
import { SchedulerMetrics } from './metrics.js';
import { seededRandom } from './random.js';
import { Scheduler } from './scheduler.js';

export interface SchedulerConfig {
  server: string;
  host: string;
  /** Health and metrics. */
  port: number;
  score: ScoreName;
  explain: boolean;
  /** Seeds the tie-break; a random seed when unset. */
  seed?: number;
  leaderElection: LeaderElectionConfig;
}

/** `minik scheduler`: wires the API client, the scheduler and its health face; stops on SIGTERM. */
export async function runScheduler(config: SchedulerConfig): Promise<void> {
  const log = createLogger('scheduler');
  const client = new ApiClient({ server: config.server, userAgent: 'minik-scheduler' });
  // As kube-scheduler: Events on connections of their own, so that binds never queue behind them.
  const eventClient = new ApiClient({ server: config.server, userAgent: 'minik-scheduler' });
  const seed = config.seed ?? Math.floor(Math.random() * 2 ** 32);
  let metrics: SchedulerMetrics | undefined;
  const scheduler = new Scheduler({
    client,
    eventClient,
    clock: realClock,
    logger: log,
    score: config.score,
    explain: config.explain,
    random: seededRandom(seed),
    onAttempt: (result, seconds) => metrics?.attempt(result, seconds),
    fence: async () => election?.leaseVersion(),
  });
  metrics = new SchedulerMetrics({ pending: () => scheduler.pendingCounts(), defaultMetrics: true });

  let election: LeaderElection | undefined;
  // A standby is ready while it hears from the API server (waiting is its job); a leader once its caches have synced.
  const ready = () => (election && !election.isLeader() ? election.inContact() : scheduler.hasSynced());
  const server = createServer(createHealthApp({ ready, notReady: 'informers not synced', registry: metrics.registry }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${config.port} on ${config.host} is already in use: stop what holds it or choose another --port`) : err),
    );
    server.listen(config.port, config.host, resolve);
  });
  log.info({ address: `http://${config.host}:${config.port}`, server: config.server, score: config.score, seed }, 'scheduler started');
  election = leadWhenElected(config.leaderElection, {
    client,
    clock: realClock,
    name: 'kube-scheduler',
    identity: candidateIdentity(),
    logger: log,
    lead: () => void scheduler.start().then(() => log.info('scheduler ready: caches synced')),
    // As upstream: a copy that lost the lease may bind on stale state, so it exits (and is restarted).
    lost: () => process.exit(1),
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'scheduler stopping');
    setTimeout(() => process.exit(1), 10_000).unref();
    await scheduler.stop();
    await election?.release();
    server.close();
    server.closeAllConnections();
    client.close();
    eventClient.close();
    log.info('scheduler stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
