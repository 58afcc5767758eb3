import type { Node } from '../../api/schemas/cluster.js';
import type { Pod } from '../../api/schemas/pod.js';
import { nonZeroRequests, podRequests } from './pod-requests.js';
import { addResources, countOf, cpuOf, memoryOf, ZERO, type Resources } from './resources.js';

/** A node's allocatable CPU and memory, and how many pods it takes. */
export interface Allocatable extends Resources {
  readonly pods: number;
}

/**
 * A node as the scheduler sees it: the node, the pods bound (or reserved) to it, and their sums.
 * Example (reused in the test): a node with 2 CPUs, 4Gi and 110 pods, running a pod of 500m and
 * 1Gi and holding a Succeeded one of 1 CPU, has requested 500m and 1Gi, with one pod counted.
 */
export interface NodeInfo {
  readonly node: Node;
  /** Only pods still holding resources: Succeeded and Failed ones have given them back. */
  readonly pods: readonly Pod[];
  readonly allocatable: Allocatable;
  /** The sum of the pods' podRequests: what the fit filter checks against allocatable. */
  readonly requested: Resources;
  /** The sum of the pods' nonZeroRequests: what LeastAllocated and MostAllocated weigh. */
  readonly nonZeroRequested: Resources;
}

export function isTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/**
 * Builds the NodeInfo; which pods belong to the node is the caller's choice, so a pod reserved but
 * not yet bound counts too. A resource missing from allocatable is zero, as upstream: a node that
 * reports no pod capacity takes no pods.
 */
export function newNodeInfo(node: Node, pods: readonly Pod[]): NodeInfo {
  const live = pods.filter((p) => !isTerminal(p));
  const alloc = node.status?.allocatable ?? {};
  const cpu = alloc['cpu'];
  const memory = alloc['memory'];
  const podCount = alloc['pods'];
  return {
    node,
    pods: live,
    allocatable: {
      milliCPU: cpu === undefined ? 0 : cpuOf(cpu),
      memory: memory === undefined ? 0 : memoryOf(memory),
      pods: podCount === undefined ? 0 : countOf(podCount),
    },
    requested: live.reduce((acc, p) => addResources(acc, podRequests(p)), ZERO),
    nonZeroRequested: live.reduce((acc, p) => addResources(acc, nonZeroRequests(p)), ZERO),
  };
}
