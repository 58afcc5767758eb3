import { afterEach, describe, expect, it } from 'vitest';
import { isNotFound, type KubeObject } from '../../api/client.js';
import { realClock } from '../../api/clock.js';
import { EventRecorder } from '../../api/event-recorder.js';
import { silentLogger } from '../../api/log.js';
import { resolveResource } from '../../api/resources.js';
import type { Namespace } from '../../api/schemas/cluster.js';
import { SharedInformers } from '../../api/shared-informers.js';
import { namespaceController } from './controller.js';
import { inProcessApi } from '../../test/support/in-process-api.js';
import { eventually } from '../../test/support/eventually.js';

const namespaces = resolveResource('namespaces')!;
const pods = resolveResource('pods')!;
const configmaps = resolveResource('configmaps')!;
const services = resolveResource('services')!;
const deployments = resolveResource('deployments')!;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const { client } = await inProcessApi(cleanups);
  const informers = new SharedInformers({ client, clock: realClock });
  // speed 20: the requeue while content remains (half a grace period) is 20 times shorter.
  const controller = namespaceController({ client, informers, clock: realClock, logger: silentLogger(), events: new EventRecorder({ client, clock: realClock, component: 'namespace-controller' }), speed: 20 });
  await informers.start();
  controller.start();
  cleanups.push(() => informers.stop());
  cleanups.push(() => controller.stop());
  return client;
}

const missing = async (p: Promise<unknown>) => isNotFound(await p.then(() => undefined, (e: unknown) => e));

describe('namespaceController against an API server', () => {
  it('empties a deleted namespace, says what remains in its conditions, then lets it go', async () => {
    const client = await setup();
    await client.create(namespaces, undefined, { metadata: { name: 'demo' } });
    await client.create(configmaps, 'demo', { metadata: { name: 'app' }, data: { mode: 'fast' } });
    await client.create(configmaps, 'demo', { metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    await client.create(services, 'demo', { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    await client.create(deployments, 'demo', { metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } });
    // Bound to a node that nobody runs: its graceful deletion waits until the "node" stops it below.
    await client.create(pods, 'demo', { metadata: { name: 'web-1' }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx' }] } });
    // Not in the namespace: must survive.
    await client.create(configmaps, 'default', { metadata: { name: 'app' } });

    await client.delete(namespaces, undefined, 'demo');
    const ns = await eventually(async () => {
      const n = await client.get<Namespace>(namespaces, undefined, 'demo');
      const remaining = n.status?.conditions?.find((c) => c.type === 'NamespaceContentRemaining');
      expect(remaining?.message).toBe('Some resources are remaining: configmaps. has 1 resource instances, pods. has 1 resource instances');
      return n;
    }, 'conditions of demo');
    expect(ns.status?.phase).toBe('Terminating');
    expect(ns.status?.conditions?.find((c) => c.type === 'NamespaceFinalizersRemaining')).toMatchObject({
      status: 'True',
      message: 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances',
    });
    expect(await missing(client.get(configmaps, 'demo', 'app'))).toBe(true);
    expect(await missing(client.get(services, 'demo', 'web'))).toBe(true);
    expect(await missing(client.get(deployments, 'demo', 'web'))).toBe(true);
    const terminatingPod = await client.get<KubeObject>(pods, 'demo', 'web-1');
    expect(terminatingPod.metadata?.deletionTimestamp).toBeDefined();
    await expect(client.create(configmaps, 'demo', { metadata: { name: 'late' } })).rejects.toMatchObject({ code: 403 });

    // The node stops the pod, and whoever holds the configmap lets it go.
    await client.delete(pods, 'demo', 'web-1', { gracePeriodSeconds: 0 });
    const held = await client.get<KubeObject>(configmaps, 'demo', 'held');
    await client.update(configmaps, 'demo', { ...held, metadata: { ...held.metadata, finalizers: [] } });

    await eventually(async () => expect(await missing(client.get(namespaces, undefined, 'demo'))).toBe(true), 'demo gone');
    expect((await client.get<KubeObject>(configmaps, 'default', 'app')).metadata?.name).toBe('app');
  });

  it('lets an empty namespace go at once and leaves active namespaces alone', async () => {
    const client = await setup();
    await client.create(namespaces, undefined, { metadata: { name: 'empty' } });
    await client.create(namespaces, undefined, { metadata: { name: 'busy' } });
    await client.create(configmaps, 'busy', { metadata: { name: 'app' } });
    await client.delete(namespaces, undefined, 'empty');
    await eventually(async () => expect(await missing(client.get(namespaces, undefined, 'empty'))).toBe(true), 'empty gone');
    expect((await client.get<KubeObject>(configmaps, 'busy', 'app')).metadata?.name).toBe('app');
  });
});
