import type { KubeObject } from '../../api/client.js';

/** An object the collector watches, with the resource (plural) it was read from. */
export interface GraphEntry {
  resource: string;
  object: Readonly<KubeObject>;
}

/**
 * Who owns whom, by uid, built in one go from a list of cached objects. An owner that no cache
 * holds still has its dependents listed under its uid, which is how the collector finds the
 * dependents of an owner that is gone. The controller keeps the same answers current event by
 * event in IncrementalOwnerGraph; this whole-list form is what that one must always agree with.
 *
 *   const g = OwnerGraph.build([
 *     { resource: 'configmaps', object: { metadata: { uid: 'u-app', name: 'app' } } },
 *     { resource: 'pods', object: { metadata: { uid: 'u-web', name: 'web', ownerReferences: [{ uid: 'u-app', ... }] } } },
 *     { resource: 'pods', object: { metadata: { uid: 'u-old', name: 'old', ownerReferences: [{ uid: 'u-gone', ... }] } } },
 *   ]);
 *   g.get('u-app')?.resource                            // 'configmaps'
 *   g.dependentsOf('u-app').map((e) => e.object.metadata?.name)   // ['web']
 *   g.dependentsOf('u-gone').map((e) => e.object.metadata?.name)  // ['old'] although u-gone is in no cache
 */
export class OwnerGraph {
  private readonly byUid = new Map<string, GraphEntry>();
  private readonly dependents = new Map<string, GraphEntry[]>();

  static build(entries: Iterable<GraphEntry>): OwnerGraph {
    const g = new OwnerGraph();
    for (const e of entries) {
      const uid = e.object.metadata?.uid;
      if (!uid) continue;
      g.byUid.set(uid, e);
      // A uid named twice in one object's references is one edge.
      const owners = new Set((e.object.metadata?.ownerReferences ?? []).map((r) => r.uid));
      for (const owner of owners) {
        const list = g.dependents.get(owner);
        if (list) list.push(e);
        else g.dependents.set(owner, [e]);
      }
    }
    return g;
  }

  get(uid: string): GraphEntry | undefined {
    return this.byUid.get(uid);
  }

  /** The objects whose ownerReferences name `uid`, whether or not that owner is cached. */
  dependentsOf(uid: string): readonly GraphEntry[] {
    return this.dependents.get(uid) ?? [];
  }
}
