import type { Deployment, ReplicaSet } from '../../api/schemas/workloads.js';

/**
 * The workload the simulated-cluster tests run: `web` in `default`, pods labelled app=web with one
 * container asking `cpu`. A Deployment unless told; `extra` goes into its spec.
 *
 *   webWorkload('ReplicaSet', 3, 'app:1', '100m')
 */
export function webWorkload(kind: 'Deployment', replicas: number, image: string, cpu: string, extra?: Record<string, unknown>): Deployment;
export function webWorkload(kind: 'ReplicaSet', replicas: number, image: string, cpu: string, extra?: Record<string, unknown>): ReplicaSet;
export function webWorkload(kind: 'Deployment' | 'ReplicaSet', replicas: number, image: string, cpu: string, extra: Record<string, unknown> = {}): Deployment | ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      ...extra,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image, resources: { requests: { cpu } } }] } },
    },
  } as Deployment | ReplicaSet;
}
