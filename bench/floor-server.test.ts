import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreClient } from '../store/client.js';
import { floorServer, type FloorServer } from './floor-server.js';

const open: Array<FloorServer | StoreClient> = [];
afterEach(async () => {
  for (const x of open.splice(0)) await x.close();
});

async function listen(f: FloorServer): Promise<string> {
  open.push(f);
  await new Promise<void>((r) => f.server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(f.server.address() as AddressInfo).port}`;
}

describe('the benchmarks floor servers', () => {
  it('the store floor answers puts as etcd does, each with the next revision, so the same client drives it', async () => {
    const client = new StoreClient({ endpoints: [await listen(floorServer('store'))] });
    open.push(client);
    const revs: number[] = [];
    for (let i = 0; i < 3; i++) revs.push((await client.put({ key: Buffer.from(`/k${i}`), value: Buffer.alloc(1024, 'v') })).header.revision);
    expect(revs).toEqual([revs[0], revs[0]! + 1, revs[0]! + 2]);
  });

  it('the proxy floor turns a create into exactly one put to its store and answers the object with its revision', async () => {
    const puts: string[] = [];
    const store = floorServer('store');
    // Only POSTs: the proxy's store client first asks for a KV socket, which this floor refuses.
    store.server.prependListener('request', (req) => req.method === 'POST' && puts.push(String(req.url)));
    const storeUrl = await listen(store);
    const proxy = await listen(floorServer('proxy', storeUrl));
    const res = await fetch(`${proxy}/api/v1/namespaces/writes/pods`, {
      method: 'POST',
      body: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' } }),
    });
    expect(res.status).toBe(201);
    const pod = (await res.json()) as { metadata: { name: string; uid: string; resourceVersion: string } };
    expect(pod.metadata).toMatchObject({ name: 'web', uid: '1' });
    expect(Number(pod.metadata.resourceVersion)).toBeGreaterThan(1);
    expect(puts).toEqual(['/v3/kv/put']);
  });

  it('a body that is not a JSON object is a 400, and the floor keeps serving', async () => {
    const proxy = await listen(floorServer('proxy', 'http://127.0.0.1:9'));
    const bad = await fetch(`${proxy}/api/v1/namespaces/writes/pods`, { method: 'POST', body: '[1,' });
    expect(bad.status).toBe(400);
    expect((await fetch(`${proxy}/readyz`)).status).toBe(200);
  });
});
