import type { OwnerReference } from '../../api/schemas/meta.js';
import type { ReplicaSet } from '../../api/schemas/workloads.js';

/** Annotations the Deployment controller reads and writes on ReplicaSets (and the Deployment). */
export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const CHANGE_CAUSE = 'kubernetes.io/change-cause';
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
export const ROLLBACK_TO = 'deprecated.deployment.rollback.to';

type RS = Readonly<ReplicaSet>;

export const specReplicas = (rs: RS): number => rs.spec?.replicas ?? 1;
export const sumSpec = (rss: readonly RS[]): number => rss.reduce((n, rs) => n + specReplicas(rs), 0);
export const sumActual = (rss: readonly RS[]): number => rss.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
export const sumAvailable = (rss: readonly RS[]): number => rss.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
export const sumReady = (rss: readonly RS[]): number => rss.reduce((n, rs) => n + (rs.status?.readyReplicas ?? 0), 0);

/** Old first; equal times by name, so every copy of the controller sorts alike (ReplicaSetsByCreationTimestamp). */
export function byCreation(a: RS, b: RS): number {
  const ta = Date.parse(a.metadata?.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata?.creationTimestamp ?? '') || 0;
  if (ta !== tb) return ta - tb;
  return (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : (a.metadata?.name ?? '') > (b.metadata?.name ?? '') ? 1 : 0;
}

/** Largest first, newer first among equals: where leftovers of a scale-up go (ReplicaSetsBySizeNewer). */
export const bySizeNewer = (a: RS, b: RS): number => specReplicas(b) - specReplicas(a) || byCreation(b, a);
/** Largest first, older first among equals: where leftovers of a scale-down go (ReplicaSetsBySizeOlder). */
export const bySizeOlder = (a: RS, b: RS): number => specReplicas(b) - specReplicas(a) || byCreation(a, b);

/** The revision annotation as a number; 0 when absent or not a number. */
export function revisionOf(rs: RS): number {
  const v = rs.metadata?.annotations?.[REVISION];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : 0;
}

export const maxRevision = (rss: readonly RS[]): number => rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);

export function controllerRefOf(obj: { metadata?: { ownerReferences?: readonly OwnerReference[] } }): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

/** Upstream's int32 RoundToInt32: halves round away from zero. */
export const roundHalfAway = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));

/** A ReplicaSet is active while it asks for pods. */
export const isActive = (rs: RS): boolean => specReplicas(rs) > 0;
