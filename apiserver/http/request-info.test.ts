import { describe, expect, it } from 'vitest';
import { parseResourcePath } from './request-info.js';

const summary = (p: string) => {
  const r = parseResourcePath(p);
  return r && { resource: r.resource.resource, namespace: r.namespace, name: r.name, subresource: r.subresource };
};

describe('parseResourcePath', () => {
  it('reads the doc examples', () => {
    expect(summary('/api/v1/namespaces/default/pods/web/status')).toEqual({ resource: 'pods', namespace: 'default', name: 'web', subresource: 'status' });
    expect(summary('/api/v1/namespaces/default')).toEqual({ resource: 'namespaces', namespace: undefined, name: 'default', subresource: undefined });
    expect(summary('/api/v1/namespaces/default/status')).toEqual({ resource: 'namespaces', namespace: undefined, name: 'default', subresource: 'status' });
    expect(summary('/apis/apps/v1/deployments')).toEqual({ resource: 'deployments', namespace: undefined, name: undefined, subresource: undefined });
  });

  it('reads namespaced lists, items and subresources of named groups', () => {
    expect(summary('/apis/apps/v1/namespaces/ns1/deployments/web/scale')).toMatchObject({ resource: 'deployments', namespace: 'ns1', name: 'web', subresource: 'scale' });
    expect(summary('/api/v1/namespaces/ns1/pods')).toMatchObject({ resource: 'pods', namespace: 'ns1' });
    expect(summary('/api/v1/nodes/n1')).toMatchObject({ resource: 'nodes', name: 'n1' });
  });

  it("refuses a pod's exec, attach and port-forward with a 400 that says why", () => {
    for (const [sub, what] of [['exec', 'run a command in'], ['attach', 'attach to'], ['portforward', 'forward a port to']]) {
      expect(() => parseResourcePath(`/api/v1/namespaces/default/pods/web/${sub}`)).toThrow(
        expect.objectContaining({ code: 400, message: expect.stringContaining(`pods/${sub} is not supported: minik's containers are simulated, so there is no process to ${what}`) }),
      );
    }
  });

  it('leaves other paths alone and refuses unknown resources with a 404', () => {
    expect(parseResourcePath('/version')).toBeUndefined();
    expect(parseResourcePath('/api/v1')).toBeUndefined();
    expect(() => parseResourcePath('/api/v1/widgets')).toThrow(/could not find the requested resource/);
    expect(() => parseResourcePath('/api/v1/namespaces/x/nodes')).toThrow(/could not find/);
    expect(() => parseResourcePath('/api/v1/namespaces/x/pods/p/nope')).toThrow(/could not find/);
    expect(() => parseResourcePath('/apis/apps/v2/deployments')).toThrow(/could not find/);
  });
});
