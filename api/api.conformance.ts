import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiClientError, isAlreadyExists, isConflict, isInvalid, isNotFound, type Api, type KubeObject, type WatchEvent } from './client.js';
import { resolveResource } from './resources.js';

const cms = resolveResource('configmaps')!;
const pods = resolveResource('pods')!;
const nodes = resolveResource('nodes')!;
const deployments = resolveResource('deployments')!;

/** A fresh API (its watch history 5 events long) and a client of it. */
export type ApiSetup = () => Promise<{ client: Api; close(): Promise<void> }>;

async function rejection(p: Promise<unknown>): Promise<ApiClientError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApiClientError);
  return err as ApiClientError;
}

/**
 * The contract of the API client interface, written once and run against each implementation (the
 * HTTP ApiClient and the in-process client): the verbs controllers, the scheduler and the node
 * simulator use, with the answers and errors they rely on.
 */
export function apiConformance(name: string, setup: ApiSetup): void {
  describe(`${name}: the Api contract`, () => {
    let s: Awaited<ReturnType<ApiSetup>>;
    let client: Api;
    beforeEach(async () => {
      s = await setup();
      client = s.client;
    });
    afterEach(async () => {
      client.close();
      await s.close();
    });

    it('creates, then refuses the same name with 409 AlreadyExists', async () => {
      const made = await client.create(cms, 'default', { metadata: { name: 'app' }, data: { mode: 'fast' } });
      expect(made).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app', namespace: 'default' }, data: { mode: 'fast' } });
      const err = await rejection(client.create(cms, 'default', { metadata: { name: 'app' } }));
      expect(isAlreadyExists(err)).toBe(true);
      expect(err).toMatchObject({ code: 409, reason: 'AlreadyExists', message: 'configmaps "app" already exists' });
    });

    it('gets, updates, patches (merge, json, strategic) and deletes, and says NotFound after', async () => {
      await client.create(cms, 'default', { metadata: { name: 'a' }, data: { x: '1' } });
      const got = await client.get(cms, 'default', 'a');
      const updated = await client.update(cms, 'default', { ...got, data: { x: '2' } });
      expect(updated.data).toEqual({ x: '2' });
      expect(Number(updated.metadata!.resourceVersion)).toBeGreaterThan(Number(got.metadata!.resourceVersion));
      expect((await client.patch(cms, 'default', 'a', 'merge', { data: { y: '3' } })).data).toEqual({ x: '2', y: '3' });
      expect((await client.patch(cms, 'default', 'a', 'json', [{ op: 'remove', path: '/data/x' }])).data).toEqual({ y: '3' });
      expect((await client.patch(cms, 'default', 'a', 'strategic', { metadata: { labels: { app: 'a' } } })).metadata?.labels).toEqual({ app: 'a' });
      await client.delete(cms, 'default', 'a', { propagationPolicy: 'Background' });
      const err = await rejection(client.get(cms, 'default', 'a'));
      expect(isNotFound(err)).toBe(true);
      expect(err.status).toMatchObject({ kind: 'Status', code: 404, message: 'configmaps "a" not found', details: { name: 'a', kind: 'configmaps' } });
    });

    it('hands out copies: changing an answer changes nothing on the server', async () => {
      const made = await client.create(cms, 'default', { metadata: { name: 'own' }, data: { v: '1' } });
      (made.data as Record<string, string>).v = 'changed';
      expect((await client.get(cms, 'default', 'own')).data).toEqual({ v: '1' });
    });

    it('refuses an update from a stale resourceVersion with 409 Conflict', async () => {
      const first = await client.create(cms, 'default', { metadata: { name: 'c' }, data: { v: '1' } });
      await client.update(cms, 'default', { ...first, data: { v: '2' } });
      const err = await rejection(client.update(cms, 'default', { ...first, data: { v: '3' } }));
      expect(isConflict(err)).toBe(true);
      expect(err.code).toBe(409);
    });

    it('reports a 422 with its causes', async () => {
      const bad = {
        metadata: { name: 'bad' },
        spec: {
          replicas: -1,
          selector: { matchLabels: { app: 'bad' } },
          template: { metadata: { labels: { app: 'bad' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
        },
      };
      const err = await rejection(client.create(deployments, 'default', bad));
      expect(isInvalid(err)).toBe(true);
      expect(err.code).toBe(422);
      expect(err.status.details?.causes).toContainEqual(expect.objectContaining({ field: 'spec.replicas' }));
    });

    it('lists with selectors and pages, every namespace when none is given', async () => {
      await client.create(cms, 'default', { metadata: { name: 'l1', labels: { tier: 'web' } } });
      await client.create(cms, 'default', { metadata: { name: 'l2', labels: { tier: 'db' } } });
      await client.create(cms, 'kube-system', { metadata: { name: 'l3', labels: { tier: 'web' } } });
      const web = await client.list(cms, undefined, { labelSelector: 'tier=web' });
      expect(web.items.map((o) => o.metadata?.name).sort()).toEqual(['l1', 'l3']);
      expect(Number(web.resourceVersion)).toBeGreaterThan(0);
      expect((await client.list(cms, 'default', { fieldSelector: 'metadata.name=l2' })).items.map((o) => o.metadata?.name)).toEqual(['l2']);
      const page = await client.list(cms, 'default', { labelSelector: 'tier', limit: 1 });
      expect(page.items).toHaveLength(1);
      expect(page.continue).toBeTruthy();
      const rest = await client.list(cms, 'default', { labelSelector: 'tier', limit: 1, continue: page.continue! });
      expect(rest.items).toHaveLength(1);
      expect(rest.items[0]!.metadata?.name).not.toBe(page.items[0]!.metadata?.name);
    });

    it('binds a pod to a node once (a second binding is a 409) and writes its status', async () => {
      await client.create(nodes, undefined, { metadata: { name: 'node-1' } });
      await client.create(pods, 'default', { metadata: { name: 'web-1' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
      expect(await client.bind('default', 'web-1', 'node-1')).toMatchObject({ kind: 'Status', status: 'Success' });
      const again = await rejection(client.bind('default', 'web-1', 'node-1'));
      expect(again.code).toBe(409);
      const pod = await client.get<KubeObject & { spec: { nodeName?: string } }>(pods, 'default', 'web-1');
      expect(pod.spec.nodeName).toBe('node-1');
      const withStatus = await client.updateStatus(pods, 'default', { ...pod, status: { phase: 'Running' } });
      expect(withStatus.status).toMatchObject({ phase: 'Running' });
    });

    it('deletes a bound pod gracefully: it stays, with a deletionTimestamp, until its node lets it go', async () => {
      await client.create(nodes, undefined, { metadata: { name: 'node-1' } });
      await client.create(pods, 'default', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
      await client.bind('default', 'p', 'node-1');
      const answer = await client.delete(pods, 'default', 'p');
      expect(answer.metadata?.deletionTimestamp).toBeTruthy();
      expect((await client.get(pods, 'default', 'p')).metadata?.deletionGracePeriodSeconds).toBe(30);
      await client.delete(pods, 'default', 'p', { gracePeriodSeconds: 0 });
      expect(isNotFound(await rejection(client.get(pods, 'default', 'p')))).toBe(true);
    });

    it('watches everything from the start (resourceVersion unset), then ADDED, MODIFIED and DELETED', async () => {
      await client.create(cms, 'default', { metadata: { name: 'before' } });
      const { resourceVersion } = await client.list(cms, 'default');
      const fromStart: WatchEvent[] = [];
      const all = client.watch(cms, 'default', { resourceVersion: '' }, (e) => fromStart.push(e));
      const events: WatchEvent[] = [];
      const w = client.watch(cms, 'default', { resourceVersion }, (e) => events.push(e));
      await new Promise((r) => setTimeout(r, 50));
      await client.create(cms, 'default', { metadata: { name: 'w' }, data: { v: '1' } });
      await client.patch(cms, 'default', 'w', 'merge', { data: { v: '2' } });
      await client.delete(cms, 'default', 'w');
      await vi.waitFor(() => expect(events).toHaveLength(3));
      expect(events.map((e) => [e.type, e.object.metadata?.name, e.object.data])).toEqual([
        ['ADDED', 'w', { v: '1' }],
        ['MODIFIED', 'w', { v: '2' }],
        ['DELETED', 'w', { v: '2' }],
      ]);
      await vi.waitFor(() => expect(fromStart).toHaveLength(4));
      expect(fromStart.map((e) => [e.type, e.object.metadata?.name])).toEqual([
        ['ADDED', 'before'],
        ['ADDED', 'w'],
        ['MODIFIED', 'w'],
        ['DELETED', 'w'],
      ]);
      w.stop();
      all.stop();
      await w.done;
      await all.done;
    });

    it('ends a watch from a resourceVersion the server no longer has with a 410 Expired ERROR', async () => {
      const { resourceVersion } = await client.list(cms, 'default');
      for (let i = 0; i < 10; i++) await client.create(cms, 'default', { metadata: { name: `n${i}` } });
      const events: WatchEvent[] = [];
      const w = client.watch(cms, 'default', { resourceVersion }, (e) => events.push(e));
      await w.done;
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
    });

    it('rejects a watch the server refuses with the Status it sent', async () => {
      const w = client.watch(cms, 'default', { resourceVersion: '0', labelSelector: '!!bad' }, () => undefined);
      const err = await rejection(w.done);
      expect(err.code).toBe(400);
    });
  });
}
