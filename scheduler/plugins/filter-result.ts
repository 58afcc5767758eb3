import type { Pod } from '../../api/schemas/pod.js';
import type { NodeInfo } from './node-info.js';

/**
 * A filter's verdict on one node. A node can fail for several reasons at once ("Insufficient cpu"
 * and "Insufficient memory"); the failure message counts each, so `reasons` lists them all and
 * `reason` is the first, for callers that show one.
 */
export type FilterResult =
  | { readonly fits: true }
  | { readonly fits: false; readonly reason: string; readonly reasons: readonly [string, ...string[]] };

export type Filter = (pod: Pod, nodeInfo: NodeInfo) => FilterResult;

export const FITS: FilterResult = { fits: true };

export function unfit(reason: string, ...more: string[]): FilterResult {
  return { fits: false, reason, reasons: [reason, ...more] };
}
