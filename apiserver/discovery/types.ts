/** The discovery documents as they travel on the wire, field order as the API server writes them. */

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** apidiscovery.k8s.io/v2: every group, version and resource in one answer. */
export interface APIGroupDiscoveryList {
  kind: 'APIGroupDiscoveryList';
  apiVersion: 'apidiscovery.k8s.io/v2';
  metadata: Record<string, never>;
  items: APIGroupDiscovery[];
}

export interface APIGroupDiscovery {
  metadata: { name: string };
  versions: APIVersionDiscovery[];
}

export interface APIVersionDiscovery {
  version: string;
  freshness: 'Current';
  resources: APIResourceDiscovery[];
}

export interface APIResourceDiscovery {
  resource: string;
  responseKind: GroupVersionKind;
  scope: 'Namespaced' | 'Cluster';
  singularResource: string;
  shortNames?: string[];
  categories?: string[];
  verbs: string[];
  subresources?: APISubresourceDiscovery[];
}

export interface APISubresourceDiscovery {
  subresource: string;
  responseKind: GroupVersionKind;
  verbs: string[];
}

/** Legacy discovery: `GET /api`. */
export interface APIVersions {
  kind: 'APIVersions';
  versions: string[];
  serverAddressByClientCIDRs: Array<{ clientCIDR: string; serverAddress: string }>;
}

export interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

/** Legacy discovery: `GET /apis/{group}`; an item of `GET /apis`. */
export interface APIGroup {
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion: GroupVersionForDiscovery;
}

export interface APIGroupList {
  kind: 'APIGroupList';
  apiVersion: 'v1';
  groups: APIGroup[];
}

/** Legacy discovery: `GET /api/v1`, `GET /apis/{group}/{version}`. */
export interface APIResourceList {
  kind: 'APIResourceList';
  apiVersion: 'v1';
  groupVersion: string;
  resources: APIResource[];
}

export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  /** Only on a subresource whose kind lives in another group or version, e.g. pods/eviction. */
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}
