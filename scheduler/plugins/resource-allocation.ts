import type { Pod } from '../../api/schemas/pod.js';
import type { NodeInfo } from './node-info.js';
import { nonZeroRequests, podRequests } from './pod-requests.js';
import { addResources, type Resources } from './resources.js';

/** The highest score a node can get; the lowest is 0. */
export const MAX_NODE_SCORE = 100;

/** Requested (node's pods plus this pod) against allocatable, per resource, as scorers see it. */
export interface Allocation {
  readonly requested: Resources;
  readonly allocatable: Resources;
}

/**
 * LeastAllocated and MostAllocated weigh default requests for containers that name none, so that
 * request-less pods still spread; BalancedAllocation weighs the real requests, as upstream.
 */
export function allocation(pod: Pod, nodeInfo: NodeInfo, nonZero: boolean): Allocation {
  return {
    requested: nonZero
      ? addResources(nodeInfo.nonZeroRequested, nonZeroRequests(pod))
      : addResources(nodeInfo.requested, podRequests(pod)),
    allocatable: nodeInfo.allocatable,
  };
}

/** CPU then memory, each with weight 1 (upstream's default scoring resources). */
export function pairs(a: Allocation): Array<readonly [requested: number, capacity: number]> {
  return [
    [a.requested.milliCPU, a.allocatable.milliCPU],
    [a.requested.memory, a.allocatable.memory],
  ];
}

/**
 * Upstream's weighted mean with int64 arithmetic: resources the node has none of are left out,
 * and a node with none of any scores 0. Spelled out per resource rather than over `pairs`: every
 * pod scores hundreds of nodes, and this allocates nothing.
 */
export function weightedScore(a: Allocation, perResource: (requested: number, capacity: number) => number): number {
  let sum = 0;
  let weights = 0;
  if (a.allocatable.milliCPU !== 0) {
    sum += perResource(a.requested.milliCPU, a.allocatable.milliCPU);
    weights += 1;
  }
  if (a.allocatable.memory !== 0) {
    sum += perResource(a.requested.memory, a.allocatable.memory);
    weights += 1;
  }
  return weights === 0 ? 0 : Math.floor(sum / weights);
}
