import type { Pod } from '../../api/schemas/pod.js';
import { FITS, type Filter, type FilterResult } from './filter-result.js';
import type { NodeInfo } from './node-info.js';
import { nodeAffinity } from './node-affinity.js';
import { nodeName } from './node-name.js';
import { nodeReady } from './node-ready.js';
import { nodeResourcesFit } from './node-resources-fit.js';
import { nodeUnschedulable } from './node-unschedulable.js';
import { taintToleration } from './taint-toleration.js';

/**
 * The filters in upstream's default order, with NodeReady where upstream's not-ready taint would
 * be caught (by TaintToleration). The order decides which reason a node reports, since the first
 * failure stops the rest.
 */
export const DEFAULT_FILTERS: readonly Filter[] = [
  nodeUnschedulable,
  nodeName,
  nodeReady,
  taintToleration,
  nodeAffinity,
  nodeResourcesFit,
];

/** The first failing filter's verdict, or FITS. */
export function runFilters(pod: Pod, nodeInfo: NodeInfo, filters: readonly Filter[] = DEFAULT_FILTERS): FilterResult {
  for (const filter of filters) {
    const result = filter(pod, nodeInfo);
    if (!result.fits) return result;
  }
  return FITS;
}
