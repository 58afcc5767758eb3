import { describe, expect, it } from 'vitest';
import { imagePatch, splitImageArgs } from './set-image.js';

const deploy = { kind: 'Deployment', spec: { template: { spec: { initContainers: [{ name: 'init', image: 'busybox' }], containers: [{ name: 'nginx', image: 'nginx:1.25' }, { name: 'log', image: 'fluent' }] } } } };

describe('splitImageArgs', () => {
  it('separates resources from CONTAINER=IMAGE pairs', () => {
    expect(splitImageArgs(['deploy/web', 'nginx=nginx:1.27', 'log=fluent:2'])).toEqual({ resourceArgs: ['deploy/web'], images: { nginx: 'nginx:1.27', log: 'fluent:2' } });
  });

  it('needs an image and refuses resources after the pairs', () => {
    expect(() => splitImageArgs(['deploy', 'web'])).toThrow('at least one image update is required');
    expect(() => splitImageArgs(['deploy', 'nginx=x', 'web'])).toThrow('all resources must be specified before image changes: web');
  });
});

describe('imagePatch', () => {
  it('patches only the named container of the template, by name', () => {
    expect(imagePatch(deploy, { nginx: 'nginx:1.27' })).toEqual({ spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } } });
  });

  it('* sets every container, init containers too', () => {
    expect(imagePatch(deploy, { '*': 'all:1' })).toEqual({
      spec: { template: { spec: { initContainers: [{ name: 'init', image: 'all:1' }], containers: [{ name: 'nginx', image: 'all:1' }, { name: 'log', image: 'all:1' }] } } },
    });
  });

  it("patches a pod's own spec, plans nothing when the image is already set, and refuses an unknown container", () => {
    expect(imagePatch({ kind: 'Pod', spec: { containers: [{ name: 'main', image: 'a' }] } }, { main: 'b' })).toEqual({ spec: { containers: [{ name: 'main', image: 'b' }] } });
    expect(imagePatch(deploy, { nginx: 'nginx:1.25' })).toBeUndefined();
    expect(() => imagePatch(deploy, { web: 'x' })).toThrow('unable to find container named "web"');
  });
});
