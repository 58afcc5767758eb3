import { afterEach, describe, expect, it, vi } from 'vitest';
import { serveInProcess } from '../apiserver/in-process.js';
import { Backend } from '../store/backend.js';
import { Mvcc } from '../store/mvcc.js';
import { ApiClient, ApiClientError, type KubeObject, type ListResult, type WatchEvent } from './client.js';
import { FakeClock } from './clock.js';
import { Informer, keyOf } from './informer.js';
import { resolveResource } from './resources.js';

const pods = resolveResource('pods')!;
const cms = resolveResource('configmaps')!;
const pod = (name: string) => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });

/** The API app over `store` on `port` (0: a free one); closing it leaves the store open for the next. */
function serve(store: Mvcc, port = 0): Promise<{ port: number; close(): Promise<void> }> {
  return serveInProcess({ store, port });
}

/** Every handler call, as `add a`, `update a`, `delete a`, in order. */
function record<T extends KubeObject>(informer: Informer<T>): string[] {
  const seen: string[] = [];
  informer.on({
    add: (o) => seen.push(`add ${keyOf(o)}`),
    update: (_, o) => seen.push(`update ${keyOf(o)}`),
    delete: (o) => seen.push(`delete ${keyOf(o)}`),
  });
  return seen;
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function cluster() {
  const store = await Mvcc.open({ backend: await Backend.open() });
  cleanups.push(() => store.close());
  const app = await serve(store);
  const client = new ApiClient({ server: `http://127.0.0.1:${app.port}` });
  cleanups.push(() => client.close());
  const handle = { store, app, client };
  cleanups.push(() => handle.app.close());
  return handle;
}

function informer<T extends KubeObject>(inf: Informer<T>): Informer<T> {
  cleanups.push(() => inf.stop());
  return inf;
}

describe('Informer against the API app', () => {
  it('syncs the existing list, then delivers adds, updates and deletes (the doc example)', async () => {
    const { client } = await cluster();
    await client.create(pods, 'default', pod('web-1'));
    const inf = informer(new Informer({ client, resource: pods, namespace: 'default' }));
    const seen = record(inf);
    expect(inf.hasSynced()).toBe(false);
    await inf.start();
    expect(inf.hasSynced()).toBe(true);
    expect(seen).toEqual(['add default/web-1']);
    const cached = inf.get('default/web-1')!;
    expect(cached.metadata?.name).toBe('web-1');
    // Shared with every reader: changing it in place must fail.
    expect(() => ((cached.metadata as { name?: string }).name = 'x')).toThrow(TypeError);

    await client.create(pods, 'default', pod('web-2'));
    await client.patch(pods, 'default', 'web-1', 'merge', { metadata: { labels: { app: 'web' } } });
    await client.delete(pods, 'default', 'web-2', { gracePeriodSeconds: 0 });
    await vi.waitFor(() => expect(seen).toEqual(['add default/web-1', 'add default/web-2', 'update default/web-1', 'delete default/web-2']));
    expect(inf.list().map(keyOf)).toEqual(['default/web-1']);
    expect(inf.get('default/web-1')!.metadata?.labels).toEqual({ app: 'web' });
  });

  it('gives a handler registered late an add for every cached object', async () => {
    const { client } = await cluster();
    await client.create(cms, 'default', { metadata: { name: 'a' } });
    const inf = informer(new Informer({ client, resource: cms, namespace: 'default' }));
    await inf.start();
    expect(record(inf)).toEqual(['add default/a']);
  });

  it('honours a label selector', async () => {
    const { client } = await cluster();
    await client.create(cms, 'default', { metadata: { name: 'web', labels: { app: 'web' } } });
    await client.create(cms, 'default', { metadata: { name: 'db', labels: { app: 'db' } } });
    const inf = informer(new Informer({ client, resource: cms, labelSelector: 'app=web' }));
    const seen = record(inf);
    await inf.start();
    await client.create(cms, 'kube-system', { metadata: { name: 'web2', labels: { app: 'web' } } });
    await client.create(cms, 'default', { metadata: { name: 'db2', labels: { app: 'db' } } });
    await vi.waitFor(() => expect(seen).toEqual(['add default/web', 'add kube-system/web2']));
  });

  it('after the server restarts, delivers exactly the changes it missed, a delete among them', async () => {
    const h = await cluster();
    for (const name of ['a', 'b', 'c']) await h.client.create(cms, 'default', { metadata: { name }, data: { v: '1' } });
    const inf = informer(new Informer({ client: h.client, resource: cms, namespace: 'default', backoff: { initialMs: 10, maxMs: 50 } }));
    const seen = record(inf);
    await inf.start();
    expect(seen).toEqual(['add default/a', 'add default/b', 'add default/c']);

    // Down: every watch ends, and the informer's relists are refused until the new app listens.
    const port = h.app.port;
    await h.app.close();
    // The changes happen through an app of their own, over the same store, while the port is dark.
    const side = await serve(h.store);
    const sideClient = new ApiClient({ server: `http://127.0.0.1:${side.port}` });
    const b = await sideClient.get(cms, 'default', 'b');
    await sideClient.update(cms, 'default', { ...b, data: { v: '2' } });
    await sideClient.delete(cms, 'default', 'c');
    await sideClient.create(cms, 'default', { metadata: { name: 'd' } });
    sideClient.close();
    await side.close();
    h.app = await serve(h.store, port);

    await vi.waitFor(() => expect(seen).toHaveLength(6), { timeout: 5000 });
    expect(seen.slice(3).sort()).toEqual(['add default/d', 'delete default/c', 'update default/b']);
    expect(inf.list().map(keyOf).sort()).toEqual(['default/a', 'default/b', 'default/d']);
    expect(inf.get('default/b')!.data).toEqual({ v: '2' });

    // And it watches again: a change after the restart arrives as usual.
    await h.client.delete(cms, 'default', 'a');
    await vi.waitFor(() => expect(seen.at(-1)).toBe('delete default/a'));
    expect(seen.filter((s) => s.startsWith('add')).sort()).toEqual(['add default/a', 'add default/b', 'add default/c', 'add default/d']);
  });
});

/**
 * A client that answers lists from a script and whose watches send the events given, then end:
 * the informer's relist logic on a virtual clock, without a server.
 */
function scriptedClient(lists: Array<ListResult<KubeObject> | Error>, watches: WatchEvent[][]) {
  const watchedFrom: string[] = [];
  const listedWith: string[] = [];
  const client = {
    list: async (_r: unknown, _ns: unknown, opts: { resourceVersion?: string; resourceVersionMatch?: string }) => {
      listedWith.push(opts.resourceVersion ? `${opts.resourceVersionMatch} ${opts.resourceVersion}` : 'fresh');
      const next = lists.shift() ?? { items: [], resourceVersion: '0' };
      if (next instanceof Error) throw next;
      return next;
    },
    watch: (_r: unknown, _ns: unknown, opts: { resourceVersion: string }, onEvent: (e: WatchEvent) => void) => {
      watchedFrom.push(opts.resourceVersion);
      const events = watches.shift();
      let stop!: () => void;
      const done = new Promise<void>((resolve) => (stop = resolve));
      queueMicrotask(() => {
        for (const e of events ?? []) onEvent(e);
        // A scripted watch ends after its events; an empty one stays open until stopped.
        if (events?.length) stop();
      });
      return { stop, done };
    },
  } as unknown as ApiClient;
  return { client, watchedFrom, listedWith };
}

const cm = (name: string, rv: string): KubeObject => ({ metadata: { name, namespace: 'default', resourceVersion: rv } });

describe('Informer relisting', () => {
  it('on 410 Expired, lists again after its back-off and turns the difference into events', async () => {
    const clock = new FakeClock(0);
    const { client, watchedFrom } = scriptedClient(
      [
        { items: [cm('a', '5'), cm('b', '6')], resourceVersion: '10' },
        { items: [cm('a', '5'), cm('c', '40')], resourceVersion: '50' },
      ],
      [
        [
          { type: 'BOOKMARK', object: { metadata: { resourceVersion: '20' } } },
          { type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } },
        ],
        [],
      ],
    );
    const inf = informer(new Informer({ client, resource: cms, namespace: 'default', clock, backoff: { initialMs: 100, maxMs: 1000 } }));
    const seen = record(inf);
    await inf.start();
    await vi.waitFor(() => expect(inf.lastResourceVersion()).toBe('20'));
    expect(seen).toEqual(['add default/a', 'add default/b']);

    // Nothing happens until the back-off has passed on the informer's clock.
    await new Promise((r) => setImmediate(r));
    expect(watchedFrom).toEqual(['10']);
    clock.advance(100);
    await vi.waitFor(() => expect(watchedFrom).toEqual(['10', '50']));
    expect(seen).toEqual(['add default/a', 'add default/b', 'add default/c', 'delete default/b']);
  });

  it('resyncs every cached object to update handlers on its clock', async () => {
    const clock = new FakeClock(0);
    const { client } = scriptedClient([{ items: [cm('a', '5')], resourceVersion: '10' }], [[]]);
    const inf = informer(new Informer({ client, resource: cms, namespace: 'default', clock, resyncMs: 1000 }));
    const seen = record(inf);
    await inf.start();
    clock.advance(1000);
    expect(seen).toEqual(['add default/a', 'update default/a']);
  });
});

