import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient, type KubeObject } from '../../api/client.js';
import { realClock } from '../../api/clock.js';
import { silentLogger } from '../../api/log.js';
import { resolveResource } from '../../api/resources.js';
import type { Event } from '../../api/schemas/cluster.js';
import type { Pod } from '../../api/schemas/pod.js';
import type { ReplicaSet } from '../../api/schemas/workloads.js';
import { ControllerManager } from '../controller-manager.js';
import { replicaSetController } from './controller.js';
import { inProcessApi } from '../../test/support/in-process-api.js';

const pods = resolveResource('pods')!;
const rss = resolveResource('replicasets')!;
const events = resolveResource('events')!;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function cluster() {
  const { client } = await inProcessApi(cleanups);
  const manager = new ControllerManager({ client, clock: realClock, logger: silentLogger(), speed: 1, controllers: new Map([['replicaset', replicaSetController]]) });
  await manager.start();
  cleanups.push(() => manager.stop());
  return { client };
}

const rsBody = (name: string, replicas: number, extra: { minReadySeconds?: number; annotations?: Record<string, string> } = {}): ReplicaSet => ({
  metadata: { name },
  spec: {
    replicas,
    ...(extra.minReadySeconds ? { minReadySeconds: extra.minReadySeconds } : {}),
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name }, ...(extra.annotations ? { annotations: extra.annotations } : {}) },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    },
  },
});

async function podsOf(client: ApiClient, app: string): Promise<Pod[]> {
  const { items } = await client.list<Pod>(pods, 'default', { labelSelector: `app=${app}` });
  return items.filter((p) => !p.metadata?.deletionTimestamp);
}
const controllerUid = (p: Pod) => p.metadata?.ownerReferences?.find((r) => r.controller)?.uid;
const eventsAbout = async (client: ApiClient, name: string) =>
  (await client.list<Event & KubeObject>(events, 'default')).items.filter((e) => e.involvedObject?.name === name && e.involvedObject?.kind === 'ReplicaSet');
const waitFor = <T>(fn: () => Promise<T>) => vi.waitFor(fn, { timeout: 10_000, interval: 50 });

