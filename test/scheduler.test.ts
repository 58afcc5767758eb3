import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient, type KubeObject } from '../api/client.js';
import { resolveResource } from '../api/resources.js';
import type { Pod } from '../api/schemas/pod.js';
import { startCluster, startComponent, type Cluster } from './support/cluster.js';

const pods = resolveResource('pods')!;
const nodes = resolveResource('nodes')!;


const pod = (name: string): KubeObject => ({
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
});

describe('minik scheduler as a process', () => {
  let cluster: Cluster;
  let client: ApiClient;

  beforeAll(async () => {
    cluster = await startCluster();
    client = new ApiClient({ server: cluster.apiserver.url });
    for (const name of ['node-1', 'node-2']) {
      await client.create(nodes, undefined, {
        metadata: { name },
        status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
      });
    }
  });

  afterAll(async () => {
    client?.close();
    await cluster?.stop();
  });

  const nodeOf = async (name: string) => (await client.get<Pod>(pods, 'default', name)).spec?.nodeName;
  const waitBound = (names: string[]) =>
    vi.waitFor(async () => {
      for (const n of names) expect(await nodeOf(n)).toMatch(/^node-[12]$/);
    }, { timeout: 15_000, interval: 100 });

  it('binds pods, leaves new ones Pending while it is down, and binds them once restarted', async () => {
    const first = await startComponent('scheduler', cluster.apiserver.url, ['--seed', '7']);
    await Promise.all(['web-1', 'web-2', 'web-3'].map((n) => client.create(pods, 'default', pod(n))));
    await waitBound(['web-1', 'web-2', 'web-3']);
    const metrics = await (await fetch(`${first.url}/metrics`)).text();
    expect(metrics).toMatch(/scheduler_schedule_attempts_total\{result="scheduled"\} 3/);
    expect(metrics).toContain('scheduler_pending_pods');
    expect(await first.kill('SIGTERM')).toBe(0);

    await client.create(pods, 'default', pod('web-4'));
    // The scheduler has exited (code 0 above) and nothing else binds pods.
    expect(await nodeOf('web-4')).toBeUndefined();

    const second = await startComponent('scheduler', cluster.apiserver.url, ['--seed', '7']);
    try {
      await waitBound(['web-4']);
    } finally {
      await second.kill('SIGKILL');
    }
  });
});
