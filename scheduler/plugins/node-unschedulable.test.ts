import { expect, it } from 'vitest';
import { makeNode, makePod } from './fixtures.js';
import { newNodeInfo } from './node-info.js';
import { nodeUnschedulable } from './node-unschedulable.js';

it('rejects a cordoned node unless the pod tolerates the unschedulable taint (doc example)', () => {
  const info = newNodeInfo(makeNode({ unschedulable: true }), []);
  expect(nodeUnschedulable(makePod(), info)).toMatchObject({ fits: false, reason: 'node(s) were unschedulable' });
  const tolerant = makePod([], { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists' }] });
  expect(nodeUnschedulable(tolerant, info)).toEqual({ fits: true });
  expect(nodeUnschedulable(makePod(), newNodeInfo(makeNode(), []))).toEqual({ fits: true });
});
