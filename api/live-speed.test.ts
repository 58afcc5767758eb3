import { afterEach, describe, expect, it, vi } from 'vitest';
import { serveInProcess } from '../apiserver/in-process.js';
import { Backend } from '../store/backend.js';
import { Mvcc } from '../store/mvcc.js';
import { ApiClient } from './client.js';
import { realClock } from './clock.js';
import { LiveSpeed } from './live-speed.js';
import { resolveResource } from './resources.js';

const cms = resolveResource('configmaps')!;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('LiveSpeed', () => {
  it('follows kube-system/minik-config, ignores a value that is no speed, and goes back to its own when the ConfigMap goes', async () => {
    const store = await Mvcc.open({ backend: await Backend.open() });
    cleanups.push(() => store.close());
    const server = await serveInProcess({ store });
    cleanups.push(() => server.close());
    const client = new ApiClient({ server: server.url });
    cleanups.push(() => client.close());
    const changes: number[] = [];
    const invalid: string[] = [];
    const speed = new LiveSpeed({ client, clock: realClock, initial: 2, onChange: (s) => changes.push(s), onInvalid: (v) => invalid.push(v) });
    cleanups.push(() => speed.stop());
    await speed.start();
    expect(speed.value).toBe(2);

    await client.create(cms, 'kube-system', { metadata: { name: 'minik-config' }, data: { speed: '0.2' } });
    await vi.waitFor(() => expect(speed.value).toBe(0.2));
    await client.create(cms, 'kube-system', { metadata: { name: 'other' }, data: { speed: '9' } });
    await client.patch(cms, 'kube-system', 'minik-config', 'merge', { data: { speed: 'fast' } });
    await vi.waitFor(() => expect(invalid).toEqual(['fast']));
    expect(speed.value).toBe(0.2);
    await client.delete(cms, 'kube-system', 'minik-config');
    await vi.waitFor(() => expect(speed.value).toBe(2));
    expect(changes).toEqual([0.2, 2]);
  });
});
