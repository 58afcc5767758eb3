import { afterAll, beforeAll, describe } from 'vitest';
import { StoreClient } from '../store/client.js';
import { kvConformance } from '../store/kv.conformance.js';
import { startStoreProcess, type StoreProcess } from './support/store-process.js';

describe('the store process over HTTP: the KV contract', () => {
  let proc: StoreProcess;
  let client: StoreClient;
  beforeAll(async () => {
    proc = await startStoreProcess();
    client = new StoreClient({ endpoints: [proc.endpoint] });
  });
  afterAll(async () => {
    client?.close();
    await proc?.destroy();
  });
  kvConformance(() => client);
});
