import { EXPECTATIONS_TIMEOUT_MS } from './replica-set/expectations.js';

interface Owned {
  metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string };
}

interface Written {
  uid: string;
  /** The version the cache must reach; Infinity for a delete, which only the object's absence settles. */
  resourceVersion: number;
  at: number;
}

/**
 * The objects a controller has written and its cache may not have seen yet. A plan made from a
 * cache that lags the controller's own writes misjudges: the Deployment controller sized a new
 * ReplicaSet from an old one's replicas before its last scale-up and surged past maxSurge; the
 * EndpointSlice controller, not yet seeing the slice it created, would create another. So a key is
 * not planned while any of its namespace's objects is older in the cache than this controller
 * wrote it, or still there after it deleted it; the object's watch event, when it comes, syncs the
 * key again. As the ReplicaSet controller's expectations, a write never seen stops waiting after
 * 5 minutes.
 *
 *   own.wrote(rs)                      // update answered resourceVersion 97
 *   own.lagging('default', cached, t)  = 'default/web-7f9c'   (the cache still holds 95)
 *   own.lagging('default', cached, t)  = undefined            (once the cache holds 97)
 */
export class OwnWrites {
  private readonly written = new Map<string, Written>();

  constructor(private readonly timeoutMs = EXPECTATIONS_TIMEOUT_MS) {}

  /** A create or update, as the server answered it. */
  wrote(obj: Readonly<Owned>, now: number): void {
    const rv = Number(obj.metadata?.resourceVersion);
    if (!Number.isFinite(rv)) return;
    this.written.set(keyOf(obj), { uid: obj.metadata?.uid ?? '', resourceVersion: rv, at: now });
  }

  /** A delete the server accepted: the cache lags until it no longer holds the object. */
  deleted(obj: Readonly<Owned>, now: number): void {
    this.written.set(keyOf(obj), { uid: obj.metadata?.uid ?? '', resourceVersion: Infinity, at: now });
  }

  /** An object the cache saw deleted: nothing more to wait for. */
  forget(obj: Readonly<Owned>): void {
    const key = keyOf(obj);
    if (this.written.get(key)?.uid === obj.metadata?.uid) this.written.delete(key);
  }

  /** The first object of `namespace` the cache holds older than written (or not at all, or still after a delete), if any. */
  lagging(namespace: string, cached: readonly Readonly<Owned>[], now: number): string | undefined {
    const byName = new Map(cached.map((o) => [o.metadata?.name, o]));
    for (const [key, w] of this.written) {
      const [ns, name] = key.split('/');
      if (ns !== namespace) continue;
      const o = byName.get(name);
      const seen =
        w.resourceVersion === Infinity
          ? o === undefined || o.metadata?.uid !== w.uid
          : o !== undefined && (o.metadata?.uid !== w.uid || Number(o.metadata?.resourceVersion) >= w.resourceVersion);
      if (seen || now - w.at > this.timeoutMs) this.written.delete(key);
      else return key;
    }
    return undefined;
  }
}

const keyOf = (o: Readonly<Owned>) => `${o.metadata?.namespace}/${o.metadata?.name}`;
