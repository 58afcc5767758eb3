import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { makeNode, makePod } from './fixtures.js';
import { newNodeInfo } from './node-info.js';
import { nodeResourcesFit } from './node-resources-fit.js';

describe('nodeResourcesFit', () => {
  it('names every resource the pod would over-commit (doc example)', () => {
    const info = newNodeInfo(makeNode({ cpu: 1, memory: '1Gi', pods: 1 }), [makePod([{ cpu: '600m' }])]);
    const result = nodeResourcesFit(makePod([{ cpu: '500m', memory: '2Gi' }]), info);
    expect(result).toMatchObject({ fits: false, reasons: ['Too many pods', 'Insufficient cpu', 'Insufficient memory'] });
  });

  it('admits a pod of zero requests even onto an over-committed node', () => {
    const info = newNodeInfo(makeNode({ cpu: 1, memory: 10 }), [makePod([{ cpu: 2, memory: 20 }])]);
    expect(nodeResourcesFit(makePod([{}]), info)).toEqual({ fits: true });
    expect(nodeResourcesFit(makePod([{ cpu: '1m' }]), info)).toMatchObject({ reason: 'Insufficient cpu' });
  });

  it('admits a pod that fills the node exactly', () => {
    const info = newNodeInfo(makeNode({ cpu: 1, memory: 100, pods: 2 }), [makePod([{ cpu: '400m', memory: 40 }])]);
    expect(nodeResourcesFit(makePod([{ cpu: '600m', memory: 60 }]), info)).toEqual({ fits: true });
  });

  const reqs = fc.array(fc.record({ cpu: fc.nat(2000), memory: fc.nat(2000) }), { maxLength: 3 });
  const phase = fc.constantFrom('Running', 'Pending', 'Succeeded', 'Failed');
  test.prop([fc.nat(3000), fc.nat(3000), fc.nat(4), fc.array(fc.tuple(reqs, phase), { maxLength: 5 }), reqs])(
    'never admits a pod that would over-commit cpu, memory or pod count',
    (cpu, memory, pods, existing, incoming) => {
      const placed = existing.map(([r, p]) => makePod(r.map((x) => ({ cpu: `${x.cpu}m`, memory: x.memory })), {}, p));
      const pod = makePod(incoming.map((x) => ({ cpu: `${x.cpu}m`, memory: x.memory })));
      const fits = nodeResourcesFit(pod, newNodeInfo(makeNode({ cpu: `${cpu}m`, memory, pods }), placed)).fits;
      // The model: sums over non-terminal pods, straight from the generated numbers.
      const live = existing.filter(([, p]) => p !== 'Succeeded' && p !== 'Failed').map(([r]) => r);
      const sum = (rs: typeof incoming, k: 'cpu' | 'memory') => rs.reduce((a, x) => a + x[k], 0);
      const podCpu = sum(incoming, 'cpu');
      const podMem = sum(incoming, 'memory');
      const usedCpu = live.reduce((a, r) => a + sum(r, 'cpu'), 0);
      const usedMem = live.reduce((a, r) => a + sum(r, 'memory'), 0);
      // A resource the pod does not request cannot be over-committed by it, even on a full node.
      const modelFits =
        live.length + 1 <= pods && (podCpu === 0 || usedCpu + podCpu <= cpu) && (podMem === 0 || usedMem + podMem <= memory);
      expect(fits).toBe(modelFits);
    },
  );
});
