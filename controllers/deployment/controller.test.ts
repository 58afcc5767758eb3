import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../../api/client.js';
import { realClock } from '../../api/clock.js';
import { EventRecorder } from '../../api/event-recorder.js';
import { silentLogger } from '../../api/log.js';
import { resolveResource } from '../../api/resources.js';
import type { Event } from '../../api/schemas/cluster.js';
import type { Deployment, ReplicaSet } from '../../api/schemas/workloads.js';
import { SharedInformers } from '../../api/shared-informers.js';
import { deploymentController } from './controller.js';
import { POD_TEMPLATE_HASH_LABEL } from './pod-template-hash.js';
import { REVISION } from './_util.js';
import { inProcessApi } from '../../test/support/in-process-api.js';

const deployments = resolveResource('deployments')!;
const replicasets = resolveResource('replicasets')!;
const events = resolveResource('events')!;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** An API server in-process and the Deployment controller alone: ReplicaSet status is the test's to set. */
async function start() {
  const { client } = await inProcessApi(cleanups);
  const informers = new SharedInformers({ client, clock: realClock });
  const controller = deploymentController({
    client,
    informers,
    clock: realClock,
    logger: silentLogger(),
    events: new EventRecorder({ client, clock: realClock, component: 'controller-manager' }),
    speed: 1,
  });
  await informers.start();
  controller.start();
  cleanups.push(() => informers.stop());
  cleanups.push(() => controller.stop());
  return client;
}

const web = (image: string, replicas = 3): Deployment => ({
  metadata: { name: 'web' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } },
  },
});

const listRS = async (client: ApiClient) => (await client.list<ReplicaSet>(replicasets, 'default')).items;
const getD = (client: ApiClient) => client.get<Deployment>(deployments, 'default', 'web');
const wait = (fn: () => Promise<void>) => vi.waitFor(fn, { timeout: 10_000, interval: 50 });

/** Stands in for the ReplicaSet controller and the kubelet: every pod asked for is there and available. */
async function makeAvailable(client: ApiClient): Promise<void> {
  for (const rs of await listRS(client)) {
    const n = rs.spec?.replicas ?? 0;
    if (rs.status?.replicas === n && rs.status.availableReplicas === n && rs.status.observedGeneration === rs.metadata?.generation) continue;
    await client.updateStatus(replicasets, 'default', { ...rs, status: { replicas: n, readyReplicas: n, availableReplicas: n, observedGeneration: rs.metadata?.generation } });
  }
}

/** Keeps making pods available until the rollout is complete, as `kubectl rollout status` sees it. */
async function rollOut(client: ApiClient): Promise<Deployment> {
  let d!: Deployment;
  await wait(async () => {
    await makeAvailable(client);
    d = await getD(client);
    expect(d.status?.observedGeneration).toBe(d.metadata?.generation);
    expect(d.status?.conditions?.find((c) => c.type === 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
    expect(d.status?.updatedReplicas).toBe(d.spec?.replicas);
    expect(d.status?.availableReplicas).toBe(d.spec?.replicas);
  });
  return d;
}

describe('deployment controller against an API server', () => {
  it('creates web-<hash> with the hash label, revision 1 and an owner reference, and reports the rollout', async () => {
    const client = await start();
    const created = await client.create<Deployment>(deployments, 'default', web('nginx:1'));
    let rs!: ReplicaSet;
    await wait(async () => {
      const items = await listRS(client);
      expect(items).toHaveLength(1);
      rs = items[0]!;
    });
    const hash = rs.metadata!.labels![POD_TEMPLATE_HASH_LABEL]!;
    expect(hash).toMatch(/^[456789bcdf]+$/);
    expect(rs.metadata).toMatchObject({
      name: `web-${hash}`,
      labels: { app: 'web', [POD_TEMPLATE_HASH_LABEL]: hash },
      annotations: { [REVISION]: '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: created.metadata!.uid, controller: true, blockOwnerDeletion: true }],
    });
    expect(rs.spec).toMatchObject({ replicas: 3, selector: { matchLabels: { app: 'web', [POD_TEMPLATE_HASH_LABEL]: hash } } });
    expect(rs.spec!.template!.metadata!.labels).toEqual({ app: 'web', [POD_TEMPLATE_HASH_LABEL]: hash });

    await wait(async () => {
      const d = await getD(client);
      expect(d.metadata?.annotations?.[REVISION]).toBe('1');
      expect(d.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetCreated' });
      expect(d.status?.conditions?.find((c) => c.type === 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable' });
    });
    const d = await rollOut(client);
    expect(d.status).toMatchObject({ replicas: 3, readyReplicas: 3, unavailableReplicas: 0 });
    expect(d.status?.conditions?.find((c) => c.type === 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    const evs = (await client.list<Event>(events, 'default')).items;
    expect(evs.map((e) => [e.reason, e.message])).toContainEqual(['ScalingReplicaSet', `Scaled up replica set web-${hash} from 0 to 3`]);
  });

  it('rolls out a new template to revision 2, and a rollback re-uses the first ReplicaSet as revision 3', async () => {
    const client = await start();
    await client.create(deployments, 'default', web('nginx:1'));
    await wait(async () => expect(await listRS(client)).toHaveLength(1));
    await rollOut(client);
    const first = (await listRS(client))[0]!.metadata!.name!;

    await client.patch(deployments, 'default', 'web', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } });
    await wait(async () => expect(await listRS(client)).toHaveLength(2));
    await rollOut(client);
    const rss = await listRS(client);
    const second = rss.find((rs) => rs.metadata!.name !== first)!;
    expect(second.metadata!.annotations![REVISION]).toBe('2');
    expect(second.spec!.replicas).toBe(3);
    expect(rss.find((rs) => rs.metadata!.name === first)!.spec!.replicas).toBe(0);
    expect((await getD(client)).metadata!.annotations![REVISION]).toBe('2');

    // What `kubectl rollout undo` does: patch the template back to the old one.
    await client.patch(deployments, 'default', 'web', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1' }] } } } });
    await wait(async () => {
      const rs = (await listRS(client)).find((x) => x.metadata!.name === first)!;
      expect(rs.metadata!.annotations).toMatchObject({ [REVISION]: '3', 'deployment.kubernetes.io/revision-history': '1' });
    });
    await rollOut(client);
    const after = await listRS(client);
    expect(after).toHaveLength(2);
    expect(after.find((rs) => rs.metadata!.name === first)!.spec!.replicas).toBe(3);
    expect(after.find((rs) => rs.metadata!.name !== first)!.spec!.replicas).toBe(0);
    expect((await getD(client)).metadata!.annotations![REVISION]).toBe('3');
  });

  it('makes no rollout progress while paused, still scales, and resumes', async () => {
    const client = await start();
    await client.create(deployments, 'default', web('nginx:1'));
    await wait(async () => expect(await listRS(client)).toHaveLength(1));
    await rollOut(client);

    await client.patch(deployments, 'default', 'web', 'merge', { spec: { paused: true, replicas: 5, template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } });
    await wait(async () => {
      const d = await getD(client);
      expect(d.status?.observedGeneration).toBe(d.metadata?.generation);
      expect(d.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
      const rss = await listRS(client);
      expect(rss).toHaveLength(1);
      expect(rss[0]!.spec!.replicas).toBe(5);
    });

    await client.patch(deployments, 'default', 'web', 'merge', { spec: { paused: false } });
    await wait(async () => expect(await listRS(client)).toHaveLength(2));
    await rollOut(client);
    expect((await getD(client)).metadata!.annotations![REVISION]).toBe('2');
  });
});
