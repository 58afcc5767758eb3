import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../../api/client.js';
import { realClock } from '../../api/clock.js';
import { EventRecorder } from '../../api/event-recorder.js';
import { silentLogger } from '../../api/log.js';
import { resolveResource } from '../../api/resources.js';
import type { EndpointSlice } from '../../api/schemas/discovery.js';
import type { Pod } from '../../api/schemas/pod.js';
import type { Service } from '../../api/schemas/service.js';
import { SharedInformers } from '../../api/shared-informers.js';
import { inProcessApi } from '../../test/support/in-process-api.js';
import { eventually } from '../../test/support/eventually.js';
import { endpointSliceController } from './controller.js';
import { SERVICE_NAME_LABEL } from './plan.js';

const podsType = resolveResource('pods')!;
const servicesType = resolveResource('services')!;
const slicesType = resolveResource('endpointslices')!;
const NS = 'default';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startController(client: ApiClient): Promise<void> {
  const informers = new SharedInformers({ client, clock: realClock });
  const controller = endpointSliceController({
    client,
    informers,
    clock: realClock,
    logger: silentLogger(),
    events: new EventRecorder({ client, clock: realClock, component: 'endpointslice-controller' }),
    speed: 1,
  });
  await informers.start();
  controller.start();
  cleanups.push(() => informers.stop());
  cleanups.push(() => controller.stop());
}

/** A pod as the node simulator leaves it once it runs: an IP, and Ready or not. */
async function runningPod(client: ApiClient, name: string, ip: string, ready: boolean): Promise<void> {
  const created = await client.create<Pod>(podsType, NS, {
    metadata: { name, labels: { app: 'web' } },
    spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] },
  });
  const status = { phase: 'Running' as const, podIP: ip, conditions: [{ type: 'Ready', status: ready ? ('True' as const) : ('False' as const) }] };
  await client.updateStatus(podsType, NS, { ...created, status });
}

const slicesOf = async (client: ApiClient) => (await client.list<EndpointSlice>(slicesType, NS, { labelSelector: `${SERVICE_NAME_LABEL}=web` })).items;
const addresses = (slices: EndpointSlice[]) => slices.flatMap((s) => s.endpoints.map((e) => e.addresses[0])).sort();

describe('endpointSliceController against an API server', () => {
  it("lists a service's pods in slices of at most 100, never two slices for one pod, and puts back a slice someone deleted", async () => {
    const { client } = await inProcessApi(cleanups);
    await startController(client);
    await client.create<Service>(servicesType, NS, { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } });
    const empty = await eventually(async () => {
      const s = await slicesOf(client);
      expect(s).toHaveLength(1);
      return s;
    }, 'the placeholder slice');
    expect(empty[0]).toMatchObject({ addressType: 'IPv4', endpoints: [], ports: [] });

    await runningPod(client, 'web-0', '10.244.0.1', true);
    await runningPod(client, 'web-1', '10.244.0.2', false);
    const two = await eventually(async () => {
      const s = await slicesOf(client);
      expect(addresses(s)).toEqual(['10.244.0.1', '10.244.0.2']);
      return s;
    }, 'two endpoints');
    expect(two[0]!.ports).toEqual([{ name: 'http', protocol: 'TCP', port: 8080 }]);
    expect(two[0]!.endpoints.map((e) => e.conditions?.ready)).toEqual([true, false]);

    // Pods arriving faster than the cache follows: a slice created but not yet seen must not be created twice.
    const ips: string[] = ['10.244.0.1', '10.244.0.2'];
    await Promise.all(
      Array.from({ length: 148 }, (_, i) => {
        const ip = `10.244.1.${i + 1}`;
        ips.push(ip);
        return runningPod(client, `web-${i + 2}`, ip, true);
      }),
    );
    const full = await eventually(async () => {
      const s = await slicesOf(client);
      expect(addresses(s)).toEqual(ips.sort());
      return s;
    }, '150 endpoints');
    expect(full).toHaveLength(2);
    for (const s of full) expect(s.endpoints.length).toBeLessThanOrEqual(100);

    await client.delete(slicesType, NS, full[0]!.metadata!.name!);
    await eventually(async () => expect(addresses(await slicesOf(client))).toEqual(ips), 'the deleted slice put back');
  });

  it('removes the slices of a service that becomes ExternalName', async () => {
    const { client } = await inProcessApi(cleanups);
    await startController(client);
    const svc = await client.create<Service>(servicesType, NS, { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    await eventually(async () => expect(await slicesOf(client)).toHaveLength(1), 'a slice');
    await client.update(servicesType, NS, { ...svc, spec: { type: 'ExternalName', externalName: 'example.com', selector: { app: 'web' }, ports: [{ port: 80 }] } });
    await eventually(async () => expect(await slicesOf(client)).toHaveLength(0), 'no slice');
  });
});
