import { selectorFromLabelSelector } from '../../api/labels.js';
import type { Deployment, ReplicaSet } from '../../api/schemas/workloads.js';
import { controllerRefOf } from './_util.js';
import { jsonCopy } from '../../api/json-copy.js';

export interface Claim {
  /**
   * ReplicaSets this Deployment controls after the claim, adopted ones included. Read-only: those it
   * already controlled are the caller's own (cached) objects, as the planner copies what it changes.
   */
  owned: Readonly<ReplicaSet>[];
  /** Orphans the selector matches, with the Deployment's controller reference added. */
  adopt: ReplicaSet[];
  /** Owned ReplicaSets the selector no longer matches, with the reference removed. */
  release: ReplicaSet[];
  /** Names of ReplicaSets the selector matches that another controller owns: overlapping selectors. */
  ownedByOthers: string[];
}

/**
 * ClaimReplicaSets (ControllerRefManager): of the ReplicaSets in the namespace, which this
 * Deployment controls. An orphan whose labels match is adopted (not while either is being
 * deleted); an owned one whose labels stopped matching is released; one another controller owns
 * is left alone, however the selectors overlap.
 *
 *   d web (uid u1, selector app=web); rs a (app=web, no owner), rs b (app=api, owner u1), rs c (app=web, owner u2)
 *   -> owned [a], adopt [a], release [b], ownedByOthers [c]
 */
export function claimReplicaSets(d: Readonly<Deployment>, rss: readonly Readonly<ReplicaSet>[]): Claim {
  const selector = selectorFromLabelSelector(d.spec?.selector);
  const uid = d.metadata?.uid;
  const deleting = d.metadata?.deletionTimestamp !== undefined;
  const out: Claim = { owned: [], adopt: [], release: [], ownedByOthers: [] };
  for (const frozen of rss) {
    const ref = controllerRefOf(frozen);
    const matches = selector.matches(frozen.metadata?.labels);
    if (ref) {
      if (ref.uid !== uid) {
        if (matches) out.ownedByOthers.push(frozen.metadata?.name ?? '');
        continue;
      }
      if (matches || deleting) {
        out.owned.push(frozen);
        continue;
      }
      const rs = jsonCopy(frozen) as ReplicaSet;
      rs.metadata!.ownerReferences = rs.metadata!.ownerReferences!.filter((r) => r.uid !== uid);
      out.release.push(rs);
      continue;
    }
    if (!matches || deleting || frozen.metadata?.deletionTimestamp !== undefined) continue;
    const rs = jsonCopy(frozen) as ReplicaSet;
    rs.metadata!.ownerReferences = [
      ...(rs.metadata!.ownerReferences ?? []),
      { apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata!.name!, uid: uid!, controller: true, blockOwnerDeletion: true },
    ];
    out.adopt.push(rs);
    out.owned.push(jsonCopy(rs));
  }
  return out;
}
