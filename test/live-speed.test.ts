import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient, type KubeObject } from '../api/client.js';
import { resolveResource } from '../api/resources.js';
import type { Pod } from '../api/schemas/pod.js';
import { startCluster, startComponent, type Cluster, type MinikProcess } from './support/cluster.js';

const pods = resolveResource('pods')!;
const nodes = resolveResource('nodes')!;
const configmaps = resolveResource('configmaps')!;
type Node = KubeObject & { status?: { conditions?: Array<{ type: string; status: string }> } };

describe('the speed, changed live through kube-system/minik-config', () => {
  let cluster: Cluster;
  let client: ApiClient;
  const components: MinikProcess[] = [];

  beforeAll(async () => {
    cluster = await startCluster();
    client = new ApiClient({ server: cluster.apiserver.url });
    const url = cluster.apiserver.url;
    // Started a hundred times slower than real: a pod would take minutes to run, a silent node hours to be noticed.
    components.push(
      ...(await Promise.all([
        startComponent('scheduler', url, ['--no-leader-elect']),
        startComponent('kubelet-sim', url, ['--nodes', '1', '--speed', '0.01']),
        startComponent('controller-manager', url, ['--no-leader-elect', '--speed', '0.01', '--controllers', 'nodelifecycle']),
      ])),
    );
  });
  afterAll(async () => {
    for (const c of components) await c.stop();
    client?.close();
    await cluster?.stop();
  });

  it('quickens the pods of the node simulator and the node lifecycle controller without a restart', async () => {
    await client.create(pods, 'default', { metadata: { name: 'web' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    await vi.waitFor(async () => expect((await client.get<Pod>(pods, 'default', 'web')).spec?.nodeName).toBe('node-1'), { timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await client.get<Pod>(pods, 'default', 'web')).status?.phase).not.toBe('Running');

    await client.create(configmaps, 'kube-system', { metadata: { name: 'minik-config' }, data: { speed: '50' } });
    await vi.waitFor(async () => expect((await client.get<Pod>(pods, 'default', 'web')).status?.phase).toBe('Running'), { timeout: 10_000, interval: 100 });

    // At speed 50 a silent node is noticed after 0.8 s; at the speed it started with, after 67 minutes.
    await client.patch(nodes, undefined, 'node-1', 'merge', { metadata: { annotations: { 'minik.dev/heartbeats': 'stopped' } } });
    await vi.waitFor(
      async () => expect((await client.get<Node>(nodes, undefined, 'node-1')).status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('Unknown'),
      { timeout: 10_000, interval: 100 },
    );
  });
});
