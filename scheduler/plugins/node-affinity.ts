import type { Pod } from '../../api/schemas/pod.js';
import { FITS, unfit, type FilterResult } from './filter-result.js';
import type { NodeInfo } from './node-info.js';
import { matchesNodeSelectorTerms } from './node-selector-terms.js';

/**
 * Fails a node unless it carries every label of the pod's nodeSelector and matches one of its
 * required node affinity terms, when it has them. Example (reused in the test): a pod with
 * nodeSelector `disk: ssd` fails a node labelled `disk: hdd` with
 * "node(s) didn't match Pod's node affinity/selector".
 */
export function nodeAffinity(pod: Pod, nodeInfo: NodeInfo): FilterResult {
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  // Most pods ask for neither, and are asked about against hundreds of nodes.
  if (pod.spec?.nodeSelector === undefined && required === undefined) return FITS;
  const labels = nodeInfo.node.metadata?.labels ?? {};
  const selector = Object.entries(pod.spec?.nodeSelector ?? {});
  const ok =
    selector.every(([k, v]) => labels[k] === v) &&
    (required === undefined || matchesNodeSelectorTerms(required.nodeSelectorTerms, nodeInfo.node));
  return ok ? FITS : unfit("node(s) didn't match Pod's node affinity/selector");
}
