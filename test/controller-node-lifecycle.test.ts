import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient, isNotFound, type KubeObject } from '../api/client.js';
import { resolveResource } from '../api/resources.js';
import type { Node } from '../api/schemas/cluster.js';
import type { Pod } from '../api/schemas/pod.js';
import { startCluster, startComponent, type Cluster, type MinikProcess } from './support/cluster.js';

const pods = resolveResource('pods')!;
const nodes = resolveResource('nodes')!;
const events = resolveResource('events')!;

const ready = (n: Node) => n.status?.conditions?.find((c) => c.type === 'Ready');
const taints = (n: Node) => (n.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`);
const wait = <T>(fn: () => Promise<T>, timeout = 20_000) => vi.waitFor(fn, { timeout, interval: 100 });

// Everything at speed 20: heartbeats and Lease renewals every 0.5 s, the node monitor grace period
// 2 s, the API server's default toleration of unreachable nodes (300 s) 15 s.
describe('node lifecycle controller, as processes', () => {
  let cluster: Cluster;
  let client: ApiClient;
  const components: MinikProcess[] = [];

  beforeAll(async () => {
    cluster = await startCluster();
    client = new ApiClient({ server: cluster.apiserver.url });
    components.push(await startComponent('kubelet-sim', cluster.apiserver.url, ['--nodes', '2', '--speed', '20']));
    components.push(await startComponent('scheduler', cluster.apiserver.url, ['--seed', '7']));
    components.push(await startComponent('controller-manager', cluster.apiserver.url, ['--controllers', 'nodelifecycle', '--speed', '20', '--no-leader-elect']));
  });

  afterAll(async () => {
    for (const c of components) await c.kill('SIGKILL');
    client?.close();
    await cluster?.stop();
  });

  async function podOrGone(name: string): Promise<Pod | undefined> {
    try {
      return await client.get<Pod>(pods, 'default', name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  it('taints a node whose heartbeats stop, evicts its pods when their toleration runs out, and untaints it when it is back', async () => {
    const onNode2 = (name: string, extra: Partial<NonNullable<Pod['spec']>> = {}): Pod => ({
      metadata: { name },
      spec: { nodeSelector: { 'kubernetes.io/hostname': 'node-2' }, containers: [{ name: 'c', image: 'nginx' }], ...extra },
    });
    await client.create(pods, 'default', onNode2('web-1'));
    await client.create(pods, 'default', onNode2('steady', { tolerations: [{ operator: 'Exists' }] }));
    await wait(async () => {
      for (const name of ['web-1', 'steady']) expect((await client.get<Pod>(pods, 'default', name)).status?.phase).toBe('Running');
    });

    await client.patch(nodes, undefined, 'node-2', 'merge', { metadata: { annotations: { 'minik.dev/heartbeats': 'stopped' } } });
    await wait(async () => {
      const n = await client.get<Node>(nodes, undefined, 'node-2');
      expect(ready(n)).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
      expect(taints(n)).toEqual(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    });
    // web-1 tolerates the unreachable taint for the default 300 s (15 s here): not at once.
    expect((await podOrGone('web-1'))?.metadata?.deletionTimestamp).toBeUndefined();
    const node1 = await client.get<Node>(nodes, undefined, 'node-1');
    expect([ready(node1)?.status, taints(node1)]).toEqual(['True', []]);

    await wait(async () => {
      const p = await podOrGone('web-1');
      expect(p === undefined || p.metadata?.deletionTimestamp !== undefined).toBe(true);
    }, 25_000);
    expect((await podOrGone('steady'))?.metadata?.deletionTimestamp).toBeUndefined();
    const { items } = await client.list<KubeObject & { reason?: string; message?: string }>(events, 'default');
    const said = items.map((e) => `${e.reason}: ${e.message}`);
    expect(said).toContain('NodeNotReady: Node node-2 status is now: NodeNotReady');
    expect(said).toContain('TaintManagerEviction: Marking for deletion Pod default/web-1');

    await client.patch(nodes, undefined, 'node-2', 'merge', { metadata: { annotations: { 'minik.dev/heartbeats': null } } });
    await wait(async () => {
      const n = await client.get<Node>(nodes, undefined, 'node-2');
      expect([ready(n)?.status, taints(n)]).toEqual(['True', []]);
    });
  });
});
