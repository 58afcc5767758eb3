import type { ReplicaSet } from '../../api/schemas/workloads.js';
import { maxUnavailable } from './limits.js';
import { newRSNewReplicas } from './new-replica-set.js';
import type { Pass } from './pass.js';
import { byCreation, specReplicas, sumAvailable, sumSpec } from './_util.js';

/**
 * reconcileNewReplicaSet: grows the new ReplicaSet within replicas + maxSurge (or shrinks it to
 * replicas if it is larger). Answers whether it changed size.
 */
export function reconcileNewReplicaSet(pass: Pass, allRSs: readonly ReplicaSet[], newRS: ReplicaSet): boolean {
  const replicas = pass.replicas;
  if (specReplicas(newRS) === replicas) return false;
  if (specReplicas(newRS) > replicas) return pass.scaleTo(newRS, replicas);
  return pass.scaleTo(newRS, newRSNewReplicas(pass, allRSs, newRS));
}

/**
 * reconcileOldReplicaSets: shrinks old ReplicaSets while at least replicas - maxUnavailable pods
 * stay available. The budget is what the total may lose: sum(spec) - minAvailable - the new
 * ReplicaSet's pods that are not yet available. Old pods that are not available go first (they
 * would otherwise block the rollout); then available ones, oldest ReplicaSet first, only as far as
 * availability above minAvailable allows.
 *
 *   replicas 10, maxUnavailable 2 (minAvailable 8); old: spec 10, 10 available; new: spec 3, 0 available
 *   budget = 13 - 8 - 3 = 2; no unhealthy old pods; available 10 > 8, so old goes 10 -> 8.
 */
export function reconcileOldReplicaSets(pass: Pass, allRSs: readonly ReplicaSet[], oldRSs: readonly ReplicaSet[], newRS: ReplicaSet): boolean {
  if (sumSpec(oldRSs) === 0) return false;
  const minAvailable = pass.replicas - maxUnavailable(pass.d);
  const newUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = sumSpec(allRSs) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  const cleaned = cleanupUnhealthyReplicas(pass, oldRSs, maxScaledDown);
  const scaled = scaleDownOldReplicaSets(pass, [...oldRSs, newRS], oldRSs);
  return cleaned + scaled > 0;
}

function cleanupUnhealthyReplicas(pass: Pass, oldRSs: readonly ReplicaSet[], maxCleanup: number): number {
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= maxCleanup) break;
    const spec = specReplicas(rs);
    const available = rs.status?.availableReplicas ?? 0;
    if (spec === 0 || spec <= available) continue;
    const count = Math.min(maxCleanup - total, spec - available);
    pass.scaleTo(rs, spec - count);
    total += count;
  }
  return total;
}

function scaleDownOldReplicaSets(pass: Pass, allRSs: readonly ReplicaSet[], oldRSs: readonly ReplicaSet[]): number {
  const minAvailable = pass.replicas - maxUnavailable(pass.d);
  const available = sumAvailable(allRSs);
  if (available <= minAvailable) return 0;
  const target = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= target) break;
    const spec = specReplicas(rs);
    if (spec === 0) continue;
    const count = Math.min(spec, target - total);
    pass.scaleTo(rs, spec - count);
    total += count;
  }
  return total;
}
