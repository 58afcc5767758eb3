import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../../api/client.js';
import { freePort, waitForUrl } from './ports.js';
import { MINIK_BIN, startStoreProcess, type StoreProcess } from './store-process.js';

export interface MinikProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  /** Sends the signal (if it still runs) and waits for the exit code. */
  kill(signal: NodeJS.Signals): Promise<number | null>;
  stop(): Promise<number | null>;
  crash(): Promise<void>;
}

/** `minik <args> --port <port>` from the build, once its /readyz answers. */
export async function startMinik(args: string[], opts: { port?: number } = {}): Promise<MinikProcess> {
  const port = opts.port ?? (await freePort());
  const child = spawn(process.execPath, [MINIK_BIN, ...args, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MINIK_LOG_LEVEL: 'warn' },
  });
  let out = '';
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-8000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = `http://127.0.0.1:${port}`;
  const running = () => child.exitCode === null && child.signalCode === null;
  try {
    await waitForUrl(`${url}/readyz`, 20_000, running);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`minik ${args[0]} did not start: ${(err as Error).message}\n${out}`);
  }
  const kill = async (signal: NodeJS.Signals) => {
    if (running()) child.kill(signal);
    return exited;
  };
  return {
    url,
    port,
    child,
    output: () => out,
    kill,
    stop: () => kill('SIGTERM'),
    async crash() {
      await kill('SIGKILL');
    },
  };
}

export type ApiServerProcess = MinikProcess;

/** Starts `minik apiserver` on a free port over the given store endpoints. */
export function startApiServer(store: string, opts: { port?: number; args?: string[] } = {}): Promise<ApiServerProcess> {
  return startMinik(['apiserver', '--store', store, ...(opts.args ?? [])], opts.port ? { port: opts.port } : {});
}

/** A component that talks to the API server (`scheduler`, `kubelet-sim`), with its own flags. */
export function startComponent(command: string, server: string, args: string[] = []): Promise<MinikProcess> {
  return startMinik([command, '--server', server, ...args]);
}

export interface Cluster {
  store: StoreProcess;
  apiserver: ApiServerProcess;
  /** A kubeconfig file for kubectl and client-node, pointing at the API server. */
  kubeconfig: string;
  stop(): Promise<void>;
}

/** A store and an API server, real processes in a temp dir, and a kubeconfig for them. */
export async function startCluster(): Promise<Cluster> {
  const store = await startStoreProcess();
  const apiserver = await startApiServer(store.endpoint);
  const dir = mkdtempSync(join(tmpdir(), 'minik-kube-'));
  const kubeconfig = join(dir, 'config');
  writeFileSync(kubeconfig, kubeconfigFor(apiserver.url));
  return {
    store,
    apiserver,
    kubeconfig,
    async stop() {
      await apiserver.stop();
      await store.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function kubeconfigFor(url: string): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: minik
  cluster:
    server: ${url}
    insecure-skip-tls-verify: true
users:
- name: minik
  user: {}
contexts:
- name: minik
  context: {cluster: minik, user: minik, namespace: default}
current-context: minik
`;
}

export interface ControlPlane {
  cluster: Cluster;
  /** A client of the API server, closed by stop(). */
  client: ApiClient;
  components: MinikProcess[];
  stop(): Promise<void>;
}

/**
 * A store and an API server, then the given components started together, each with its flags:
 * `startControlPlane([['scheduler', ['--seed', '3']], ['kubelet-sim', ['--nodes', '2']]])`.
 * stop() kills the components (their state is in the store), then stops the cluster.
 */
export async function startControlPlane(components: Array<[command: string, args: string[]]>): Promise<ControlPlane> {
  const cluster = await startCluster();
  const client = new ApiClient({ server: cluster.apiserver.url });
  const started = await Promise.allSettled(components.map(([command, args]) => startComponent(command, cluster.apiserver.url, args)));
  const running = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const stop = async () => {
    for (const c of running) await c.kill('SIGKILL');
    client.close();
    await cluster.stop();
  };
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  return { cluster, client, components: running, stop };
}
