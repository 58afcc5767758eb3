import type { EndpointAddress, EndpointSubset } from './repack.js';

/** The most addresses one Endpoints holds (upstream's maxCapacity); EndpointSlices carry the rest. */
export const MAX_ENDPOINTS_CAPACITY = 1000;
/** Set on an Endpoints whose addresses were cut to capacity (upstream's v1.EndpointsOverCapacity). */
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';

/**
 * Upstream's truncateEndpoints: cuts subsets down to `max` addresses, not-ready ones first. If the
 * ready addresses alone are too many, every not-ready one goes and the ready ones are cut; each
 * subset keeps its share (rounded up), the last one what is left. Returns undefined when nothing
 * needs cutting.
 *
 *   two subsets of 600 ready addresses each, max 1000
 *   -> 500 and 500 ready addresses, no not-ready ones
 *   800 ready and 400 not ready in one subset, max 1000
 *   -> 800 ready and 200 not ready
 */
export function truncateSubsets(subsets: readonly EndpointSubset[], max = MAX_ENDPOINTS_CAPACITY): EndpointSubset[] | undefined {
  const ready = subsets.reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
  const notReady = subsets.reduce((n, s) => n + (s.notReadyAddresses?.length ?? 0), 0);
  if (ready + notReady <= max) return undefined;
  const cutReady = ready > max;
  const room = cutReady ? max : max - ready;
  const total = cutReady ? ready : notReady;
  let canBeAdded = room;
  return subsets.map((s, i) => {
    const inSubset = (cutReady ? s.addresses : s.notReadyAddresses)?.length ?? 0;
    const share = i < subsets.length - 1 ? Math.ceil((inSubset / total) * room) : canBeAdded;
    const take = Math.min(share, canBeAdded);
    const out: EndpointSubset = { ...s };
    if (cutReady) {
      set(out, 'addresses', (s.addresses ?? []).slice(0, take));
      delete out.notReadyAddresses;
      canBeAdded -= out.addresses?.length ?? 0;
    } else {
      set(out, 'notReadyAddresses', (s.notReadyAddresses ?? []).slice(0, take));
      canBeAdded -= out.notReadyAddresses?.length ?? 0;
    }
    return out;
  });
}

/** An empty list is written as no field, as Go's omitempty does. */
function set(s: EndpointSubset, field: 'addresses' | 'notReadyAddresses', list: EndpointAddress[]): void {
  if (list.length > 0) s[field] = list;
  else delete s[field];
}
