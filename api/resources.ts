import type { z } from 'zod';
import { Binding, Event, Eviction, Lease, Namespace, Node } from './schemas/cluster.js';
import { ConfigMap, Secret } from './schemas/config.js';
import { EndpointSlice } from './schemas/discovery.js';
import { Pod } from './schemas/pod.js';
import { ServiceAccount, TokenRequest } from './schemas/service-account.js';
import { Endpoints, Service } from './schemas/service.js';
import { Deployment, ReplicaSet, Scale } from './schemas/workloads.js';

/**
 * Every resource minik serves, in one table: discovery, routing, storage keys, OpenAPI and the
 * typed client all read it. `resource` is the plural that appears in paths and store keys:
 *
 *   pods (core/v1, namespaced)    -> /api/v1/namespaces/{ns}/pods/{name}     /registry/pods/{ns}/{name}
 *   nodes (core/v1, cluster)      -> /api/v1/nodes/{name}                    /registry/nodes/{name}
 *   deployments (apps/v1)         -> /apis/apps/v1/namespaces/{ns}/deployments/{name}
 */
export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  resource: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
  categories: string[];
  schema: z.ZodType;
  subresources: Subresource[];
}

export interface Subresource {
  name: 'status' | 'scale' | 'binding' | 'eviction' | 'log' | 'token';
  /** What the subresource takes and answers, as discovery reports it. */
  group: string;
  version: string;
  kind: string;
  verbs: string[];
}

const status = (kind: string, group = ''): Subresource => ({
  name: 'status',
  group,
  version: 'v1',
  kind,
  verbs: ['get', 'patch', 'update'],
});
const scale: Subresource = { name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] };

export const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const RESOURCES: ResourceType[] = [
  {
    group: '', version: 'v1', kind: 'Namespace', resource: 'namespaces', singular: 'namespace', shortNames: ['ns'],
    namespaced: false, categories: [], schema: Namespace, subresources: [status('Namespace')],
  },
  {
    group: '', version: 'v1', kind: 'Node', resource: 'nodes', singular: 'node', shortNames: ['no'],
    namespaced: false, categories: [], schema: Node, subresources: [status('Node')],
  },
  {
    group: '', version: 'v1', kind: 'Pod', resource: 'pods', singular: 'pod', shortNames: ['po'],
    namespaced: true, categories: ['all'], schema: Pod,
    subresources: [
      status('Pod'),
      { name: 'binding', group: '', version: 'v1', kind: 'Binding', verbs: ['create'] },
      { name: 'eviction', group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] },
      { name: 'log', group: '', version: 'v1', kind: 'Pod', verbs: ['get'] },
    ],
  },
  {
    group: '', version: 'v1', kind: 'Service', resource: 'services', singular: 'service', shortNames: ['svc'],
    namespaced: true, categories: ['all'], schema: Service, subresources: [status('Service')],
  },
  {
    group: '', version: 'v1', kind: 'Endpoints', resource: 'endpoints', singular: 'endpoints', shortNames: ['ep'],
    namespaced: true, categories: [], schema: Endpoints, subresources: [],
  },
  {
    group: '', version: 'v1', kind: 'ConfigMap', resource: 'configmaps', singular: 'configmap', shortNames: ['cm'],
    namespaced: true, categories: [], schema: ConfigMap, subresources: [],
  },
  {
    group: '', version: 'v1', kind: 'Secret', resource: 'secrets', singular: 'secret', shortNames: [],
    namespaced: true, categories: [], schema: Secret, subresources: [],
  },
  {
    group: '', version: 'v1', kind: 'ServiceAccount', resource: 'serviceaccounts', singular: 'serviceaccount', shortNames: ['sa'],
    namespaced: true, categories: [], schema: ServiceAccount,
    subresources: [{ name: 'token', group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] }],
  },
  {
    group: '', version: 'v1', kind: 'Event', resource: 'events', singular: 'event', shortNames: ['ev'],
    namespaced: true, categories: [], schema: Event, subresources: [],
  },
  {
    group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', singular: 'deployment', shortNames: ['deploy'],
    namespaced: true, categories: ['all'], schema: Deployment, subresources: [status('Deployment', 'apps'), scale],
  },
  {
    group: 'apps', version: 'v1', kind: 'ReplicaSet', resource: 'replicasets', singular: 'replicaset', shortNames: ['rs'],
    namespaced: true, categories: ['all'], schema: ReplicaSet, subresources: [status('ReplicaSet', 'apps'), scale],
  },
  {
    group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', resource: 'leases', singular: 'lease', shortNames: [],
    namespaced: true, categories: [], schema: Lease, subresources: [],
  },
  {
    group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', resource: 'endpointslices', singular: 'endpointslice', shortNames: [],
    namespaced: true, categories: [], schema: EndpointSlice, subresources: [],
  },
];

/** Schemas of the objects subresources take, by kind. */
export const SUBRESOURCE_SCHEMAS: Record<string, z.ZodType> = { Scale, Binding, Eviction, TokenRequest };

export function apiVersionOf(r: { group: string; version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** The groups and their versions, core ('') first, in discovery order. */
export function groupVersions(): Array<{ group: string; version: string; resources: ResourceType[] }> {
  const out: Array<{ group: string; version: string; resources: ResourceType[] }> = [];
  for (const r of RESOURCES) {
    let gv = out.find((g) => g.group === r.group && g.version === r.version);
    if (!gv) out.push((gv = { group: r.group, version: r.version, resources: [] }));
    gv.resources.push(r);
  }
  return out;
}

export function findResource(group: string, version: string, resource: string): ResourceType | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.resource === resource);
}

/** A resource by plural, singular, short name or kind, as `kubectl get X` accepts it. */
export function resolveResource(name: string): ResourceType | undefined {
  const [base, group] = name.toLowerCase().split(/\.(.*)/s) as [string, string | undefined];
  return RESOURCES.find(
    (r) =>
      (group === undefined || r.group === group) &&
      (r.resource === base || r.singular === base || r.shortNames.includes(base) || r.kind.toLowerCase() === base),
  );
}

export function resourceForKind(apiVersion: string, kind: string): ResourceType | undefined {
  return RESOURCES.find((r) => apiVersionOf(r) === apiVersion && r.kind === kind);
}

/** Where an object lives in the store. */
export function storeKey(r: ResourceType, namespace: string | undefined, name: string): string {
  return r.namespaced ? `/registry/${r.resource}/${namespace}/${name}` : `/registry/${r.resource}/${name}`;
}

/** The store prefix under which a list reads: all of a resource, or one namespace of it. */
export function storePrefix(r: ResourceType, namespace?: string): string {
  return r.namespaced && namespace ? `/registry/${r.resource}/${namespace}/` : `/registry/${r.resource}/`;
}
