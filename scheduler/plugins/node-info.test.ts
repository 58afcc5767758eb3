import { expect, it } from 'vitest';
import { makeNode, makePod } from './fixtures.js';
import { deepFreeze } from '../../api/deep-freeze.js';
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

it('reads what the filters ask of the node off it: its name, cordon, Ready, and the taints a pod must tolerate', () => {
  const info = newNodeInfo(
    makeNode({
      name: 'node-7',
      unschedulable: true,
      ready: 'Unknown',
      taints: [
        { key: 'a', effect: 'PreferNoSchedule' },
        { key: 'b', value: 'x', effect: 'NoExecute' },
        { key: 'c', effect: 'NoSchedule' },
      ],
    }),
    [],
  );
  expect(info).toMatchObject({ name: 'node-7', unschedulable: true, ready: false });
  expect(info.blockingTaints.map((t) => t.key)).toEqual(['b', 'c']);
});

it('reads a changed node anew, and remembers only a frozen one, which cannot change', () => {
  const node = makeNode({ cpu: 2 });
  expect(newNodeInfo(node, []).unschedulable).toBe(false);
  node.spec!.unschedulable = true;
  node.status!.allocatable!['cpu'] = 4;
  expect(newNodeInfo(node, [])).toMatchObject({ unschedulable: true, allocatable: { milliCPU: 4000 } });
  const frozen = deepFreeze(makeNode({ cpu: 2 }));
  expect(newNodeInfo(frozen, []).allocatable).toBe(newNodeInfo(frozen, []).allocatable);
});
