import type { ApiResource } from './discovery.js';

const r = (group: string, name: string, kind: string, shortNames: string[], namespaced = true, categories: string[] = []): ApiResource => ({
  group,
  version: 'v1',
  name,
  singularName: kind.toLowerCase(),
  kind,
  namespaced,
  shortNames,
  categories,
  verbs: ['get', 'list'],
  subresources: kind === 'Deployment' || kind === 'ReplicaSet' ? ['status', 'scale'] : [],
});

/** What discovery answers for minik, in its order, for tests that need no server. */
export const TEST_RESOURCES: ApiResource[] = [
  r('', 'namespaces', 'Namespace', ['ns'], false),
  r('', 'nodes', 'Node', ['no'], false),
  r('', 'pods', 'Pod', ['po'], true, ['all']),
  r('', 'services', 'Service', ['svc'], true, ['all']),
  r('', 'endpoints', 'Endpoints', ['ep']),
  r('', 'configmaps', 'ConfigMap', ['cm']),
  r('', 'secrets', 'Secret', []),
  r('', 'events', 'Event', ['ev']),
  r('apps', 'deployments', 'Deployment', ['deploy'], true, ['all']),
  r('apps', 'replicasets', 'ReplicaSet', ['rs'], true, ['all']),
  r('coordination.k8s.io', 'leases', 'Lease', []),
];
