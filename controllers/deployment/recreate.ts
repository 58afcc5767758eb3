import type { ReplicaSet } from '../../api/schemas/workloads.js';
import type { Pass } from './pass.js';
import { isActive, sumActual } from './_util.js';

/** Step one of Recreate: every old ReplicaSet to zero. Answers whether any was scaled. */
export function scaleDownOldForRecreate(pass: Pass, oldRSs: readonly ReplicaSet[]): boolean {
  let scaled = false;
  for (const rs of oldRSs.filter(isActive)) if (pass.scaleTo(rs, 0)) scaled = true;
  return scaled;
}

/**
 * oldPodsRunning: whether any pod of an old ReplicaSet may still run, so that the new pods must
 * wait. A pod counts until it is Succeeded or Failed (or gone): `podsByReplicaSet` maps a
 * ReplicaSet's uid to its pods in any other phase, Unknown included.
 *
 *   old RS status.replicas 0, but one Running pod still owned by it  ->  true
 */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[], podsByReplicaSet: ReadonlyMap<string, number>): boolean {
  if (sumActual(oldRSs) > 0) return true;
  for (const [uid, count] of podsByReplicaSet) {
    if (newRS?.metadata?.uid !== undefined && uid === newRS.metadata.uid) continue;
    if (count > 0) return true;
  }
  return false;
}