describe('Informer indexes', () => {
  const labelled = (name: string, rv: string, app: string): KubeObject => ({ metadata: { name, namespace: 'default', resourceVersion: rv, labels: { app } } });
  const byApp = (o: Readonly<KubeObject>) => [o.metadata?.labels?.app ?? ''];
  const names = (os: readonly Readonly<KubeObject>[]) => os.map((o) => o.metadata?.name);

  it('keeps an index through watch events and relists, answering in list() order', async () => {
    const clock = new FakeClock(0);
    const { client, watchedFrom } = scriptedClient(
      [
        { items: [labelled('a', '5', 'web'), labelled('b', '6', 'db')], resourceVersion: '10' },
        { items: [labelled('a', '5', 'web'), labelled('c', '40', 'web'), labelled('d', '41', 'db')], resourceVersion: '50' },
      ],
      [
        [
          { type: 'ADDED', object: labelled('c', '11', 'web') },
          { type: 'MODIFIED', object: labelled('a', '12', 'db') },
          { type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } },
        ],
        [],
      ],
    );
    const inf = informer(new Informer({ client, resource: cms, namespace: 'default', clock, backoff: { initialMs: 100, maxMs: 1000 } }));
    // Added before the first list and after it: both see the cache.
    inf.addIndex('app', byApp);
    await inf.start();
    await vi.waitFor(() => expect(inf.get('default/c')).toBeDefined());
    expect(names(inf.byIndex('app', 'web'))).toEqual(['c']);
    expect(names(inf.byIndex('app', 'db'))).toEqual(['a', 'b']);

    clock.advance(100);
    await vi.waitFor(() => expect(watchedFrom).toEqual(['10', '50']));
    const list = inf.list();
    for (const app of ['web', 'db']) expect(inf.byIndex('app', app)).toEqual(list.filter((o) => byApp(o)[0] === app));
    expect(names(inf.byIndex('app', 'web'))).toEqual(['a', 'c']);
    expect(inf.indexCount('app', 'web')).toBe(2);
  });

  it('takes the same index twice, refuses another function under its name, and an unknown name', () => {
    const inf = new Informer({ client: scriptedClient([], []).client, resource: cms });
    inf.addIndex('app', byApp);
    inf.addIndex('app', byApp);
    expect(() => inf.addIndex('app', () => [])).toThrow('Cannot add index app: another index of that name exists');
    expect(() => inf.byIndex('node', 'n')).toThrow('Cannot look up index node: no such index');
  });

  it('never lists further back than it has seen, nor the first time than its floor; an expired version lists afresh', async () => {
    const clock = new FakeClock(0);
    const gone = new ApiClientError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 410, reason: 'Expired', message: 'too old' });
    const { client, listedWith } = scriptedClient(
      [{ items: [cm('a', '5')], resourceVersion: '10' }, gone, { items: [cm('a', '5')], resourceVersion: '30' }],
      [[{ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } }], []],
    );
    const inf = informer(new Informer({ client, resource: cms, namespace: 'default', clock, backoff: { initialMs: 100, maxMs: 1000 }, notOlderThan: '7' }));
    await inf.start();
    expect(listedWith).toEqual(['NotOlderThan 7']);
    await new Promise((r) => setImmediate(r));
    clock.advance(100);
    await vi.waitFor(() => expect(listedWith).toEqual(['NotOlderThan 7', 'NotOlderThan 10', 'fresh']));
  });
});
