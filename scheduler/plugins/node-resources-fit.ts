import type { Pod } from '../../api/schemas/pod.js';
import { FITS, unfit, type FilterResult } from './filter-result.js';
import type { NodeInfo } from './node-info.js';
import { podRequests } from './pod-requests.js';

/**
 * Fails a node that would be over-committed by the pod: its pod count, or a resource the pod
 * requests beyond what the node's pods leave free. Example (reused in the test): on a node with
 * 1 CPU, 1Gi and room for 1 pod, already running a pod of 600m, a pod of 500m and 2Gi fails with
 * "Too many pods", "Insufficient cpu" and "Insufficient memory".
 */
export function nodeResourcesFit(pod: Pod, nodeInfo: NodeInfo): FilterResult {
  const reasons: string[] = [];
  if (nodeInfo.pods.length + 1 > nodeInfo.allocatable.pods) reasons.push('Too many pods');
  const req = podRequests(pod);
  // A pod that asks for nothing cannot over-commit anything, even on a node already over-committed.
  if (req.milliCPU > 0 && req.milliCPU > nodeInfo.allocatable.milliCPU - nodeInfo.requested.milliCPU) {
    reasons.push('Insufficient cpu');
  }
  if (req.memory > 0 && req.memory > nodeInfo.allocatable.memory - nodeInfo.requested.memory) {
    reasons.push('Insufficient memory');
  }
  const [first, ...more] = reasons;
  return first === undefined ? FITS : unfit(first, ...more);
}
