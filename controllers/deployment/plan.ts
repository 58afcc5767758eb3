import type { Deployment, ReplicaSet } from '../../api/schemas/workloads.js';
import { claimReplicaSets } from './adoption.js';
import { cleanupHistory, findOldReplicaSets } from './history.js';
import { getNewReplicaSet } from './new-replica-set.js';
import { Pass, type Action } from './pass.js';
import { isScalingEvent, proportionalScale } from './proportional-scaling.js';
import { oldPodsRunning, scaleDownOldForRecreate } from './recreate.js';
import { reconcileNewReplicaSet, reconcileOldReplicaSets } from './rolling.js';
import { deploymentComplete, getCondition, hasProgressDeadline, newCondition, setCondition, syncDeploymentStatus, syncRolloutStatus } from './status.js';
import { isActive, REVISION } from './_util.js';
import { jsonCopy } from '../../api/json-copy.js';

export type { Action, PlannedEvent } from './pass.js';

export interface Observed {
  /** Every ReplicaSet in the Deployment's namespace: the planner claims its own. */
  replicaSets: readonly Readonly<ReplicaSet>[];
  /**
   * Pods not yet Succeeded or Failed, counted by the uid of the ReplicaSet that controls them.
   * Only Recreate reads it: new pods wait until no old pod runs.
   */
  podsByReplicaSet?: ReadonlyMap<string, number>;
  /** Milliseconds since the epoch: condition times and the progress deadline. */
  now: number;
}

/**
 * Everything one sync of a Deployment does, as upstream's syncDeployment, without doing it:
 * adopt or release ReplicaSets, then one of
 *   - paused, or spec.replicas changed (a scaling event): resize, proportionally mid-rollout;
 *   - Recreate: old ReplicaSets to 0, wait for their pods to stop, then the new one to replicas;
 *   - RollingUpdate: grow the new ReplicaSet within maxSurge; if nothing grew, shrink old ones
 *     within maxUnavailable; once complete, delete history beyond revisionHistoryLimit;
 * then the revision annotation, the status, and when to look again.
 *
 *   d web: replicas 3, template v1, no ReplicaSets yet
 *   plan(d, { replicaSets: [], now })
 *     = [ create web-<hash> (replicas 3, revision "1"; Event "Scaled up replica set web-<hash> from 0 to 3"),
 *         updateDeployment (revision "1"),
 *         updateStatus (observedGeneration 1, Available False, Progressing True NewReplicaSetCreated),
 *         requeue at the progress deadline ]
 *   once web-<hash> reports 3 available pods, the next plan writes Progressing NewReplicaSetAvailable,
 *   and the one after plans nothing.
 */
export function plan(d: Readonly<Deployment>, observed: Observed): Action[] {
  const specChanged = (d.status?.observedGeneration ?? 0) < (d.metadata?.generation ?? 0);
  const sel = d.spec?.selector;
  if (!sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0)) {
    if (!specChanged) return [];
    return [
      { type: 'event', event: { type: 'Warning', reason: 'SelectingAll', message: 'This deployment is selecting all pods. A non-empty selector is required.' } },
      { type: 'updateStatus', status: { ...jsonCopy(d.status ?? {}), observedGeneration: d.metadata?.generation ?? 0 } },
    ];
  }

  const claim = claimReplicaSets(d, observed.replicaSets);
  const pass = new Pass(d, claim.owned, observed.now);
  for (const rs of claim.adopt) pass.actions.push({ type: 'adopt', rs });
  for (const rs of claim.release) pass.actions.push({ type: 'release', rs });
  if (specChanged && claim.ownedByOthers.length > 0) {
    pass.event('Warning', 'SelectorOverlap', `Deployment "${d.metadata?.name}" selects ReplicaSets another controller owns (${claim.ownedByOthers.join(', ')}); they are left to their owner`);
  }

  if (d.metadata?.deletionTimestamp) {
    const oldRSs = findOldReplicaSets(pass.d, pass.rss);
    const newRS = getNewReplicaSet(pass, oldRSs, false);
    syncDeploymentStatus(pass, withNew(oldRSs, newRS), newRS);
  } else {
    checkPausedConditions(pass);
    if (pass.d.spec?.paused || isScalingEvent(pass.d, pass.rss)) sync(pass);
    else if (pass.d.spec?.strategy?.type === 'Recreate') rolloutRecreate(pass, observed.podsByReplicaSet ?? new Map());
    else rolloutRolling(pass);
  }
  return finish(pass, d);
}

