import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Taint } from '../../api/schemas/cluster.js';
import type { Pod, Toleration } from '../../api/schemas/pod.js';
import { planEvictions } from './evictions.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: iso(T0) };
const defaults = (seconds = 300): Toleration[] => [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds },
];
const pod = (name: string, tolerations: Toleration[], created = T0 - 60_000): Pod => ({
  metadata: { name, namespace: 'default', creationTimestamp: iso(created) },
  spec: { nodeName: 'node-2', containers: [{ name: 'c', image: 'nginx' }], tolerations },
});
const names = (ps: readonly Pod[]) => ps.map((p) => p.metadata?.name);

describe('planEvictions', () => {
  const web1 = pod('web-1', defaults());
  const batch1 = pod('batch-1', defaults(0));

  it('deletes a pod that tolerates the taint for 0 s at once and one with the default 300 s when that runs out (the doc example)', () => {
    const early = planEvictions({ taints: [unreachable], pods: [web1, batch1], now: T0 + 10_000, speed: 1 });
    expect([names(early.evict), early.recheckAfterMs]).toEqual([['batch-1'], 290_000]);
    expect(names(planEvictions({ taints: [unreachable], pods: [web1], now: T0 + 300_000, speed: 1 }).evict)).toEqual(['web-1']);
  });

  it('deletes a pod with no matching toleration at once, keeps one tolerating forever, and skips pods already going', () => {
    const bare = pod('bare', [{ key: 'dedicated', operator: 'Exists' }]);
    const forever = pod('forever', [{ operator: 'Exists' }, ...defaults()]);
    const going = { ...pod('going', []), metadata: { ...pod('going', []).metadata, deletionTimestamp: iso(T0) } };
    const plan = planEvictions({ taints: [unreachable], pods: [bare, forever, going], now: T0, speed: 1 });
    expect(plan).toEqual({ evict: [bare] });
  });

  it('divides tolerationSeconds by the speed, and counts from the pod creation when it came after the taint', () => {
    expect(names(planEvictions({ taints: [unreachable], pods: [web1], now: T0 + 15_000, speed: 20 }).evict)).toEqual(['web-1']);
    const late = pod('late', defaults(), T0 + 5_000);
    expect(planEvictions({ taints: [unreachable], pods: [late], now: T0 + 15_000, speed: 20 })).toEqual({ evict: [], recheckAfterMs: 5_000 });
  });

  it('ignores NoSchedule taints', () => {
    expect(planEvictions({ taints: [{ ...unreachable, effect: 'NoSchedule' }], pods: [pod('p', [])], now: T0, speed: 1 })).toEqual({ evict: [] });
  });

  const tolerationArb = fc.record(
    {
      key: fc.constantFrom('node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready', 'other'),
      operator: fc.constant<'Exists'>('Exists'),
      effect: fc.constantFrom<Toleration['effect']>('NoExecute', 'NoSchedule'),
      tolerationSeconds: fc.integer({ min: -5, max: 600 }),
    },
    { requiredKeys: ['operator'] },
  );

  test.prop([fc.array(tolerationArb, { maxLength: 4 }), fc.nat(900_000), fc.constantFrom(1, 2, 20, 100)])(
    'a pod is deleted exactly when its shortest toleration of the taint has run out, at the given speed',
    (tolerations, elapsed, speed) => {
      const p = pod('p', tolerations);
      const plan = planEvictions({ taints: [unreachable], pods: [p], now: T0 + elapsed, speed });
      const matching = tolerations.filter((t) => (t.key === undefined || t.key === unreachable.key) && (t.effect === undefined || t.effect === 'NoExecute'));
      // The first matching toleration is the one used (upstream's GetMatchingTolerations).
      const used = matching[0];
      const limitMs = !used ? 0 : used.tolerationSeconds === undefined ? Infinity : (Math.max(0, used.tolerationSeconds) * 1000) / speed;
      expect(plan.evict.length === 1).toBe(elapsed >= limitMs);
      if (plan.evict.length === 0 && Number.isFinite(limitMs)) expect(plan.recheckAfterMs).toBe(limitMs - elapsed);
    },
  );
});
