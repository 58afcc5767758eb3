import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../api/clock.js';
import { resolveResource } from '../api/resources.js';
import { Backend } from '../store/backend.js';
import { Mvcc } from '../store/mvcc.js';
import { ensureSystemNamespaces } from './bootstrap.js';
import { ensureKubernetesService } from './kubernetes-service.js';
import { Registry } from './registry.js';
import { strategies } from './strategies/index.js';
import { WatchCache } from './watch-cache.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function registry(): Promise<Registry> {
  const store = await Mvcc.open({ backend: await Backend.open() });
  const cache = new WatchCache({ store });
  const r = new Registry({ store, cache, clock: new FakeClock(Date.parse('2026-11-21T10:00:00Z')), strategies: strategies() });
  await cache.start();
  await ensureSystemNamespaces(r);
  cleanups.push(() => store.close(), () => cache.stop());
  return r;
}

const get = async (r: Registry, resource: string, name = 'kubernetes') => (await r.get(resolveResource(resource)!, 'default', name)) as Json;

describe('ensureKubernetesService', () => {
  it('makes the kubernetes Service on the first IP of the range, with an Endpoints and an EndpointSlice naming the API server', async () => {
    const r = await registry();
    await ensureKubernetesService(r, { serviceCidr: '10.96.0.0/12', host: '127.0.0.1', port: 6443 });
    expect(await get(r, 'services')).toMatchObject({
      metadata: { labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { type: 'ClusterIP', clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
    });
    expect((await get(r, 'endpoints')).subsets).toEqual([{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }]);
    expect(await get(r, 'endpointslices')).toMatchObject({
      metadata: { labels: { 'kubernetes.io/service-name': 'kubernetes' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }],
      ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
    });
  });

  it('writes nothing at a restart that changes nothing, and follows the API server to a new port', async () => {
    const r = await registry();
    await ensureKubernetesService(r, { serviceCidr: '10.96.0.0/12', host: '127.0.0.1', port: 6443 });
    const versions = async () => Promise.all(['services', 'endpoints', 'endpointslices'].map(async (x) => (await get(r, x)).metadata.resourceVersion));
    const before = await versions();
    await ensureKubernetesService(r, { serviceCidr: '10.96.0.0/12', host: '127.0.0.1', port: 6443 });
    expect(await versions()).toEqual(before);

    await ensureKubernetesService(r, { serviceCidr: '10.96.0.0/12', host: '0.0.0.0', port: 7443 });
    expect((await get(r, 'services')).spec).toMatchObject({ clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 7443 }] });
    expect((await get(r, 'endpoints')).subsets[0].ports[0].port).toBe(7443);
    expect((await get(r, 'endpointslices')).ports[0].port).toBe(7443);
  });
});
