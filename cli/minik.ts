#!/usr/bin/env node
import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import type { LeaderElectionConfig } from '../api/leader-election.js';
import { parseSpeed } from '../kubelet-sim/stages/speed.js';
import { applyHeapGrowth, heapGrowthPercent } from './heap-growth.js';
import { defaultKubeconfigPath } from './kubeconfig-file.js';
import { COMPONENT_NAMES } from './up-config.js';

/**
 * `minik COMPONENT`: runs one component of the cluster, or `minik up` to run them all. Each command
 * loads its component only when it runs, so a process that starts one does not parse the others.
 */
const program = new Command('minik')
  .description('A miniature Kubernetes control plane: every component its own process.')
  .showHelpAfterError()
  .configureOutput({ outputError: (msg, write) => write(msg) });

const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
};

const speed = (v: string) => {
  try {
    return parseSpeed(v);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
};

/** A duration as Kubernetes flags write one: `15s`, `500ms`, `2m`, `1h`; in milliseconds. */
const duration = (v: string) => {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(v.trim());
  if (!m) throw new InvalidArgumentError('expected a duration such as 15s, 500ms, 2m or 1h');
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
};

/** Every flag has an environment twin: --data-dir is MINIK_DATA_DIR. */
const opt = (flags: string, description: string, env: string) => new Option(flags, description).env(env);

/** The flags kube-scheduler and kube-controller-manager share for running a hot standby. */
const withLeaderElection = (cmd: Command) =>
  cmd
    .addOption(opt('--no-leader-elect', 'run without taking the leader lease (only ever one copy)', 'MINIK_NO_LEADER_ELECT'))
    .addOption(opt('--leader-elect-lease-duration <d>', 'how long a standby waits after the leader stops renewing', 'MINIK_LEADER_ELECT_LEASE_DURATION').default(15_000, '15s').argParser(duration))
    .addOption(opt('--leader-elect-renew-deadline <d>', 'how long the leader tries to renew before it gives up', 'MINIK_LEADER_ELECT_RENEW_DEADLINE').default(10_000, '10s').argParser(duration))
    .addOption(opt('--leader-elect-retry-period <d>', 'how often to try to take or renew the lease', 'MINIK_LEADER_ELECT_RETRY_PERIOD').default(2_000, '2s').argParser(duration));

const leaderElectionOf = (o: Record<string, unknown>): LeaderElectionConfig => ({
  enabled: o.leaderElect !== false,
  leaseDurationMs: o.leaderElectLeaseDuration as number,
  renewDeadlineMs: o.leaderElectRenewDeadline as number,
  retryPeriodMs: o.leaderElectRetryPeriod as number,
});

program
  .command('store')
  .description('the etcd-compatible store (etcd v3 JSON API on LevelDB)')
  .addOption(opt('--host <host>', 'address to listen on', 'MINIK_HOST').default('127.0.0.1'))
  .addOption(opt('--port <port>', 'port to listen on', 'MINIK_PORT').default(2379).argParser(int))
  .addOption(opt('--data-dir <dir>', 'where the data lives', 'MINIK_DATA_DIR').default('.minik/store'))
  .addOption(
    opt('--auto-compaction-retention <revisions>', 'keep this many revisions of history (0: keep all)', 'MINIK_AUTO_COMPACTION_RETENTION')
      .default(0)
      .argParser(int),
  )
  .addOption(
    opt('--auto-compaction-interval <ms>', 'how often to compact', 'MINIK_AUTO_COMPACTION_INTERVAL').default(300_000).argParser(int),
  )
  .addOption(
    opt('--watch-progress-notify-interval <ms>', 'progress notifications to watchers that asked', 'MINIK_WATCH_PROGRESS_NOTIFY_INTERVAL')
      .default(600_000)
      .argParser(int),
  )
  .addOption(opt('--max-request-bytes <n>', 'largest request accepted', 'MINIK_MAX_REQUEST_BYTES').default(1_572_864).argParser(int))
  .addOption(opt('--max-txn-ops <n>', 'most operations in one txn', 'MINIK_MAX_TXN_OPS').default(128).argParser(int))
  .action(async (o) => {
    await (await import('../store/main.js')).runStore({
      host: o.host,
      port: o.port,
      dataDir: o.dataDir,
      autoCompactionRetention: o.autoCompactionRetention,
      autoCompactionIntervalMs: o.autoCompactionInterval,
      progressNotifyIntervalMs: o.watchProgressNotifyInterval,
      maxRequestBytes: o.maxRequestBytes,
      maxTxnOps: o.maxTxnOps,
    });
  });

program
  .command('apiserver')
  .description("the Kubernetes API server, over the store (or a real etcd)")
  .addOption(opt('--host <host>', 'address to listen on', 'MINIK_HOST').default('127.0.0.1'))
  .addOption(opt('--port <port>', 'port to listen on', 'MINIK_PORT').default(6443).argParser(int))
  .addOption(opt('--store <urls>', 'store endpoints, comma-separated (minik store or etcd)', 'MINIK_STORE').default('http://127.0.0.1:2379'))
  .addOption(
    opt('--compaction-interval <ms>', 'compact store history older than this, on a timer', 'MINIK_COMPACTION_INTERVAL').default(300_000).argParser(int),
  )
  .addOption(opt('--event-ttl <d>', 'how long an Event is kept after its last write', 'MINIK_EVENT_TTL').default(3_600_000, '1h').argParser(duration))
  .addOption(
    opt('--service-cluster-ip-range <cidr>', 'where Service cluster IPs come from', 'MINIK_SERVICE_CLUSTER_IP_RANGE').default('10.96.0.0/12'),
  )
  .addOption(opt('--service-node-port-range <range>', 'node ports, min-max', 'MINIK_SERVICE_NODE_PORT_RANGE').default('30000-32767'))
  .addOption(
    opt('--load-balancer-ip-range <cidr>', 'simulated load-balancer external IPs', 'MINIK_LOAD_BALANCER_IP_RANGE').default('172.18.0.0/16'),
  )
  .action(async (o) => {
    await (await import('../apiserver/main.js')).runApiServer({
      host: o.host,
      port: o.port,
      store: o.store,
      compactionIntervalMs: o.compactionInterval,
      eventTtlMs: o.eventTtl,
      serviceCidr: o.serviceClusterIpRange,
      nodePortRange: o.serviceNodePortRange,
      loadBalancerCidr: o.loadBalancerIpRange,
    });
  });

withLeaderElection(program.command('scheduler'))
  .description('the scheduler: binds pending pods to nodes that fit them')
  .addOption(opt('--server <url>', 'the API server', 'MINIK_SERVER').default('http://127.0.0.1:6443'))
  .addOption(opt('--host <host>', 'address for health and metrics', 'MINIK_HOST').default('127.0.0.1'))
  .addOption(opt('--port <port>', 'port for health and metrics', 'MINIK_PORT').default(10259).argParser(int))
  .addOption(
    opt('--score <plugin>', 'how feasible nodes are ranked', 'MINIK_SCORE')
      .choices(['LeastAllocated', 'MostAllocated', 'BalancedAllocation'])
      .default('LeastAllocated'),
  )
  .addOption(opt('--explain', "annotate pods with every node's verdict and score", 'MINIK_EXPLAIN').default(false))
  .addOption(opt('--seed <n>', 'seed for tie-breaks between equal nodes (random when unset)', 'MINIK_SEED').argParser(int))
  .action(async (o) => {
    await (await import('../scheduler/main.js')).runScheduler({ server: o.server, host: o.host, port: o.port, score: o.score, explain: Boolean(o.explain), seed: o.seed, leaderElection: leaderElectionOf(o) });
  });

withLeaderElection(program.command('controller-manager'))
  .description('the control loops: Deployments, ReplicaSets, Endpoints, EndpointSlices, service accounts, garbage collection, namespaces, node lifecycle')
  .addOption(opt('--server <url>', 'the API server', 'MINIK_SERVER').default('http://127.0.0.1:6443'))
  .addOption(opt('--host <host>', 'address for health and metrics', 'MINIK_HOST').default('127.0.0.1'))
  .addOption(opt('--port <port>', 'port for health and metrics', 'MINIK_PORT').default(10257).argParser(int))
  .addOption(opt('--controllers <list>', 'which controllers run: * for all, name to add one, -name to leave one out', 'MINIK_CONTROLLERS').default('*'))
  .addOption(opt('--speed <factor>', 'divides simulated durations: node grace period, tolerations (0.2: five times slower)', 'MINIK_SPEED').default(1).argParser(speed))
  .action(async (o) => {
    await (await import('../controllers/main.js')).runControllerManager({
      server: o.server,
      host: o.host,
      port: o.port,
      speed: o.speed,
      controllers: o.controllers,
      leaderElection: leaderElectionOf(o),
    });
  });

program
  .command('kubelet-sim')
  .description('simulated nodes: registration, heartbeats, leases and the lifecycle of their pods')
  .addOption(opt('--server <url>', 'the API server', 'MINIK_SERVER').default('http://127.0.0.1:6443'))
  .addOption(opt('--host <host>', 'address for health and metrics', 'MINIK_HOST').default('127.0.0.1'))
  .addOption(opt('--port <port>', 'port for health, metrics and container logs (the kubelet endpoint)', 'MINIK_PORT').default(10250).argParser(int))
  .addOption(opt('--nodes <n>', 'how many nodes to simulate (node-1..node-N)', 'MINIK_NODES').default(3).argParser(int))
  .addOption(opt('--nodes-file <file>', 'a YAML file describing each node (instead of --nodes)', 'MINIK_NODES_FILE'))
  .addOption(opt('--cpu <quantity>', "each node's CPU capacity (with --nodes-file: the default)", 'MINIK_CPU').default('4'))
  .addOption(opt('--memory <quantity>', "each node's memory capacity (with --nodes-file: the default)", 'MINIK_MEMORY').default('8Gi'))
  .addOption(opt('--max-pods <n>', 'most pods a node takes (with --nodes-file: the default)', 'MINIK_MAX_PODS').default(110).argParser(int))
  .addOption(opt('--speed <factor>', 'divides every simulated delay (0.2: five times slower)', 'MINIK_SPEED').default(1).argParser(speed))
  .addOption(opt('--cluster-cidr <cidr>', 'the pod network, one /24 per node (10.244.0.0/16 holds 255 nodes)', 'MINIK_CLUSTER_CIDR').default('10.244.0.0/16'))
  .addOption(opt('--instant-pods', 'pods go through their stages with no delay (benchmarks); nodes keep their heartbeats', 'MINIK_INSTANT_PODS').default(false))
  .action(async (o, cmd: Command) => {
    // A count and a file would each say which nodes exist: refuse rather than pick one silently.
    if (o.nodesFile && cmd.getOptionValueSource('nodes') !== 'default') {
      throw new Error('give either --nodes or --nodes-file (MINIK_NODES or MINIK_NODES_FILE), not both: the file names every node');
    }
    await (await import('../kubelet-sim/main.js')).runKubeletSim({ server: o.server, host: o.host, port: o.port, nodes: o.nodes, nodesFile: o.nodesFile, cpu: o.cpu, memory: o.memory, maxPods: o.maxPods, speed: o.speed, clusterCidr: o.clusterCidr, instantPods: Boolean(o.instantPods) });
  });

program
  .command('up')
  .description('start the cluster (the store, the API server, the controller manager, the scheduler and simulated nodes) as child processes and supervise them')
  .addOption(opt('--data-dir <dir>', 'where the cluster keeps its data, logs and state', 'MINIK_DATA_DIR').default('.minik'))
  .addOption(opt('--store <urls>', 'use this store (a real etcd, comma-separated endpoints) instead of starting one', 'MINIK_STORE'))
  .addOption(opt('--kubeconfig <file>', 'the kubeconfig to write the minik context into', 'MINIK_KUBECONFIG').default(defaultKubeconfigPath(), '~/.minik/config'))
  .addOption(opt('--store-port <port>', "the store's port", 'MINIK_STORE_PORT').default(2379).argParser(int))
  .addOption(opt('--apiserver-port <port>', "the API server's port", 'MINIK_APISERVER_PORT').default(6443).argParser(int))
  .addOption(opt('--scheduler-port <port>', "the scheduler's health and metrics port", 'MINIK_SCHEDULER_PORT').default(10259).argParser(int))
  .addOption(opt('--controller-manager-port <port>', "the controller manager's health and metrics port", 'MINIK_CONTROLLER_MANAGER_PORT').default(10257).argParser(int))
  .addOption(opt('--kubelet-port <port>', "the node simulator's health and metrics port", 'MINIK_KUBELET_PORT').default(10250).argParser(int))
  .addOption(opt('--nodes <n>', 'how many nodes to simulate', 'MINIK_NODES').default(3).argParser(int))
  .addOption(opt('--speed <factor>', 'divides every simulated delay (0.2: five times slower)', 'MINIK_SPEED').default(1).argParser(speed))
  .addOption(opt('--no-explain', "don't have the scheduler annotate each pod with every node's verdict (minikctl describe pod shows them)", 'MINIK_NO_EXPLAIN'))
  .action(async (o) => {
    await (await import('./up.js')).runUp({
      dataDir: o.dataDir,
      store: o.store,
      kubeconfig: o.kubeconfig,
      storePort: o.storePort,
      apiserverPort: o.apiserverPort,
      schedulerPort: o.schedulerPort,
      controllerManagerPort: o.controllerManagerPort,
      kubeletPort: o.kubeletPort,
      nodes: o.nodes,
      speed: o.speed,
      explain: o.explain !== false,
    });
  });

const dataDirOption = () => opt('--data-dir <dir>', 'the data dir the cluster was started with (minik up --data-dir)', 'MINIK_DATA_DIR').default('.minik');
const print = (text: string): void => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

program
  .command('status')
  .description('list the components of the running cluster: running or stopped, pid and address (exit 1 if none runs)')
  .addOption(dataDirOption())
  .action(async (o) => print((await import('./status.js')).runStatus(o.dataDir)));

program
  .command('stop')
  .description('stop one component of the running cluster, e.g. the scheduler, and watch what stops happening')
  .addArgument(new Argument('<component>', 'which one').choices(COMPONENT_NAMES))
  .addOption(dataDirOption())
  .action(async (name: string, o) => print(await (await import('./component-control.js')).runComponentCommand(o.dataDir, 'stop', name)));

program
  .command('start')
  .description('start again a component stopped with minik stop (returns once it is ready)')
  .addArgument(new Argument('<component>', 'which one').choices(COMPONENT_NAMES))
  .addOption(dataDirOption())
  .action(async (name: string, o) => print(await (await import('./component-control.js')).runComponentCommand(o.dataDir, 'start', name)));

program
  .command('down')
  .description('stop the running cluster cleanly; its data stays for the next minik up')
  .addOption(dataDirOption())
  .option('--purge', 'also remove the data dir and the minik context from the kubeconfig', false)
  .action(async (o) => print(await (await import('./down.js')).runDown(o.dataDir, { purge: Boolean(o.purge) })));

try {
  applyHeapGrowth(heapGrowthPercent());
} catch (err) {
  process.stderr.write(`minik: ${(err as Error).message}\n`);
  process.exit(2);
}

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`minik: ${(err as Error)?.message ?? String(err)}\n`);
  process.exit(1);
});
