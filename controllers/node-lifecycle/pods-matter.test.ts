import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Node, Taint } from '../../api/schemas/cluster.js';
import type { Pod, Toleration } from '../../api/schemas/pod.js';
import { planEvictions } from './evictions.js';
import { podsToMarkNotReady } from './mark-pods-not-ready.js';
import { podsMatter } from './pods-matter.js';

const T = Date.parse('2026-11-21T10:00:00Z');
const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const keys = ['node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready', 'dedicated'];

const taint: fc.Arbitrary<Taint> = fc.record({
  key: fc.constantFrom(...keys),
  effect: fc.constantFrom('NoSchedule', 'PreferNoSchedule', 'NoExecute'),
  timeAdded: fc.integer({ min: -600, max: 0 }).map((s) => stamp(T + s * 1000)),
}) as fc.Arbitrary<Taint>;

const node: fc.Arbitrary<Node> = fc
  .record({ ready: fc.option(fc.constantFrom('True', 'False', 'Unknown'), { nil: undefined }), taints: fc.array(taint, { maxLength: 3 }) })
  .map(({ ready, taints }) => ({
    metadata: { name: 'node-2' },
    spec: { taints },
    status: { conditions: ready ? [{ type: 'Ready', status: ready }] : [] },
  }));

const toleration: fc.Arbitrary<Toleration> = fc.record(
  {
    key: fc.constantFrom(...keys),
    operator: fc.constant('Exists'),
    effect: fc.constantFrom('NoSchedule', 'NoExecute'),
    tolerationSeconds: fc.integer({ min: 0, max: 600 }),
  },
  { requiredKeys: ['key', 'operator'] },
) as fc.Arbitrary<Toleration>;

const pod: fc.Arbitrary<Pod> = fc
  .record({
    name: fc.constantFrom('web-1', 'web-2', 'job'),
    phase: fc.constantFrom('Pending', 'Running', 'Succeeded', 'Failed'),
    ready: fc.constantFrom('True', 'False'),
    tolerations: fc.array(toleration, { maxLength: 3 }),
    deleting: fc.boolean(),
  })
  .map(({ name, phase, ready, tolerations, deleting }) => ({
    metadata: { name, namespace: 'default', creationTimestamp: stamp(T - 900_000), ...(deleting ? { deletionTimestamp: stamp(T) } : {}) },
    spec: { nodeName: 'node-2', containers: [{ name: 'c', image: 'nginx' }], tolerations },
    status: { phase: phase as 'Running', conditions: [{ type: 'Ready', status: ready }] },
  }));

describe('podsMatter', () => {
  it('holds for a node that is not Ready or is tainted NoExecute, not for a healthy one (the doc examples)', () => {
    const ready: Node = { metadata: { name: 'node-2' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } };
    expect(podsMatter(ready)).toBe(false);
    expect(podsMatter({ ...ready, spec: { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] } })).toBe(true);
    expect(podsMatter({ ...ready, spec: { taints: [{ key: 'dedicated', effect: 'NoSchedule' }] } })).toBe(false);
    expect(podsMatter({ ...ready, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } })).toBe(true);
    expect(podsMatter(undefined)).toBe(false);
  });

  it('when it does not hold, no pod on the node is marked not ready, evicted, or waited on', () => {
    fc.assert(
      fc.property(node, fc.array(pod, { maxLength: 5 }), fc.integer({ min: 0, max: 900 }), (n, pods, s) => {
        fc.pre(!podsMatter(n));
        const now = T + s * 1000;
        expect(podsToMarkNotReady(n, pods, now)).toEqual([]);
        expect(planEvictions({ taints: n.spec?.taints ?? [], pods, now, speed: 1 })).toEqual({ evict: [] });
      }),
    );
  });

  it('when it holds, a ready, running pod that tolerates nothing is marked not ready or evicted', () => {
    const bare: Pod = {
      metadata: { name: 'web-1', namespace: 'default' },
      spec: { nodeName: 'node-2', containers: [{ name: 'c', image: 'nginx' }] },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
    };
    fc.assert(
      fc.property(node, (n) => {
        fc.pre(podsMatter(n));
        const marked = podsToMarkNotReady(n, [bare], T).length;
        const evicted = planEvictions({ taints: n.spec?.taints ?? [], pods: [bare], now: T, speed: 1 }).evict.length;
        expect(marked + evicted).toBeGreaterThan(0);
      }),
    );
  });
});
