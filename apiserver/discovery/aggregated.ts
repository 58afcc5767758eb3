import { VERBS, type ResourceType } from '../../api/resources.js';
import { COMPUTED_GROUPS } from './computed-groups.js';
import { compare, groupVersionsOf, sortedResources } from './_util.js';
import type { APIGroupDiscovery, APIGroupDiscoveryList, APIResourceDiscovery } from './types.js';

export const AGGREGATED_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/**
 * Aggregated discovery (apidiscovery.k8s.io/v2): one request tells a client every resource, where
 * legacy discovery takes one request per group-version. `'core'` answers `GET /api` (the group
 * named `""`), `'groups'` answers `GET /apis` (every named group that has resources of its own).
 *
 *   {"kind":"APIGroupDiscoveryList","apiVersion":"apidiscovery.k8s.io/v2","metadata":{},"items":[
 *    {"metadata":{"name":"apps"},"versions":[{"version":"v1","freshness":"Current","resources":[
 *     {"resource":"deployments","responseKind":{"group":"apps","version":"v1","kind":"Deployment"},...,
 *      "subresources":[{"subresource":"scale","responseKind":{"group":"autoscaling",...},...}]}]}]}]}
 */
export function aggregatedDiscovery(scope: 'core' | 'groups'): APIGroupDiscoveryList {
  const items: APIGroupDiscovery[] = [];
  for (const gv of groupVersionsOf(scope)) {
    let item = items.find((i) => i.metadata.name === gv.group);
    if (!item) items.push((item = { metadata: { name: gv.group }, versions: [] }));
    item.versions.push({ version: gv.version, freshness: 'Current', resources: sortedResources(gv.resources).map(resourceDiscovery) });
  }
  if (scope === 'groups') {
    for (const c of COMPUTED_GROUPS) {
      const resources = c.resources.map((r) => ({
        resource: r.name,
        responseKind: { group: c.group, version: c.version, kind: r.kind },
        scope: r.namespaced ? ('Namespaced' as const) : ('Cluster' as const),
        singularResource: r.singularName,
        verbs: [...r.verbs],
      }));
      items.push({ metadata: { name: c.group }, versions: [{ version: c.version, freshness: 'Current', resources }] });
    }
  }
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}

function resourceDiscovery(r: ResourceType): APIResourceDiscovery {
  const subresources = [...r.subresources]
    .sort((a, b) => compare(a.name, b.name))
    .map((s) => ({ subresource: s.name, responseKind: { group: s.group, version: s.version, kind: s.kind }, verbs: [...s.verbs].sort() }));
  // Empty lists are left out, as the API server's omitempty does.
  return {
    resource: r.resource,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    ...(r.shortNames.length ? { shortNames: [...r.shortNames] } : {}),
    ...(r.categories.length ? { categories: [...r.categories] } : {}),
    verbs: [...VERBS].sort(),
    ...(subresources.length ? { subresources } : {}),
  };
}
