import { describe, expect, it } from 'vitest';
import { apiForSuite } from '../../test/support/in-process-api.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const APPLY = 'application/apply-patch+yaml';
const MERGE = 'application/merge-patch+json';

describe('server-side apply keeps field ownership in managedFields, as Kubernetes does', () => {
  const api = apiForSuite();

  async function send(method: string, path: string, body: unknown, type = 'application/json', agent = 'kubectl/v1.32.4 (linux/amd64)'): Promise<{ status: number; body: Json }> {
    const res = await fetch(`${api()}${path}`, {
      method,
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'Content-Type': type, 'User-Agent': agent },
    });
    return { status: res.status, body: (await res.json()) as Json };
  }

  const deployments = '/apis/apps/v1/namespaces/default/deployments';
  const config = (name: string, replicas: number, labels: Record<string, string>, containers: string[]) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: containers.map((c) => ({ name: c, image: `${c}:1` })) } },
    },
  });
  const managers = (o: Json) => (o.metadata.managedFields ?? []).map((e: Json) => `${e.manager}/${e.operation}${e.subresource ? `/${e.subresource}` : ''}`);

  it('records the applier, and refuses an apply that would undo a scale, naming who scaled', async () => {
    const created = await send('PATCH', `${deployments}/web?fieldManager=deployer`, config('web', 2, { app: 'web' }, ['web']), APPLY);
    expect(created.status).toBe(201);
    expect(managers(created.body)).toEqual(['deployer/Apply']);
    expect(created.body.metadata.managedFields[0].fieldsV1['f:spec']['f:replicas']).toEqual({});

    const scaled = await send('PATCH', `${deployments}/web/scale?fieldManager=kubectl-scale`, { spec: { replicas: 5 } }, MERGE);
    expect(scaled.status).toBe(200);

    const refused = await send('PATCH', `${deployments}/web?fieldManager=deployer`, config('web', 3, { app: 'web' }, ['web']), APPLY);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      reason: 'Conflict',
      message: 'Apply failed with 1 conflict: conflict with "kubectl-scale" with subresource "scale" using apps/v1: .spec.replicas',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-scale" with subresource "scale" using apps/v1', field: '.spec.replicas' }] },
    });
    const live = await send('GET', `${deployments}/web`, undefined);
    expect(live.body.spec.replicas).toBe(5);

    // Agreeing with the scale is no conflict: the field is co-owned.
    expect((await send('PATCH', `${deployments}/web?fieldManager=deployer`, config('web', 5, { app: 'web' }, ['web']), APPLY)).status).toBe(200);

    const forced = await send('PATCH', `${deployments}/web?fieldManager=deployer&force=true`, config('web', 3, { app: 'web' }, ['web']), APPLY);
    expect(forced.status).toBe(200);
    expect(forced.body.spec.replicas).toBe(3);
    expect(managers(forced.body)).toEqual(['deployer/Apply']);
  });

  it("removes what the applier stops applying, but not what another manager set or still owns", async () => {
    await send('PATCH', `${deployments}/shop?fieldManager=deployer`, config('shop', 1, { app: 'shop', team: 'blue' }, ['web', 'sidecar']), APPLY);
    await send('PATCH', `${deployments}/shop?fieldManager=kubectl-label`, { metadata: { labels: { extra: 'yes' } } }, MERGE);
    const after = await send('PATCH', `${deployments}/shop?fieldManager=deployer`, config('shop', 1, { app: 'shop' }, ['web']), APPLY);
    expect(after.status).toBe(200);
    expect(after.body.metadata.labels).toEqual({ app: 'shop', extra: 'yes' });
    expect(after.body.spec.template.spec.containers.map((c: Json) => c.name)).toEqual(['web']);
    expect(managers(after.body)).toEqual(['deployer/Apply', 'kubectl-label/Update']);
  });

  it("names a writer that gave no fieldManager after its User-Agent, and files status writes apart", async () => {
    await send('PATCH', `${deployments}/api?fieldManager=deployer`, config('api', 1, { app: 'api' }, ['api']), APPLY);
    const status = await send('PATCH', `${deployments}/api/status`, { status: { replicas: 1, observedGeneration: 1 } }, MERGE, 'minik-controller-manager/v1.32.0 (minik)');
    expect(status.status).toBe(200);
    expect(managers(status.body)).toEqual(['deployer/Apply', 'minik-controller-manager/Update/status']);
    expect(status.body.metadata.managedFields[1].fieldsV1).toEqual({ 'f:status': { '.': {}, 'f:observedGeneration': {}, 'f:replicas': {} } });
  });

  it('leaves untracked what no client named a manager for: the objects only minik itself writes', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'plain' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const created = await send('POST', '/api/v1/namespaces/default/pods', pod, 'application/json', 'minik-controller-manager/v1.32.0 (minik)');
    expect(created.status).toBe(201);
    expect(created.body.metadata.managedFields).toBeUndefined();
    const labelled = await send('PATCH', '/api/v1/namespaces/default/pods/plain', { metadata: { labels: { a: 'b' } } }, MERGE, 'minik-scheduler/v1.32.0 (minik)');
    expect(labelled.body.metadata.managedFields).toBeUndefined();
  });

  it("lets kubectl's server-side apply take over what its client-side apply set, and a client set managedFields itself", async () => {
    const last = config('moved', 2, { app: 'moved' }, ['web']);
    const created = await send(
      'POST',
      `${deployments}?fieldManager=kubectl-client-side-apply`,
      { ...last, metadata: { ...last.metadata, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(last) } } },
    );
    expect(managers(created.body)).toEqual(['kubectl-client-side-apply/Update']);
    // Another applier may not change what client-side apply set; kubectl may, once.
    expect((await send('PATCH', `${deployments}/moved?fieldManager=helm`, config('moved', 3, { app: 'moved' }, ['web']), APPLY)).status).toBe(409);
    const taken = await send('PATCH', `${deployments}/moved?fieldManager=kubectl`, config('moved', 3, { app: 'moved' }, ['web']), APPLY);
    expect(taken.status).toBe(200);
    expect(taken.body.spec.replicas).toBe(3);

    // kubectl then moves the rest of client-side apply's fields to itself with a JSON patch of managedFields.
    const mine = taken.body.metadata.managedFields.find((e: Json) => e.manager === 'kubectl');
    const moved = await send('PATCH', `${deployments}/moved?fieldManager=kubectl`, [{ op: 'replace', path: '/metadata/managedFields', value: [mine] }], 'application/json-patch+json');
    expect(moved.status).toBe(200);
    expect(managers(moved.body)).toEqual(['kubectl/Apply']);
    // Managed fields that do not read as entries are not taken: the stored ones stay.
    const bad = await send('PATCH', `${deployments}/moved?fieldManager=kubectl`, [{ op: 'replace', path: '/metadata/managedFields', value: [{ manager: 1 }] }], 'application/json-patch+json');
    expect(managers(bad.body)).toEqual(['kubectl/Apply']);
  });

  it('refuses an apply with no fieldManager, and a fieldManager over 128 bytes, changing nothing', async () => {
    const none = await send('PATCH', `${deployments}/nobody`, config('nobody', 1, { app: 'nobody' }, ['c']), APPLY);
    expect(none.status).toBe(400);
    expect(none.body.message).toBe('fieldManager is required for apply requests');
    const long = await send('PATCH', `${deployments}/nobody?fieldManager=${'m'.repeat(129)}`, config('nobody', 1, { app: 'nobody' }, ['c']), APPLY);
    expect(long.status).toBe(400);
    expect((await send('GET', `${deployments}/nobody`, undefined)).status).toBe(404);
    // A repeated fieldManager counts by its first value.
    const twice = await send('PATCH', `${deployments}/twice?fieldManager=first&fieldManager=second`, config('twice', 1, { app: 'twice' }, ['c']), APPLY);
    expect(twice.status).toBe(201);
    expect(managers(twice.body)).toEqual(['first/Apply']);
  });
});
