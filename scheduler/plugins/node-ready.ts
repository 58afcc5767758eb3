import type { Pod } from '../../api/schemas/pod.js';
import { FITS, unfit, type FilterResult } from './filter-result.js';
import type { NodeInfo } from './node-info.js';

/**
 * Fails a node whose Ready condition is not True, or that reports none yet. Upstream reaches the
 * same end through the not-ready taint that the node lifecycle controller adds; minik checks the
 * condition itself so that scheduling does not wait on that controller. Example (reused in the
 * test): a node with Ready=Unknown fails with "node(s) were not ready".
 */
export function nodeReady(_pod: Pod, nodeInfo: NodeInfo): FilterResult {
  return nodeInfo.ready ? FITS : NOT_READY;
}

const NOT_READY = unfit('node(s) were not ready');
