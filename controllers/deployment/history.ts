import type { Deployment, ReplicaSet } from '../../api/schemas/workloads.js';
import { equalIgnoreHash } from './pod-template-hash.js';
import type { Pass } from './pass.js';
import { byCreation, DESIRED_REPLICAS, LAST_APPLIED, MAX_REPLICAS, REVISION, REVISION_HISTORY, revisionOf, ROLLBACK_TO, specReplicas } from './_util.js';

/** Upstream caps the revision-history annotation at this many characters. */
const MAX_REVISION_HISTORY_CHARS = 2000;

/** Deployment annotations that are the controller's own bookkeeping, never copied to a ReplicaSet. */
const SKIPPED = new Set([LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, ROLLBACK_TO]);

/**
 * The ReplicaSet running the Deployment's current template: the oldest whose template equals it
 * but for the pod-template-hash label (two can exist after an upgrade; the choice must be stable).
 */
export function findNewReplicaSet<T extends Readonly<ReplicaSet>>(d: Readonly<Deployment>, rss: readonly T[]): T | undefined {
  return [...rss].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** Every other ReplicaSet: the Deployment's history. */
export function findOldReplicaSets<T extends Readonly<ReplicaSet>>(d: Readonly<Deployment>, rss: readonly T[]): T[] {
  const newRS = findNewReplicaSet(d, rss);
  return rss.filter((rs) => rs !== newRS);
}

/**
 * SetNewReplicaSetAnnotations: copies the Deployment's own annotations (`kubernetes.io/change-cause`
 * above all, which `kubectl rollout history` prints) and raises the revision to `newRevision` if it
 * is lower. A ReplicaSet that had a revision and gets a higher one is a rollback to it: its former
 * numbers go to `deployment.kubernetes.io/revision-history`.
 *
 *   rs at revision 1, Deployment rolled back to its template while revision 2 ran:
 *   setNewReplicaSetAnnotations(d, rs, 3)  ->  revision "3", revision-history "1"
 */
export function setNewReplicaSetAnnotations(d: Readonly<Deployment>, rs: ReplicaSet, newRevision: number): boolean {
  const meta = (rs.metadata ??= {});
  const a: Record<string, string> = { ...(meta.annotations ?? {}) };
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) {
    if (SKIPPED.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  const oldText = a[REVISION];
  const had = oldText !== undefined;
  if (had && !/^\d+$/.test(oldText)) {
    // Upstream leaves a ReplicaSet with an unreadable revision alone.
    meta.annotations = a;
    return changed;
  }
  const old = had ? Number(oldText) : 0;
  if (old < newRevision) {
    a[REVISION] = String(newRevision);
    changed = true;
    if (had) a[REVISION_HISTORY] = appendHistory(a[REVISION_HISTORY], oldText);
  }
  meta.annotations = a;
  return changed;
}

function appendHistory(history: string | undefined, revision: string): string {
  if (!history) return revision;
  const parts = history.split(',');
  let total = history.length + revision.length + 1;
  let start = 0;
  while (total > MAX_REVISION_HISTORY_CHARS && start < parts.length) total -= parts[start++]!.length + 1;
  return total <= MAX_REVISION_HISTORY_CHARS ? [...parts.slice(start), revision].join(',') : history;
}

/** SetDeploymentRevision: the Deployment shows the revision of its new ReplicaSet. */
export function setDeploymentRevision(d: Deployment, revision: string): boolean {
  const meta = (d.metadata ??= {});
  if (meta.annotations?.[REVISION] === revision) return false;
  meta.annotations = { ...(meta.annotations ?? {}), [REVISION]: revision };
  return true;
}

/**
 * cleanupDeployment: deletes the oldest revisions beyond revisionHistoryLimit (default 10), but
 * only ReplicaSets that ask for no pods, have none, and whose controller has seen that. With limit
 * 1 and old revisions 1, 2, 3 all at zero, revisions 1 and 2 go.
 */
export function cleanupHistory(pass: Pass, oldRSs: readonly ReplicaSet[]): void {
  const limit = pass.d.spec?.revisionHistoryLimit ?? 10;
  const alive = oldRSs.filter((rs) => !rs.metadata?.deletionTimestamp);
  const diff = alive.length - limit;
  if (diff <= 0) return;
  const byRevision = [...alive].sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
  for (const rs of byRevision.slice(0, diff)) {
    const unobserved = (rs.metadata?.generation ?? 0) > (rs.status?.observedGeneration ?? 0);
    if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0 || unobserved) continue;
    pass.actions.push({ type: 'delete', name: rs.metadata!.name!, ...(rs.metadata?.uid ? { uid: rs.metadata.uid } : {}) });
    pass.rss = pass.rss.filter((x) => x !== rs);
  }
}
