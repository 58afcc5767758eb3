import { describe, expect, it } from 'vitest';
import { RESOURCES } from '../../api/resources.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, storageVersionHash } from './legacy.js';

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

describe('legacy discovery', () => {
  it('answers /api with the core versions and the address to use', () => {
    expect(apiVersions('127.0.0.1:6443')).toStrictEqual({
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }],
    });
  });

  it('answers /apis with each named group and its preferred version', () => {
    const apps = { groupVersion: 'apps/v1', version: 'v1' };
    const coordination = { groupVersion: 'coordination.k8s.io/v1', version: 'v1' };
    const discovery = { groupVersion: 'discovery.k8s.io/v1', version: 'v1' };
    const metrics = { groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' };
    const authentication = { groupVersion: 'authentication.k8s.io/v1', version: 'v1' };
    const authorization = { groupVersion: 'authorization.k8s.io/v1', version: 'v1' };
    expect(apiGroupList()).toStrictEqual({
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [
        { name: 'apps', versions: [apps], preferredVersion: apps },
        { name: 'coordination.k8s.io', versions: [coordination], preferredVersion: coordination },
        { name: 'discovery.k8s.io', versions: [discovery], preferredVersion: discovery },
        { name: 'authentication.k8s.io', versions: [authentication], preferredVersion: authentication },
        { name: 'authorization.k8s.io', versions: [authorization], preferredVersion: authorization },
        { name: 'metrics.k8s.io', versions: [metrics], preferredVersion: metrics },
      ],
    });
    expect(apiGroup('apps')).toStrictEqual({ kind: 'APIGroup', apiVersion: 'v1', name: 'apps', versions: [apps], preferredVersion: apps });
    expect(apiGroup('policy')).toBeUndefined();
    expect(apiGroup('')).toBeUndefined();
  });

  it('answers /api/v1 with pods and their subresources, eviction naming group policy', () => {
    const list = apiResourceList('', 'v1')!;
    expect(list).toMatchObject({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'v1' });
    const pods = list.resources.filter((r) => r.name === 'pods' || r.name.startsWith('pods/'));
    expect(pods).toStrictEqual([
      {
        name: 'pods',
        singularName: 'pod',
        namespaced: true,
        kind: 'Pod',
        verbs: ALL_VERBS,
        shortNames: ['po'],
        categories: ['all'],
        storageVersionHash: 'xPOwRZ+Yhw8=',
      },
      { name: 'pods/binding', singularName: '', namespaced: true, kind: 'Binding', verbs: ['create'] },
      { name: 'pods/eviction', singularName: '', namespaced: true, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] },
      { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] },
      { name: 'pods/status', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get', 'patch', 'update'] },
    ]);
  });

  it('answers for nodes as cluster-scoped', () => {
    const nodes = apiResourceList('', 'v1')!.resources.filter((r) => r.name.startsWith('nodes'));
    expect(nodes).toStrictEqual([
      { name: 'nodes', singularName: 'node', namespaced: false, kind: 'Node', verbs: ALL_VERBS, shortNames: ['no'], storageVersionHash: 'XwShjMxG9Fs=' },
      { name: 'nodes/status', singularName: '', namespaced: false, kind: 'Node', verbs: ['get', 'patch', 'update'] },
    ]);
  });

  it('answers /apis/apps/v1 with the scale of deployments in group autoscaling', () => {
    const list = apiResourceList('apps', 'v1')!;
    expect(list.groupVersion).toBe('apps/v1');
    expect(list.resources.filter((r) => r.name.startsWith('deployments'))).toStrictEqual([
      {
        name: 'deployments',
        singularName: 'deployment',
        namespaced: true,
        kind: 'Deployment',
        verbs: ALL_VERBS,
        shortNames: ['deploy'],
        categories: ['all'],
        storageVersionHash: '8aSe+NMegvE=',
      },
      { name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] },
      { name: 'deployments/status', singularName: '', namespaced: true, kind: 'Deployment', verbs: ['get', 'patch', 'update'] },
    ]);
  });

  it('lists every resource and subresource in its group-version', () => {
    for (const r of RESOURCES) {
      const names = apiResourceList(r.group, r.version)!.resources.map((e) => e.name);
      expect(names).toContain(r.resource);
      for (const s of r.subresources) expect(names).toContain(`${r.resource}/${s.name}`);
    }
  });

  it('knows no other group-version', () => {
    expect(apiResourceList('policy', 'v1')).toBeUndefined();
    expect(apiResourceList('apps', 'v2')).toBeUndefined();
    expect(apiResourceList('', 'v2')).toBeUndefined();
  });

  it('hashes the storage version as the API server does', () => {
    expect(storageVersionHash({ group: '', version: 'v1', kind: 'Pod' })).toBe('xPOwRZ+Yhw8=');
  });
});
