import { afterAll, beforeAll, describe } from 'vitest';
import { StoreClient } from '../store/client.js';
import { kvConformance } from '../store/kv.conformance.js';
import { startStoreProcess, type StoreProcess } from './support/store-process.js';

describe.each(['socket', 'http'] as const)('the store process over its %s transport: the KV contract', (transport) => {
  let proc: StoreProcess;
  let client: StoreClient;
  beforeAll(async () => {
    proc = await startStoreProcess();
    client = new StoreClient({ endpoints: [proc.endpoint], transport });
  });
  afterAll(async () => {
    client?.close();
    await proc?.destroy();
  });
  kvConformance(() => client);
});
