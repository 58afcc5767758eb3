import { afterEach, describe, expect, it, vi } from 'vitest';
import { type KubeObject } from '../api/client.js';
import { resolveResource } from '../api/resources.js';
import { NodeSim } from './node-sim.js';
import { inProcessApi } from '../test/support/in-process-api.js';

const podsR = resolveResource('pods')!;
const nodesR = resolveResource('nodes')!;
const leasesR = resolveResource('leases')!;
const eventsR = resolveResource('events')!;
const configMapsR = resolveResource('configmaps')!;
const secretsR = resolveResource('secrets')!;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

// Speed 100: a lease renewal every 100 ms.
async function cluster() {
  const { client } = await inProcessApi(cleanups);
  const sim = new NodeSim({ client, nodes: 1, cpu: '4', memory: '8Gi', maxPods: 110, speed: 100 });
  cleanups.push(() => sim.stop());
  await sim.start();
  return client;
}

type Status = {
  phase?: string;
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
  containerStatuses?: { state?: { waiting?: { reason?: string; message?: string } } }[];
};
type Obj = KubeObject & { status?: Status; spec?: { renewTime?: string } };
const condition = (o: Obj, type: string) => o.status?.conditions?.find((c) => c.type === type);
const wait = <T>(fn: () => Promise<T>) => vi.waitFor(fn, { timeout: 10_000, interval: 20 });

const podUsing = (name: string, spec: Record<string, unknown>): KubeObject => ({
  metadata: { name },
  spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx', ...spec }] },
});

describe('NodeSim faults: missing ConfigMaps and Secrets', () => {
  it('holds a pod in CreateContainerConfigError until its ConfigMap exists, then runs it', async () => {
    const client = await cluster();
    const env = [{ name: 'DB', valueFrom: { configMapKeyRef: { name: 'db-config', key: 'url' } } }];
    await client.create(podsR, 'default', podUsing('web-1', { env }));
    const held = await wait(async () => {
      const p = await client.get<Obj>(podsR, 'default', 'web-1');
      expect(p.status?.containerStatuses?.[0]?.state?.waiting).toEqual({ reason: 'CreateContainerConfigError', message: 'configmap "db-config" not found' });
      return p;
    });
    expect(held.status?.phase).toBe('Pending');
    await wait(async () => {
      const { items } = await client.list<KubeObject & { reason?: string; message?: string; involvedObject?: { name?: string } }>(eventsR, 'default');
      expect(items.filter((e) => e.involvedObject?.name === 'web-1')).toContainEqual(
        expect.objectContaining({ reason: 'Failed', message: 'Error: configmap "db-config" not found' }),
      );
    });
    // Still held after a while: nothing but the ConfigMap can move it on.
    await new Promise((r) => setTimeout(r, 200));
    expect((await client.get<Obj>(podsR, 'default', 'web-1')).status?.phase).toBe('Pending');

    await client.create(configMapsR, 'default', { metadata: { name: 'db-config' }, data: { url: 'pg://db' } });
    await wait(async () => {
      const p = await client.get<Obj>(podsR, 'default', 'web-1');
      expect([p.status?.phase, condition(p, 'Ready')?.status]).toEqual(['Running', 'True']);
    });
  });

  it('names a missing key, and a missing Secret behind envFrom', async () => {
    const client = await cluster();
    await client.create(configMapsR, 'default', { metadata: { name: 'db-config' }, data: { other: 'x' } });
    const env = [{ name: 'DB', valueFrom: { configMapKeyRef: { name: 'db-config', key: 'url' } } }];
    await client.create(podsR, 'default', podUsing('keyed', { env }));
    await client.create(podsR, 'default', podUsing('secretive', { envFrom: [{ secretRef: { name: 'creds' } }] }));
    await wait(async () => {
      const k = await client.get<Obj>(podsR, 'default', 'keyed');
      expect(k.status?.containerStatuses?.[0]?.state?.waiting?.message).toBe("couldn't find key url in ConfigMap default/db-config");
      const s = await client.get<Obj>(podsR, 'default', 'secretive');
      expect(s.status?.containerStatuses?.[0]?.state?.waiting?.message).toBe('secret "creds" not found');
    });
    await client.create(secretsR, 'default', { metadata: { name: 'creds' }, data: { password: 'cGFzcw==' } });
    await wait(async () => expect((await client.get<Obj>(podsR, 'default', 'secretive')).status?.phase).toBe('Running'));
    expect((await client.get<Obj>(podsR, 'default', 'keyed')).status?.phase).toBe('Pending');
  });
});

describe('NodeSim faults: stopped heartbeats', () => {
  it('stops posting heartbeats and renewing the Lease, and posts Ready again when the annotation goes', async () => {
    const client = await cluster();
    await wait(async () => expect(condition(await client.get<Obj>(nodesR, undefined, 'node-1'), 'Ready')?.status).toBe('True'));
    await client.patch(nodesR, undefined, 'node-1', 'merge', { metadata: { annotations: { 'minik.dev/heartbeats': 'stopped' } } });
    // A beat already under way may land; after that, silence: three intervals with no write.
    await new Promise((r) => setTimeout(r, 150));
    const silent = await client.get<Obj>(nodesR, undefined, 'node-1');
    const renewed = (await client.get<Obj>(leasesR, 'kube-node-lease', 'node-1')).spec?.renewTime;
    await new Promise((r) => setTimeout(r, 300));
    expect((await client.get<Obj>(leasesR, 'kube-node-lease', 'node-1')).spec?.renewTime).toBe(renewed);
    expect((await client.get<Obj>(nodesR, undefined, 'node-1')).metadata?.resourceVersion).toBe(silent.metadata?.resourceVersion);

    // What the node lifecycle controller writes of a silent node; the kubelet must overwrite it once back.
    const conditions = (silent.status?.conditions ?? []).map((c) => ({ ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' }));
    await client.updateStatus(nodesR, undefined, { ...silent, status: { ...silent.status, conditions } });
    await client.patch(nodesR, undefined, 'node-1', 'merge', { metadata: { annotations: { 'minik.dev/heartbeats': null } } });
    await wait(async () => {
      expect(condition(await client.get<Obj>(nodesR, undefined, 'node-1'), 'Ready')?.status).toBe('True');
      expect((await client.get<Obj>(leasesR, 'kube-node-lease', 'node-1')).spec?.renewTime).not.toBe(renewed);
    });
  });
});
