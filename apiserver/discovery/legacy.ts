import { createHash } from 'node:crypto';
import { apiVersionOf, groupVersions, VERBS, type ResourceType } from '../../api/resources.js';
import { COMPUTED_GROUPS } from './computed-groups.js';
import { compare, groupVersionsOf, sortedResources } from './_util.js';
import type { APIGroup, APIGroupList, APIResource, APIResourceList, APIVersions } from './types.js';

/**
 * Legacy discovery, for clients that do not ask for the aggregated form: `GET /api` lists the core
 * versions, `GET /apis` the named groups, and one `GET` per group-version lists its resources.
 */

/** `GET /api`. `serverAddress` is the host:port clients should use, e.g. `127.0.0.1:6443`. */
export function apiVersions(serverAddress: string): APIVersions {
  return {
    kind: 'APIVersions',
    versions: groupVersionsOf('core').map((gv) => gv.version),
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** `GET /apis`. */
export function apiGroupList(): APIGroupList {
  const groups: APIGroup[] = [];
  for (const name of new Set(groupVersionsOf('groups').map((gv) => gv.group))) {
    const group = apiGroupBody(name);
    if (group) groups.push(group);
  }
  for (const c of COMPUTED_GROUPS) groups.push(apiGroupBody(c.group)!);
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** `GET /apis/{group}`, or undefined for a group this server does not serve. */
export function apiGroup(name: string): (APIGroup & { kind: 'APIGroup'; apiVersion: 'v1' }) | undefined {
  const group = name === '' ? undefined : apiGroupBody(name);
  return group && { kind: 'APIGroup', apiVersion: 'v1', ...group };
}

function apiGroupBody(name: string): APIGroup | undefined {
  const computed = COMPUTED_GROUPS.find((c) => c.group === name);
  if (computed) {
    const version = { groupVersion: `${computed.group}/${computed.version}`, version: computed.version };
    return { name, versions: [version], preferredVersion: version };
  }
  const versions = groupVersions()
    .filter((gv) => gv.group === name)
    .map((gv) => ({ groupVersion: apiVersionOf(gv), version: gv.version }));
  // Versions are listed most preferred first.
  const [preferredVersion] = versions;
  return preferredVersion && { name, versions, preferredVersion };
}

/**
 * `GET /api/v1` (group `''`) or `GET /apis/{group}/{version}`, or undefined for a group-version this
 * server does not serve. Subresources follow their resource, named `pods/status`; one whose kind
 * lives in another group-version says which, so that `kubectl drain` finds
 * `{"name":"pods/eviction","singularName":"","namespaced":true,"group":"policy","version":"v1","kind":"Eviction","verbs":["create"]}`.
 */
export function apiResourceList(group: string, version: string): APIResourceList | undefined {
  const computed = COMPUTED_GROUPS.find((c) => c.group === group && c.version === version);
  if (computed) {
    const resources = computed.resources.map((r) => ({ ...r, verbs: [...r.verbs] }));
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${group}/${version}`, resources };
  }
  const gv = groupVersions().find((g) => g.group === group && g.version === version);
  if (!gv) return undefined;
  const resources = sortedResources(gv.resources).flatMap((r) => [resourceEntry(r), ...subresourceEntries(r)]);
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(gv), resources };
}

function resourceEntry(r: ResourceType): APIResource {
  return {
    name: r.resource,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: [...VERBS].sort(),
    ...(r.shortNames.length ? { shortNames: [...r.shortNames] } : {}),
    ...(r.categories.length ? { categories: [...r.categories] } : {}),
    storageVersionHash: storageVersionHash(r),
  };
}

function subresourceEntries(r: ResourceType): APIResource[] {
  return [...r.subresources]
    .sort((a, b) => compare(a.name, b.name))
    .map((s) => ({
      name: `${r.resource}/${s.name}`,
      singularName: '',
      namespaced: r.namespaced,
      ...(s.group !== r.group || s.version !== r.version ? { group: s.group, version: s.version } : {}),
      kind: s.kind,
      verbs: [...s.verbs].sort(),
    }));
}

/**
 * The hash the API server reports for a resource's storage version, so that storage migrators can
 * tell when it changes: the first 8 bytes of sha256("group/version/kind"), base64. Pods: "xPOwRZ+Yhw8=".
 */
export function storageVersionHash(r: { group: string; version: string; kind: string }): string {
  return createHash('sha256').update(`${r.group}/${r.version}/${r.kind}`).digest().subarray(0, 8).toString('base64');
}
