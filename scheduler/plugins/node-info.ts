import type { Node, Taint } from '../../api/schemas/cluster.js';
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
export interface NodeInfo extends NodeFacts {
  readonly node: Node;
  /** Only pods still holding resources: Succeeded and Failed ones have given them back. */
  readonly pods: readonly Pod[];
  readonly allocatable: Allocatable;
  /** The sum of the pods' podRequests: what the fit filter checks against allocatable. */
  readonly requested: Resources;
  /** The sum of the pods' nonZeroRequests: what LeastAllocated and MostAllocated weigh. */
  readonly nonZeroRequested: Resources;
}

/**
 * What the filters ask of the node itself, read off it once: a decision asks it of hundreds of
 * nodes, and reading each Node object anew (spec, status, conditions) was a fifth of a decision.
 */
export interface NodeFacts {
  readonly name: string;
  readonly allocatable: Allocatable;
  /** Cordoned: `spec.unschedulable`. */
  readonly unschedulable: boolean;
  /** Its Ready condition is True. */
  readonly ready: boolean;
  /** Its NoSchedule and NoExecute taints, in the node's order: the ones a pod must tolerate. */
  readonly blockingTaints: readonly Taint[];
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
  const f = factsOf(node);
  // Spelled out rather than spread: every NodeInfo then has one shape, which the filters read fast.
  return {
    name: f.name,
    allocatable: f.allocatable,
    unschedulable: f.unschedulable,
    ready: f.ready,
    blockingTaints: f.blockingTaints,
    node,
    pods: live,
    requested: live.reduce((acc, p) => addResources(acc, podRequests(p)), ZERO),
    nonZeroRequested: live.reduce((acc, p) => addResources(acc, nonZeroRequests(p)), ZERO),
  };
}

// A node's NodeInfo is built again whenever one of its pods changes, the node staying the same
// object: its facts are read once per object. Only frozen nodes (the informers' cache hands out
// nothing else) are remembered, since nothing can change them under the memo.
const facts = new WeakMap<Node, NodeFacts>();

function factsOf(node: Node): NodeFacts {
  const known = facts.get(node);
  if (known) return known;
  const alloc = node.status?.allocatable ?? {};
  const cpu = alloc['cpu'];
  const memory = alloc['memory'];
  const podCount = alloc['pods'];
  const out: NodeFacts = {
    name: node.metadata?.name ?? '',
    allocatable: {
      milliCPU: cpu === undefined ? 0 : cpuOf(cpu),
      memory: memory === undefined ? 0 : memoryOf(memory),
      pods: podCount === undefined ? 0 : countOf(podCount),
    },
    unschedulable: node.spec?.unschedulable === true,
    ready: node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True',
    blockingTaints: (node.spec?.taints ?? []).filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute'),
  };
  if (Object.isFrozen(node)) facts.set(node, out);
  return out;
}
