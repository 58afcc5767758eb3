import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { makeNode, makePod } from './fixtures.js';
import { mostAllocated } from './most-allocated.js';
import { newNodeInfo } from './node-info.js';

describe('mostAllocated', () => {
  it('scores the doc example: (75 + 50) / 2 = 62', () => {
    const pod = makePod([{ cpu: '1000', memory: '2000' }, { cpu: '2000', memory: '3000' }]);
    expect(mostAllocated(pod, newNodeInfo(makeNode({ cpu: '4000', memory: '10000' }), []))).toBe(62);
  });

  it('caps each resource at full, and scores a node without resources 0', () => {
    const pod = makePod([{ cpu: '8000', memory: '5000' }]);
    expect(mostAllocated(pod, newNodeInfo(makeNode({ cpu: '4000', memory: '10000' }), []))).toBe(75);
    expect(mostAllocated(pod, newNodeInfo(makeNode(), []))).toBe(0);
  });

  const node = fc.record({ cpu: fc.nat(4000), memory: fc.nat(4000) });
  const req = fc.record({ cpu: fc.nat(3000), memory: fc.nat(3000) });
  const asPod = (r: { cpu: number; memory: number }) => makePod([{ cpu: `${r.cpu}m`, memory: r.memory }]);
  test.prop([node, fc.array(req, { maxLength: 3 }), req, req])(
    'stays in 0..100 and never falls as the pod asks for more',
    (n, existing, r, more) => {
      const info = newNodeInfo(makeNode({ cpu: `${n.cpu}m`, memory: n.memory }), existing.map(asPod));
      const before = mostAllocated(asPod(r), info);
      const after = mostAllocated(asPod({ cpu: r.cpu + more.cpu, memory: r.memory + more.memory }), info);
      expect(before).toBeGreaterThanOrEqual(0);
      expect(after).toBeLessThanOrEqual(100);
      expect(Number.isInteger(before)).toBe(true);
      expect(after).toBeGreaterThanOrEqual(before);
    },
  );
});
