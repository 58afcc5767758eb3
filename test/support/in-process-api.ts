import { afterAll, beforeAll } from 'vitest';
import { ApiClient } from '../../api/client.js';
import type { Clock } from '../../api/clock.js';
import { serveInProcess, type InProcessApi } from '../../apiserver/in-process.js';
import { Backend } from '../../store/backend.js';
import { Mvcc } from '../../store/mvcc.js';

/** What a test closes when it ends, run last-opened first. */
export type Cleanups = Array<() => unknown>;

/**
 * The API server in this process over a fresh in-memory store, and an HTTP client of it: what the
 * tests of every API client (controllers, the scheduler, the node simulator) start from. Each is
 * closed through `cleanups`.
 *
 *   const cleanups: Cleanups = [];
 *   afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });
 *   const { client } = await inProcessApi(cleanups);
 */
export async function inProcessApi(cleanups: Cleanups, opts: { clock?: Clock; historySize?: number } = {}): Promise<{ client: ApiClient; api: InProcessApi; store: Mvcc }> {
  const store = await Mvcc.open({ backend: await Backend.open() });
  cleanups.push(() => store.close());
  const api = await serveInProcess({ store, ...opts });
  cleanups.push(() => api.close());
  const client = new ApiClient({ server: api.url });
  cleanups.push(() => client.close());
  return { client, api, store };
}

/**
 * The API server in this process for a whole `describe` block: started before its first test,
 * closed after its last. Answers its base URL once started.
 *
 *   const base = apiForSuite();
 *   it('...', async () => { await fetch(`${base()}/api/v1/namespaces`) });
 */
export function apiForSuite(): () => string {
  const cleanups: Cleanups = [];
  let url = '';
  beforeAll(async () => {
    url = (await inProcessApi(cleanups)).api.url;
  });
  afterAll(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  return () => url;
}
