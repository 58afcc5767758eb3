import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient, isNotFound } from '../../api/client.js';
import { realClock } from '../../api/clock.js';
import { EventRecorder } from '../../api/event-recorder.js';
import { silentLogger } from '../../api/log.js';
import { resolveResource } from '../../api/resources.js';
import type { Pod } from '../../api/schemas/pod.js';
import type { Endpoints, Service } from '../../api/schemas/service.js';
import { SharedInformers } from '../../api/shared-informers.js';
import type { Controller } from '../controller.js';
import { endpointsController } from './controller.js';
import { TRIGGER_TIME_ANNOTATION } from './plan.js';
import { inProcessApi } from '../../test/support/in-process-api.js';
import { eventually } from '../../test/support/eventually.js';

const podsType = resolveResource('pods')!;
const servicesType = resolveResource('services')!;
const endpointsType = resolveResource('endpoints')!;
const NS = 'default';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** An API server in this process and a client; the controller is started separately, so tests can prepare state first. */
async function api() {
  const { client } = await inProcessApi(cleanups);
  return client;
}

async function startController(client: ApiClient): Promise<{ controller: Controller; reconciles: () => number }> {
  const informers = new SharedInformers({ client, clock: realClock });
  let count = 0;
  const controller = endpointsController({
    client,
    informers,
    clock: realClock,
    logger: silentLogger(),
    events: new EventRecorder({ client, clock: realClock, component: 'endpoint-controller' }),
    metrics: { reconciled: () => void count++ },
    speed: 1,
  });
  await informers.start();
  controller.start();
  cleanups.push(() => informers.stop());
  cleanups.push(() => controller.stop());
  return { controller, reconciles: () => count };
}

const pod = (name: string, labels: Record<string, string> = { app: 'web' }): Pod => ({
  metadata: { name, labels },
  spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] },
});

async function runPod(client: ApiClient, name: string, ip: string, ready: boolean): Promise<void> {
  const current = await client.get<Pod>(podsType, NS, name);
  const status = { phase: 'Running' as const, podIP: ip, conditions: [{ type: 'Ready', status: ready ? ('True' as const) : ('False' as const), lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }] };
  await client.updateStatus(podsType, NS, { ...current, status });
}

const service = (selector: Record<string, string> | undefined): Service => ({
  metadata: { name: 'web', labels: { team: 'shop' } },
  spec: { ...(selector ? { selector } : {}), ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
});

const ips = (e: Endpoints, list: 'addresses' | 'notReadyAddresses') => (e.subsets ?? []).flatMap((s) => (s[list] ?? []).map((a) => a.ip));

describe('endpointsController against an API server', () => {
  it('follows the selected pods: ready ones in addresses, others in notReadyAddresses, and goes with its service', async () => {
    const client = await api();
    const { reconciles } = await startController(client);
    await client.create(podsType, NS, pod('web-1'));
    await client.create(podsType, NS, pod('web-2'));
    await client.create(podsType, NS, pod('other', { app: 'api' }));
    await runPod(client, 'web-1', '10.244.1.5', true);
    await runPod(client, 'web-2', '10.244.1.6', false);
    await runPod(client, 'other', '10.244.1.7', true);
    await client.create(servicesType, NS, service({ app: 'web' }));

    let ep = await eventually(async () => {
      const e = await client.get<Endpoints>(endpointsType, NS, 'web');
      expect(ips(e, 'addresses')).toEqual(['10.244.1.5']);
      expect(ips(e, 'notReadyAddresses')).toEqual(['10.244.1.6']);
      return e;
    }, 'endpoints of web');
    expect(ep.metadata?.labels).toEqual({ team: 'shop' });
    expect(ep.metadata?.annotations?.[TRIGGER_TIME_ANNOTATION]).toBeDefined();
    expect(ep.subsets?.[0]?.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(ep.subsets?.[0]?.addresses?.[0]).toMatchObject({ nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: NS, name: 'web-1' } });

    await runPod(client, 'web-2', '10.244.1.6', true);
    ep = await eventually(async () => {
      const e = await client.get<Endpoints>(endpointsType, NS, 'web');
      expect(ips(e, 'addresses')).toEqual(['10.244.1.5', '10.244.1.6']);
      return e;
    }, 'web-2 ready');

    // A change that does not alter the endpoints is reconciled without a write.
    const before = reconciles();
    const p = await client.get<Pod>(podsType, NS, 'web-1');
    await client.update(podsType, NS, { ...p, metadata: { ...p.metadata, annotations: { note: 'irrelevant' } } });
    await eventually(async () => expect(reconciles()).toBeGreaterThan(before), 'a reconcile after the pod update');
    expect((await client.get<Endpoints>(endpointsType, NS, 'web')).metadata?.resourceVersion).toBe(ep.metadata?.resourceVersion);

    await client.delete(podsType, NS, 'web-1', { gracePeriodSeconds: 0 });
    await eventually(async () => expect(ips(await client.get<Endpoints>(endpointsType, NS, 'web'), 'addresses')).toEqual(['10.244.1.6']), 'web-1 left');

    // Labels changed so that the pod no longer matches: it leaves too.
    const p2 = await client.get<Pod>(podsType, NS, 'web-2');
    await client.update(podsType, NS, { ...p2, metadata: { ...p2.metadata, labels: { app: 'moved' } } });
    await eventually(async () => expect((await client.get<Endpoints>(endpointsType, NS, 'web')).subsets ?? []).toEqual([]), 'web-2 relabelled away');

    await client.delete(servicesType, NS, 'web');
    await eventually(async () => {
      const err = await client.get(endpointsType, NS, 'web').then(() => undefined, (e: unknown) => e);
      expect(isNotFound(err)).toBe(true);
    }, 'endpoints deleted with the service');
  });

  it('recreates Endpoints someone deleted, and leaves those of a service without a selector alone', async () => {
    const client = await api();
    await client.create(servicesType, NS, { ...service(undefined), metadata: { name: 'external' } });
    const manual = { metadata: { name: 'external' }, subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports: [{ port: 443 }] }] };
    await client.create(endpointsType, NS, manual);
    // Left over from a service deleted while no controller ran.
    await client.create(endpointsType, NS, { metadata: { name: 'orphan' }, subsets: [] });
    await startController(client);

    await client.create(servicesType, NS, service({ app: 'web' }));
    await eventually(() => client.get(endpointsType, NS, 'web'), 'endpoints of web');
    await client.delete(endpointsType, NS, 'web');
    await eventually(() => client.get(endpointsType, NS, 'web'), 'endpoints of web again');
    await eventually(async () => {
      const err = await client.get(endpointsType, NS, 'orphan').then(() => undefined, (e: unknown) => e);
      expect(isNotFound(err)).toBe(true);
    }, 'leftover endpoints deleted');
    expect((await client.get<Endpoints>(endpointsType, NS, 'external')).subsets).toEqual(manual.subsets);
  });
});
