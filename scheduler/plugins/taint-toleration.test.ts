import { expect, it } from 'vitest';
import { makeNode, makePod } from './fixtures.js';
import { newNodeInfo } from './node-info.js';
import { taintToleration } from './taint-toleration.js';
import { toleratesTaint } from './toleration.js';

const db = { key: 'dedicated', value: 'db', effect: 'NoSchedule' } as const;

it('names the first untolerated taint (doc example)', () => {
  const info = newNodeInfo(makeNode({ taints: [db] }), []);
  expect(taintToleration(makePod(), info)).toMatchObject({ fits: false, reason: 'node(s) had untolerated taint {dedicated: db}' });
});

it('ignores PreferNoSchedule and admits tolerated taints', () => {
  const info = newNodeInfo(makeNode({ taints: [{ key: 'x', effect: 'PreferNoSchedule' }, db] }), []);
  const pod = makePod([], { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }] });
  expect(taintToleration(pod, info)).toEqual({ fits: true });
});

it('checks NoExecute too and prints an empty value', () => {
  const info = newNodeInfo(makeNode({ taints: [{ key: 'gone', effect: 'NoExecute' }] }), []);
  expect(taintToleration(makePod(), info)).toMatchObject({ reason: 'node(s) had untolerated taint {gone: }' });
});

it('matches tolerations as upstream (doc examples)', () => {
  const gpu = { key: 'gpu', value: 'a', effect: 'NoSchedule' } as const;
  expect(toleratesTaint({ key: 'gpu', operator: 'Exists' }, gpu)).toBe(true);
  expect(toleratesTaint({ key: 'gpu', value: 'b' }, gpu)).toBe(false);
  expect(toleratesTaint({ operator: 'Exists' }, gpu)).toBe(true);
  expect(toleratesTaint({ key: 'gpu', operator: 'Exists', effect: 'NoExecute' }, gpu)).toBe(false);
});
