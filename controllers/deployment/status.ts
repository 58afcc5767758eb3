import type { Condition } from '../../api/schemas/meta.js';
import type { Deployment, ReplicaSet } from '../../api/schemas/workloads.js';
import { maxUnavailable, replicasOf } from './limits.js';
import type { Pass } from './pass.js';
import { equivalent } from './pod-template-hash.js';
import { sumActual, sumAvailable, sumReady, sumSpec } from './_util.js';

export type DeploymentStatus = NonNullable<Deployment['status']>;
export type ConditionType = 'Available' | 'Progressing' | 'ReplicaFailure';

/** Upstream never tracks progress when the deadline is MaxInt32. */
const NO_DEADLINE = 2_147_483_647;

export const hasProgressDeadline = (d: Readonly<Deployment>): boolean => (d.spec?.progressDeadlineSeconds ?? 600) !== NO_DEADLINE;

export function newCondition(type: ConditionType, status: Condition['status'], reason: string, message: string, at: string): Condition {
  return { type, status, lastUpdateTime: at, lastTransitionTime: at, reason, message };
}

export function getCondition(status: Readonly<DeploymentStatus> | undefined, type: ConditionType): Condition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/**
 * SetDeploymentCondition: a condition with the same status and reason is left as it is (its times
 * too); one with the same status keeps its lastTransitionTime; the changed one moves to the end.
 */
export function setCondition(status: DeploymentStatus, cond: Condition): void {
  const current = getCondition(status, cond.type as ConditionType);
  if (current && current.status === cond.status && current.reason === cond.reason) return;
  const next = { ...cond };
  if (current && current.status === cond.status && current.lastTransitionTime) next.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== cond.type), next];
}

export function removeCondition(status: DeploymentStatus, type: ConditionType): void {
  if (!status.conditions) return;
  status.conditions = status.conditions.filter((c) => c.type !== type);
}

