import { createServer } from 'node:http';
import { ApiClient } from '../api/client.js';
import { realClock } from '../api/clock.js';
import { createLogger } from '../api/log.js';
import { createHealthApp } from '../api/health-app.js';
import { KubeletSimMetrics } from './metrics.js';
import { NodeSim } from './node-sim.js';

export interface KubeletSimConfig {
  server: string;
  host: string;
  /** Health and metrics. */
  port: number;
  nodes: number;
  cpu: string;
  memory: string;
  maxPods: number;
  speed: number;
}

/** `minik kubelet-sim`: wires the API client, the simulated nodes and their health face; stops on SIGTERM. */
export async function runKubeletSim(config: KubeletSimConfig): Promise<void> {
  const log = createLogger('kubelet-sim');
  const client = new ApiClient({ server: config.server });
  let metrics: KubeletSimMetrics | undefined;
  const sim = new NodeSim({
    client,
    clock: realClock,
    logger: log,
    nodes: config.nodes,
    cpu: config.cpu,
    memory: config.memory,
    maxPods: config.maxPods,
    speed: config.speed,
    onTransition: (stage) => metrics?.transition(stage),
  });
  metrics = new KubeletSimMetrics({ podsByPhase: () => sim.podsByPhase(), nodes: () => sim.nodeNames.length, defaultMetrics: true });

  const server = createServer(createHealthApp({ ready: () => sim.ready(), notReady: 'nodes not registered or informers not synced', registry: metrics.registry }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${config.port} on ${config.host} is already in use: stop what holds it or choose another --port`) : err),
    );
    server.listen(config.port, config.host, resolve);
  });
  log.info({ address: `http://${config.host}:${config.port}`, server: config.server, nodes: config.nodes, speed: config.speed }, 'kubelet-sim started');
  void sim.start().then(() => log.info('kubelet-sim ready: nodes registered, caches synced'));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'kubelet-sim stopping');
    setTimeout(() => process.exit(1), 10_000).unref();
    await sim.stop();
    server.close();
    server.closeAllConnections();
    client.close();
    log.info('kubelet-sim stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
