import { afterAll, beforeAll, describe } from 'vitest';
import { registryConformance } from '../apiserver/registry.conformance.js';
import { StoreClient } from '../store/client.js';
import { etcdAvailable, startEtcd, type EtcdProcess } from './support/etcd.js';
import { startStoreProcess, type StoreProcess } from './support/store-process.js';

/** Every key, for wiping a shared store between tests. */
const ALL = { key: Buffer.from([0]), rangeEnd: Buffer.from([0]) };

function over(endpoint: () => string) {
  return async () => {
    const kv = new StoreClient({ endpoints: [endpoint()] });
    return {
      kv,
      async close() {
        await kv.deleteRange(ALL);
        kv.close();
      },
    };
  };
}

describe('the registry over the store process', () => {
  let store: StoreProcess;
  beforeAll(async () => {
    store = await startStoreProcess();
  });
  afterAll(() => store?.destroy());
  registryConformance(over(() => store.endpoint));
});

// DESIGN.md promises the API server runs unchanged on a real etcd: this is that promise, tested.
describe.skipIf(!etcdAvailable())('the registry over a real etcd 3.4', () => {
  let etcd: EtcdProcess;
  beforeAll(async () => {
    etcd = await startEtcd();
  });
  afterAll(() => etcd?.stop());
  registryConformance(over(() => etcd.endpoint));
});