/** DeploymentComplete: every pod is updated and available, no old one is left, and the spec has been seen. */
export function deploymentComplete(d: Readonly<Deployment>, s: Readonly<DeploymentStatus>): boolean {
  const r = replicasOf(d);
  return s.updatedReplicas === r && s.replicas === r && s.availableReplicas === r && (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
}

/** DeploymentProgressing: more updated, ready or available pods, or fewer old ones, than last recorded. */
function deploymentProgressing(old: Readonly<DeploymentStatus>, s: Readonly<DeploymentStatus>): boolean {
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

function deadlineMs(d: Readonly<Deployment>, cond: Condition): number {
  return Date.parse(cond.lastUpdateTime ?? '') + (d.spec?.progressDeadlineSeconds ?? 600) * 1000;
}

/**
 * calculateStatus: counts from the ReplicaSets and the Available condition. With replicas 10
 * and maxUnavailable 2, eight available pods are "MinimumReplicasAvailable".
 */
export function calculateStatus(pass: Pass, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): DeploymentStatus {
  const d = pass.d;
  const available = sumAvailable(allRSs);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata?.generation ?? 0,
    replicas: sumActual(allRSs),
    updatedReplicas: newRS ? sumActual([newRS]) : 0,
    readyReplicas: sumReady(allRSs),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, sumSpec(allRSs) - available),
    ...(d.status?.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
    conditions: (d.status?.conditions ?? []).map((c) => ({ ...c })),
  };
  if (available >= replicasOf(d) - maxUnavailable(d)) {
    setCondition(status, newCondition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', pass.timestamp));
  } else {
    setCondition(status, newCondition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', pass.timestamp));
  }
  return status;
}

/** syncDeploymentStatus: the status of a scaling or paused pass, without estimating progress. */
export function syncDeploymentStatus(pass: Pass, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): void {
  writeStatus(pass, calculateStatus(pass, allRSs, newRS));
}

/**
 * syncRolloutStatus: the status of a rollout pass, with the Progressing condition `kubectl rollout
 * status` reads: ReplicaSetUpdated while pods move, NewReplicaSetAvailable once complete,
 * ProgressDeadlineExceeded when nothing moved for progressDeadlineSeconds (the pass asks to be run
 * again at that deadline, since nothing else may happen to wake it).
 */
export function syncRolloutStatus(pass: Pass, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): void {
  const d = pass.d;
  const status = calculateStatus(pass, allRSs, newRS);
  if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
  const current = getCondition(d.status, 'Progressing');
  const isComplete = status.replicas === status.updatedReplicas && current?.reason === 'NewReplicaSetAvailable';
  const rsName = newRS?.metadata?.name;
  if (hasProgressDeadline(d) && !isComplete) {
    if (deploymentComplete(d, status)) {
      const msg = rsName ? `ReplicaSet "${rsName}" has successfully progressed.` : `Deployment "${d.metadata?.name}" has successfully progressed.`;
      setCondition(status, newCondition('Progressing', 'True', 'NewReplicaSetAvailable', msg, pass.timestamp));
    } else if (deploymentProgressing(d.status ?? {}, status)) {
      const msg = rsName ? `ReplicaSet "${rsName}" is progressing.` : `Deployment "${d.metadata?.name}" is progressing.`;
      const cond = newCondition('Progressing', 'True', 'ReplicaSetUpdated', msg, pass.timestamp);
      // Progress moves lastUpdateTime even when the reason stays: that is what the deadline counts from.
      if (current?.status === 'True' && current.lastTransitionTime) cond.lastTransitionTime = current.lastTransitionTime;
      removeCondition(status, 'Progressing');
      setCondition(status, cond);
    } else if (timedOut(pass, status)) {
      const msg = rsName ? `ReplicaSet "${rsName}" has timed out progressing.` : `Deployment "${d.metadata?.name}" has timed out progressing.`;
      setCondition(status, newCondition('Progressing', 'False', 'ProgressDeadlineExceeded', msg, pass.timestamp));
    }
  }
  const failure = replicaFailure(allRSs, newRS);
  if (failure) setCondition(status, failure);
  else removeCondition(status, 'ReplicaFailure');
  writeStatus(pass, status);
  requeueAtDeadline(pass, status);
}

function timedOut(pass: Pass, status: DeploymentStatus): boolean {
  const cond = getCondition(status, 'Progressing');
  if (!cond || cond.reason === 'NewReplicaSetAvailable') return false;
  if (cond.reason === 'ProgressDeadlineExceeded') return true;
  return deadlineMs(pass.d, cond) < pass.now;
}

/** requeueStuckDeployment: a rollout that is neither complete nor timed out is looked at again at its deadline. */
function requeueAtDeadline(pass: Pass, status: DeploymentStatus): void {
  const cond = getCondition(status, 'Progressing');
  if (!hasProgressDeadline(pass.d) || !cond || deploymentComplete(pass.d, status)) return;
  if (cond.reason === 'ProgressDeadlineExceeded' || cond.reason === 'NewReplicaSetAvailable') return;
  // A second past the deadline, so the deadline has surely passed when the pass runs.
  pass.actions.push({ type: 'requeue', afterMs: Math.max(0, deadlineMs(pass.d, cond) - pass.now) + 1000 });
}

/** A ReplicaFailure condition of a ReplicaSet (pods it cannot create), the new one's first. */
function replicaFailure(allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): Condition | undefined {
  const ordered = newRS ? [newRS, ...allRSs.filter((rs) => rs !== newRS)] : [...allRSs];
  for (const rs of ordered) {
    const c = rs.status?.conditions?.find((x) => x.type === 'ReplicaFailure' && x.status === 'True');
    if (c) return { type: 'ReplicaFailure', status: 'True', ...(c.lastTransitionTime ? { lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime } : {}), ...(c.reason ? { reason: c.reason } : {}), ...(c.message ? { message: c.message } : {}) };
  }
  return undefined;
}

/** One status write per pass, and none when nothing changed. */
function writeStatus(pass: Pass, status: DeploymentStatus): void {
  pass.d.status = status;
  if (equivalent(status, pass.observedStatus)) return;
  pass.actions.push({ type: 'updateStatus', status });
}