describe('the ReplicaSet controller against an API server', () => {
  it('creates pods from the template, owned by the ReplicaSet, and reports them in its status', async () => {
    const { client } = await cluster();
    const rs = await client.create<ReplicaSet>(rss, 'default', rsBody('web', 3));
    const created = await waitFor(async () => {
      const ps = await podsOf(client, 'web');
      expect(ps).toHaveLength(3);
      return ps;
    });
    for (const p of created) {
      expect(p.metadata?.name).toMatch(/^web-[a-z0-9]{5}$/);
      expect(p.metadata?.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
    }
    await waitFor(async () => {
      const got = await client.get<ReplicaSet>(rss, 'default', 'web');
      expect(got.status).toMatchObject({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 0, availableReplicas: 0, observedGeneration: 1 });
    });
    await waitFor(async () => {
      const msgs = (await eventsAbout(client, 'web')).filter((e) => e.reason === 'SuccessfulCreate').map((e) => e.message).sort();
      expect(msgs).toEqual(created.map((p) => `Created pod: ${p.metadata?.name}`).sort());
    });
  });

  it('adopts a matching orphan instead of creating a pod for it', async () => {
    const { client } = await cluster();
    await client.create(pods, 'default', { metadata: { name: 'stray', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    const rs = await client.create<ReplicaSet>(rss, 'default', rsBody('web', 2));
    await waitFor(async () => {
      const ps = await podsOf(client, 'web');
      expect(ps).toHaveLength(2);
      expect(ps.every((p) => controllerUid(p) === rs.metadata?.uid)).toBe(true);
    });
    const stray = await client.get<Pod>(pods, 'default', 'stray');
    expect(stray.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', name: 'web', controller: true, blockOwnerDeletion: true });
  });

  it('releases a pod whose labels stop matching, and replaces it', async () => {
    const { client } = await cluster();
    await client.create<ReplicaSet>(rss, 'default', rsBody('web', 2));
    const [first] = await waitFor(async () => {
      const ps = await podsOf(client, 'web');
      expect(ps).toHaveLength(2);
      return ps;
    });
    const name = first!.metadata!.name!;
    await client.patch(pods, 'default', name, 'merge', { metadata: { labels: { app: 'debug' } } });
    await waitFor(async () => {
      const released = await client.get<Pod>(pods, 'default', name);
      expect(released.metadata?.ownerReferences ?? []).toEqual([]);
      const ps = await podsOf(client, 'web');
      expect(ps).toHaveLength(2);
      expect(ps.map((p) => p.metadata?.name)).not.toContain(name);
    });
  });

  it('replaces a deleted pod, and deletes pods when scaled down', async () => {
    const { client } = await cluster();
    await client.create<ReplicaSet>(rss, 'default', rsBody('web', 3));
    const [victim] = await waitFor(async () => {
      const ps = await podsOf(client, 'web');
      expect(ps).toHaveLength(3);
      return ps;
    });
    await client.delete(pods, 'default', victim!.metadata!.name!);
    await waitFor(async () => {
      const ps = await podsOf(client, 'web');
      expect(ps).toHaveLength(3);
      expect(ps.map((p) => p.metadata?.name)).not.toContain(victim!.metadata!.name);
    });
    await client.patch(rss, 'default', 'web', 'merge', { spec: { replicas: 1 } });
    await waitFor(async () => {
      expect(await podsOf(client, 'web')).toHaveLength(1);
      const got = await client.get<ReplicaSet>(rss, 'default', 'web');
      expect(got.status).toMatchObject({ replicas: 1, observedGeneration: 2 });
      expect((await eventsAbout(client, 'web')).filter((e) => e.reason === 'SuccessfulDelete').map((e) => e.message)).toHaveLength(2);
    });
  });

  it('counts ready pods, and available ones once minReadySeconds have passed', async () => {
    const { client } = await cluster();
    await client.create<ReplicaSet>(rss, 'default', rsBody('web', 2, { minReadySeconds: 2 }));
    const ps = await waitFor(async () => {
      const ps = await podsOf(client, 'web');
      expect(ps).toHaveLength(2);
      return ps;
    });
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    for (const p of ps) {
      await client.updateStatus(pods, 'default', { ...p, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } });
    }
    await waitFor(async () => {
      expect((await client.get<ReplicaSet>(rss, 'default', 'web')).status).toMatchObject({ replicas: 2, readyReplicas: 2, availableReplicas: 0 });
    });
    // Nothing changes on the pods from here: only the controller's own requeue can count them available.
    await waitFor(async () => {
      expect((await client.get<ReplicaSet>(rss, 'default', 'web')).status).toMatchObject({ readyReplicas: 2, availableReplicas: 2 });
    });
  });

  it('reports a ReplicaSet whose pods the API refuses, and keeps reconciling the others', async () => {
    const { client } = await cluster();
    // The ReplicaSet is valid, but its pods carry an annotation key the API refuses.
    await client.create<ReplicaSet>(rss, 'default', rsBody('bad', 3, { annotations: { 'not a key!': 'x' } }));
    await client.create<ReplicaSet>(rss, 'default', rsBody('good', 2));
    await waitFor(async () => {
      const bad = await client.get<ReplicaSet>(rss, 'default', 'bad');
      const failure = bad.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
      expect(failure).toMatchObject({ status: 'True', reason: 'FailedCreate' });
      expect(failure?.message).toContain('not a key!');
      const failed = (await eventsAbout(client, 'bad')).filter((e) => e.reason === 'FailedCreate');
      expect(failed.length).toBeGreaterThan(0);
      expect(failed[0]!.type).toBe('Warning');
      expect(failed[0]!.message).toMatch(/^Error creating: .*not a key!/);
    });
    expect(await podsOf(client, 'bad')).toHaveLength(0);
    await waitFor(async () => {
      expect(await podsOf(client, 'good')).toHaveLength(2);
      expect((await client.get<ReplicaSet>(rss, 'default', 'good')).status?.replicas).toBe(2);
    });
    // Fixing the template clears the condition.
    const bad = await client.get<ReplicaSet>(rss, 'default', 'bad');
    await client.update(rss, 'default', { ...bad, spec: { ...bad.spec!, template: rsBody('bad', 3).spec!.template } });
    await waitFor(async () => {
      expect(await podsOf(client, 'bad')).toHaveLength(3);
      expect((await client.get<ReplicaSet>(rss, 'default', 'bad')).status?.conditions ?? []).toEqual([]);
    });
  });
});
