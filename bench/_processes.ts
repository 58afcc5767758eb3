import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForUrl } from '../test/support/ports.js';

export { freePort };

/**
 * The servers a benchmark measures, started the way test/support starts them and with its port
 * helpers. Everything started is tracked, so that it is stopped and its temp dir removed however
 * the benchmark ends.
 */
export interface ServerProcess {
  name: string;
  endpoint: string;
  pid: number;
  /** The tail of what it logged (warnings and errors only): anything here during a benchmark is news. */
  output(): string;
  /** SIGTERM (a store under --cpu-prof writes its profile on a clean exit), then removes its data. */
  stop(): Promise<void>;
}

const MINIK_BIN = fileURLToPath(new URL('../cli/minik.js', import.meta.url));
const FLOOR_BIN = fileURLToPath(new URL('./_floor.js', import.meta.url));
const live = new Set<{ child: ChildProcess; dir: string }>();

export interface StoreStartOptions {
  /** Flags for node itself, e.g. `--cpu-prof`, placed before the command. */
  nodeArgs?: string[];
}

/** `minik store` from the build, with its default durability (every acknowledged write fsynced). */
export async function startMinikStore(opts: StoreStartOptions = {}): Promise<ServerProcess> {
  if (!existsSync(MINIK_BIN)) throw new Error(`${MINIK_BIN} is missing: run \`npm run build\` first`);
  const dir = mkdtempSync(join(tmpdir(), 'minik-bench-store-'));
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [...(opts.nodeArgs ?? []), MINIK_BIN, 'store', '--host', '127.0.0.1', '--port', String(port), '--data-dir', join(dir, 'data')],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MINIK_LOG_LEVEL: 'warn' } },
  );
  return track('minik', child, dir, endpoint, `${endpoint}/readyz`);
}

/** `minik apiserver` from the build, over the given store endpoints. */
export async function startMinikApiServer(store: string, opts: StoreStartOptions = {}): Promise<ServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'minik-bench-apiserver-'));
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), MINIK_BIN, 'apiserver', '--host', '127.0.0.1', '--port', String(port), '--store', store], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MINIK_LOG_LEVEL: 'warn' },
  });
  return track('minik apiserver', child, dir, endpoint, `${endpoint}/readyz`);
}

/**
 * A component that talks to the API server (`scheduler`, `kubelet-sim`, `controller-manager`), from
 * the build, once its `/readyz` answers; `{ ready: 'healthz' }` returns as soon as it listens, for a
 * benchmark that times its getting ready itself.
 */
export async function startMinikComponent(command: string, server: string, args: string[] = [], opts: { ready?: 'readyz' | 'healthz' } = {}): Promise<ServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), `minik-bench-${command}-`));
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [MINIK_BIN, command, '--host', '127.0.0.1', '--port', String(port), '--server', server, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MINIK_LOG_LEVEL: 'warn' },
  });
  return track(`minik ${command}`, child, dir, endpoint, `${endpoint}/${opts.ready ?? 'readyz'}`);
}

/**
 * One of the floors of `_floor.ts`: a Node HTTP server that stores nothing (`store`), or that turns
 * each pod create into one put to `store` and does nothing else (`proxy`).
 */
export async function startFloor(mode: 'store' | 'proxy', store?: string): Promise<ServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), `minik-bench-floor-`));
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const args = [FLOOR_BIN, mode, '--port', String(port), ...(store ? ['--store', store] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return track(`floor ${mode}`, child, dir, endpoint, `${endpoint}/readyz`);
}

/** A process's resident memory, from /proc (0 where there is none). */
export function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** Fails fast, before anything is measured, when there is no etcd to compare with. */
export function requireEtcd(): void {
  if (spawnSync('etcd', ['--version']).status !== 0) {
    throw new Error('etcd is not on the PATH: install etcd 3.4 (Debian: `apt-get install etcd-server`)');
  }
}

/** A single-member etcd on loopback ports, with its default durability (WAL fsync per commit). */
export async function startEtcd(): Promise<ServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'minik-bench-etcd-'));
  const clientUrl = `http://127.0.0.1:${await freePort()}`;
  const peerUrl = `http://127.0.0.1:${await freePort()}`;
  const child = spawn(
    'etcd',
    [
      '--name', 'bench',
      '--data-dir', join(dir, 'data'),
      '--listen-client-urls', clientUrl,
      '--advertise-client-urls', clientUrl,
      '--listen-peer-urls', peerUrl,
      '--initial-advertise-peer-urls', peerUrl,
      '--initial-cluster', `bench=${peerUrl}`,
      '--logger', 'zap',
      '--log-level', 'error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return track('etcd', child, dir, clientUrl, `${clientUrl}/health`);
}

async function track(name: string, child: ChildProcess, dir: string, endpoint: string, readyUrl: string): Promise<ServerProcess> {
  const entry = { child, dir };
  live.add(entry);
  let out = '';
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
  const running = () => child.exitCode === null && child.signalCode === null;
  const stop = async () => {
    if (running()) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
    live.delete(entry);
  };
  // An error event would otherwise surface as an uncaught exception (e.g. etcd not on the PATH).
  const spawnFailed = new Promise<never>((_, reject) => child.once('error', reject));
  try {
    await Promise.race([waitForUrl(readyUrl, 20_000, running), spawnFailed]);
  } catch (err) {
    await stop();
    throw new Error(`${name} did not start: ${(err as Error).message}\n${out}`);
  }
  if (child.pid === undefined) throw new Error(`${name} has no pid`);
  return { name, endpoint, pid: child.pid, output: () => out, stop };
}

/** Last resort when the benchmark is interrupted or throws past its own cleanup: synchronous, so it works in 'exit'. */
export function killAll(): void {
  for (const { child, dir } of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
  live.clear();
}

process.once('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    killAll();
    process.exit(130);
  });
}
