import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Node } from '../../api/schemas/cluster.js';
import { planNode, type NodeAction } from './plan.js';

const START = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const kubeletConditions = (ready: 'True' | 'False', at: string) => [
  { type: 'MemoryPressure', status: 'False' as const, reason: 'KubeletHasSufficientMemory', lastHeartbeatTime: at, lastTransitionTime: at },
  { type: 'DiskPressure', status: 'False' as const, reason: 'KubeletHasNoDiskPressure', lastHeartbeatTime: at, lastTransitionTime: at },
  { type: 'PIDPressure', status: 'False' as const, reason: 'KubeletHasSufficientPID', lastHeartbeatTime: at, lastTransitionTime: at },
  { type: 'Ready', status: ready, reason: 'KubeletReady', lastHeartbeatTime: at, lastTransitionTime: at },
];
const node2: Node = { metadata: { name: 'node-2' }, status: { conditions: kubeletConditions('True', iso(START)) } };

/** The node after the plan's writes, as the API server would hold it. */
function applied(node: Node, actions: NodeAction[]): Node {
  let out = node;
  for (const a of actions) {
    if (a.type === 'updateStatus') out = { ...out, status: { ...out.status, conditions: a.conditions } };
    if (a.type === 'setTaints') out = { ...out, spec: { ...out.spec, taints: a.taints } };
  }
  return out;
}

describe('planNode', () => {
  it('marks a node silent for longer than the grace period Unknown and unreachable (the doc example)', () => {
    const { actions, recheckAfterMs } = planNode({ node: node2, now: START + 41_000, lastProbe: START, gracePeriodMs: 40_000 });
    expect(recheckAfterMs).toBeUndefined();
    const status = actions.find((a) => a.type === 'updateStatus');
    const ready = status?.type === 'updateStatus' ? status.conditions.find((c) => c.type === 'Ready') : undefined;
    expect(ready).toEqual({
      type: 'Ready',
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
      lastHeartbeatTime: iso(START),
      lastTransitionTime: iso(START + 41_000),
    });
    expect(status?.type === 'updateStatus' && status.conditions.every((c) => c.status === 'Unknown')).toBe(true);
    expect(actions.filter((a) => a.type !== 'updateStatus')).toEqual([
      { type: 'event', reason: 'NodeNotReady', message: 'Node node-2 status is now: NodeNotReady' },
      {
        type: 'setTaints',
        taints: [
          { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
          { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: iso(START + 41_000) },
        ],
      },
    ]);
  });

  it('leaves a node heard from within the grace period alone, and looks again when it would go stale', () => {
    expect(planNode({ node: node2, now: START + 10_000, lastProbe: START, gracePeriodMs: 40_000 })).toEqual({ actions: [], recheckAfterMs: 30_001 });
  });

  it('taints a node its kubelet reports not ready, with no NodeNotReady event of its own', () => {
    const notReady: Node = { metadata: { name: 'node-3' }, status: { conditions: kubeletConditions('False', iso(START)) } };
    const { actions } = planNode({ node: notReady, now: START + 1_000, lastProbe: START, gracePeriodMs: 40_000 });
    expect(actions).toEqual([
      {
        type: 'setTaints',
        taints: [
          { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' },
          { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: iso(START + 1_000) },
        ],
      },
    ]);
  });

  test.prop([fc.constantFrom<'True' | 'False'>('True', 'False'), fc.nat(100_000), fc.nat(100_000), fc.integer({ min: 1, max: 60_000 })])(
    'a node is judged silent exactly when the grace period has passed, and a settled node plans nothing',
    (ready, probeAge, later, grace) => {
      const node: Node = { metadata: { name: 'n' }, status: { conditions: kubeletConditions(ready, iso(START)) } };
      const now = START + probeAge;
      const first = planNode({ node, now, lastProbe: START, gracePeriodMs: grace });
      const marked = first.actions.some((a) => a.type === 'updateStatus');
      expect(marked).toBe(probeAge > grace);
      expect(first.actions.some((a) => a.type === 'event')).toBe(marked && ready === 'True');
      const settled = applied(node, first.actions);
      // Nothing changed since: no writes at once, and none later for a node already marked.
      expect(planNode({ node: settled, now, lastProbe: START, gracePeriodMs: grace }).actions).toEqual([]);
      if (marked) expect(planNode({ node: settled, now: now + later, lastProbe: START, gracePeriodMs: grace }).actions).toEqual([]);
    },
  );

  it('removes the unreachable taints once the kubelet posts Ready=True again', () => {
    const stale = planNode({ node: node2, now: START + 41_000, lastProbe: START, gracePeriodMs: 40_000 });
    const unknown = applied(node2, stale.actions);
    const back = { ...unknown, status: { conditions: kubeletConditions('True', iso(START + 60_000)) } };
    expect(planNode({ node: back, now: START + 60_000, lastProbe: START + 60_000, gracePeriodMs: 40_000 }).actions).toEqual([{ type: 'setTaints', taints: [] }]);
  });
});
