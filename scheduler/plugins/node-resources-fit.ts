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
  const tooMany = nodeInfo.pods.length + 1 > nodeInfo.allocatable.pods;
  const req = podRequests(pod);
  // A pod that asks for nothing cannot over-commit anything, even on a node already over-committed.
  const cpu = req.milliCPU > 0 && req.milliCPU > nodeInfo.allocatable.milliCPU - nodeInfo.requested.milliCPU;
  const memory = req.memory > 0 && req.memory > nodeInfo.allocatable.memory - nodeInfo.requested.memory;
  // Most nodes fit: only a failure builds its list of reasons.
  if (!tooMany && !cpu && !memory) return FITS;
  const reasons: string[] = [];
  if (tooMany) reasons.push('Too many pods');
  if (cpu) reasons.push('Insufficient cpu');
  if (memory) reasons.push('Insufficient memory');
  return unfit(reasons[0]!, ...reasons.slice(1));
}
