import { afterEach, describe, expect, it } from 'vitest';
import { StoreClient } from '../store/client.js';
import { watchInto } from '../store/kv.conformance.js';
import { freePort } from './support/ports.js';
import { startStoreProcess, type StoreProcess } from './support/store-process.js';

const b = (s: string) => Buffer.from(s);

describe('the store client against the store process', () => {
  const cleanup: Array<() => Promise<unknown> | void> = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  it('fails over from an endpoint nobody answers to the next one', async () => {
    const store = await startStoreProcess();
    cleanup.push(() => store.destroy());
    const dead = `http://127.0.0.1:${await freePort()}`;
    const client = new StoreClient({ endpoints: [dead, store.endpoint] });
    cleanup.push(() => client.close());
    await client.put({ key: b('fo/k'), value: b('v') });
    expect((await client.get('fo/k'))?.value.toString()).toBe('v');
  });

  it('says which endpoints it tried when none answers', async () => {
    const client = StoreClient.fromList(`http://127.0.0.1:${await freePort()},http://127.0.0.1:${await freePort()}`);
    cleanup.push(() => client.close());
    await expect(client.get('x')).rejects.toThrow(/store unreachable: 127\.0\.0\.1:\d+: .*; 127\.0\.0\.1:\d+/);
  });

  it('resumes a watch across a store restart, nothing lost or doubled', async () => {
    const port = await freePort();
    let store: StoreProcess = await startStoreProcess({ port });
    const dataDir = store.dataDir;
    cleanup.push(() => store.destroy());
    const client = new StoreClient({ endpoints: [store.endpoint], maxBackoffMs: 200 });
    cleanup.push(() => client.close());
    const w = watchInto(client, { key: b('rs/'), rangeEnd: b('rs0') });
    cleanup.push(() => w.cancel());
    await w.until((rs) => rs.some((r) => r.created));
    for (const v of ['1', '2', '3']) await client.put({ key: b('rs/a'), value: b(v) });
    await w.until((rs) => rs.flatMap((r) => r.events).length === 3);

    expect(await store.stop()).toBe(0);
    store = await startStoreProcess({ port, dataDir });
    for (const v of ['4', '5', '6']) await client.put({ key: b('rs/a'), value: b(v) });
    const events = (await w.until((rs) => rs.flatMap((r) => r.events).length >= 6)).flatMap((r) => r.events);
    expect(events.map((e) => e.kv.value.toString())).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(events.map((e) => e.kv.version)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(w.responses.filter((r) => r.created)).toHaveLength(1);
  });

  it('tells a watcher that comes back to compacted history, so it can relist', async () => {
    const port = await freePort();
    let store: StoreProcess = await startStoreProcess({ port });
    const dataDir = store.dataDir;
    cleanup.push(() => store.destroy());
    const client = new StoreClient({ endpoints: [store.endpoint], maxBackoffMs: 200 });
    cleanup.push(() => client.close());
    const w = watchInto(client, { key: b('cp/a') });
    cleanup.push(() => w.cancel());
    await w.until((rs) => rs.some((r) => r.created));
    await client.put({ key: b('cp/a'), value: b('1') });
    await w.until((rs) => rs.flatMap((r) => r.events).length === 1);
    await store.stop();

    // While the watcher is away, history moves on and is compacted, on another port.
    const away = await startStoreProcess({ dataDir });
    const other = new StoreClient({ endpoints: [away.endpoint] });
    await other.put({ key: b('cp/a'), value: b('2') });
    const last = (await other.put({ key: b('cp/a'), value: b('3') })).header.revision;
    await other.compact({ revision: last, physical: true });
    other.close();
    await away.stop();

    store = await startStoreProcess({ port, dataDir });
    const rs = await w.until((all) => all.some((r) => r.canceled));
    expect(rs.find((r) => r.canceled)).toMatchObject({ canceled: true, compactRevision: last });
  });
});
