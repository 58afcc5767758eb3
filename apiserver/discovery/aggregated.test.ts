import { describe, expect, it } from 'vitest';
import { RESOURCES } from '../../api/resources.js';
import { AGGREGATED_CONTENT_TYPE, aggregatedDiscovery } from './aggregated.js';
import type { APIResourceDiscovery } from './types.js';

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function resource(scope: 'core' | 'groups', group: string, name: string): APIResourceDiscovery | undefined {
  const item = aggregatedDiscovery(scope).items.find((i) => i.metadata.name === group);
  return item?.versions[0]?.resources.find((r) => r.resource === name);
}

describe('aggregatedDiscovery', () => {
  it('answers /api with the core group, named ""', () => {
    const list = aggregatedDiscovery('core');
    expect(list).toMatchObject({ kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {} });
    expect(list.items.map((i) => i.metadata)).toStrictEqual([{ name: '' }]);
    expect(list.items[0]!.versions.map((v) => [v.version, v.freshness])).toStrictEqual([['v1', 'Current']]);
  });

  it('describes pods and their subresources, the eviction one in group policy', () => {
    expect(resource('core', '', 'pods')).toStrictEqual({
      resource: 'pods',
      responseKind: { group: '', version: 'v1', kind: 'Pod' },
      scope: 'Namespaced',
      singularResource: 'pod',
      shortNames: ['po'],
      categories: ['all'],
      verbs: ALL_VERBS,
      subresources: [
        { subresource: 'binding', responseKind: { group: '', version: 'v1', kind: 'Binding' }, verbs: ['create'] },
        { subresource: 'eviction', responseKind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] },
        { subresource: 'log', responseKind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get'] },
        { subresource: 'status', responseKind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get', 'patch', 'update'] },
      ],
    });
  });

  it('scopes nodes to the cluster and leaves out empty lists', () => {
    expect(resource('core', '', 'nodes')).toStrictEqual({
      resource: 'nodes',
      responseKind: { group: '', version: 'v1', kind: 'Node' },
      scope: 'Cluster',
      singularResource: 'node',
      shortNames: ['no'],
      verbs: ALL_VERBS,
      subresources: [{ subresource: 'status', responseKind: { group: '', version: 'v1', kind: 'Node' }, verbs: ['get', 'patch', 'update'] }],
    });
    expect(resource('core', '', 'secrets')).not.toHaveProperty('shortNames');
    expect(resource('core', '', 'secrets')).not.toHaveProperty('subresources');
  });

  it('answers /apis with the named groups that have resources, the scale of deployments in group autoscaling', () => {
    expect(aggregatedDiscovery('groups').items.map((i) => i.metadata.name)).toStrictEqual(['apps', 'coordination.k8s.io', 'discovery.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io', 'metrics.k8s.io']);
    expect(resource('groups', 'apps', 'deployments')).toStrictEqual({
      resource: 'deployments',
      responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' },
      scope: 'Namespaced',
      singularResource: 'deployment',
      shortNames: ['deploy'],
      categories: ['all'],
      verbs: ALL_VERBS,
      subresources: [
        { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
        { subresource: 'status', responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' }, verbs: ['get', 'patch', 'update'] },
      ],
    });
  });

  it('lists every resource once, in its own group, sorted by name', () => {
    const listed = (['core', 'groups'] as const).flatMap((scope) =>
      aggregatedDiscovery(scope).items.flatMap((i) => i.versions.flatMap((v) => v.resources.map((r) => `${i.metadata.name}/${v.version}/${r.resource}`))),
    );
    // Every stored resource, and the computed ones: the self-reviews and the resource metrics.
    const metrics = [
      'authentication.k8s.io/v1/selfsubjectreviews',
      'authorization.k8s.io/v1/selfsubjectaccessreviews',
      'authorization.k8s.io/v1/selfsubjectrulesreviews',
      'metrics.k8s.io/v1beta1/nodes',
      'metrics.k8s.io/v1beta1/pods',
    ];
    expect([...listed].sort()).toStrictEqual([...RESOURCES.map((r) => `${r.group}/${r.version}/${r.resource}`), ...metrics].sort());
    for (const scope of ['core', 'groups'] as const) {
      for (const v of aggregatedDiscovery(scope).items.flatMap((i) => i.versions)) {
        const names = v.resources.map((r) => r.resource);
        expect(names).toStrictEqual([...names].sort());
      }
    }
  });

  it('names the content type it answers with', () => {
    expect(AGGREGATED_CONTENT_TYPE).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
  });
});
