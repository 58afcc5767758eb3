import type { Pod } from '../../api/schemas/pod.js';
import type { NodeInfo } from './node-info.js';
import { allocation, MAX_NODE_SCORE, pairs } from './resource-allocation.js';

/**
 * Favours the node whose CPU and memory would be used in the same proportion, so neither is
 * stranded. With f = min(1, requested / allocatable) per resource, the score is
 * trunc((1 - |f_cpu - f_mem| / 2) * 100), in float arithmetic as upstream. Example (reused in the
 * test): a pod of 3 CPUs and 5000 bytes on an empty node of 4 CPUs and 10000 bytes has fractions
 * 0.75 and 0.5, so trunc((1 - 0.125) * 100) = 87.
 */
export function balancedAllocation(pod: Pod, nodeInfo: NodeInfo): number {
  const fractions = pairs(allocation(pod, nodeInfo, false))
    .filter(([, capacity]) => capacity !== 0)
    .map(([requested, capacity]) => Math.min(1, requested / capacity));
  const [a, b] = fractions;
  // One resource alone is always balanced; upstream's general standard deviation covers more than two.
  const std = a === undefined || b === undefined ? 0 : Math.abs((a - b) / 2);
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}
