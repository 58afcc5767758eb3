import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Node, Taint } from '../../api/schemas/cluster.js';
import { conditionTaints, TAINT_NOT_READY, TAINT_UNREACHABLE, withTaints } from './taints.js';

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:01:00Z';
const status = fc.constantFrom('True', 'False', 'Unknown', undefined);
const conditionsArb = fc.record({ Ready: status, MemoryPressure: status, DiskPressure: status, PIDPressure: status, NetworkUnavailable: status });
const nodeOf = (c: Record<string, string | undefined>, unschedulable = false, taints: Taint[] = []): Node => ({
  spec: { ...(unschedulable ? { unschedulable } : {}), taints },
  status: { conditions: Object.entries(c).filter(([, s]) => s).map(([type, s]) => ({ type, status: s as 'True' | 'False' | 'Unknown' })) },
});
const foreign: fc.Arbitrary<Taint[]> = fc.array(
  fc.record({ key: fc.constantFrom('dedicated', 'gpu', 'example.com/x'), effect: fc.constantFrom<Taint['effect']>('NoSchedule', 'NoExecute', 'PreferNoSchedule') }),
  { maxLength: 3 },
);
const ids = (ts: readonly Taint[]) => ts.map((t) => `${t.key}:${t.effect}`).sort();

describe('conditionTaints and withTaints', () => {
  it('taints an unreachable node NoSchedule and NoExecute (the doc example), and a ready one not at all', () => {
    expect(conditionTaints(nodeOf({ Ready: 'Unknown' }))).toEqual([
      { key: TAINT_UNREACHABLE, effect: 'NoSchedule' },
      { key: TAINT_UNREACHABLE, effect: 'NoExecute' },
    ]);
    expect(conditionTaints(nodeOf({ Ready: 'True' }))).toEqual([]);
    expect(ids(conditionTaints(nodeOf({ Ready: 'False', DiskPressure: 'True' }, true)))).toEqual([
      'node.kubernetes.io/disk-pressure:NoSchedule',
      `${TAINT_NOT_READY}:NoExecute`,
      `${TAINT_NOT_READY}:NoSchedule`,
      'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
  });

  test.prop([conditionsArb, fc.boolean(), conditionsArb, fc.boolean(), foreign])(
    'the managed taints are a function of the conditions alone, whatever taints the node had before; others are kept',
    (before, cordonedBefore, now, cordoned, theirs) => {
      const start = withTaints(theirs, conditionTaints(nodeOf(before, cordonedBefore)), T0) ?? theirs;
      const node = nodeOf(now, cordoned, start);
      const after = withTaints(start, conditionTaints(node), T1) ?? start;
      const fresh = withTaints(theirs, conditionTaints(node), T1) ?? theirs;
      expect(ids(after)).toEqual(ids(fresh));
      for (const t of theirs) expect(after).toContainEqual(t);
      // Settled: asking again changes nothing.
      expect(withTaints(after, conditionTaints(node), T1)).toBeUndefined();
      // Only NoExecute taints carry timeAdded; one that stayed keeps its first one.
      for (const t of after) if (t.effect !== 'NoExecute') expect(t.timeAdded).toBeUndefined();
      for (const t of start) if (t.timeAdded) expect(after.find((a) => a.key === t.key && a.effect === t.effect)?.timeAdded ?? t.timeAdded).toBe(t.timeAdded);
    },
  );
});
