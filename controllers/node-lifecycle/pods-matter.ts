import type { Node } from '../../api/schemas/cluster.js';

/**
 * Whether a change to a pod bound to `node` can give the node's reconcile anything to do about it:
 * only while the node's Ready condition says anything but True (its ready pods are marked not
 * ready, podsToMarkNotReady) or it carries a NoExecute taint (pods that do not tolerate it are
 * evicted, planEvictions). A healthy node's reconcile plans nothing for its pods, so the pod
 * handler leaves it unqueued: in a steady cluster most writes are pod status, and each would
 * otherwise cost a look at every pod on its node. A node that turns unhealthy is queued by its own
 * update, and that reconcile sees every pod the cache holds by then.
 *
 *   podsMatter(readyNode)                                     // false
 *   podsMatter({ ...readyNode, spec: { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] } })   // true
 *   podsMatter(undefined)                                     // false: no node, nothing to judge its pods by
 */
export function podsMatter(node: Readonly<Node> | undefined): boolean {
  if (!node) return false;
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  if (ready !== undefined && ready !== 'True') return true;
  return (node.spec?.taints ?? []).some((t) => t.effect === 'NoExecute');
}
