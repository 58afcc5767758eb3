import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient, isNotFound, type KubeObject } from '../../api/client.js';
import { realClock } from '../../api/clock.js';
import { silentLogger } from '../../api/log.js';
import { resolveResource } from '../../api/resources.js';
import { ControllerManager } from '../controller-manager.js';
import { garbageCollectorController } from './controller.js';
import { inProcessApi } from '../../test/support/in-process-api.js';

const cms = resolveResource('configmaps')!;
const pods = resolveResource('pods')!;
const nodes = resolveResource('nodes')!;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function cluster(): Promise<ApiClient> {
  const { client } = await inProcessApi(cleanups);
  const manager = new ControllerManager({
    client,
    clock: realClock,
    logger: silentLogger(),
    speed: 1,
    controllers: new Map([['garbagecollector', garbageCollectorController]]),
  });
  await manager.start();
  cleanups.push(() => manager.stop());
  return client;
}

type Meta = NonNullable<KubeObject['metadata']>;
const ownedBy = (owner: KubeObject, block = false) => [
  { apiVersion: owner.apiVersion ?? 'v1', kind: owner.kind ?? 'ConfigMap', name: owner.metadata!.name!, uid: owner.metadata!.uid!, ...(block ? { blockOwnerDeletion: true } : {}) },
];
const cm = (name: string, meta: Partial<Meta> = {}): KubeObject => ({ metadata: { name, ...meta }, data: { k: 'v' } });
const pod = (name: string, meta: Partial<Meta> = {}): KubeObject => ({ metadata: { name, ...meta }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });

async function exists(client: ApiClient, r: typeof cms, name: string): Promise<KubeObject | undefined> {
  try {
    return await client.get(r, 'default', name);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
const wait = (fn: () => Promise<void>) => vi.waitFor(fn, { timeout: 10_000, interval: 25 });

describe('garbage collector against the API server', () => {
  it('deletes the dependents of an owner deleted in the background, and nothing else', async () => {
    const client = await cluster();
    const app = await client.create(cms, 'default', cm('app'));
    await client.create(cms, 'default', cm('app-settings', { ownerReferences: ownedBy(app) }));
    await client.create(pods, 'default', pod('web', { ownerReferences: ownedBy(app) }));
    await client.create(cms, 'default', cm('bystander'));
    await client.delete(cms, 'default', 'app', { propagationPolicy: 'Background' });
    await wait(async () => {
      expect(await exists(client, cms, 'app-settings')).toBeUndefined();
      expect(await exists(client, pods, 'web')).toBeUndefined();
    });
    expect(await exists(client, cms, 'bystander')).toBeDefined();
  });

  it('orphans: the owner goes, its dependents stay without the reference', async () => {
    const client = await cluster();
    const app = await client.create(cms, 'default', cm('app'));
    const other = await client.create(cms, 'default', cm('other'));
    await client.create(cms, 'default', cm('settings', { ownerReferences: [...ownedBy(app), ...ownedBy(other)] }));
    await client.create(pods, 'default', pod('web', { ownerReferences: ownedBy(app) }));
    const marked = await client.delete(cms, 'default', 'app', { propagationPolicy: 'Orphan' });
    expect(marked.metadata?.finalizers).toEqual(['orphan']);
    await wait(async () => expect(await exists(client, cms, 'app')).toBeUndefined());
    expect((await exists(client, pods, 'web'))?.metadata?.ownerReferences ?? []).toEqual([]);
    expect((await exists(client, cms, 'settings'))?.metadata?.ownerReferences?.map((r) => r.name)).toEqual(['other']);
  });

  it('foreground: the owner stays, with its finalizer, until its blocking dependent is gone', async () => {
    const client = await cluster();
    const app = await client.create(cms, 'default', cm('app'));
    // A finalizer of someone else's keeps the dependent (and so the owner) around while it is there.
    await client.create(cms, 'default', cm('held', { ownerReferences: ownedBy(app, true), finalizers: ['example.com/hold'] }));
    await client.create(pods, 'default', pod('web', { ownerReferences: ownedBy(app, true) }));
    await client.delete(cms, 'default', 'app', { propagationPolicy: 'Foreground' });
    await wait(async () => {
      expect(await exists(client, pods, 'web')).toBeUndefined();
      expect((await exists(client, cms, 'held'))?.metadata?.deletionTimestamp).toBeDefined();
    });
    expect((await exists(client, cms, 'app'))?.metadata?.finalizers).toEqual(['foregroundDeletion']);
    await client.patch(cms, 'default', 'held', 'merge', { metadata: { finalizers: null } });
    await wait(async () => expect(await exists(client, cms, 'app')).toBeUndefined());
  });

  it('asks the API server about owners it does not cache: a live one keeps its dependent, a replaced one does not', async () => {
    const client = await cluster();
    const node = await client.create<KubeObject>(nodes, undefined, { metadata: { name: 'node-x' } });
    const nodeRef = { apiVersion: 'v1', kind: 'Node', name: 'node-x' };
    await client.create(pods, 'default', pod('kept', { ownerReferences: [{ ...nodeRef, uid: node.metadata!.uid! }] }));
    await client.create(pods, 'default', pod('stale', { ownerReferences: [{ ...nodeRef, uid: 'uid-of-an-older-node-x' }] }));
    await client.create(pods, 'default', pod('never', { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'nope', uid: 'u-nope' }] }));
    await wait(async () => {
      expect(await exists(client, pods, 'stale')).toBeUndefined();
      expect(await exists(client, pods, 'never')).toBeUndefined();
    });
    expect(await exists(client, pods, 'kept')).toBeDefined();
  });
});
