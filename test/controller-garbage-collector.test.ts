import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient, isNotFound, type KubeObject } from '../api/client.js';
import { resolveResource, type ResourceType } from '../api/resources.js';
import { startCluster, startComponent, type Cluster, type MinikProcess } from './support/cluster.js';

const cms = resolveResource('configmaps')!;
const pods = resolveResource('pods')!;
const deployments = resolveResource('deployments')!;
const replicaSets = resolveResource('replicasets')!;

type Policy = 'Background' | 'Foreground' | 'Orphan';
const wait = (fn: () => Promise<void>) => vi.waitFor(fn, { timeout: 20_000, interval: 100 });

// The collector in `minik controller-manager` with the Deployment and ReplicaSet controllers, so
// that cascading deletion covers what they create. No scheduler: pods stay unbound and go at once.
describe('garbage collector, as processes', () => {
  let cluster: Cluster;
  let client: ApiClient;
  let manager: MinikProcess;

  beforeAll(async () => {
    cluster = await startCluster();
    client = new ApiClient({ server: cluster.apiserver.url });
    manager = await startComponent('controller-manager', cluster.apiserver.url, ['--controllers', 'garbagecollector,deployment,replicaset', '--no-leader-elect']);
  });

  afterAll(async () => {
    await manager?.kill('SIGKILL');
    client?.close();
    await cluster?.stop();
  });

  async function find(r: ResourceType, name: string): Promise<KubeObject | undefined> {
    try {
      return await client.get(r, 'default', name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
  const names = async (r: ResourceType, selector: string) =>
    (await client.list(r, 'default', { labelSelector: selector })).items.map((o) => o.metadata?.name).sort();

  /** An owner ConfigMap with a dependent ConfigMap and a dependent pod, both blocking its foreground deletion. */
  async function ownerWithDependents(owner: string): Promise<void> {
    const o = await client.create<KubeObject>(cms, 'default', { metadata: { name: owner } });
    const ref = [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner, uid: o.metadata!.uid!, blockOwnerDeletion: true }];
    await client.create(cms, 'default', { metadata: { name: `${owner}-settings`, labels: { owner }, ownerReferences: ref } });
    await client.create(pods, 'default', { metadata: { name: `${owner}-pod`, labels: { owner }, ownerReferences: ref }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  }

  it.each<[Policy, string[]]>([
    ['Background', []],
    ['Foreground', []],
    ['Orphan', ['left-orphan-pod', 'left-orphan-settings']],
  ])('a ConfigMap deleted with %s leaves dependents %j', async (policy, left) => {
    const owner = `left-${policy.toLowerCase()}`;
    await ownerWithDependents(owner);
    await client.delete(cms, 'default', owner, { propagationPolicy: policy });
    await wait(async () => {
      expect(await find(cms, owner)).toBeUndefined();
      expect([...(await names(cms, `owner=${owner}`)), ...(await names(pods, `owner=${owner}`))].sort()).toEqual(left);
    });
    for (const name of left) {
      const o = (await find(cms, name)) ?? (await find(pods, name));
      expect(o?.metadata?.ownerReferences ?? []).toEqual([]);
    }
  });

  it('cascades a Deployment deleted with each policy as Kubernetes does', async () => {
    const deploy = (name: string): KubeObject => ({
      metadata: { name },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      },
    });
    const apps = { Background: 'web-bg', Foreground: 'web-fg', Orphan: 'web-orphan' } as const;
    for (const name of Object.values(apps)) await client.create(deployments, 'default', deploy(name));
    await wait(async () => {
      for (const name of Object.values(apps)) {
        expect(await names(replicaSets, `app=${name}`)).toHaveLength(1);
        expect(await names(pods, `app=${name}`)).toHaveLength(2);
      }
    });
    for (const [policy, name] of Object.entries(apps)) await client.delete(deployments, 'default', name, { propagationPolicy: policy as Policy });

    await wait(async () => {
      for (const name of Object.values(apps)) expect(await find(deployments, name)).toBeUndefined();
      for (const name of [apps.Background, apps.Foreground]) {
        expect(await names(replicaSets, `app=${name}`)).toEqual([]);
        expect(await names(pods, `app=${name}`)).toEqual([]);
      }
    });
    // Orphaned: the ReplicaSet stays, owned by nobody, and keeps its pods.
    const [rs] = (await client.list(replicaSets, 'default', { labelSelector: `app=${apps.Orphan}` })).items;
    expect(rs?.metadata?.ownerReferences ?? []).toEqual([]);
    const kept = (await client.list(pods, 'default', { labelSelector: `app=${apps.Orphan}` })).items;
    expect(kept.map((p) => p.metadata?.ownerReferences?.[0]?.uid)).toEqual([rs?.metadata?.uid, rs?.metadata?.uid]);
  });
});
