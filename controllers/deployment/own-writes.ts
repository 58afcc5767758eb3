import type { ReplicaSet } from '../../api/schemas/workloads.js';
import { EXPECTATIONS_TIMEOUT_MS } from '../replica-set/expectations.js';

interface Written {
  uid: string;
  resourceVersion: number;
  at: number;
}

/**
 * The ReplicaSets a Deployment controller has written and its cache may not have seen yet. A plan
 * made from a cache that lags the controller's own writes misjudges the rollout: a new ReplicaSet
 * sized from an old one's replicas before its last scale-up surges past maxSurge. So a Deployment
 * is not planned while any of its namespace's ReplicaSets is older in the cache than this
 * controller wrote it; the ReplicaSet's watch event, when it comes, syncs the Deployment again. As
 * the ReplicaSet controller's expectations, a write never seen stops waiting after 5 minutes.
 *
 *   own.wrote(rs)                      // update answered resourceVersion 97
 *   own.lagging('default', cached, t)  = 'default/web-7f9c'   (the cache still holds 95)
 *   own.lagging('default', cached, t)  = undefined            (once the cache holds 97)
 */
export class OwnWrites {
  private readonly written = new Map<string, Written>();

  constructor(private readonly timeoutMs = EXPECTATIONS_TIMEOUT_MS) {}

  /** A create or update of a ReplicaSet, as the server answered it. */
  wrote(rs: Readonly<ReplicaSet>, now: number): void {
    const rv = Number(rs.metadata?.resourceVersion);
    if (!Number.isFinite(rv)) return;
    this.written.set(`${rs.metadata?.namespace}/${rs.metadata?.name}`, { uid: rs.metadata?.uid ?? '', resourceVersion: rv, at: now });
  }

  /** A ReplicaSet the cache saw deleted: nothing more to wait for. */
  forget(rs: Readonly<ReplicaSet>): void {
    const key = `${rs.metadata?.namespace}/${rs.metadata?.name}`;
    if (this.written.get(key)?.uid === rs.metadata?.uid) this.written.delete(key);
  }

  /** The first ReplicaSet of `namespace` the cache holds older than written (or not at all), if any. */
  lagging(namespace: string, cached: readonly Readonly<ReplicaSet>[], now: number): string | undefined {
    const byName = new Map(cached.map((rs) => [rs.metadata?.name, rs]));
    for (const [key, w] of this.written) {
      const [ns, name] = key.split('/');
      if (ns !== namespace) continue;
      const rs = byName.get(name);
      const seen = rs !== undefined && (rs.metadata?.uid !== w.uid || Number(rs.metadata?.resourceVersion) >= w.resourceVersion);
      if (seen || now - w.at > this.timeoutMs) this.written.delete(key);
      else return key;
    }
    return undefined;
  }
}
