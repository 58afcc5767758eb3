import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient, type KubeObject } from '../api/client.js';
import { resolveResource } from '../api/resources.js';
import { startCluster, startComponent, type Cluster, type MinikProcess } from './support/cluster.js';

const pods = resolveResource('pods')!;
const nodes = resolveResource('nodes')!;
const configMaps = resolveResource('configmaps')!;
const leases = resolveResource('leases')!;


type Obj = KubeObject & {
  spec?: { nodeName?: string };
  status?: {
    phase?: string;
    conditions?: { type: string; status: string; reason?: string }[];
    containerStatuses?: { state?: { waiting?: { reason?: string; message?: string } } }[];
  };
};
const ready = (o: Obj) => o.status?.conditions?.find((c) => c.type === 'Ready');

// Faults a class triggers through the API alone, against the built binaries: kubelet-sim at speed
// 50 (a heartbeat and a Lease renewal every 0.2 s) and the scheduler placing the pods.
describe('minik kubelet-sim faults, as processes', () => {
  let cluster: Cluster;
  let client: ApiClient;
  const components: MinikProcess[] = [];

  beforeAll(async () => {
    cluster = await startCluster();
    client = new ApiClient({ server: cluster.apiserver.url });
    components.push(await startComponent('kubelet-sim', cluster.apiserver.url, ['--nodes', '2', '--speed', '50']));
    components.push(await startComponent('scheduler', cluster.apiserver.url, ['--seed', '7']));
  });

  afterAll(async () => {
    for (const c of components) await c.kill('SIGKILL');
    client?.close();
    await cluster?.stop();
  });

  it('holds a pod that needs a missing ConfigMap in CreateContainerConfigError until it is created', async () => {
    await client.create(pods, 'default', {
      metadata: { name: 'app' },
      spec: { containers: [{ name: 'c', image: 'nginx', env: [{ name: 'DB', valueFrom: { configMapKeyRef: { name: 'db-config', key: 'url' } } }] }] },
    });
    await vi.waitFor(async () => {
      const p = await client.get<Obj>(pods, 'default', 'app');
      expect(p.spec?.nodeName).toMatch(/^node-[12]$/);
      expect(p.status?.phase).toBe('Pending');
      expect(p.status?.containerStatuses?.[0]?.state?.waiting).toEqual({ reason: 'CreateContainerConfigError', message: 'configmap "db-config" not found' });
    }, { timeout: 20_000, interval: 100 });
    await client.create(configMaps, 'default', { metadata: { name: 'db-config' }, data: { url: 'pg://db' } });
    await vi.waitFor(async () => {
      const p = await client.get<Obj>(pods, 'default', 'app');
      expect([p.status?.phase, ready(p)?.status]).toEqual(['Running', 'True']);
    }, { timeout: 20_000, interval: 100 });
  });

  it('goes quiet on a node whose heartbeats are stopped, and posts Ready again once they resume', async () => {
    await vi.waitFor(async () => expect(ready(await client.get<Obj>(nodes, undefined, 'node-2'))?.status).toBe('True'), { timeout: 20_000, interval: 100 });
    await client.patch(nodes, undefined, 'node-2', 'merge', { metadata: { annotations: { 'minik.dev/heartbeats': 'stopped' } } });
    // Let a beat already under way land, then watch: at speed 50 five Lease renewals and five
    // heartbeats would fall in the next second. Turning the node Unknown is the node lifecycle
    // controller's job (test/controller-node-lifecycle.test.ts), not the simulator's.
    await new Promise((r) => setTimeout(r, 300));
    const silent = await client.get<Obj>(nodes, undefined, 'node-2');
    const lease = await client.get<Obj & { spec?: { renewTime?: string } }>(leases, 'kube-node-lease', 'node-2');
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await client.get<Obj>(nodes, undefined, 'node-2')).metadata?.resourceVersion).toBe(silent.metadata?.resourceVersion);
    expect((await client.get<Obj>(leases, 'kube-node-lease', 'node-2')).metadata?.resourceVersion).toBe(lease.metadata?.resourceVersion);
    expect(ready(silent)?.status).toBe('True');

    // What the controller would write after its grace period; then the heartbeats resume.
    const conditions = silent.status?.conditions?.map((c) => ({ ...c, status: 'Unknown', reason: 'NodeStatusUnknown' }));
    await client.updateStatus(nodes, undefined, { ...silent, status: { ...silent.status, conditions } });
    await client.patch(nodes, undefined, 'node-2', 'merge', { metadata: { annotations: { 'minik.dev/heartbeats': null } } });
    await vi.waitFor(async () => {
      expect(ready(await client.get<Obj>(nodes, undefined, 'node-2'))).toMatchObject({ status: 'True', reason: 'KubeletReady' });
      expect((await client.get<Obj>(leases, 'kube-node-lease', 'node-2')).metadata?.resourceVersion).not.toBe(lease.metadata?.resourceVersion);
    }, { timeout: 20_000, interval: 100 });
    expect(ready(await client.get<Obj>(nodes, undefined, 'node-1'))?.status).toBe('True');
  });
});
