import type { Pod } from '../../api/schemas/pod.js';

/** The annotation a user sets to steer scale-down: lower cost goes first (int32, default 0). */
export const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

/** Running pods count for a ReplicaSet; finished and terminating ones do not (upstream's IsPodActive). */
export function isPodActive(pod: Readonly<Pod>): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata?.deletionTimestamp;
}

export function readyCondition(pod: Readonly<Pod>) {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

export function isPodReady(pod: Readonly<Pod>): boolean {
  return readyCondition(pod)?.status === 'True';
}

/**
 * Ready for longer than minReadySeconds (upstream's IsPodAvailable: strictly after, so a pod ready
 * at 10:00:00 with minReadySeconds 5 is available from just after 10:00:05).
 */
export function isPodAvailable(pod: Readonly<Pod>, minReadySeconds: number, now: number): boolean {
  return isReadyConditionAvailable(readyCondition(pod), minReadySeconds, now);
}

/** isPodAvailable from a Ready condition already found, for loops over many pods that also count readiness. */
export function isReadyConditionAvailable(ready: ReturnType<typeof readyCondition>, minReadySeconds: number, now: number): boolean {
  if (ready?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  const since = Date.parse(ready.lastTransitionTime ?? '');
  return Number.isFinite(since) && since + minReadySeconds * 1000 < now;
}

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** GetDeletionCostFromPodAnnotations: an int32 in decimal; anything else counts as 0. */
export function deletionCost(pod: Readonly<Pod>): number {
  const raw = pod.metadata?.annotations?.[POD_DELETION_COST];
  if (raw === undefined || !/^[+-]?\d+$/.test(raw)) return 0;
  const n = Number(raw);
  return n >= -(2 ** 31) && n < 2 ** 31 ? n : 0;
}

/** The highest restart count of the regular containers, then of the sidecars (restartable init containers). */
function maxRestarts(pod: Readonly<Pod>): [number, number] {
  const regular = Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount));
  const sidecars = new Set((pod.spec?.initContainers ?? []).filter((c) => (c as { restartPolicy?: string }).restartPolicy === 'Always').map((c) => c.name));
  const sidecar = Math.max(0, ...(pod.status?.initContainerStatuses ?? []).filter((c) => sidecars.has(c.name)).map((c) => c.restartCount));
  return [regular, sidecar];
}

/**
 * Upstream's LogarithmicScaleDown bucket of a timestamp: floor(log2(age in nanoseconds)), so pods
 * of about the same age tie and are told apart by later rules instead of by a few seconds.
 * A missing timestamp sorts before every real one; a timestamp not in the past is bucket -1.
 */
function ageBucket(ts: string | undefined, now: number): number {
  const t = Date.parse(ts ?? '');
  if (!Number.isFinite(t)) return -2;
  const ageNs = (now - t) * 1e6;
  return ageNs > 0 ? Math.floor(Math.log2(ageNs)) : -1;
}

/**
 * One pod's place in the scale-down order, as a tuple compared element by element: the smallest
 * tuple is deleted first.
 */
export type RankKey = readonly [number, number, number, number, number, number, number, number, number, string, string];

/**
 * upstream's ActivePodsWithRanks.Less, as a sort key (`colocated` is how many active pods of the
 * ReplicaSet and its siblings run on the pod's node, the pod itself included):
 *
 *   1. unassigned < assigned            2. Pending < Unknown < Running     3. not ready < ready
 *   4. lower pod-deletion-cost first    5. more colocated pods first
 *   6. both ready: ready more recently first (log2 buckets of time since ready)
 *   7. more container restarts first, then more sidecar restarts
 *   8. created more recently first (log2 buckets of age; no timestamp first)   9. then by uid, name
 *
 * Upstream compares UIDs as soon as two ready times (or creation times) differ within one bucket,
 * which is not transitive when a third pod ties on the time; a key of tuples goes on to the next
 * rule instead and so is a total order whatever the pods.
 *
 *   ranked(web-a Running ready on node-1, web-b Pending unassigned, web-c Running not ready on node-2)
 *     = [web-b, web-c, web-a]     (web-b is deleted first)
 */
export function rankKey(pod: Readonly<Pod>, colocated: number, now: number): RankKey {
  const condition = readyCondition(pod);
  const ready = condition?.status === 'True';
  const [restarts, sidecarRestarts] = maxRestarts(pod);
  return [
    pod.spec?.nodeName ? 1 : 0,
    PHASE_ORDINAL[pod.status?.phase ?? ''] ?? 0,
    ready ? 1 : 0,
    deletionCost(pod),
    -colocated,
    ready ? ageBucket(condition?.lastTransitionTime, now) : 0,
    -restarts,
    -sidecarRestarts,
    ageBucket(pod.metadata?.creationTimestamp, now),
    pod.metadata?.uid ?? '',
    pod.metadata?.name ?? '',
  ];
}

export function compareKeys(a: RankKey, b: RankKey): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

/**
 * `pods` in the order a scale-down deletes them, first to go first. `related` are the active and
 * inactive pods of the ReplicaSet and of its siblings (ReplicaSets of the same Deployment), whose
 * active ones count towards how crowded a node is (upstream's getPodsRankedByRelatedPodsOnSameNode).
 */
export function rankForDeletion<P extends Readonly<Pod>>(pods: readonly P[], related: readonly Readonly<Pod>[], now: number): P[] {
  const onNode = new Map<string, number>();
  for (const p of related) {
    if (!isPodActive(p)) continue;
    const node = p.spec?.nodeName ?? '';
    onNode.set(node, (onNode.get(node) ?? 0) + 1);
  }
  return pods
    .map((pod) => ({ pod, key: rankKey(pod, onNode.get(pod.spec?.nodeName ?? '') ?? 0, now) }))
    .sort((a, b) => compareKeys(a.key, b.key))
    .map((x) => x.pod);
}
