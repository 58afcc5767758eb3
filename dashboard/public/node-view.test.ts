import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { compareNames, nodeFill, nodeMarks, podRequests } from './node-view.js';

const node = { status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' } } };
const pod = (cpu: string, memory = '0', phase = 'Running') => ({
  spec: { containers: [{ name: 'c', resources: { requests: { cpu, memory } } }] },
  status: { phase },
});

describe('nodeFill', () => {
  it('fills a node by its pods requests, as the doc comment says', () => {
    const fill = nodeFill(node, [pod('500m', '1Gi'), pod('1', '1Gi')]);
    expect(fill.cpu).toEqual({ used: 1.5, total: 2, percent: 75 });
    expect(fill.memory.percent).toBe(50);
    expect(fill.pods).toEqual({ used: 2, total: 110, percent: 2 });
  });

  it('leaves out finished pods and caps an over-committed node at 100%', () => {
    expect(nodeFill(node, [pod('1', '0', 'Succeeded'), pod('1', '0', 'Failed')]).cpu.used).toBe(0);
    expect(nodeFill(node, [pod('3')]).cpu.percent).toBe(100);
  });

  it('counts the largest init container when it asks for more, plus the overhead', () => {
    const p = {
      spec: {
        containers: [{ name: 'a', resources: { requests: { cpu: '100m' } } }],
        initContainers: [{ name: 'i', resources: { requests: { cpu: '1' } } }],
        overhead: { cpu: '250m' },
      },
    };
    expect(podRequests(p).cpu).toBeCloseTo(1.25);
  });

  test.prop([fc.array(fc.integer({ min: 0, max: 4000 }), { maxLength: 30 }), fc.integer({ min: 0, max: 4000 })])(
    'stays within 0..100% and never shrinks when a pod is added',
    (millis, extra) => {
      const pods = millis.map((m) => pod(`${m}m`));
      const before = nodeFill(node, pods).cpu.percent;
      const after = nodeFill(node, [...pods, pod(`${extra}m`)]).cpu.percent;
      expect(before).toBeGreaterThanOrEqual(0);
      expect(after).toBeLessThanOrEqual(100);
      expect(after).toBeGreaterThanOrEqual(before);
    },
  );
});

describe('nodeMarks', () => {
  it('marks a healthy node with nothing, and each problem with its own mark', () => {
    expect(nodeMarks({ status: { conditions: [{ type: 'Ready', status: 'True' }] } })).toEqual({
      ready: 'True', notReady: false, cordoned: false, stopped: false, noExecute: false,
    });
    const sick = nodeMarks({
      metadata: { annotations: { 'minik.dev/heartbeats': 'stopped' } },
      spec: { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] },
      status: { conditions: [{ type: 'Ready', status: 'Unknown' }] },
    });
    expect(sick).toEqual({ ready: 'Unknown', notReady: true, cordoned: true, stopped: true, noExecute: true });
    expect(nodeMarks({}).notReady).toBe(true);
  });

  it('orders names as people count', () => {
    expect(['node-10', 'node-2', 'node-1'].sort(compareNames)).toEqual(['node-1', 'node-2', 'node-10']);
  });
});
