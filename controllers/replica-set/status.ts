import { isDeepStrictEqual } from 'node:util';
import { selectorFromSet } from '../../api/labels.js';
import type { Condition } from '../../api/schemas/meta.js';
import type { Pod } from '../../api/schemas/pod.js';
import type { ReplicaSet } from '../../api/schemas/workloads.js';
import { isReadyConditionAvailable, readyCondition } from './pod-ranking.js';
import { jsonCopy } from '../../api/json-copy.js';
import { secondsTimestamp } from '../../api/timestamp.js';

export type ReplicaSetStatus = NonNullable<ReplicaSet['status']>;

/** Seconds, as Kubernetes writes timestamps. */

/**
 * Upstream's calculateStatus: counts over the active pods the ReplicaSet claims, and the
 * ReplicaFailure condition, set when creating or deleting pods failed (kept as first written
 * while failures go on) and removed by the first sync that manages without error.
 *
 *   rs web: replicas 3, minReadySeconds 10, template labels {app: web, tier: fe}
 *   pods: a (app=web, tier=fe, ready for 60 s), b (app=web, ready for 2 s), c (app=web, not ready)
 *   calculateStatus(rs, [a, b, c], undefined, now)
 *     = { replicas: 3, fullyLabeledReplicas: 1, readyReplicas: 2, availableReplicas: 1 }
 *   calculateStatus(rs, [], new Error('pods "web-" is forbidden: quota'), now).conditions
 *     = [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "web-" is forbidden: quota', ... }]
 */
export function calculateStatus(rs: Readonly<ReplicaSet>, active: readonly Readonly<Pod>[], manageError: unknown, now: number): ReplicaSetStatus {
  const template = selectorFromSet(rs.spec?.template?.metadata?.labels ?? {});
  const minReady = rs.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of active) {
    if (template.matches(pod.metadata?.labels)) fullyLabeled++;
    const condition = readyCondition(pod);
    if (condition?.status === 'True') {
      ready++;
      if (isReadyConditionAvailable(condition, minReady, now)) available++;
    }
  }
  const prior = rs.status?.conditions ?? [];
  const failure = prior.find((c) => c.type === 'ReplicaFailure');
  let conditions: Condition[] = prior.map((c) => ({ ...c }));
  if (manageError !== undefined && !failure) {
    const diff = active.length - (rs.spec?.replicas ?? 1);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    const message = manageError instanceof Error ? manageError.message : String(manageError);
    conditions.push({ type: 'ReplicaFailure', status: 'True', lastTransitionTime: secondsTimestamp(now), reason, message });
  } else if (manageError === undefined && failure) {
    conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
  }
  const status: ReplicaSetStatus = {
    ...jsonCopy(rs.status ?? { replicas: 0 }),
    replicas: active.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
  };
  if (conditions.length > 0) status.conditions = conditions;
  else delete status.conditions;
  return status;
}

/** Whether `next` (with observedGeneration still to be set) says anything the stored status does not. */
export function statusChanged(rs: Readonly<ReplicaSet>, next: ReplicaSetStatus): boolean {
  const cur = rs.status;
  return (
    cur?.replicas !== next.replicas ||
    (cur.fullyLabeledReplicas ?? 0) !== next.fullyLabeledReplicas ||
    (cur.readyReplicas ?? 0) !== next.readyReplicas ||
    (cur.availableReplicas ?? 0) !== next.availableReplicas ||
    cur.observedGeneration !== rs.metadata?.generation ||
    !isDeepStrictEqual(cur.conditions ?? [], next.conditions ?? [])
  );
}

/**
 * When the next pod of `active` becomes available, for a ReplicaSet with minReadySeconds that has
 * ready pods still waiting them out; undefined when there are none. Upstream requeues after the
 * whole minReadySeconds; waiting only for what remains makes availableReplicas arrive on time.
 *
 *   minReadySeconds 10; pod a ready since now - 4 s  -> 6001 (ms; available strictly after 10 s)
 */
export function nextAvailableInMs(rs: Readonly<ReplicaSet>, active: readonly Readonly<Pod>[], now: number): number | undefined {
  const minReady = rs.spec?.minReadySeconds ?? 0;
  if (minReady <= 0) return undefined;
  let soonest: number | undefined;
  for (const pod of active) {
    const condition = readyCondition(pod);
    if (condition?.status !== 'True' || isReadyConditionAvailable(condition, minReady, now)) continue;
    const since = Date.parse(condition.lastTransitionTime ?? '');
    // A ready pod without a transition time never becomes available by the clock: nothing to wait for.
    if (!Number.isFinite(since)) continue;
    const wait = since + minReady * 1000 - now + 1;
    soonest = soonest === undefined ? wait : Math.min(soonest, wait);
  }
  return soonest;
}
