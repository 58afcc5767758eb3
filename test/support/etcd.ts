import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForUrl } from './ports.js';

export interface EtcdProcess {
  endpoint: string;
  stop(): Promise<void>;
}

const INSTALL_HINT = 'install it with `apt-get install etcd-server` (Debian) to run the tests against a real etcd';

/** Whether a real etcd can be started here. Under CI=true a missing etcd is an error, not a skip. */
export function etcdAvailable(): boolean {
  const found = spawnSync('etcd', ['--version'], { encoding: 'utf8' }).status === 0;
  if (!found) {
    if (process.env.CI === 'true') throw new Error(`etcd is not on the PATH: ${INSTALL_HINT}`);
    console.warn(`\n*** SKIPPING the tests against a real etcd: etcd is not on the PATH; ${INSTALL_HINT}. ***\n`);
  }
  return found;
}

/** Starts a real, single-member etcd on loopback ports in a fresh temp dir. */
export async function startEtcd(extraArgs: string[] = []): Promise<EtcdProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'minik-etcd-'));
  const client = await freePort();
  const peer = await freePort();
  const clientUrl = `http://127.0.0.1:${client}`;
  const peerUrl = `http://127.0.0.1:${peer}`;
  const child: ChildProcess = spawn(
    'etcd',
    [
      '--name', 'ref',
      '--data-dir', join(dir, 'data'),
      '--listen-client-urls', clientUrl,
      '--advertise-client-urls', clientUrl,
      '--listen-peer-urls', peerUrl,
      '--initial-advertise-peer-urls', peerUrl,
      '--initial-cluster', `ref=${peerUrl}`,
      '--log-level', 'error',
      ...extraArgs,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  try {
    await waitForUrl(`${clientUrl}/health`, 20_000, () => child.exitCode === null);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`etcd did not start: ${(err as Error).message}\n${stderr}`);
  }
  return {
    endpoint: clientUrl,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
