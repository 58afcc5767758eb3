import { expect, it } from 'vitest';
import { makeNode, makePod } from './fixtures.js';
import { newNodeInfo } from './node-info.js';

it('sums the requests of non-terminal pods only (doc example)', () => {
  const info = newNodeInfo(makeNode({ cpu: 2, memory: '4Gi', pods: 110 }), [
    makePod([{ cpu: '500m', memory: '1Gi' }], {}, 'Running'),
    makePod([{ cpu: 1 }], {}, 'Succeeded'),
  ]);
  expect(info.allocatable).toEqual({ milliCPU: 2000, memory: 4 * 1024 ** 3, pods: 110 });
  expect(info.requested).toEqual({ milliCPU: 500, memory: 1024 ** 3 });
  expect(info.pods).toHaveLength(1);
});

it('treats a resource missing from allocatable as zero', () => {
  const node = makeNode();
  delete node.status!.allocatable!['pods'];
  expect(newNodeInfo(node, []).allocatable).toEqual({ milliCPU: 0, memory: 0, pods: 0 });
});
