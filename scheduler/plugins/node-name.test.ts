import { expect, it } from 'vitest';
import { makeNode, makePod } from './fixtures.js';
import { newNodeInfo } from './node-info.js';
import { nodeName } from './node-name.js';

it('admits only the named node (doc example)', () => {
  const pod = makePod([], { nodeName: 'node-2' });
  expect(nodeName(pod, newNodeInfo(makeNode({ name: 'node-1' }), []))).toMatchObject({
    fits: false,
    reason: "node(s) didn't match the requested node name",
  });
  expect(nodeName(pod, newNodeInfo(makeNode({ name: 'node-2' }), []))).toEqual({ fits: true });
  expect(nodeName(makePod(), newNodeInfo(makeNode(), []))).toEqual({ fits: true });
});
