import { describe, expect, it } from 'vitest';
import { TEST_RESOURCES } from './_test-resources.js';
import { formatApiResources } from './api-resources.js';

describe('formatApiResources', () => {
  it('prints discovery sorted by group, then name, in kubectl columns', () => {
    const lines = formatApiResources(TEST_RESOURCES, {}).split('\n');
    expect(lines[0]).toBe('NAME          SHORTNAMES   APIVERSION               NAMESPACED   KIND');
    expect(lines[1]).toBe('configmaps    cm           v1                       true         ConfigMap');
    expect(lines.slice(1, -1).map((l) => l.split(/\s+/)[0])).toEqual([
      'configmaps', 'endpoints', 'events', 'namespaces', 'nodes', 'pods', 'secrets', 'services', 'deployments', 'replicasets', 'leases',
    ]);
  });

  it('filters by scope and group, and prints names', () => {
    expect(formatApiResources(TEST_RESOURCES, { namespaced: false, output: 'name' })).toBe('namespaces\nnodes\n');
    expect(formatApiResources(TEST_RESOURCES, { apiGroup: 'apps', output: 'name' })).toBe('deployments.apps\nreplicasets.apps\n');
  });

  it('prints verbs comma-separated and categories with -o wide, as kubectl 1.32 does', () => {
    const pods = formatApiResources(TEST_RESOURCES, { output: 'wide' }).split('\n').find((l) => l.startsWith('pods '));
    expect(pods).toMatch(/ Pod +get,list +all$/);
  });
});
