import { afterAll, describe, expect, it } from 'vitest';
import { StoreClient } from '../store/client.js';
import { startApiServer, type ApiServerProcess } from './support/cluster.js';
import { startStoreProcess, type StoreProcess } from './support/store-process.js';

describe('the API server keeps the store’s history bounded', () => {
  let store: StoreProcess;
  let apiserver: ApiServerProcess;
  afterAll(async () => {
    await apiserver?.stop();
    await store?.destroy();
  });

  it('compacts what is older than one interval, as kube-apiserver does', async () => {
    store = await startStoreProcess();
    apiserver = await startApiServer(store.endpoint, { args: ['--compaction-interval', '300'] });
    const client = new StoreClient({ endpoints: [store.endpoint] });
    try {
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${apiserver.url}/api/v1/namespaces/default/configmaps`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ metadata: { name: `c${i}` } }),
        });
        expect(res.status).toBe(201);
      }
      const written = (await client.range({ key: Buffer.from('/registry/'), countOnly: true })).header.revision;
      // Two ticks: the first remembers the revision, the second compacts up to it.
      const deadline = Date.now() + 10_000;
      let compacted = false;
      while (!compacted && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        compacted = await client.range({ key: Buffer.from('/registry/'), revision: 1 }).then(
          () => false,
          (err: Error) => /compacted/.test(err.message),
        );
      }
      expect(compacted).toBe(true);
      // The present is untouched.
      const now = await client.range({ key: Buffer.from('/registry/configmaps/default/'), rangeEnd: Buffer.from('/registry/configmaps/default0') });
      expect(now.kvs.map((kv) => kv.key.toString())).toEqual([0, 1, 2, 3, 4].map((i) => `/registry/configmaps/default/c${i}`));
      expect(now.header.revision).toBeGreaterThanOrEqual(written);
    } finally {
      client.close();
    }
  });
});
