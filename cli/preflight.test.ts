import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeClusterState } from './cluster-state.js';
import { portInUse, preflight } from './preflight.js';
import { componentSpecs } from './up-config.js';

const specs = componentSpecs(
  { dataDir: '', kubeconfig: '', storePort: 2379, apiserverPort: 6443, schedulerPort: 10259, controllerManagerPort: 10257, kubeletPort: 10250, nodes: 3, speed: 1, explain: true },
  '/d/store',
);

describe('preflight', () => {
  let dir: string | undefined;
  let server: Server | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    server?.close();
  });

  it('passes when the ports are free and no cluster runs here', async () => {
    dir = mkdtempSync(join(tmpdir(), 'minik-pre-'));
    expect(await preflight(dir, specs, async () => false)).toBeUndefined();
  });

  it('names the first taken port, its component and the flag that moves it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'minik-pre-'));
    expect(await preflight(dir, specs, async (p) => p === 6443 || p === 10250)).toBe(
      'port 6443 on 127.0.0.1 (the apiserver) is already in use: stop what holds it or choose another --apiserver-port',
    );
  });

  it('refuses a data dir a running minik up holds, saying how to stop it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'minik-pre-'));
    writeClusterState(dir, { supervisorPid: process.pid, control: { url: '', token: '' }, dataDir: dir, kubeconfig: '', dashboard: '', components: [] });
    expect(await preflight(dir, specs, async () => false)).toBe(
      `a cluster already runs from ${dir} (minik up, pid ${process.pid}): stop it with \`minik down --data-dir ${dir}\` or choose another --data-dir`,
    );
  });

  it('sees a port someone listens on', async () => {
    server = createServer();
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    expect(await portInUse(port)).toBe(true);
    server.close();
    await new Promise((r) => setTimeout(r, 10));
    expect(await portInUse(port)).toBe(false);
  });
});
