import type { Pod } from '../../api/schemas/pod.js';
import type { Service } from '../../api/schemas/service.js';

/** What the tracker remembers of one service between syncs: the trigger times it last saw. */
export interface TriggerState {
  serviceTime: number;
  podTimes: ReadonlyMap<string, number>;
}

/**
 * Upstream's TriggerTimeTracker.ComputeEndpointLastChangeTriggerTime, as a pure step: the earliest
 * trigger time that changed since the previous sync of this service, or undefined if none did (the
 * annotation is then removed). A pod's trigger time is its Ready condition's lastTransitionTime; the
 * service's is its creationTimestamp.
 *
 *   first sync, service created 10:00:00, pod a Ready since 10:00:05
 *     -> { time: '2026-11-21T10:00:00Z', state }          (the service is new to the tracker)
 *   next sync with state, pod a turned not ready at 10:01:00
 *     -> { time: '2026-11-21T10:01:00Z', state' }
 *   next sync with state', nothing changed (a pod deleted, say)
 *     -> { time: undefined, state' }
 */
export function nextTriggerTime(
  previous: TriggerState | undefined,
  service: Readonly<Service>,
  pods: readonly Readonly<Pod>[],
): { time: string | undefined; state: TriggerState } {
  let earliest: number | undefined;
  const consider = (t: number) => (earliest = earliest === undefined ? t : Math.min(earliest, t));
  const podTimes = new Map<string, number>();
  for (const pod of pods) {
    const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
    const t = ready?.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : NaN;
    if (Number.isNaN(t)) continue;
    const name = pod.metadata?.name ?? '';
    podTimes.set(name, t);
    if (t > (previous?.podTimes.get(name) ?? -Infinity)) consider(t);
  }
  const created = Date.parse(service.metadata?.creationTimestamp ?? '');
  const serviceTime = Number.isNaN(created) ? 0 : created;
  if (serviceTime > (previous?.serviceTime ?? -Infinity)) consider(serviceTime);
  return { time: earliest === undefined ? undefined : rfc3339Nano(earliest), state: { serviceTime, podTimes } };
}

/** Go's time.RFC3339Nano in UTC: no fraction when it is zero, no trailing zeros otherwise. */
function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d*?)0*Z$/, (_, f: string) => (f ? `.${f}Z` : 'Z'));
}
