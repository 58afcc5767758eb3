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

/** `verdicts`: every node looked at, in order, when the caller keeps them; empty otherwise. */
export type Decision = (
  | { readonly fits: true; readonly node: string; readonly verdicts: readonly Verdict[] }
  | { readonly fits: false; readonly message: string; readonly verdicts: readonly Verdict[] }
) & {
  /** How many nodes were filtered: where the next decision starts looking. */
  readonly processed: number;
};

/** Which nodes one decision looks at: `limit` feasible ones found from `start`, going round. */
export interface Search {
  start: number;
  limit: number;
}

/**
 * How many feasible nodes are enough, as upstream's numFeasibleNodesToFind: every node below 100;
 * above, an adaptive share (50% less 1% per 125 nodes, at least 5%), never under 100. In big
 * clusters this is what keeps a decision cheap: 5,000 nodes stop at the first 500 that fit.
 *
 *   numFeasibleNodesToFind(50) = 50; numFeasibleNodesToFind(1000) = 420; numFeasibleNodesToFind(5000) = 500
 */
export function numFeasibleNodesToFind(nodes: number): number {
  if (nodes < 100) return nodes;
  const percentage = Math.max(5, 50 - Math.trunc(nodes / 125));
  return Math.max(100, Math.trunc((nodes * percentage) / 100));
}

/**
 * The scheduling cycle without I/O: filter nodes from `search.start` on, going round, until
 * `search.limit` fit (every node by default); score the feasible ones, and pick the best, ties
 * broken by `random` so that equal nodes share the load instead of the first taking it all. A pod
 * is unschedulable only when every node was filtered out.
 *
 *   decide(pod(2 CPUs), [node-1: 1 CPU free, node-2: 1 CPU free], 'LeastAllocated', random)
 *     = { fits: false, message: '0/2 nodes are available: 2 Insufficient cpu.', verdicts, processed: 2 }
 */
/**
 * Whether a decision keeps each node's verdict. A scheduler that explains nothing keeps only the
 * reasons of nodes that failed (for its message): it looks at hundreds of nodes for every pod, and
 * an object for each was a tenth of its CPU.
 */
export type Keep = 'every verdict' | 'failures only';

/** Nodes in a fixed order, read one at a time: an array of NodeInfos is one. */
export interface NodeList {
  readonly length: number;
  at(i: number): NodeInfo | undefined;
}

export function decide(pod: Pod, nodes: NodeList, score: ScoreName, random: () => number, search?: Search, keep: Keep = 'every verdict'): Decision {
  const limit = search?.limit ?? nodes.length;
  const start = nodes.length === 0 ? 0 : (search?.start ?? 0) % nodes.length;
  const scoreOf = SCORES[score];
  const all = keep === 'every verdict';
  const verdicts: Verdict[] = [];
  // Why each node failed, for the message when none fits; kept whatever is asked.
  const failures: Array<readonly string[]> = [];
  // The best score so far and the feasible nodes that have it, in the order they were found.
  let best = -1;
  let tied: string[] = [];
  let found = 0;
  let i = 0;
  for (; i < nodes.length && found < limit; i++) {
    const info = nodes.at((start + i) % nodes.length)!;
    const result = runFilters(pod, info);
    if (!result.fits) {
      failures.push(result.reasons);
      if (all) verdicts.push({ node: info.name, fits: false, reasons: result.reasons });
      continue;
    }
    found++;
    const node = info.name;
    const s = scoreOf(pod, info);
    if (all) verdicts.push({ node, fits: true, score: s });
    if (s > best) {
      best = s;
      tied = [node];
    } else if (s === best) tied.push(node);
  }
  const processed = i;
  if (found === 0) return { fits: false, message: failureMessage(nodes.length, failures), verdicts, processed };
  const pick = tied[Math.min(tied.length - 1, Math.floor(random() * tied.length))] ?? tied[0]!;
  return { fits: true, node: pick, verdicts, processed };
}
