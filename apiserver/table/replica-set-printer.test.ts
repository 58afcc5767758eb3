import { describe, expect, it } from 'vitest';
import type { ReplicaSet } from '../../api/schemas/workloads.js';
import { replicaSetPrinter } from './replica-set-printer.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');

const rs: ReplicaSet = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name: 'web-7d4b9c',
    namespace: 'default',
    creationTimestamp: '2024-05-01T11:50:00Z',
    labels: { app: 'web', 'pod-template-hash': '7d4b9c' },
    annotations: { 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/revision': '2' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'dep-uid', controller: true, blockOwnerDeletion: true }],
  },
  spec: {
    replicas: 3,
    selector: { matchLabels: { 'pod-template-hash': '7d4b9c', app: 'web' } },
    template: { metadata: { labels: { app: 'web', 'pod-template-hash': '7d4b9c' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
  },
  status: { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 },
};

describe('replicaSetPrinter', () => {
  it('has the columns of kube-apiserver, the counts integers, template columns wide', () => {
    expect(replicaSetPrinter.columns.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
      ['Name', 'string', 'name', 0],
      ['Desired', 'integer', '', 0],
      ['Current', 'integer', '', 0],
      ['Ready', 'integer', '', 0],
      ['Age', 'string', '', 0],
      ['Containers', 'string', '', 1],
      ['Images', 'string', '', 1],
      ['Selector', 'string', '', 1],
    ]);
  });

  it('prints the doc example', () => {
    expect(replicaSetPrinter.cells(rs, NOW)).toEqual(['web-7d4b9c', 3, 3, 2, '10m', 'web', 'nginx:1.27', 'app=web,pod-template-hash=7d4b9c']);
  });

  it('prints an old ReplicaSet scaled to zero, and <none> for an empty selector', () => {
    const old: ReplicaSet = { ...rs, spec: { ...rs.spec!, replicas: 0, selector: {} }, status: { replicas: 0, observedGeneration: 3 } };
    expect(replicaSetPrinter.cells(old, NOW)).toEqual(['web-7d4b9c', 0, 0, 0, '10m', 'web', 'nginx:1.27', '<none>']);
  });
});
