import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, waitForUrl } from './ports.js';

export const MINIK_BIN = resolve(import.meta.dirname, '../../dist/cli/minik.js');

export interface StoreProcess {
  endpoint: string;
  dataDir: string;
  readonly child: ChildProcess;
  /** Output so far, for a failing test to show. */
  output(): string;
  /** `kill -9`: no chance to flush or close. */
  crash(): Promise<void>;
  /** SIGTERM, then waits for the exit code. */
  stop(): Promise<number | null>;
  /** Stops it if running and removes its data. */
  destroy(): Promise<void>;
}

export interface StoreProcessOptions {
  dataDir?: string;
  port?: number;
  args?: string[];
}

/** Starts `minik store` as a real process (from the build) on a free loopback port. */
export async function startStoreProcess(opts: StoreProcessOptions = {}): Promise<StoreProcess> {
  if (!existsSync(MINIK_BIN)) throw new Error(`${MINIK_BIN} is missing: run \`npm run build\` first (npm test does)`);
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'minik-store-'));
  const port = opts.port ?? (await freePort());
  const child = spawn(
    process.execPath,
    [MINIK_BIN, 'store', '--port', String(port), '--data-dir', dataDir, ...(opts.args ?? [])],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MINIK_LOG_LEVEL: 'warn' } },
  );
  let out = '';
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-8000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const endpoint = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    await waitForUrl(`${endpoint}/readyz`, 20_000, () => child.exitCode === null && child.signalCode === null);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`minik store did not start: ${(err as Error).message}\n${out}`);
  }
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    endpoint,
    dataDir,
    child,
    output: () => out,
    async crash() {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (running()) child.kill('SIGTERM');
      return exited;
    },
    async destroy() {
      if (running()) child.kill('SIGKILL');
      await exited;
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
