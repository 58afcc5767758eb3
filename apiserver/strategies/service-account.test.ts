import { afterEach, describe, expect, it } from 'vitest';
import { resolveResource } from '../../api/resources.js';
import type { Pod } from '../../api/schemas/pod.js';
import { inProcessApi } from '../../test/support/in-process-api.js';

const pods = resolveResource('pods')!;
const accounts = resolveResource('serviceaccounts')!;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const pod = (name: string, spec: Partial<NonNullable<Pod['spec']>> = {}): Pod => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } });

describe('service accounts', () => {
  it('run a pod as its namespace default account unless it names one, in both fields, and keep it through updates', async () => {
    const { client } = await inProcessApi(cleanups);
    const plain = await client.create<Pod>(pods, 'default', pod('plain'));
    expect(plain.spec).toMatchObject({ serviceAccountName: 'default', serviceAccount: 'default' });
    expect((await client.create<Pod>(pods, 'default', pod('named', { serviceAccountName: 'builder' }))).spec).toMatchObject({ serviceAccountName: 'builder', serviceAccount: 'builder' });
    expect((await client.create<Pod>(pods, 'default', pod('old', { serviceAccount: 'legacy' }))).spec).toMatchObject({ serviceAccountName: 'legacy', serviceAccount: 'legacy' });
    const updated = await client.update<Pod>(pods, 'default', { ...plain, metadata: { ...plain.metadata, labels: { a: 'b' } } });
    expect(updated.spec?.serviceAccountName).toBe('default');
  });

  it('are served as kubectl lists them, and refuse a bad name with a 422', async () => {
    const { client } = await inProcessApi(cleanups);
    await client.create(accounts, 'default', { metadata: { name: 'builder' }, secrets: [{ name: 'builder-token' }] });
    expect((await client.get(accounts, 'default', 'builder')).metadata?.name).toBe('builder');
    const err = await client.create(accounts, 'default', { metadata: { name: 'Not_Valid' } }).catch((e: { code?: number }) => e);
    expect(err).toMatchObject({ code: 422 });
  });
});
