import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { balancedAllocation } from './balanced-allocation.js';
import { makeNode, makePod } from './fixtures.js';
import { newNodeInfo } from './node-info.js';

describe('balancedAllocation', () => {
  it('scores the doc example: trunc((1 - |0.75 - 0.5| / 2) * 100) = 87', () => {
    const pod = makePod([{ cpu: '1000', memory: '2000' }, { cpu: '2000', memory: '3000' }]);
    expect(balancedAllocation(pod, newNodeInfo(makeNode({ cpu: '4000', memory: '10000' }), []))).toBe(87);
  });

  it('weighs real requests, not the scoring defaults', () => {
    // With defaults the memory fraction would be 200Mi / 1Gi; without them both fractions are 0.
    expect(balancedAllocation(makePod([{}]), newNodeInfo(makeNode({ cpu: 1, memory: '1Gi' }), []))).toBe(100);
  });

  const size = fc.integer({ min: 1, max: 1000 });
  test.prop([size, size, fc.nat(2000), size])(
    'is 100 when the cpu and memory fractions are equal',
    (cpuUnit, memUnit, used, capacity) => {
      const node = makeNode({ cpu: `${capacity * cpuUnit}m`, memory: capacity * memUnit });
      const pod = makePod([{ cpu: `${used * cpuUnit}m`, memory: used * memUnit }]);
      expect(balancedAllocation(pod, newNodeInfo(node, []))).toBe(100);
    },
  );

  const req = fc.record({ cpu: fc.nat(3000), memory: fc.nat(3000) });
  test.prop([fc.nat(4000), fc.nat(4000), fc.array(req, { maxLength: 3 }), req])('stays in 0..100', (cpu, memory, existing, r) => {
    const asPod = (x: { cpu: number; memory: number }) => makePod([{ cpu: `${x.cpu}m`, memory: x.memory }]);
    const s = balancedAllocation(asPod(r), newNodeInfo(makeNode({ cpu: `${cpu}m`, memory }), existing.map(asPod)));
    expect(Number.isInteger(s) && s >= 0 && s <= 100).toBe(true);
  });
});
