import { describe, expect, it } from 'vitest';
import { TEST_RESOURCES } from './_test-resources.js';
import { lookupResource, parseResourceArgs } from './resource-args.js';

const names = (args: string[]) => parseResourceArgs(TEST_RESOURCES, args).map((r) => [r.resource.name, r.names]);

describe('lookupResource', () => {
  it.each([
    ['po', 'pods'], ['pod', 'pods'], ['pods', 'pods'], ['Pod', 'pods'], ['deploy', 'deployments'], ['deployments.apps', 'deployments'],
    ['rs', 'replicasets'], ['svc', 'services'], ['ep', 'endpoints'], ['cm', 'configmaps'], ['no', 'nodes'], ['ns', 'namespaces'],
    ['ev', 'events'], ['secret', 'secrets'], ['lease', 'leases'], ['leases.coordination.k8s.io', 'leases'],
  ])('reads %s as %s', (word, plural) => {
    expect(lookupResource(TEST_RESOURCES, word).name).toBe(plural);
  });

  it('refuses a word that names nothing, as kubectl words it', () => {
    expect(() => lookupResource(TEST_RESOURCES, 'foo')).toThrow(`the server doesn't have a resource type "foo"`);
    expect(() => lookupResource(TEST_RESOURCES, 'pods.apps')).toThrow('"pods.apps"');
  });
});

describe('parseResourceArgs', () => {
  it('reads several kinds separated by commas', () => {
    expect(names(['po,svc'])).toEqual([['pods', []], ['services', []]]);
  });

  it('reads a kind and names', () => {
    expect(names(['deploy', 'a', 'b'])).toEqual([['deployments', ['a', 'b']]]);
  });

  it('reads kind/name pairs, merging those of one kind', () => {
    expect(names(['po/a', 'svc/b', 'pod/c'])).toEqual([['pods', ['a', 'c']], ['services', ['b']]]);
  });

  it('expands `all` to the kinds in the category, in discovery order', () => {
    expect(names(['all'])).toEqual([['pods', []], ['services', []], ['deployments', []], ['replicasets', []]]);
  });

  it('refuses a kind/name mixed with a bare kind, and an empty list', () => {
    expect(() => names(['pods', 'po/a'])).toThrow('no need to specify a resource type as a separate argument');
    expect(() => names([])).toThrow('You must specify the type of resource');
    expect(() => names(['po/'])).toThrow('single resource and name');
  });
});
