import { afterEach, describe, expect, it } from 'vitest';
import { resolveResource } from '../api/resources.js';
import { Backend } from '../store/backend.js';
import { Mvcc } from '../store/mvcc.js';
import { serveInProcess, type InProcessApi } from './in-process.js';
import type { KubeObject } from './watch-cache.js';

const namespaces = resolveResource('namespaces')!;
const configmaps = resolveResource('configmaps')!;

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function api(): Promise<InProcessApi> {
  const store = await Mvcc.open({ backend: await Backend.open() });
  cleanups.push(() => store.close());
  const out = await serveInProcess({ store });
  cleanups.push(() => out.close());
  return out;
}

const gone = async (p: Promise<unknown>) => expect(p).rejects.toMatchObject({ code: 404 });

describe('namespace deletion in the registry (the doc example)', () => {
  it('marks the namespace Terminating on DELETE and keeps it while spec.finalizers hold it', async () => {
    const { registry } = await api();
    const created = await registry.create(namespaces, undefined, { metadata: { name: 'demo' } });
    expect(created.object.spec).toEqual({ finalizers: ['kubernetes'] });

    const marked = await registry.delete(namespaces, undefined, 'demo');
    expect(marked.metadata?.deletionTimestamp).toBeDefined();
    expect(marked.status).toMatchObject({ phase: 'Terminating' });
    // A second DELETE, and a status write (the controller's conditions), leave it where it is.
    await registry.delete(namespaces, undefined, 'demo');
    const status = { ...marked, status: { phase: 'Terminating', conditions: [{ type: 'NamespaceContentRemaining', status: 'False' }] } };
    await registry.updateStatus(namespaces, undefined, 'demo', status);
    const still = await registry.get(namespaces, undefined, 'demo');
    expect(still.status).toMatchObject({ phase: 'Terminating' });
    await expect(registry.create(configmaps, 'demo', { metadata: { name: 'late' } })).rejects.toMatchObject({ code: 403 });

    // Removing the last spec finalizer is what deletes it.
    await registry.update(namespaces, undefined, 'demo', { ...still, spec: { finalizers: [] } });
    await gone(registry.get(namespaces, undefined, 'demo'));
  });

  it('waits for metadata.finalizers too once spec.finalizers are gone', async () => {
    const { registry } = await api();
    await registry.create(namespaces, undefined, { metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    await registry.delete(namespaces, undefined, 'held');
    let ns = await registry.get(namespaces, undefined, 'held');
    ns = (await registry.update(namespaces, undefined, 'held', { ...ns, spec: { finalizers: [] } })).object;
    expect((await registry.get(namespaces, undefined, 'held')).metadata?.deletionTimestamp).toBeDefined();
    await registry.update(namespaces, undefined, 'held', { ...ns, metadata: { ...ns.metadata, finalizers: [] } } as KubeObject);
    await gone(registry.get(namespaces, undefined, 'held'));
  });

  it('deletes a namespace without spec.finalizers on its second DELETE', async () => {
    const { registry } = await api();
    const { object } = await registry.create(namespaces, undefined, { metadata: { name: 'bare' } });
    await registry.update(namespaces, undefined, 'bare', { ...object, spec: { finalizers: [] } });
    // Upstream's first DELETE only marks, whatever the finalizers; with none left the next one deletes.
    await registry.delete(namespaces, undefined, 'bare');
    expect((await registry.get(namespaces, undefined, 'bare')).status).toMatchObject({ phase: 'Terminating' });
    await registry.delete(namespaces, undefined, 'bare');
    await gone(registry.get(namespaces, undefined, 'bare'));
  });
});
