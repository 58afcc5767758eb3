import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient, type KubeObject } from '../api/client.js';
import { resolveResource } from '../api/resources.js';
import type { Pod } from '../api/schemas/pod.js';
import type { Deployment, ReplicaSet } from '../api/schemas/workloads.js';
import { startCluster, startComponent, type Cluster, type MinikProcess } from './support/cluster.js';

const pods = resolveResource('pods')!;
const nodes = resolveResource('nodes')!;
const leases = resolveResource('leases')!;
const deployments = resolveResource('deployments')!;
const replicasets = resolveResource('replicasets')!;

// Short enough for a test, long enough that a loaded machine does not lose a lease by accident.
const FAST_ELECTION = ['--leader-elect-lease-duration', '3s', '--leader-elect-renew-deadline', '2s', '--leader-elect-retry-period', '500ms'];
// Speed 50: a silent node goes Unknown after 0.8 s, its pods are evicted 6 s later (300 s / 50).
const SPEED = ['--speed', '50'];

const deployment = (name: string, replicas: number, image: string, minReadySeconds = 0): Deployment => ({
  metadata: { name },
  spec: {
    replicas,
    minReadySeconds,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image, resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
  },
});

const live = (p: Pod) => !p.metadata?.deletionTimestamp;
const ready = (p: Pod) => live(p) && (p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false);

describe('the controller manager as a process: crashes, standbys and lost nodes', () => {
  let cluster: Cluster;
  let client: ApiClient;
  const components: MinikProcess[] = [];
  const start = async (command: string, args: string[]) => {
    const p = await startComponent(command, cluster.apiserver.url, args);
    components.push(p);
    return p;
  };

  beforeAll(async () => {
    cluster = await startCluster();
    client = new ApiClient({ server: cluster.apiserver.url });
    await Promise.all([start('scheduler', ['--no-leader-elect']), start('kubelet-sim', ['--nodes', '2', ...SPEED])]);
  });
  afterAll(async () => {
    for (const c of components) await c.kill('SIGKILL');
    client?.close();
    await cluster?.stop();
  });

  const podsOf = async (app: string) => (await client.list<Pod>(pods, 'default', { labelSelector: `app=${app}` })).items;
  const rolledOut = (name: string, replicas: number, image: string, timeout = 30_000) =>
    vi.waitFor(
      async () => {
        const d = await client.get<Deployment>(deployments, 'default', name);
        expect(d.status?.observedGeneration).toBe(d.metadata?.generation);
        expect(d.status).toMatchObject({ replicas, updatedReplicas: replicas, availableReplicas: replicas });
        const running = (await podsOf(name)).filter(live);
        expect(running.filter(ready).map((p) => p.spec?.containers[0]?.image)).toEqual(Array(replicas).fill(image));
        expect(running).toHaveLength(replicas);
      },
      { timeout, interval: 200 },
    );
  const leader = async () => (await client.get<KubeObject & { spec?: { holderIdentity?: string } }>(leases, 'kube-system', 'kube-controller-manager')).spec?.holderIdentity;

  it('completes a rollout after the controller manager is killed in the middle of it, and a standby takes over', async () => {
    const first = await start('controller-manager', [...FAST_ELECTION, ...SPEED]);
    await client.create(deployments, 'default', deployment('web', 4, 'nginx:1.26', 1));
    await rolledOut('web', 4, 'nginx:1.26');
    const standby = await start('controller-manager', [...FAST_ELECTION, ...SPEED]);
    expect(await leader()).toContain(`_${first.child.pid}_`);

    await client.patch(deployments, 'default', 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } } });
    // minReadySeconds holds each new pod back a second: the rollout is still going when the leader dies.
    await vi.waitFor(async () => {
      const sets = (await client.list<ReplicaSet>(replicasets, 'default', { labelSelector: 'app=web' })).items;
      expect(sets).toHaveLength(2);
      expect(sets.every((rs) => (rs.spec?.replicas ?? 0) > 0)).toBe(true);
    }, { timeout: 10_000, interval: 50 });
    await first.crash();

    await rolledOut('web', 4, 'nginx:1.27');
    expect(await leader()).toContain(`_${standby.child.pid}_`);
    const sets = (await client.list<ReplicaSet>(replicasets, 'default', { labelSelector: 'app=web' })).items;
    expect(sets.map((rs) => rs.spec?.replicas).sort()).toEqual([0, 4]);
  });

  it("replaces the pods of a node that stopped heartbeating on the nodes that still run", async () => {
    await client.create(deployments, 'default', deployment('api', 4, 'nginx:1.27'));
    await rolledOut('api', 4, 'nginx:1.27');
    const before = (await podsOf('api')).filter(live);
    const lost = before[0]!.spec!.nodeName!;
    const kept = lost === 'node-1' ? 'node-2' : 'node-1';
    await client.patch(nodes, undefined, lost, 'merge', { metadata: { annotations: { 'minik.dev/heartbeats': 'stopped' } } });

    await vi.waitFor(async () => {
      const node = await client.get<KubeObject & { spec?: { taints?: Array<{ key: string; effect: string }> } }>(nodes, undefined, lost);
      expect(node.spec?.taints).toContainEqual(expect.objectContaining({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }));
    }, { timeout: 10_000, interval: 100 });
    // Nobody vouches for the silent node's pods: they are marked not Ready before they are evicted.
    const stranded = before.filter((p) => p.spec?.nodeName === lost).map((p) => p.metadata!.name!);
    await vi.waitFor(async () => {
      const mine = (await podsOf('api')).filter((p) => stranded.includes(p.metadata!.name!));
      expect(mine.map((p) => p.status?.conditions?.find((c) => c.type === 'Ready')?.status)).toEqual(stranded.map(() => 'False'));
    }, { timeout: 10_000, interval: 100 });
    await vi.waitFor(async () => {
      const now = (await podsOf('api')).filter(ready);
      expect(now).toHaveLength(4);
      expect(now.map((p) => p.spec?.nodeName)).toEqual(Array(4).fill(kept));
    }, { timeout: 25_000, interval: 200 });
    // Evicted, they stay Terminating while their kubelet is away, and go once it is back.
    const left = (await podsOf('api')).filter((p) => stranded.includes(p.metadata!.name!));
    expect(left.map((p) => Boolean(p.metadata?.deletionTimestamp))).toEqual(stranded.map(() => true));
    await client.patch(nodes, undefined, lost, 'merge', { metadata: { annotations: { 'minik.dev/heartbeats': null } } });
    await vi.waitFor(async () => {
      expect((await podsOf('api')).filter((p) => stranded.includes(p.metadata!.name!))).toEqual([]);
    }, { timeout: 15_000, interval: 200 });
  });
});
