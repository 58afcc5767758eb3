import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Toleration } from '../../api/schemas/pod.js';
import { failureMessage } from './failure-message.js';
import { runFilters } from './filters.js';
import { makeNode, makePod } from './fixtures.js';
import { newNodeInfo } from './node-info.js';

const usage = fc.record({ cpu: fc.nat(1000), memory: fc.nat(1000) });
const nodeArb = fc.record({
  cpu: fc.nat(2000),
  memory: fc.nat(2000),
  pods: fc.nat(3),
  ready: fc.boolean(),
  unschedulable: fc.boolean(),
  zone: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
  taint: fc.option(fc.constantFrom('NoSchedule', 'NoExecute', 'PreferNoSchedule') as fc.Arbitrary<'NoSchedule' | 'NoExecute' | 'PreferNoSchedule'>, { nil: undefined }),
  existing: fc.array(fc.tuple(usage, fc.constantFrom('Running', 'Succeeded')), { maxLength: 3 }),
});
const podArb = fc.record({
  cpu: fc.nat(1000),
  memory: fc.nat(1000),
  nodeName: fc.option(fc.constantFrom('node-0', 'node-1', 'node-2', 'node-3'), { nil: undefined }),
  zone: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
  toleratesTaint: fc.boolean(),
  toleratesCordon: fc.boolean(),
});

describe('runFilters', () => {
  it('reports the first failing filter, in upstream order', () => {
    const info = newNodeInfo(makeNode({ unschedulable: true, ready: 'False', cpu: 0 }), []);
    expect(runFilters(makePod([{ cpu: 1 }]), info)).toMatchObject({ reason: 'node(s) were unschedulable' });
  });

  test.prop([fc.array(nodeArb, { minLength: 1, maxLength: 3 }), podArb], { numRuns: 1000 })(
    'leaves a pod unschedulable only when no node fits, by a direct model',
    (nodes, p) => {
      const tolerations: Toleration[] = [
        ...(p.toleratesTaint ? [{ key: 't', operator: 'Exists' as const }] : []),
        ...(p.toleratesCordon ? [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists' as const }] : []),
      ];
      const pod = makePod([{ cpu: `${p.cpu}m`, memory: p.memory }], {
        tolerations,
        ...(p.nodeName ? { nodeName: p.nodeName } : {}),
        ...(p.zone ? { nodeSelector: { zone: p.zone } } : {}),
      });
      const infos = nodes.map((n, i) =>
        newNodeInfo(
          makeNode({
            name: `node-${i}`,
            cpu: `${n.cpu}m`,
            memory: n.memory,
            pods: n.pods,
            ready: n.ready ? 'True' : 'False',
            unschedulable: n.unschedulable,
            ...(n.zone ? { labels: { zone: n.zone } } : {}),
            ...(n.taint ? { taints: [{ key: 't', value: 'v', effect: n.taint }] } : {}),
          }),
          n.existing.map(([u, phase]) => makePod([{ cpu: `${u.cpu}m`, memory: u.memory }], {}, phase)),
        ),
      );
      const modelFits = nodes.map((n, i) => {
        const live = n.existing.filter(([, phase]) => phase === 'Running').map(([u]) => u);
        const usedCpu = live.reduce((a, u) => a + u.cpu, 0);
        const usedMem = live.reduce((a, u) => a + u.memory, 0);
        return (
          (!n.unschedulable || p.toleratesCordon) &&
          (p.nodeName === undefined || p.nodeName === `node-${i}`) &&
          n.ready &&
          (n.taint === undefined || n.taint === 'PreferNoSchedule' || p.toleratesTaint) &&
          (p.zone === undefined || p.zone === n.zone) &&
          live.length + 1 <= n.pods &&
          (p.cpu === 0 || usedCpu + p.cpu <= n.cpu) &&
          (p.memory === 0 || usedMem + p.memory <= n.memory)
        );
      });
      const results = infos.map((info) => runFilters(pod, info));
      expect(results.map((r) => r.fits)).toEqual(modelFits);
      if (!modelFits.some(Boolean)) {
        const message = failureMessage(nodes.length, results.map((r) => (r.fits ? [] : r.reasons)));
        expect(message.startsWith(`0/${nodes.length} nodes are available: `)).toBe(true);
        const counted = [...message.matchAll(/(?:: |, )(\d+) /g)].reduce((a, m) => a + Number(m[1]), 0);
        expect(counted).toBeGreaterThanOrEqual(nodes.length);
      }
    },
  );
});
