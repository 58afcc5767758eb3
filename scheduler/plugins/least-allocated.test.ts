import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/schemas/pod.js';
import { makeNode, makePod, type Req } from './fixtures.js';
import { leastAllocated } from './least-allocated.js';
import { newNodeInfo } from './node-info.js';

// Cases from upstream's least_allocated_test.go; its st.MakePod() has no containers, so requests nothing.
const score = (pod: Pod, cpu: string, memory: string, existing: Req[][] = []) =>
  leastAllocated(pod, newNodeInfo(makeNode({ cpu, memory }), existing.map((r) => makePod(r))));
const twoContainers = makePod([{ cpu: '1000', memory: '2000' }, { cpu: '2000', memory: '3000' }]);

describe('leastAllocated', () => {
  it('scores the doc example: (25 + 50) / 2 = 37', () => {
    expect(score(twoContainers, '4000', '10000')).toBe(37);
    expect(score(twoContainers, '6000', '10000')).toBe(50);
  });

  it('matches upstream\'s golden cases', () => {
    expect(score(makePod(), '4000', '10000')).toBe(100);
    expect(score(makePod(), '4000', '10000', [[], []])).toBe(100);
    expect(score(makePod(), '10000', '20000', [[{ cpu: '3000', memory: '0' }], [{ cpu: '3000', memory: '0' }]])).toBe(70);
    expect(score(makePod(), '10000', '20000', [[{ cpu: '3000', memory: '0' }], [{ cpu: '3000', memory: '5000' }]])).toBe(57);
    expect(score(twoContainers, '10000', '20000', [[{ cpu: '3000', memory: '5000' }]])).toBe(45);
    expect(score(twoContainers, '10000', '50000', [[{ cpu: '3000', memory: '5000' }]])).toBe(60);
    const small = makePod([{ cpu: '3000', memory: '0' }]);
    expect(score(small, '4000', '10000', [[{ cpu: '3000', memory: '0' }]])).toBe(50);
    expect(score(small, '4000', '10000', [[{ cpu: '3000', memory: '5000' }]])).toBe(25);
    expect(leastAllocated(makePod(), newNodeInfo(makeNode(), [makePod([{ cpu: '3000' }])]))).toBe(0);
  });

  const node = fc.record({ cpu: fc.nat(4000), memory: fc.nat(4000) });
  const req = fc.record({ cpu: fc.nat(3000), memory: fc.nat(3000) });
  const asPod = (r: { cpu: number; memory: number }) => makePod([{ cpu: `${r.cpu}m`, memory: r.memory }]);
  test.prop([node, fc.array(req, { maxLength: 3 }), req, req])(
    'stays in 0..100 and never rises as the pod asks for more',
    (n, existing, r, more) => {
      const info = newNodeInfo(makeNode({ cpu: `${n.cpu}m`, memory: n.memory }), existing.map(asPod));
      const before = leastAllocated(asPod(r), info);
      const after = leastAllocated(asPod({ cpu: r.cpu + more.cpu, memory: r.memory + more.memory }), info);
      expect(before).toBeGreaterThanOrEqual(0);
      expect(before).toBeLessThanOrEqual(100);
      expect(Number.isInteger(before)).toBe(true);
      expect(after).toBeLessThanOrEqual(before);
    },
  );
});
