import type { Pod } from '../../api/schemas/pod.js';
import type { NodeInfo } from './node-info.js';
import { allocation, MAX_NODE_SCORE, weightedScore } from './resource-allocation.js';

/**
 * Bin packing: favours the fullest node. Per resource min(requested, capacity) * 100 / capacity;
 * the node's score is the mean. Example (reused in the test): a pod of 3 CPUs and 5000 bytes on an
 * empty node of 4 CPUs and 10000 bytes scores (75 + 50) / 2 = 62.
 */
export function mostAllocated(pod: Pod, nodeInfo: NodeInfo): number {
  return weightedScore(allocation(pod, nodeInfo, true), used);
}

const used = (requested: number, capacity: number) => Math.floor((Math.min(requested, capacity) * MAX_NODE_SCORE) / capacity);
