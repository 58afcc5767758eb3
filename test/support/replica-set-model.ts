import fc from 'fast-check';
import { expect } from 'vitest';
import { resolveResource } from '../../api/resources.js';
import type { Pod } from '../../api/schemas/pod.js';
import type { ReplicaSet } from '../../api/schemas/workloads.js';
import type { ControllerFactory } from '../../controllers/controller.js';
import { SimCluster } from '../../sim/cluster.js';
import { active } from './deployment-model.js';
import { webWorkload } from './web-workload.js';

/**
 * controller-rules.md: "with delayed (not lost) watch events, active pods never exceed
 * spec.replicas unless spec just went down": a ReplicaSet scaled and robbed of pods while the
 * controller manager sees every change up to MAX_DELAY_MS late; checked at every instant. What
 * keeps it true is the controller's expectations (test/sim-mutation.test.ts turns them off).
 *
 * "Just" is two delays: the controller may create a pod an instant before it sees the scale-down
 * (up to one delay after it), and then waits, as it must, until it sees that pod's creation (up to
 * one delay more) before it deletes anything.
 */
const replicaSets = resolveResource('replicasets')!;
const MAX_DELAY_MS = 3_000;
const SCALE_DOWN_GRACE_MS = 2 * MAX_DELAY_MS + 1_000;

const rs = (replicas: number): ReplicaSet => webWorkload('ReplicaSet', replicas, 'app:1', '100m');

type Step = { op: 'scale'; replicas: number; waitMs: number } | { op: 'delete-pod'; waitMs: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('scale' as const), replicas: fc.integer({ min: 0, max: 8 }), waitMs: fc.integer({ min: 100, max: 8_000 }) }),
  fc.record({ op: fc.constant('delete-pod' as const), waitMs: fc.integer({ min: 100, max: 8_000 }) }),
);

/** The property: a cluster seed and up to 12 steps; `controllers` replaces the controller manager's set. */
export const replicaSetProperty = (controllers?: ReadonlyMap<string, ControllerFactory>) =>
  fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.array(step, { minLength: 1, maxLength: 12 }), async (seed, steps) => {
    const sim = await SimCluster.start({ seed, nodes: 3, ...(controllers ? { controllers } : {}) });
    // Every spec.replicas with when it was seen: a scale-down is allowed its delay to be seen.
    const specs: { at: number; replicas: number }[] = [];
    const check = () => {
      const [set] = sim.objects<ReplicaSet>('replicasets', 'default');
      if (!set) return;
      const now = sim.clock.now();
      specs.push({ at: now, replicas: set.spec?.replicas ?? 1 });
      // Every spec in effect during the grace period: those seen in it, and the one in effect as it began.
      const start = now - SCALE_DOWN_GRACE_MS;
      const before = specs.filter((s) => s.at < start).at(-1);
      const allowed = Math.max(...specs.filter((s) => s.at >= start || s === before).map((s) => s.replicas));
      const pods = sim.objects<Pod>('pods', 'default').filter((p) => active(p) && p.metadata?.ownerReferences?.some((r) => r.uid === set.metadata?.uid));
      expect(pods.length, `${pods.length} active pods for a ReplicaSet of ${set.spec?.replicas} (at most ${allowed} lately)`).toBeLessThanOrEqual(allowed);
    };
    try {
      sim.setFaults('controller-manager', { watchDelayMs: [0, MAX_DELAY_MS] });
      await sim.client.create(replicaSets, 'default', rs(3));
      await sim.advance(10_000, check);
      for (const s of steps) {
        if (s.op === 'scale') await sim.client.patch(replicaSets, 'default', 'web', 'merge', { spec: { replicas: s.replicas } });
        else await sim.deleteRandomPod('default');
        await sim.advance(s.waitMs, check);
      }
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- last writes of the trace (cluster seed ${seed}) ---\n${sim.trace.slice(-30).join('\n')}`);
    } finally {
      await sim.stop();
    }
  });
