import { createServer } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { ApiClient } from '../api/client.js';
import { realClock } from '../api/clock.js';
import { LiveSpeed } from '../api/live-speed.js';
import { createLogger } from '../api/log.js';
import { createHealthApp } from '../api/health-app.js';
import { cadenceFor } from './container-logs.js';
import { createLogServer } from './log-server.js';
import { KubeletSimMetrics } from './metrics.js';
import { NodeSim } from './node-sim.js';
import { loadNodesFile } from './nodes-file.js';

export interface KubeletSimConfig {
  server: string;
  host: string;
  /** Health, metrics and container logs. */
  port: number;
  nodes: number;
  /** A YAML file describing each node; it replaces `nodes`, and cpu, memory and maxPods become its defaults. */
  nodesFile?: string;
  cpu: string;
  memory: string;
  maxPods: number;
  speed: number;
  /** The pod network, one /24 per node. */
  clusterCidr: string;
  /** Pods go through their stages with no delay. */
  instantPods?: boolean;
}

/** `minik kubelet-sim`: wires the API client, the simulated nodes and their HTTP face; stops on SIGTERM. */
export async function runKubeletSim(config: KubeletSimConfig): Promise<void> {
  const log = createLogger('kubelet-sim');
  const nodes = config.nodesFile ? loadNodesFile(config.nodesFile, config) : config.nodes;
  // Three clients, as a kubelet has: pods, heartbeats and Events each on connections of their own.
  const client = new ApiClient({ server: config.server, userAgent: 'minik-kubelet-sim' });
  const heartbeatClient = new ApiClient({ server: config.server, userAgent: 'minik-kubelet-sim' });
  const eventClient = new ApiClient({ server: config.server, userAgent: 'minik-kubelet-sim' });
  let sim: NodeSim | undefined;
  const metrics = new KubeletSimMetrics({ podsByPhase: () => sim?.podsByPhase() ?? {}, nodes: () => sim?.nodeNames.length ?? 0, defaultMetrics: true });
  const health = createHealthApp({ ready: () => sim?.ready() ?? false, notReady: 'nodes not registered or informers not synced', registry: metrics.registry });
  const logs = createLogServer({ pod: (ns, name) => sim?.pod(ns, name), clock: realClock, cadence: cadenceFor(config.speed), fallback: health });
  const server = createServer(logs);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${config.port} on ${config.host} is already in use: stop what holds it or choose another --port`) : err),
    );
    server.listen(config.port, config.host, resolve);
  });
  // The Nodes advertise where the API server finds the log endpoint: the port actually bound, on an address it can dial.
  const address = isIP(config.host) && !['0.0.0.0', '::'].includes(config.host) ? config.host : '127.0.0.1';
  const kubelet = { address, port: (server.address() as AddressInfo).port };
  const speed = new LiveSpeed({
    client,
    clock: realClock,
    initial: config.speed,
    onChange: (value) => {
      log.info({ speed: value }, 'speed changed (kube-system/minik-config)');
      sim?.speedChanged();
    },
    onInvalid: (value) => log.warn({ value }, 'kube-system/minik-config speed is not a positive number; ignored'),
  });
  void speed.start();
  sim = new NodeSim({ client, heartbeatClient, eventClient, clock: realClock, logger: log, nodes, cpu: config.cpu, memory: config.memory, maxPods: config.maxPods, speed: () => speed.value, clusterCidr: config.clusterCidr, instantPods: config.instantPods ?? false, kubelet, onTransition: (stage) => metrics.transition(stage) });
  log.info({ address: `http://${config.host}:${kubelet.port}`, server: config.server, nodes: sim.nodeNames.length, speed: config.speed }, 'kubelet-sim started');
  void sim.start().then(() => log.info('kubelet-sim ready: nodes registered, caches synced'));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'kubelet-sim stopping');
    setTimeout(() => process.exit(1), 10_000).unref();
    await sim?.stop();
    speed.stop();
    server.close();
    server.closeAllConnections();
    for (const c of [client, heartbeatClient, eventClient]) c.close();
    log.info('kubelet-sim stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
