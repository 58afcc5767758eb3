import type { Taint } from '../../api/schemas/cluster.js';
import type { Pod, Toleration } from '../../api/schemas/pod.js';
import { toleratesTaint } from '../../scheduler/plugins/toleration.js';

export interface EvictionInput {
  /** The node's taints; only NoExecute ones matter here. */
  taints: readonly Readonly<Taint>[];
  /** The pods bound to the node. */
  pods: readonly Readonly<Pod>[];
  now: number;
  /** MINIK_SPEED: tolerationSeconds divide by it, as every simulated duration does. */
  speed: number;
}

export interface EvictionPlan {
  /** Pods to delete now. */
  evict: Readonly<Pod>[];
  /** When the next toleration runs out, if one is running: look again then. */
  recheckAfterMs?: number;
}

/**
 * The tolerations upstream's GetMatchingTolerations picks: for each taint the first toleration
 * that tolerates it; undefined if some taint is tolerated by none.
 */
function matchingTolerations(taints: readonly Readonly<Taint>[], tolerations: readonly Readonly<Toleration>[]): Readonly<Toleration>[] | undefined {
  const used: Readonly<Toleration>[] = [];
  for (const taint of taints) {
    const t = tolerations.find((tol) => toleratesTaint(tol, taint));
    if (!t) return undefined;
    used.push(t);
  }
  return used;
}

/** Upstream's getMinTolerationTime, in seconds: 0 if any says 0 or less, Infinity if none is bounded. */
function minTolerationSeconds(used: readonly Readonly<Toleration>[]): number {
  let min = Infinity;
  for (const t of used) {
    if (t.tolerationSeconds === undefined) continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = Math.min(min, t.tolerationSeconds);
  }
  return min;
}

/**
 * The NoExecute taint manager (pkg/controller/tainteviction) for one node: a pod that does not
 * tolerate every NoExecute taint is deleted at once; one that tolerates them all for a while is
 * deleted when the shortest tolerationSeconds among the tolerations used runs out, counted from
 * when the node was first tainted (the earliest timeAdded, or the pod's creation if later); one
 * tolerating them for good stays. Pods already being deleted are left alone.
 *
 *   // node tainted unreachable:NoExecute at t=0, speed 1; web-1 has the API server's default
 *   // toleration of 300 s, batch-1 tolerates nothing of the kind (it said tolerationSeconds: 0):
 *   planEvictions({ taints, pods: [web1, batch1], now: 10_000, speed: 1 })
 *     // { evict: [batch1], recheckAfterMs: 290_000 }
 *   planEvictions({ taints, pods: [web1], now: 300_000, speed: 1 })   // { evict: [web1] }
 */
export function planEvictions(input: EvictionInput): EvictionPlan {
  const noExecute = input.taints.filter((t) => t.effect === 'NoExecute');
  if (noExecute.length === 0) return { evict: [] };
  const taintedSince = Math.min(...noExecute.map((t) => (t.timeAdded ? Date.parse(t.timeAdded) : -Infinity)));
  const evict: Readonly<Pod>[] = [];
  let next = Infinity;
  for (const pod of input.pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    const used = matchingTolerations(noExecute, pod.spec?.tolerations ?? []);
    if (!used) {
      evict.push(pod);
      continue;
    }
    const seconds = minTolerationSeconds(used);
    if (seconds === Infinity) continue;
    const created = pod.metadata?.creationTimestamp ? Date.parse(pod.metadata.creationTimestamp) : -Infinity;
    const start = Math.max(taintedSince, created);
    const at = (Number.isFinite(start) ? start : input.now) + (seconds * 1000) / input.speed;
    if (input.now >= at) evict.push(pod);
    else next = Math.min(next, at - input.now);
  }
  return { evict, ...(Number.isFinite(next) ? { recheckAfterMs: next } : {}) };
}
