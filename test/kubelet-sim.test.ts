import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient, type KubeObject } from '../api/client.js';
import { resolveResource } from '../api/resources.js';
import type { Pod } from '../api/schemas/pod.js';
import { startCluster, type Cluster } from './support/cluster.js';
import { freePort, waitForUrl } from './support/ports.js';
import { MINIK_BIN } from './support/store-process.js';

const pods = resolveResource('pods')!;

interface Component {
  url: string;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/** `minik <command> --server ... --port <free> ...args` from the build, once its /readyz answers. */
async function startComponent(command: string, server: string, args: string[]): Promise<Component> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [MINIK_BIN, command, '--server', server, '--port', String(port), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MINIK_LOG_LEVEL: 'warn' },
  });
  let out = '';
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-8000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const running = () => child.exitCode === null && child.signalCode === null;
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForUrl(`${url}/readyz`, 20_000, running);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`minik ${command} did not start: ${(err as Error).message}\n${out}`);
  }
  return {
    url,
    async kill(signal) {
      if (running()) child.kill(signal);
      return exited;
    },
  };
}

const pod = (name: string): KubeObject => ({
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
});

describe('minik kubelet-sim as a process, with minik scheduler', () => {
  let cluster: Cluster;
  let client: ApiClient;
  const components: Component[] = [];

  beforeAll(async () => {
    cluster = await startCluster();
    client = new ApiClient({ server: cluster.apiserver.url });
  });

  afterAll(async () => {
    for (const c of components) await c.kill('SIGKILL');
    client?.close();
    await cluster?.stop();
  });

  it('runs pods the scheduler places on its nodes, and stops cleanly on SIGTERM', async () => {
    const sim = await startComponent('kubelet-sim', cluster.apiserver.url, ['--nodes', '2', '--speed', '50']);
    components.push(sim);
    components.push(await startComponent('scheduler', cluster.apiserver.url, ['--seed', '7']));
    const names = ['web-1', 'web-2', 'web-3'];
    await Promise.all(names.map((n) => client.create(pods, 'default', pod(n))));
    await vi.waitFor(async () => {
      for (const n of names) {
        const p = await client.get<Pod>(pods, 'default', n);
        expect(p.spec?.nodeName).toMatch(/^node-[12]$/);
        expect(p.status?.phase).toBe('Running');
        expect(p.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
        expect(p.status?.podIP).toMatch(new RegExp(`^10\\.244\\.${p.spec?.nodeName?.slice(5)}\\.\\d+$`));
      }
    }, { timeout: 20_000, interval: 100 });
    const metrics = await (await fetch(`${sim.url}/metrics`)).text();
    expect(metrics).toMatch(/kubelet_sim_pods\{phase="Running"\} 3/);
    expect(metrics).toMatch(/kubelet_sim_stage_transitions_total\{stage="pod-ready"\} 3/);
    expect(await sim.kill('SIGTERM')).toBe(0);
  });
});
