import { describe, expect, it } from 'vitest';
import { deploymentRow, replicaSetRow, serviceRow, visibleReplicaSets } from './workload-view.js';

describe('deploymentRow', () => {
  it('reads a rollout in progress, as the doc comment shows', () => {
    const d = { metadata: { name: 'web', namespace: 'default', generation: 2 }, spec: { replicas: 3 }, status: { observedGeneration: 2, replicas: 4, updatedReplicas: 2, availableReplicas: 3 } };
    expect(deploymentRow(d)).toMatchObject({ key: 'default/web', desired: 3, current: 4, updated: 2, available: 3, rolling: true });
  });

  it('is done when rollout status would say so', () => {
    const d = { metadata: { name: 'web', namespace: 'default', generation: 2 }, spec: { replicas: 3 }, status: { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 } };
    expect(deploymentRow(d).rolling).toBe(false);
    expect(deploymentRow({ ...d, metadata: { ...d.metadata, generation: 3 } }).rolling).toBe(true);
  });
});

describe('replica sets', () => {
  const rs = (name: string, revision: string, desired: number, current: number) =>
    replicaSetRow({
      metadata: { name, namespace: 'default', annotations: { 'deployment.kubernetes.io/revision': revision }, ownerReferences: [{ kind: 'Deployment', name: 'web', controller: true }] },
      spec: { replicas: desired },
      status: { replicas: current, readyReplicas: current, availableReplicas: current },
    });

  it('belong to their Deployment, newest first, old empty ones left out', () => {
    const rows = [rs('web-1', '1', 0, 0), rs('web-3', '3', 2, 1), rs('web-2', '2', 1, 2)];
    expect(rows[0]!.owner).toBe('default/web');
    expect(visibleReplicaSets(rows).map((r) => r.name)).toEqual(['web-3', 'web-2']);
    expect(visibleReplicaSets([rs('web-1', '1', 0, 0)]).map((r) => r.name)).toEqual(['web-1']);
  });
});

describe('serviceRow', () => {
  it('lists ready and not-ready endpoints by pod, as the doc comment shows', () => {
    const svc = { metadata: { name: 'web', namespace: 'default' }, spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', selector: { app: 'web' }, ports: [{ port: 80 }] } };
    const ep = {
      subsets: [{
        addresses: [{ ip: '10.244.1.2', targetRef: { kind: 'Pod', name: 'web-a' } }],
        notReadyAddresses: [{ ip: '10.244.2.3', targetRef: { kind: 'Pod', name: 'web-b' } }],
      }],
    };
    expect(serviceRow(svc, ep)).toMatchObject({ name: 'web', type: 'ClusterIP', ip: '10.96.0.10', ports: '80/TCP', ready: ['web-a 10.244.1.2'], notReady: ['web-b 10.244.2.3'] });
    expect(serviceRow(svc, undefined).ready).toEqual([]);
  });
});
