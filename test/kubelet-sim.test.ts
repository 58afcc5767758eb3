import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient, type KubeObject } from '../api/client.js';
import { resolveResource } from '../api/resources.js';
import type { Pod } from '../api/schemas/pod.js';
import { startCluster, startComponent, type Cluster, type MinikProcess } from './support/cluster.js';

const pods = resolveResource('pods')!;


const pod = (name: string): KubeObject => ({
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
});

describe('minik kubelet-sim as a process, with minik scheduler', () => {
  let cluster: Cluster;
  let client: ApiClient;
  const components: MinikProcess[] = [];

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
    expect(metrics).toMatch(/kubelet_sim_stage_transitions_total\{stage="pod-running"\} 3/);
    expect(await sim.kill('SIGTERM')).toBe(0);
  });
});
