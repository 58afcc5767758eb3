import type { Pod } from '../api/schemas/pod.js';
import { balancedAllocation, failureMessage, leastAllocated, mostAllocated, runFilters, type NodeInfo } from './plugins/index.js';

export type ScoreName = 'LeastAllocated' | 'MostAllocated' | 'BalancedAllocation';

export const SCORES: Record<ScoreName, (pod: Pod, nodeInfo: NodeInfo) => number> = {
  LeastAllocated: leastAllocated,
  MostAllocated: mostAllocated,
  BalancedAllocation: balancedAllocation,
};

/** One node's verdict: why it was filtered out, or what it scored. */
export interface Verdict {
  readonly node: string;
  readonly fits: boolean;
  readonly reasons?: readonly string[];
  readonly score?: number;
}

export type Decision =
  | { readonly fits: true; readonly node: string; readonly verdicts: readonly Verdict[] }
  | { readonly fits: false; readonly message: string; readonly verdicts: readonly Verdict[] };

/**
 * The scheduling cycle without I/O: filter every node, score the feasible ones, and pick the best,
 * ties broken by `random` so that equal nodes share the load instead of the first taking it all.
 *
 *   decide(pod(2 CPUs), [node-1: 1 CPU free, node-2: 1 CPU free], 'LeastAllocated', random)
 *     = { fits: false, message: '0/2 nodes are available: 2 Insufficient cpu.', verdicts }
 */
export function decide(pod: Pod, nodes: readonly NodeInfo[], score: ScoreName, random: () => number): Decision {
  const verdicts: Verdict[] = nodes.map((info) => {
    const node = info.node.metadata?.name ?? '';
    const result = runFilters(pod, info);
    return result.fits ? { node, fits: true, score: SCORES[score](pod, info) } : { node, fits: false, reasons: result.reasons };
  });
  const feasible = verdicts.filter((v) => v.fits);
  if (feasible.length === 0) {
    return { fits: false, message: failureMessage(nodes.length, verdicts.map((v) => v.reasons ?? [])), verdicts };
  }
  const best = Math.max(...feasible.map((v) => v.score ?? 0));
  const tied = feasible.filter((v) => (v.score ?? 0) === best);
  const pick = tied[Math.min(tied.length - 1, Math.floor(random() * tied.length))] ?? tied[0]!;
  return { fits: true, node: pick.node, verdicts };
}
