import { fc, test } from '@fast-check/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/client.js';
import { resolveResource } from '../../api/resources.js';
import type { Pod } from '../../api/schemas/pod.js';
import type { ReplicaSet } from '../../api/schemas/workloads.js';
import { calculateStatus } from '../../controllers/replica-set/status.js';
import { inProcessApi } from '../../test/support/in-process-api.js';
import { deploymentStrategy, replicaSetStrategy } from './workloads.js';

const deployments = resolveResource('deployments')!;
const replicasets = resolveResource('replicasets')!;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const spec = {
  replicas: 3,
  selector: { matchLabels: { app: 'web' } },
  template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
};
const errors = (found: { field: string; message: string }[]) => found.map((e) => `${e.field}: ${e.message}`);
const withStatus = (status: Record<string, unknown>): KubeObject => ({ metadata: { name: 'web' }, spec, status });

describe('Deployment and ReplicaSet status, by upstream ValidateDeploymentStatus and ValidateReplicaSetStatus', () => {
  it('takes counts that hold together, and counts an absent one as 0', () => {
    const d = withStatus({ observedGeneration: 2, replicas: 4, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 2, unavailableReplicas: 2 });
    expect(deploymentStrategy.validateStatus!(d, withStatus({}))).toEqual([]);
    expect(replicaSetStrategy.validateStatus!(withStatus({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 1 }), withStatus({}))).toEqual([]);
    expect(replicaSetStrategy.validateStatus!(withStatus({}), withStatus({}))).toEqual([]);
  });

  it('refuses negative counts and counts above status.replicas or readyReplicas, in upstream order', () => {
    const d = withStatus({ replicas: 2, updatedReplicas: 3, readyReplicas: 1, availableReplicas: 2, unavailableReplicas: -1, collisionCount: -1 });
    expect(errors(deploymentStrategy.validateStatus!(d, withStatus({})))).toEqual([
      'status.unavailableReplicas: Invalid value: -1: must be greater than or equal to 0',
      'status.collisionCount: Invalid value: -1: must be greater than or equal to 0',
      'status.updatedReplicas: Invalid value: 3: cannot be greater than status.replicas',
      'status.availableReplicas: Invalid value: 2: cannot be greater than readyReplicas',
    ]);
    const rs = withStatus({ replicas: -1, fullyLabeledReplicas: 1, availableReplicas: 1 });
    expect(errors(replicaSetStrategy.validateStatus!(rs, withStatus({})))).toEqual([
      'status.replicas: Invalid value: -1: must be greater than or equal to 0',
      'status.fullyLabeledReplicas: Invalid value: 1: cannot be greater than status.replicas',
      'status.readyReplicas: Invalid value: 0: cannot be greater than status.replicas',
      'status.availableReplicas: Invalid value: 1: cannot be greater than status.replicas',
      'status.availableReplicas: Invalid value: 1: cannot be greater than readyReplicas',
    ]);
  });

  it("refuses a Deployment's collisionCount going down or away", () => {
    const before = withStatus({ collisionCount: 2 });
    expect(errors(deploymentStrategy.validateStatus!(withStatus({ collisionCount: 1 }), before))).toEqual(['status.collisionCount: Invalid value: 1: cannot be decremented']);
    expect(errors(deploymentStrategy.validateStatus!(withStatus({}), before))).toEqual(['status.collisionCount: Invalid value: 0: cannot be decremented']);
    expect(deploymentStrategy.validateStatus!(withStatus({ collisionCount: 3 }), before)).toEqual([]);
  });

  it('refuses such a status through PUT and PATCH of /status, and keeps what was stored', async () => {
    const { client, api } = await inProcessApi(cleanups);
    const d = await client.create<KubeObject>(deployments, 'default', { metadata: { name: 'web' }, spec });
    await expect(client.updateStatus(deployments, 'default', { ...d, status: { replicas: 1, readyReplicas: 2 } })).rejects.toMatchObject({
      code: 422,
      status: { reason: 'Invalid', message: 'Deployment.apps "web" is invalid: status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas' },
    });
    const rs = await client.create(replicasets, 'default', { metadata: { name: 'web' }, spec });
    const stored = (await client.get(replicasets, 'default', 'web')).status;
    const patched = await fetch(`${api.url}/apis/apps/v1/namespaces/default/replicasets/web/status`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ status: { availableReplicas: 5 } }),
    });
    expect(patched.status).toBe(422);
    expect(await patched.json()).toMatchObject({ kind: 'Status', reason: 'Invalid', details: { name: 'web', group: 'apps', kind: 'ReplicaSet' } });
    expect((await client.get(replicasets, 'default', 'web')).status).toEqual(stored);
    expect((await client.get(deployments, 'default', 'web')).metadata?.resourceVersion).toBe(d.metadata?.resourceVersion);
    // A valid status still goes through.
    const ok = await client.updateStatus(replicasets, 'default', { ...rs, status: { replicas: 2, readyReplicas: 2, availableReplicas: 1 } });
    expect(ok.status).toMatchObject({ replicas: 2, availableReplicas: 1 });
  });

  const pod = fc.record({ labelled: fc.boolean(), ready: fc.boolean(), readyFor: fc.nat(120) }).map(
    ({ labelled, ready, readyFor }): Pod => ({
      metadata: { name: 'p', labels: labelled ? { app: 'web', tier: 'fe' } : { app: 'web' } },
      spec: { containers: [] },
      status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: new Date(Date.UTC(2026, 0, 1, 0, 2) - readyFor * 1000).toISOString() }] },
    }),
  );
  test.prop([fc.array(pod, { maxLength: 8 }), fc.nat(60)])('the ReplicaSet controller never computes a status the server refuses', (pods, minReadySeconds) => {
    const rs: ReplicaSet = { metadata: { name: 'web' }, spec: { ...spec, minReadySeconds, template: { ...spec.template, metadata: { labels: { app: 'web', tier: 'fe' } } } } };
    const status = calculateStatus(rs, pods, undefined, Date.UTC(2026, 0, 1, 0, 2));
    expect(replicaSetStrategy.validateStatus!({ ...rs, status }, rs)).toEqual([]);
  });
});
