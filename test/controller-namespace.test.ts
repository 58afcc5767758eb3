import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient, isNotFound, type KubeObject } from '../api/client.js';
import { resolveResource } from '../api/resources.js';
import type { Namespace } from '../api/schemas/cluster.js';
import type { Pod } from '../api/schemas/pod.js';
import { startControlPlane, type ControlPlane } from './support/cluster.js';

const namespaces = resolveResource('namespaces')!;
const pods = resolveResource('pods')!;
const services = resolveResource('services')!;
const configmaps = resolveResource('configmaps')!;

const NS = 'shop';
const pod = (name: string): KubeObject => ({
  metadata: { name, labels: { app: 'web' } },
  spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
});

const gone = async (p: Promise<unknown>) => isNotFound(await p.then(() => undefined, (e: unknown) => e));

describe('minik controller-manager --controllers namespace, with the scheduler and kubelet-sim', () => {
  let plane: ControlPlane;
  let client: ApiClient;

  beforeAll(async () => {
    plane = await startControlPlane([
      ['kubelet-sim', ['--nodes', '2', '--speed', '20']],
      ['scheduler', ['--seed', '3']],
      ['controller-manager', ['--controllers', 'namespace', '--no-leader-elect', '--speed', '20']],
    ]);
    client = plane.client;
  }, 40_000);
  afterAll(() => plane?.stop());

  it('deletes everything in a deleted namespace, running pods gracefully, and then the namespace', async () => {
    await client.create(namespaces, undefined, { metadata: { name: NS } });
    await client.create(configmaps, NS, { metadata: { name: 'settings' }, data: { mode: 'fast' } });
    await client.create(services, NS, { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    await Promise.all(['web-1', 'web-2'].map((n) => client.create(pods, NS, pod(n))));
    await client.create(configmaps, 'default', { metadata: { name: 'settings' } });
    await vi.waitFor(async () => {
      for (const n of ['web-1', 'web-2']) expect((await client.get<Pod>(pods, NS, n)).status?.phase).toBe('Running');
    }, { timeout: 20_000, interval: 100 });

    await client.delete(namespaces, undefined, NS);
    const terminating = await client.get<Namespace>(namespaces, undefined, NS);
    expect(terminating.status?.phase).toBe('Terminating');
    await expect(client.create(configmaps, NS, { metadata: { name: 'late' } })).rejects.toMatchObject({ code: 403 });

    await vi.waitFor(async () => {
      expect(await gone(client.get(configmaps, NS, 'settings'))).toBe(true);
      expect(await gone(client.get(services, NS, 'web'))).toBe(true);
      expect((await client.list(pods, NS)).items).toEqual([]);
      expect(await gone(client.get(namespaces, undefined, NS))).toBe(true);
    }, { timeout: 25_000, interval: 100 });
    expect((await client.get<KubeObject>(configmaps, 'default', 'settings')).metadata?.name).toBe('settings');
  }, 40_000);
});
