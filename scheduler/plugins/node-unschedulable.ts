import type { Pod } from '../../api/schemas/pod.js';
import { FITS, unfit, type FilterResult } from './filter-result.js';
import type { NodeInfo } from './node-info.js';
import { tolerated } from './toleration.js';

/** The taint a cordoned node is treated as having; tolerating it lets a pod onto the node anyway. */
export const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' } as const;

const UNSCHEDULABLE = unfit('node(s) were unschedulable');

/**
 * Fails a cordoned node (`spec.unschedulable`) unless the pod tolerates UNSCHEDULABLE_TAINT.
 * Example (reused in the test): a cordoned node rejects a plain pod with
 * "node(s) were unschedulable" and admits one tolerating `node.kubernetes.io/unschedulable` (Exists).
 */
export function nodeUnschedulable(pod: Pod, nodeInfo: NodeInfo): FilterResult {
  if (!nodeInfo.unschedulable) return FITS;
  return tolerated(pod.spec?.tolerations, UNSCHEDULABLE_TAINT) ? FITS : UNSCHEDULABLE;
}
