import { selectorFromLabelSelector } from '../../api/labels.js';
import type { Pod } from '../../api/schemas/pod.js';
import type { ReplicaSet } from '../../api/schemas/workloads.js';
import { claimObjects, type Claims, type Owner } from './controller-ref.js';
import { isPodActive, rankForDeletion } from './pod-ranking.js';

/** Upstream's BurstReplicas: at most this many creations or deletions per sync. */
export const BURST_REPLICAS = 500;

export type Action =
  | { type: 'adopt'; pod: Readonly<Pod> }
  | { type: 'release'; pod: Readonly<Pod> }
  /** Create `count` pods from the template (in slow-start batches). */
  | { type: 'create'; count: number }
  /** Delete these pods, first-ranked first. */
  | { type: 'delete'; pods: Readonly<Pod>[] };

export interface Observed {
  /**
   * The pods of the ReplicaSet's namespace in the cache that claiming looks at: at least the
   * ReplicaSet's own and the orphans, in cache order (adoptions and releases go out in it). Pods of
   * other controllers may be given too; they are ignored.
   */
  pods: readonly Readonly<Pod>[];
  /**
   * Pods the selectors of this ReplicaSet and of its siblings (same controlling Deployment) match,
   * for how crowded a node is when choosing whom to delete (upstream's getIndirectlyRelatedPods).
   * A function when they cost a lookup: it is called only by a sync that deletes. The pods of
   * `pods` this ReplicaSet's selector matches when left out.
   */
  related?: readonly Readonly<Pod>[] | (() => readonly Readonly<Pod>[]);
  /** Whether the creations and deletions of earlier syncs have all been seen in the cache. */
  expectationsSatisfied: boolean;
  /** Milliseconds since the epoch, for ranking by age. */
  now: number;
}

export interface PlanOptions {
  burstReplicas?: number;
}

/** The ReplicaSet as its pods' owner reference names it. */
export function ownerOf(rs: Readonly<ReplicaSet>): Owner {
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: rs.metadata ?? {} };
}

/**
 * Which active pods the ReplicaSet claims (its own that still match, plus matching orphans it
 * adopts) and which it lets go. Finished and terminating pods are never claimed nor released.
 * Throws SelectorError for a selector that does not parse.
 */
export function claimPods(rs: Readonly<ReplicaSet>, pods: readonly Readonly<Pod>[]): Claims<Readonly<Pod>> {
  const selector = selectorFromLabelSelector(rs.spec?.selector ?? {});
  return claimObjects(ownerOf(rs), selector, pods.filter(isPodActive));
}

/**
 * What a ReplicaSet sync does, as upstream's syncReplicaSet and manageReplicas decide it: claim
 * pods, then (once earlier writes are seen, and unless the ReplicaSet is being deleted) create or
 * delete the difference between the active pods claimed and spec.replicas, at most `burstReplicas`.
 *
 *   rs web, replicas 3, selector app=web; pods: web-a (ours, Running), orphan x (app=web)
 *     plan(rs, { pods, expectationsSatisfied: true, now })
 *       = [{ adopt x }, { create 1 }]
 *   the same with expectationsSatisfied false (a create of an earlier sync not seen yet)
 *       = [{ adopt x }]
 *   replicas 1, pods web-a (Running, ready), web-b (Pending, unassigned), both ours
 *       = [{ delete [web-b] }]
 */
export function plan(rs: Readonly<ReplicaSet>, observed: Observed, opts: PlanOptions = {}): Action[] {
  return planClaimed(rs, claimPods(rs, observed.pods), observed, opts);
}

/**
 * `plan` for a caller that has claimed `observed.pods` already (claimPods) and needs the claims
 * too, as the sync does for the status: the pods are then claimed once per sync, not twice.
 */
export function planClaimed(rs: Readonly<ReplicaSet>, claims: Claims<Readonly<Pod>>, observed: Observed, opts: PlanOptions = {}): Action[] {
  const burst = opts.burstReplicas ?? BURST_REPLICAS;
  const actions: Action[] = [
    ...claims.adopt.map((pod): Action => ({ type: 'adopt', pod })),
    ...claims.release.map((pod): Action => ({ type: 'release', pod })),
  ];
  if (!observed.expectationsSatisfied || rs.metadata?.deletionTimestamp) return actions;
  const diff = claims.claimed.length - (rs.spec?.replicas ?? 1);
  if (diff < 0) {
    actions.push({ type: 'create', count: Math.min(-diff, burst) });
  } else if (diff > 0) {
    const selector = selectorFromLabelSelector(rs.spec?.selector ?? {});
    const given = observed.related;
    const related = typeof given === 'function' ? given() : (given ?? observed.pods.filter((p) => selector.matches(p.metadata?.labels)));
    const ranked = rankForDeletion(claims.claimed, related, observed.now);
    actions.push({ type: 'delete', pods: ranked.slice(0, Math.min(diff, burst)) });
  }
  return actions;
}
