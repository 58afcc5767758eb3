import fc from 'fast-check';
import type { Pod } from '../../api/schemas/pod.js';
import type { ReplicaSet } from '../../api/schemas/workloads.js';

/** Test fixtures shared by the ReplicaSet controller's tests: pods and ReplicaSets as the API holds them. */

export const NOW = Date.parse('2026-01-01T12:00:00Z');
export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function replicaSet(name: string, replicas: number, extra: { uid?: string; minReadySeconds?: number; deletionTimestamp?: string } = {}): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default', uid: extra.uid ?? `uid-${name}`, generation: 1, resourceVersion: '1', ...(extra.deletionTimestamp ? { deletionTimestamp: extra.deletionTimestamp } : {}) },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      ...(extra.minReadySeconds ? { minReadySeconds: extra.minReadySeconds } : {}),
    },
    status: { replicas: 0 },
  };
}

export interface PodShape {
  name: string;
  uid?: string;
  labels?: Record<string, string>;
  owner?: ReplicaSet | 'other' | undefined;
  node?: string;
  phase?: 'Pending' | 'Running' | 'Unknown' | 'Succeeded' | 'Failed';
  readySince?: number;
  restarts?: number;
  createdAt?: number;
  deleting?: boolean;
  cost?: number;
}

export function pod(s: PodShape): Pod {
  const ownerRefs = s.owner === 'other'
    ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'other', uid: 'uid-other', controller: true }]
    : s.owner
      ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: s.owner.metadata!.name!, uid: s.owner.metadata!.uid!, controller: true, blockOwnerDeletion: true }]
      : undefined;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: s.name,
      namespace: 'default',
      uid: s.uid ?? `uid-${s.name}`,
      resourceVersion: '1',
      labels: s.labels ?? {},
      ...(s.createdAt !== undefined ? { creationTimestamp: iso(s.createdAt) } : {}),
      ...(ownerRefs ? { ownerReferences: ownerRefs } : {}),
      ...(s.deleting ? { deletionTimestamp: iso(NOW) } : {}),
      ...(s.cost !== undefined ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': String(s.cost) } } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...(s.node ? { nodeName: s.node } : {}) },
    status: {
      phase: s.phase ?? 'Pending',
      conditions: s.readySince !== undefined ? [{ type: 'Ready', status: 'True', lastTransitionTime: iso(s.readySince) }] : [{ type: 'Ready', status: 'False' }],
      containerStatuses: [{ name: 'c', ready: s.readySince !== undefined, restartCount: s.restarts ?? 0, image: 'nginx', imageID: '' }],
    },
  };
}

/** A pod with every ranking attribute drawn at random; names and uids are unique per index. */
export const podShape = (i: number) =>
  fc.record({
    node: fc.constantFrom(undefined, 'node-1', 'node-2', 'node-3'),
    phase: fc.constantFrom('Pending', 'Running', 'Unknown') as fc.Arbitrary<'Pending' | 'Running' | 'Unknown'>,
    readySince: fc.option(fc.integer({ min: NOW - 10 * 86_400_000, max: NOW }), { nil: undefined }),
    restarts: fc.integer({ min: 0, max: 3 }),
    createdAt: fc.option(fc.integer({ min: NOW - 10 * 86_400_000, max: NOW }), { nil: undefined }),
    cost: fc.option(fc.integer({ min: -2, max: 2 }), { nil: undefined }),
  }).map((s): PodShape => ({ ...s, name: `p-${i}`, uid: `u-${String(i).padStart(4, '0')}` }));
