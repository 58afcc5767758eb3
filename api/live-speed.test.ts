import { afterEach, describe, expect, it, vi } from 'vitest';
import { realClock } from './clock.js';
import { LiveSpeed } from './live-speed.js';
import { resolveResource } from './resources.js';
import { inProcessApi } from '../test/support/in-process-api.js';

const cms = resolveResource('configmaps')!;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('LiveSpeed', () => {
  it('follows kube-system/minik-config, ignores a value that is no speed, and goes back to its own when the ConfigMap goes', async () => {
    const { client } = await inProcessApi(cleanups);
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
