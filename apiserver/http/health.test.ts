import { afterEach, describe, expect, it } from 'vitest';
import { inProcessApi, type Cleanups } from '../../test/support/in-process-api.js';

describe("the API server's health endpoints, as kube-apiserver answers them", () => {
  const cleanups: Cleanups = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  const text = async (res: Response) => ({ status: res.status, body: await res.text() });

  it('answers ok, or with ?verbose a line per check; one check by its path, and others left out with ?exclude', async () => {
    const { api } = await inProcessApi(cleanups);
    const get = async (path: string) => text(await fetch(`${api.url}${path}`));
    expect(await get('/readyz')).toEqual({ status: 200, body: 'ok' });
    expect(await get('/readyz?verbose')).toEqual({
      status: 200,
      body: '[+]ping ok\n[+]etcd ok\n[+]informer-sync ok\n[+]shutdown ok\nreadyz check passed\n',
    });
    expect(await get('/livez?verbose')).toEqual({ status: 200, body: '[+]ping ok\nlivez check passed\n' });
    expect(await get('/healthz?verbose&exclude=etcd')).toEqual({ status: 200, body: '[+]ping ok\nhealthz check passed\n' });
    expect(await get('/readyz/etcd')).toEqual({ status: 200, body: 'ok' });
    expect((await get('/readyz/nope')).status).toBe(404);
  });

  it('is not ready, naming the failed check, while its store does not answer; and stays live', async () => {
    const { api, store } = await inProcessApi(cleanups);
    await store.close();
    const ready = await text(await fetch(`${api.url}/readyz`));
    expect(ready.status).toBe(503);
    expect(ready.body).toContain('[-]etcd failed: reason withheld');
    expect(ready.body).toContain('[+]informer-sync ok');
    expect(ready.body.endsWith('readyz check failed\n')).toBe(true);
    expect((await fetch(`${api.url}/readyz?exclude=etcd`)).status).toBe(200);
    expect(await text(await fetch(`${api.url}/livez`))).toEqual({ status: 200, body: 'ok' });
  });
});
