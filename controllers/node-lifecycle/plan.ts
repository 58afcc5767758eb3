import type { Node, Taint } from '../../api/schemas/cluster.js';
import type { Condition } from '../../api/schemas/meta.js';
import { conditionTaints, withTaints } from './taints.js';
import { secondsTimestamp } from '../../api/timestamp.js';

/** kube-controller-manager's --node-monitor-grace-period, before MINIK_SPEED divides it. */
export const NODE_MONITOR_GRACE_PERIOD_MS = 40_000;

/** The conditions a kubelet posts, which this controller turns Unknown when it goes silent. */
const KUBELET_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

export type NodeAction =
  | { type: 'updateStatus'; conditions: Condition[] }
  | { type: 'setTaints'; taints: Taint[] }
  | { type: 'event'; reason: 'NodeNotReady'; message: string };

export interface NodeHealthInput {
  node: Readonly<Node>;
  now: number;
  /**
   * When this controller last saw the kubelet alive, by its own clock: the last time the Ready
   * condition's lastHeartbeatTime or the node's Lease renewTime changed (or when it first saw the
   * node). Upstream keeps the same probe time, so that clocks of other machines never count.
   */
  lastProbe: number;
  gracePeriodMs: number;
}

export interface NodeHealthPlan {
  actions: NodeAction[];
  /** When the node goes stale if the kubelet stays silent: look again then. */
  recheckAfterMs?: number;
}

/**
 * What the node lifecycle controller does about one node (pkg/controller/nodelifecycle:
 * tryUpdateNodeHealth, doNoScheduleTaintingPass, doNoExecuteTaintingPass):
 *
 * - silent for longer than the grace period: every kubelet condition that is not already Unknown
 *   becomes Unknown (reason NodeStatusUnknown, "Kubelet stopped posting node status.", its
 *   lastHeartbeatTime kept), with a NodeNotReady event if Ready was True;
 * - then its managed taints are made to match its conditions (see conditionTaints).
 *
 *   // node-2's kubelet last heard at t=0, grace 40 s, now t=41 s:
 *   planNode({ node: node2, now: 41_000, lastProbe: 0, gracePeriodMs: 40_000 }).actions
 *     // [{ type: 'updateStatus', conditions: [Ready Unknown, MemoryPressure Unknown, ...] },
 *     //  { type: 'event', reason: 'NodeNotReady', message: 'Node node-2 status is now: NodeNotReady' },
 *     //  { type: 'setTaints', taints: [unreachable:NoSchedule, unreachable:NoExecute (timeAdded t=41 s)] }]
 *   // at t=10 s instead: no actions, recheckAfterMs 30_001
 */
export function planNode(input: NodeHealthInput): NodeHealthPlan {
  const { node, now, lastProbe, gracePeriodMs } = input;
  const actions: NodeAction[] = [];
  let conditions = node.status?.conditions ?? [];
  const deadline = lastProbe + gracePeriodMs;
  if (now > deadline) {
    const next = silentConditions(conditions, now);
    if (next) {
      actions.push({ type: 'updateStatus', conditions: next });
      const wasReady = conditions.find((c) => c.type === 'Ready')?.status === 'True';
      const name = node.metadata?.name ?? '';
      if (wasReady) actions.push({ type: 'event', reason: 'NodeNotReady', message: `Node ${name} status is now: NodeNotReady` });
      conditions = next;
    }
  }
  const after: Readonly<Node> = { ...node, status: { ...node.status, conditions } };
  const taints = withTaints(node.spec?.taints ?? [], conditionTaints(after), secondsTimestamp(now));
  if (taints) actions.push({ type: 'setTaints', taints });
  return { actions, ...(now > deadline ? {} : { recheckAfterMs: deadline - now + 1 }) };
}

/** The conditions of a node whose kubelet went silent; undefined when they already say so. */
function silentConditions(conditions: readonly Readonly<Condition>[], now: number): Condition[] | undefined {
  const at = secondsTimestamp(now);
  let changed = false;
  const out: Condition[] = conditions.map((c) => ({ ...c }));
  for (const type of KUBELET_CONDITIONS) {
    const i = out.findIndex((c) => c.type === type);
    if (i < 0) {
      // Upstream writes a condition the kubelet never posted as Unknown too, saying so.
      out.push({ type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: at, lastTransitionTime: at });
      changed = true;
    } else if (out[i]!.status !== 'Unknown') {
      out[i] = { ...out[i]!, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: at };
      changed = true;
    }
  }
  return changed ? out : undefined;
}
