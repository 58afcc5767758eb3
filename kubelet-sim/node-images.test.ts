import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NodeImages } from './node-images.js';

describe('NodeImages', () => {
  it('follows the worked example', () => {
    const images = new NodeImages();
    images.pull('node-1', 'uid-a', ['nginx:1.27']);
    expect(images.presentFor('node-1', 'uid-a')).toEqual([]);
    expect(images.presentFor('node-1', 'uid-b')).toEqual(['nginx:1.27']);
    expect(images.presentFor('node-2', 'uid-b')).toEqual([]);
  });

  it('never takes an image that cannot be pulled, and keeps the first puller of one that can', () => {
    const images = new NodeImages();
    images.pull('node-1', 'a', ['nginx:missing', 'registry.invalid/web:1']);
    expect(images.presentFor('node-1', 'b')).toEqual([]);
    images.observed('node-1', 'web:1');
    images.pull('node-1', 'a', ['web:1']);
    expect(images.presentFor('node-1', 'a')).toEqual(['web:1']);
  });

  it('whatever the order of pulls: each image a node holds was pulled there once, and only its puller finds it missing', () => {
    const op = fc.record({ node: fc.constantFrom('n1', 'n2'), pod: fc.constantFrom('a', 'b', 'c'), image: fc.constantFrom('x:1', 'y:2', 'z:3') });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const images = new NodeImages();
        const firstPuller = new Map<string, string>();
        for (const { node, pod, image } of ops) {
          images.pull(node, pod, [image]);
          if (!firstPuller.has(`${node} ${image}`)) firstPuller.set(`${node} ${image}`, pod);
        }
        for (const node of ['n1', 'n2']) {
          for (const pod of ['a', 'b', 'c', 'd']) {
            const expected = [...firstPuller].filter(([k, p]) => k.startsWith(`${node} `) && p !== pod).map(([k]) => k.slice(node.length + 1));
            expect(images.presentFor(node, pod).sort()).toEqual(expected.sort());
          }
        }
      }),
    );
  });
});
