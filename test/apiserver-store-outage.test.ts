import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, waitForUrl } from './support/ports.js';
import { MINIK_BIN, startStoreProcess, type StoreProcess } from './support/store-process.js';

describe('the API server and its store', () => {
  const stops: Array<() => Promise<unknown> | void> = [];
  afterAll(async () => {
    for (const s of stops.reverse()) await s();
  });

  it('waits for a store that is not up yet, answers 503 while it is gone, and carries on when it is back', async () => {
    const storePort = await freePort();
    const apiPort = await freePort();
    const api = spawn(process.execPath, [MINIK_BIN, 'apiserver', '--port', String(apiPort), '--store', `http://127.0.0.1:${storePort}`], {
      stdio: 'ignore',
      env: { ...process.env, MINIK_LOG_LEVEL: 'silent' },
    });
    stops.push(() => void api.kill('SIGKILL'));
    const url = `http://127.0.0.1:${apiPort}`;
    await new Promise((r) => setTimeout(r, 1000));
    expect(api.exitCode).toBeNull();

    let store: StoreProcess = await startStoreProcess({ port: storePort });
    const dataDir = store.dataDir;
    stops.push(() => rmSync(dataDir, { recursive: true, force: true }));
    stops.push(() => store.destroy());
    await waitForUrl(`${url}/readyz`, 20_000, () => api.exitCode === null);
    const ns = await (await fetch(`${url}/api/v1/namespaces/default`)).json();
    expect(ns).toMatchObject({ kind: 'Namespace', metadata: { name: 'default' } });

    await store.stop();
    const gone = await fetch(`${url}/api/v1/namespaces/default/configmaps/x`);
    expect(gone.status).toBe(503);
    expect(await gone.json()).toMatchObject({ kind: 'Status', reason: 'ServiceUnavailable', code: 503 });

    store = await startStoreProcess({ port: storePort, dataDir });
    const created = await fetch(`${url}/api/v1/namespaces/default/configmaps`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ metadata: { name: 'back' } }),
    });
    expect(created.status).toBe(201);
  });
});
