import { afterEach, describe, expect, it } from 'vitest';
import { realClock } from '../../api/clock.js';
import { EventRecorder } from '../../api/event-recorder.js';
import { silentLogger } from '../../api/log.js';
import { resolveResource } from '../../api/resources.js';
import { SharedInformers } from '../../api/shared-informers.js';
import { eventually } from '../../test/support/eventually.js';
import { inProcessApi } from '../../test/support/in-process-api.js';
import { serviceAccountController } from './controller.js';

const namespaces = resolveResource('namespaces')!;
const accounts = resolveResource('serviceaccounts')!;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('serviceAccountController against an API server', () => {
  it('gives every namespace, old and new, a default account, and puts it back when deleted', async () => {
    const { client } = await inProcessApi(cleanups);
    const informers = new SharedInformers({ client, clock: realClock });
    const controller = serviceAccountController({ client, informers, clock: realClock, logger: silentLogger(), events: new EventRecorder({ client, clock: realClock, component: 'serviceaccount-controller' }), speed: 1 });
    await informers.start();
    controller.start();
    cleanups.push(() => informers.stop(), () => controller.stop());

    const names = async () => (await client.list(accounts)).items.map((a) => `${a.metadata?.namespace}/${a.metadata?.name}`).sort();
    await eventually(async () => expect(await names()).toEqual(['default/default', 'kube-node-lease/default', 'kube-public/default', 'kube-system/default']), 'the system namespaces');
    await client.create(namespaces, undefined, { metadata: { name: 'demo' } });
    await eventually(async () => expect(await names()).toContain('demo/default'), 'a new namespace');
    await client.delete(accounts, 'demo', 'default');
    await eventually(async () => expect(await names()).toContain('demo/default'), 'the account put back');
  });
});
