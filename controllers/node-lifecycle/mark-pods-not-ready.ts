import type { Node } from '../../api/schemas/cluster.js';
import type { Pod } from '../../api/schemas/pod.js';
import type { Condition } from '../../api/schemas/meta.js';
import { secondsTimestamp } from '../../api/timestamp.js';

/**
 * Upstream's MarkPodsNotReady: once a node is not Ready (its kubelet silent, or reporting
 * NotReady), nobody vouches for its pods any more, so each pod on it that still says Ready gets a
 * Ready condition of False; Services stop sending it traffic before the pod is evicted. Answers the
 * status conditions to write, by pod; terminal pods and pods already not ready are left alone.
 *
 *   // node-2 went Ready=Unknown; web-1 on it is Ready=True:
 *   podsToMarkNotReady(node2, [web1], t)   // [{ pod: web1, conditions: [..., Ready False at t] }]
 *   // node-2 Ready=True again: []
 */
export function podsToMarkNotReady(node: Readonly<Node>, pods: readonly Readonly<Pod>[], now: number): Array<{ pod: Readonly<Pod>; conditions: Condition[] }> {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  if (ready === 'True' || ready === undefined) return [];
  const name = node.metadata?.name;
  const out: Array<{ pod: Readonly<Pod>; conditions: Condition[] }> = [];
  for (const pod of pods) {
    if (pod.spec?.nodeName !== name) continue;
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const conditions = pod.status?.conditions ?? [];
    if (!conditions.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
    out.push({ pod, conditions: conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: secondsTimestamp(now) } : { ...c })) });
  }
  return out;
}