const withNew = (oldRSs: ReplicaSet[], newRS: ReplicaSet | undefined): ReplicaSet[] => (newRS ? [...oldRSs, newRS] : [...oldRSs]);

/** Pausing and resuming show on the Progressing condition, unless the rollout has already timed out. */
function checkPausedConditions(pass: Pass): void {
  const d = pass.d;
  if (!hasProgressDeadline(d)) return;
  const status = (d.status ??= {});
  const cond = getCondition(status, 'Progressing');
  if (cond?.reason === 'ProgressDeadlineExceeded') return;
  const pausedShown = cond?.reason === 'DeploymentPaused';
  if (d.spec?.paused && !pausedShown) {
    setCondition(status, newCondition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', pass.timestamp));
  } else if (!d.spec?.paused && pausedShown) {
    setCondition(status, newCondition('Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed', pass.timestamp));
  }
}

/** A paused Deployment, or a scaling event: resize only, never start a new ReplicaSet. */
function sync(pass: Pass): void {
  const oldRSs = findOldReplicaSets(pass.d, pass.rss);
  const newRS = getNewReplicaSet(pass, oldRSs, false);
  proportionalScale(pass, newRS, oldRSs);
  if (pass.d.spec?.paused) cleanupHistory(pass, oldRSs);
  syncDeploymentStatus(pass, withNew(oldRSs.filter((rs) => pass.rss.includes(rs)), newRS), newRS);
}

function rolloutRolling(pass: Pass): void {
  const oldRSs = findOldReplicaSets(pass.d, pass.rss);
  const newRS = getNewReplicaSet(pass, oldRSs, true)!;
  const all = [...oldRSs, newRS];
  if (reconcileNewReplicaSet(pass, all, newRS)) return syncRolloutStatus(pass, all, newRS);
  if (reconcileOldReplicaSets(pass, all, oldRSs.filter(isActive), newRS)) return syncRolloutStatus(pass, all, newRS);
  if (deploymentComplete(pass.d, pass.d.status ?? {})) cleanupHistory(pass, oldRSs);
  syncRolloutStatus(pass, all.filter((rs) => pass.rss.includes(rs)), newRS);
}

function rolloutRecreate(pass: Pass, pods: ReadonlyMap<string, number>): void {
  const oldRSs = findOldReplicaSets(pass.d, pass.rss);
  let newRS = getNewReplicaSet(pass, oldRSs, false);
  if (scaleDownOldForRecreate(pass, oldRSs)) return syncRolloutStatus(pass, withNew(oldRSs, newRS), newRS);
  // Only the pods of ReplicaSets this Deployment owns count.
  const owned = new Map([...pods].filter(([uid]) => pass.rss.some((rs) => rs.metadata?.uid === uid)));
  if (oldPodsRunning(newRS, oldRSs, owned)) return syncRolloutStatus(pass, withNew(oldRSs, newRS), newRS);
  newRS ??= getNewReplicaSet(pass, oldRSs, true)!;
  pass.scaleTo(newRS, pass.replicas);
  if (deploymentComplete(pass.d, pass.d.status ?? {})) cleanupHistory(pass, oldRSs);
  syncRolloutStatus(pass, withNew(oldRSs, newRS).filter((rs) => pass.rss.includes(rs)), newRS);
}

/** The revision annotation goes on the Deployment before its status, which is written last. */
function finish(pass: Pass, observed: Readonly<Deployment>): Action[] {
  const revision = pass.d.metadata?.annotations?.[REVISION];
  if (revision !== undefined && revision !== observed.metadata?.annotations?.[REVISION]) {
    const deployment = jsonCopy(observed) as Deployment;
    deployment.metadata = { ...deployment.metadata, annotations: { ...(deployment.metadata?.annotations ?? {}), [REVISION]: revision } };
    delete deployment.status;
    const at = pass.actions.findIndex((a) => a.type === 'updateStatus');
    pass.actions.splice(at < 0 ? pass.actions.length : at, 0, { type: 'updateDeployment', deployment });
  }
  return pass.actions;
}

