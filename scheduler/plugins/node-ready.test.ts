import { expect, it } from 'vitest';
import { makeNode, makePod } from './fixtures.js';
import { newNodeInfo } from './node-info.js';
import { nodeReady } from './node-ready.js';

it('admits only a node whose Ready condition is True (doc example)', () => {
  const notReady = { fits: false, reason: 'node(s) were not ready' };
  expect(nodeReady(makePod(), newNodeInfo(makeNode({ ready: 'Unknown' }), []))).toMatchObject(notReady);
  expect(nodeReady(makePod(), newNodeInfo(makeNode({ ready: 'False' }), []))).toMatchObject(notReady);
  expect(nodeReady(makePod(), newNodeInfo(makeNode({ ready: undefined }), []))).toMatchObject(notReady);
  expect(nodeReady(makePod(), newNodeInfo(makeNode({ ready: 'True' }), []))).toEqual({ fits: true });
});
