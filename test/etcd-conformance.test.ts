import { afterAll, beforeAll, describe } from 'vitest';
import { StoreClient } from '../store/client.js';
import { kvConformance } from '../store/kv.conformance.js';
import { etcdAvailable, startEtcd, type EtcdProcess } from './support/etcd.js';

// The same contract held by a real etcd: the suite itself is checked against the reference.
describe.skipIf(!etcdAvailable())('a real etcd 3.4 over HTTP: the KV contract', () => {
  let etcd: EtcdProcess;
  let client: StoreClient;
  beforeAll(async () => {
    etcd = await startEtcd();
    client = new StoreClient({ endpoints: [etcd.endpoint] });
  });
  afterAll(async () => {
    client?.close();
    await etcd?.stop();
  });
  kvConformance(() => client);
});
