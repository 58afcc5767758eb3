import type { Deployment } from '../../api/schemas/workloads.js';

/** An int-or-percent as the API carries it: 3 or "25%". */
export type IntOrPercent = number | string;

/**
 * Upstream's GetScaledValueFromIntOrPercent: a number is itself; "25%" of `total` rounds up or
 * down. scaledValue('25%', 10, true) = 3, scaledValue('25%', 10, false) = 2.
 */
export function scaledValue(value: IntOrPercent, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) {
    if (/^\d+$/.test(value)) return Number(value);
    throw new Error(`invalid value for IntOrString: "${value}" is not a number or a percentage`);
  }
  const v = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(v) : Math.floor(v);
}

/**
 * ResolveFenceposts: how far a rolling update may go above (surge, rounded up) and below
 * (unavailable, rounded down) `desired`. When both resolve to 0, unavailable is 1, so that a
 * rollout can always move even where surging is impossible.
 *
 *   resolveFenceposts('25%', '25%', 10) = { surge: 3, unavailable: 2 }
 *   resolveFenceposts('25%', '25%', 1)  = { surge: 1, unavailable: 0 }
 *   resolveFenceposts(0, '10%', 5)      = { surge: 0, unavailable: 1 }   (0.5 rounds down to 0)
 */
export function resolveFenceposts(maxSurge: IntOrPercent | undefined, maxUnavailable: IntOrPercent | undefined, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export const replicasOf = (d: Readonly<Deployment>): number => d.spec?.replicas ?? 1;
export const isRollingUpdate = (d: Readonly<Deployment>): boolean => (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

function fenceposts(d: Readonly<Deployment>) {
  const ru = d.spec?.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge ?? '25%', ru?.maxUnavailable ?? '25%', replicasOf(d));
}

/** Pods a rollout may add above spec.replicas; 0 for Recreate. */
export function maxSurge(d: Readonly<Deployment>): number {
  return isRollingUpdate(d) ? fenceposts(d).surge : 0;
}

/** Pods a rollout may take away below spec.replicas, never more than spec.replicas; 0 for Recreate. */
export function maxUnavailable(d: Readonly<Deployment>): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  return Math.min(fenceposts(d).unavailable, replicas);
}
