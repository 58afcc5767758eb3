import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { portInUse } from '../../cli/preflight.js';
import { MINIK_BIN } from './store-process.js';

/** A free port below the ephemeral range, so no outgoing connection takes it before `minik up` binds it. */
export async function freeListenPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (!(await portInUse(port))) return port;
  }
}

export interface MinikUp {
  /** The API server. */
  url: string;
  /** The kubeconfig `minik up` wrote, in the temp dir. */
  kubeconfig: string;
  dataDir: string;
  up: ChildProcess;
  output(): string;
  /** SIGTERM (minik up then stops its children, rather than orphaning them), then removes the temp dir. */
  stop(): Promise<number | null>;
}

/** `minik up` from the build, as a class starts it, on free ports with its data and kubeconfig in a temp dir. */
export async function startMinikUp(args: string[] = []): Promise<MinikUp> {
  const dir = mkdtempSync(join(tmpdir(), 'minik-up-'));
  const kubeconfig = join(dir, 'config');
  const dataDir = join(dir, 'data');
  const ports = await Promise.all([1, 2, 3, 4, 5].map(() => freeListenPort()));
  const flags = ['--store-port', '--apiserver-port', '--controller-manager-port', '--scheduler-port', '--kubelet-port'].flatMap((f, i) => [f, String(ports[i])]);
  const up = spawn(process.execPath, [MINIK_BIN, 'up', '--data-dir', dataDir, '--kubeconfig', kubeconfig, ...flags, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MINIK_LOG_LEVEL: 'warn' },
  });
  let out = '';
  up.stdout!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-8000)));
  up.stderr!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-8000)));
  const exited = new Promise<number | null>((r) => up.once('exit', (c) => r(c)));
  for (const stop = Date.now() + 40_000; !out.includes('minik is up') && up.exitCode === null && Date.now() < stop; ) await new Promise((r) => setTimeout(r, 50));
  if (!out.includes('minik is up')) {
    up.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`minik up did not come up:\n${out}`);
  }
  return {
    url: `http://127.0.0.1:${ports[1]}`,
    kubeconfig,
    dataDir,
    up,
    output: () => out,
    async stop() {
      if (up.exitCode === null && up.signalCode === null) up.kill('SIGTERM');
      const code = await exited;
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}
