import type { DeploymentStatus } from './status.js';
import type { Deployment, ReplicaSet } from '../../api/schemas/workloads.js';
import { maxSurge, replicasOf } from './limits.js';
import { DESIRED_REPLICAS, MAX_REPLICAS, specReplicas } from './_util.js';
import { copyOfCached, jsonCopy } from '../../api/json-copy.js';
import { secondsTimestamp } from '../../api/timestamp.js';

/** An Event the controller writes about the Deployment. */
export interface PlannedEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/**
 * What one reconcile of a Deployment does, in order. ReplicaSets are full objects as they should
 * be written (updates carry the resourceVersion they were read at, so a stale write is a 409).
 */
export type Action =
  | { type: 'adopt'; rs: ReplicaSet }
  | { type: 'release'; rs: ReplicaSet }
  | { type: 'create'; rs: ReplicaSet; event?: PlannedEvent }
  | { type: 'update'; rs: ReplicaSet; event?: PlannedEvent }
  | { type: 'delete'; name: string; uid?: string }
  | { type: 'updateDeployment'; deployment: Deployment }
  | { type: 'updateStatus'; status: DeploymentStatus }
  | { type: 'event'; event: PlannedEvent }
  | { type: 'requeue'; afterMs: number };

/**
 * The planner's scratch state for one pass: copies of the Deployment and of its ReplicaSets that
 * the steps change as upstream's sync changes the objects it writes, and the actions recorded.
 * Nothing here does I/O; the caller's objects are never touched.
 */
export class Pass {
  readonly d: Deployment;
  rss: ReplicaSet[];
  readonly actions: Action[] = [];
  /** The status as read, to write only a changed one. */
  readonly observedStatus: DeploymentStatus | undefined;

  constructor(
    d: Readonly<Deployment>,
    rss: readonly Readonly<ReplicaSet>[],
    readonly now: number,
  ) {
    this.d = copyOfCached(d) as Deployment;
    // Only compared with what the pass makes of it: a cached status is read as it is.
    this.observedStatus = (Object.isFrozen(d.status) ? d.status : jsonCopy(d.status)) as DeploymentStatus | undefined;
    this.rss = rss.map(writable);
  }

  get replicas(): number {
    return replicasOf(this.d);
  }

  /** RFC 3339 to the second, as condition times are written. */
  get timestamp(): string {
    return secondsTimestamp(this.now);
  }

  /** Records an update of `rs` as it now stands (a snapshot: later changes make a later update). */
  update(rs: ReplicaSet, event?: PlannedEvent): void {
    this.actions.push({ type: 'update', rs: jsonCopy(rs), ...(event ? { event } : {}) });
  }

  event(type: PlannedEvent['type'], reason: string, message: string): void {
    this.actions.push({ type: 'event', event: { type, reason, message } });
  }

  /**
   * scaleReplicaSet: sets spec.replicas and the desired/max-replicas annotations, writing only if
   * either changed; an actual change of size is a ScalingReplicaSet Event
   * ("Scaled up replica set web-5d4f8b6c9 from 0 to 3"). Answers whether the size changed.
   */
  scale(rs: ReplicaSet, newScale: number, operation?: 'up' | 'down'): boolean {
    const old = specReplicas(rs);
    const sizeChanges = old !== newScale;
    const annotationsChange = setReplicasAnnotations(rs, this.replicas, this.replicas + maxSurge(this.d));
    if (!sizeChanges && !annotationsChange) return false;
    rs.spec = { ...rs.spec!, replicas: newScale };
    const op = operation ?? (old < newScale ? 'up' : 'down');
    this.update(rs, sizeChanges ? { type: 'Normal', reason: 'ScalingReplicaSet', message: `Scaled ${op} replica set ${rs.metadata?.name} from ${old} to ${newScale}` } : undefined);
    return sizeChanges;
  }

  /** scaleReplicaSetAndRecordEvent: nothing to do when the size is already right. */
  scaleTo(rs: ReplicaSet, newScale: number): boolean {
    if (specReplicas(rs) === newScale) return false;
    return this.scale(rs, newScale);
  }
}

/**
 * A ReplicaSet the steps may change. The steps replace a ReplicaSet's spec, annotations and owner
 * references rather than write into them, so a cached (frozen) one lends its copy every part but
 * its top level and metadata; should a step write into one, the frozen part throws rather than
 * change the cache.
 */
function writable(rs: Readonly<ReplicaSet>): ReplicaSet {
  if (!Object.isFrozen(rs)) return jsonCopy(rs) as ReplicaSet;
  return { ...rs, ...(rs.metadata ? { metadata: { ...rs.metadata } } : {}) } as ReplicaSet;
}

/** Writes the desired/max-replicas annotations proportional scaling reads; answers whether they changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = (rs.metadata ??= {}).annotations ?? {};
  if (a[DESIRED_REPLICAS] === String(desired) && a[MAX_REPLICAS] === String(max)) return false;
  rs.metadata.annotations = { ...a, [DESIRED_REPLICAS]: String(desired), [MAX_REPLICAS]: String(max) };
  return true;
}
