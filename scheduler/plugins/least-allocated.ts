import type { Pod } from '../../api/schemas/pod.js';
import type { NodeInfo } from './node-info.js';
import { allocation, MAX_NODE_SCORE, weightedScore } from './resource-allocation.js';

/**
 * The default score: favours the node with the most left free. Per resource
 * (capacity - requested) * 100 / capacity, 0 once over capacity; the node's score is the mean.
 * Example from upstream's tests (reused in the test): a pod of 3 CPUs and 5000 bytes on an empty
 * node of 4 CPUs and 10000 bytes scores (25 + 50) / 2 = 37.
 */
export function leastAllocated(pod: Pod, nodeInfo: NodeInfo): number {
  return weightedScore(allocation(pod, nodeInfo, true), free);
}

const free = (requested: number, capacity: number) =>
  requested > capacity ? 0 : Math.floor(((capacity - requested) * MAX_NODE_SCORE) / capacity);
