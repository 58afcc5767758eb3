import type { Deployment, ReplicaSet } from '../../api/schemas/workloads.js';
import { isRollingUpdate, maxSurge, replicasOf } from './limits.js';
import type { Pass } from './pass.js';
import { byCreation, bySizeNewer, bySizeOlder, DESIRED_REPLICAS, isActive, MAX_REPLICAS, roundHalfAway, specReplicas, sumSpec } from './_util.js';

/**
 * isScalingEvent: spec.replicas differs from the desired-replicas annotation of an active
 * ReplicaSet, so the user scaled the Deployment (perhaps mid-rollout) and the pass only resizes.
 */
export function isScalingEvent(d: Readonly<Deployment>, rss: readonly ReplicaSet[]): boolean {
  return rss.filter(isActive).some((rs) => {
    const v = rs.metadata?.annotations?.[DESIRED_REPLICAS];
    return v !== undefined && /^\d+$/.test(v) && Number(v) !== replicasOf(d);
  });
}

/**
 * getReplicaSetFraction: how many pods `rs` gains (or loses) if every ReplicaSet keeps its share of
 * the total the Deployment was allowed when it was last sized (the max-replicas annotation).
 * Going to zero, each loses all it has.
 */
function fraction(d: Readonly<Deployment>, rs: ReplicaSet): number {
  const replicas = replicasOf(d);
  if (replicas === 0) return -specReplicas(rs);
  const maxNow = replicas + maxSurge(d);
  const text = rs.metadata?.annotations?.[MAX_REPLICAS];
  let before = text !== undefined && /^\d+$/.test(text) ? Number(text) : 0;
  // Without the annotation (someone edited the ReplicaSet) the last observed size stands in.
  if (before === 0) before = d.status?.replicas ?? 0;
  if (before === 0) return 0;
  return roundHalfAway((specReplicas(rs) * maxNow) / before) - specReplicas(rs);
}

/** GetProportion: a ReplicaSet's share, never beyond what is still left to add or remove. */
function proportion(d: Readonly<Deployment>, rs: ReplicaSet, toAdd: number, added: number): number {
  if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const f = fraction(d, rs);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(f, allowed) : Math.max(f, allowed);
}

/**
 * The `scale` step of upstream's sync: with one active ReplicaSet (or none), it is sized to
 * spec.replicas; once the new one is saturated the old ones go to zero; otherwise, mid-rollout,
 * every active ReplicaSet grows or shrinks in proportion, leftovers to the largest (the newest of
 * equals when growing, the oldest when shrinking).
 *
 *   replicas 10 -> 20 (maxSurge 3, so 13 -> 23 allowed) with old at 8 and new at 5, both annotated
 *   max-replicas 13: old 8*23/13 = 14.15 -> 14 (+6), new 5*23/13 = 8.85 -> 9 (+4), total 23.
 */
export function proportionalScale(pass: Pass, newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): void {
  const d = pass.d;
  const replicas = pass.replicas;
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest) {
    // Upstream returns here when the size is already right, and a desired-replicas annotation left
    // stale (scaled mid-rollout with maxSurge 0) makes every later pass a scaling event that does
    // nothing: the rollout never goes on (kubernetes/kubernetes#138036, whose fix this is). The
    // annotations are brought up to date instead, which ends the scaling event.
    pass.scale(activeOrLatest, replicas);
    return;
  }
  if (newRS && isSaturated(d, newRS)) {
    for (const old of oldRSs.filter(isActive)) pass.scaleTo(old, 0);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const all = [...oldRSs, ...(newRS ? [newRS] : [])].filter(isActive);
  const allowed = replicas > 0 ? replicas + maxSurge(d) : 0;
  const toAdd = allowed - sumSpec(all);
  const operation = toAdd > 0 ? 'up' : toAdd < 0 ? 'down' : undefined;
  if (toAdd > 0) all.sort(bySizeNewer);
  else if (toAdd < 0) all.sort(bySizeOlder);
  let added = 0;
  const sizes = new Map<ReplicaSet, number>();
  for (const rs of all) {
    const p = toAdd !== 0 ? proportion(d, rs, toAdd, added) : 0;
    sizes.set(rs, specReplicas(rs) + p);
    added += p;
  }
  all.forEach((rs, i) => {
    let size = sizes.get(rs)!;
    if (i === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added);
    pass.scale(rs, size, operation);
  });
}

/** FindActiveOrLatest: the only active ReplicaSet; with none active, the new one or else the newest old one. */
function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const all = [...oldRSs, ...(newRS ? [newRS] : [])];
  const active = all.filter(isActive);
  if (active.length === 0) {
    if (newRS) return newRS;
    return [...oldRSs].sort((a, b) => byCreation(b, a))[0];
  }
  return active.length === 1 ? active[0] : undefined;
}

/** IsSaturated: the new ReplicaSet asks for, has, and has available exactly spec.replicas pods, as annotated. */
function isSaturated(d: Readonly<Deployment>, rs: ReplicaSet): boolean {
  const desired = rs.metadata?.annotations?.[DESIRED_REPLICAS];
  const r = replicasOf(d);
  return specReplicas(rs) === r && desired === String(r) && rs.status?.availableReplicas === r;
}
