import type { KubeObject } from '../../api/client.js';
import { keyOf, type Handlers } from '../../api/informer.js';
import type { GraphEntry } from './owner-graph.js';

/** One cached object: where it sits in its informer's cache and whom it names as owners. */
interface Holder {
  readonly rank: number;
  /** Order of arrival of its key in its informer's cache; a key deleted and added again arrives anew. */
  readonly seq: number;
  entry: GraphEntry;
  uid: string | undefined;
  owners: readonly string[];
}

/**
 * The owner graph kept current from informer events, as upstream's GraphBuilder keeps its uid ->
 * node map: each add, update or delete relinks one object, so that a reconcile reads its object,
 * its owners and its dependents without walking every cache. An owner no cache holds is a bare
 * uid with dependents (upstream's "virtual" node), which is how the dependents of an owner that
 * is gone are found.
 *
 * It answers exactly as `OwnerGraph.build` over the caches would at that moment, dependents in the
 * same order too (by resource in the order given, then by when the informer first cached the key),
 * since the collector acts on dependents in that order.
 *
 *   const g = new IncrementalOwnerGraph(['configmaps', 'pods']);
 *   g.handlersFor('configmaps').add!(app);                     // uid u-app
 *   g.handlersFor('pods').add!(web);                           // ownerReferences [u-app]
 *   g.handlersFor('pods').add!(old);                           // ownerReferences [u-gone]
 *   g.get('u-app')?.resource                                   // 'configmaps'
 *   g.dependentsOf('u-app').map((e) => e.object.metadata?.name)   // ['web']
 *   g.dependentsOf('u-gone').map((e) => e.object.metadata?.name)  // ['old'] although u-gone is in no cache
 *   g.handlersFor('pods').update!(web, webNoLongerOwned);
 *   g.dependentsOf('u-app')                                    // []
 */
export class IncrementalOwnerGraph {
  /** uids are unique across the caches (the API server never reuses one), so one holder per uid. */
  private readonly byUid = new Map<string, Holder>();
  /** Dependents by owner uid, sorted by (rank, seq): the order a rebuild from the caches lists them in. */
  private readonly dependents = new Map<string, Holder[]>();
  private readonly byKey = new Map<string, Map<string, Holder>>();
  private readonly rank = new Map<string, number>();
  private nextSeq = 0;

  /** `resources` in the order a rebuild would read their caches. */
  constructor(resources: readonly string[]) {
    resources.forEach((r, i) => {
      this.rank.set(r, i);
      this.byKey.set(r, new Map());
    });
  }

  /** The handlers that keep the graph in step with one resource's informer. */
  handlersFor(resource: string): Handlers<KubeObject> {
    return {
      add: (obj) => this.put(resource, obj),
      update: (_old, obj) => this.put(resource, obj),
      delete: (obj) => this.remove(resource, obj),
    };
  }

  get(uid: string): GraphEntry | undefined {
    return this.byUid.get(uid)?.entry;
  }

  /**
   * The objects whose ownerReferences name `uid`, whether or not that owner is cached; only the
   * first `limit` of them, for a caller that needs to know no more than whether there are any.
   */
  dependentsOf(uid: string, limit = Infinity): GraphEntry[] {
    const list = this.dependents.get(uid) ?? [];
    const n = Math.min(limit, list.length);
    const out: GraphEntry[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = list[i]!.entry;
    return out;
  }

  private put(resource: string, object: Readonly<KubeObject>): void {
    const keys = this.byKey.get(resource);
    if (!keys) return;
    const key = keyOf(object);
    const entry: GraphEntry = { resource, object };
    const uid = object.metadata?.uid || undefined;
    // A uid named twice in one object's references is one edge.
    const owners = uid ? [...new Set((object.metadata?.ownerReferences ?? []).map((r) => r.uid))] : [];
    const held = keys.get(key);
    if (!held) {
      const h: Holder = { rank: this.rank.get(resource)!, seq: this.nextSeq++, entry, uid, owners };
      keys.set(key, h);
      this.link(h);
      return;
    }
    // Most updates are status changes: same object, same owners, and nothing to relink.
    if (held.uid === uid && sameOwners(held.owners, owners)) {
      held.entry = entry;
      return;
    }
    this.unlink(held);
    held.entry = entry;
    held.uid = uid;
    held.owners = owners;
    this.link(held);
  }

  private remove(resource: string, object: Readonly<KubeObject>): void {
    const keys = this.byKey.get(resource);
    const key = keyOf(object);
    const held = keys?.get(key);
    if (!held) return;
    keys!.delete(key);
    this.unlink(held);
  }

  // An object without a uid is not in the graph at all, as a rebuild skips it.
  private link(h: Holder): void {
    if (!h.uid) return;
    this.byUid.set(h.uid, h);
    for (const owner of h.owners) {
      const list = this.dependents.get(owner);
      if (!list) this.dependents.set(owner, [h]);
      else list.splice(position(list, h), 0, h);
    }
  }

  private unlink(h: Holder): void {
    if (!h.uid) return;
    if (this.byUid.get(h.uid) === h) this.byUid.delete(h.uid);
    for (const owner of h.owners) {
      const list = this.dependents.get(owner);
      if (!list) continue;
      const i = position(list, h);
      if (list[i] === h) list.splice(i, 1);
      if (list.length === 0) this.dependents.delete(owner);
    }
  }
}

const before = (a: Holder, b: Holder): boolean => a.rank < b.rank || (a.rank === b.rank && a.seq < b.seq);

/** Where `h` is, or would go, in a list sorted by (rank, seq): binary search. */
function position(list: readonly Holder[], h: Holder): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(list[mid]!, h)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sameOwners(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
