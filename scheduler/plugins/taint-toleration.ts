import type { Pod } from '../../api/schemas/pod.js';
import { FITS, unfit, type FilterResult } from './filter-result.js';
import type { NodeInfo } from './node-info.js';
import { tolerated } from './toleration.js';

/**
 * Fails a node with a NoSchedule or NoExecute taint the pod does not tolerate, naming the first in
 * the node's order; PreferNoSchedule only steers scoring. Example (reused in the test): a node
 * tainted `dedicated=db:NoSchedule` rejects a pod without tolerations with
 * "node(s) had untolerated taint {dedicated: db}".
 */
export function taintToleration(pod: Pod, nodeInfo: NodeInfo): FilterResult {
  if (nodeInfo.blockingTaints.length === 0) return FITS;
  const taint = nodeInfo.blockingTaints.find((t) => !tolerated(pod.spec?.tolerations, t));
  return taint === undefined ? FITS : unfit(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
}
