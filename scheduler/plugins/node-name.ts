import type { Pod } from '../../api/schemas/pod.js';
import { FITS, unfit, type FilterResult } from './filter-result.js';
import type { NodeInfo } from './node-info.js';

/**
 * A pod that names its node fits only there. Example (reused in the test): a pod with
 * `nodeName: node-2` fails node-1 with "node(s) didn't match the requested node name".
 */
export function nodeName(pod: Pod, nodeInfo: NodeInfo): FilterResult {
  const wanted = pod.spec?.nodeName;
  if (!wanted || wanted === nodeInfo.name) return FITS;
  return unfit("node(s) didn't match the requested node name");
}
