import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient, isNotFound, type KubeObject } from '../api/client.js';
import { resolveResource } from '../api/resources.js';
import type { Pod } from '../api/schemas/pod.js';
import type { Endpoints } from '../api/schemas/service.js';
import { startControlPlane, type ControlPlane } from './support/cluster.js';

const pods = resolveResource('pods')!;
const services = resolveResource('services')!;
const endpoints = resolveResource('endpoints')!;

const pod = (name: string, app = 'web'): KubeObject => ({
  metadata: { name, labels: { app } },
  spec: {
    terminationGracePeriodSeconds: 1,
    containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }], resources: { requests: { cpu: '100m', memory: '64Mi' } } }],
  },
});

/** The IPs of the running pods, by name, once they all have one. */
async function ipsOf(client: ApiClient, names: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const n of names) {
    const p = await client.get<Pod>(pods, 'default', n);
    expect(p.status?.podIP).toBeTruthy();
    out.set(n, p.status!.podIP!);
  }
  return out;
}

const readyIPs = (e: Endpoints) => (e.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip)).sort();
const readyNames = (e: Endpoints) => (e.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.targetRef?.name)).sort();

describe('minik controller-manager --controllers endpoints, with the scheduler and kubelet-sim', () => {
  let plane: ControlPlane;
  let client: ApiClient;

  beforeAll(async () => {
    plane = await startControlPlane([
      ['kubelet-sim', ['--nodes', '2', '--speed', '20']],
      ['scheduler', ['--seed', '3']],
      ['controller-manager', ['--controllers', 'endpoints', '--no-leader-elect', '--speed', '20']],
    ]);
    client = plane.client;
  }, 40_000);
  afterAll(() => plane?.stop());

  it('keeps the Endpoints of a service on its ready pods as they come and go', async () => {
    await Promise.all(['web-1', 'web-2'].map((n) => client.create(pods, 'default', pod(n))));
    await client.create(pods, 'default', pod('db-1', 'db'));
    await client.create(services, 'default', {
      metadata: { name: 'web', labels: { tier: 'front' } },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });

    const ep = await vi.waitFor(async () => {
      const e = await client.get<Endpoints>(endpoints, 'default', 'web');
      expect(readyNames(e)).toEqual(['web-1', 'web-2']);
      return e;
    }, { timeout: 20_000, interval: 100 });
    const ips = await ipsOf(client, ['web-1', 'web-2']);
    expect(readyIPs(ep)).toEqual([...ips.values()].sort());
    expect(ep.metadata?.labels).toEqual({ tier: 'front' });
    expect(ep.subsets).toHaveLength(1);
    expect(ep.subsets![0]!.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(ep.subsets![0]!.addresses![0]!.nodeName).toMatch(/^node-[12]$/);

    // A pod deleted leaves (as soon as it is terminating); a new ready pod joins.
    await client.delete(pods, 'default', 'web-1');
    await client.create(pods, 'default', pod('web-3'));
    await vi.waitFor(async () => {
      const e = await client.get<Endpoints>(endpoints, 'default', 'web');
      expect(readyNames(e)).toEqual(['web-2', 'web-3']);
      expect(e.subsets?.flatMap((s) => s.notReadyAddresses ?? [])).toEqual([]);
    }, { timeout: 20_000, interval: 100 });

    await client.delete(services, 'default', 'web');
    await vi.waitFor(async () => {
      const err = await client.get(endpoints, 'default', 'web').then(() => undefined, (e: unknown) => e);
      expect(isNotFound(err)).toBe(true);
    }, { timeout: 10_000, interval: 100 });
  }, 40_000);
});
