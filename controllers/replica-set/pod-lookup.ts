import type { Selector } from '../../api/labels.js';
import type { IndexFunc } from '../../api/object-index.js';
import type { Pod } from '../../api/schemas/pod.js';
import { controllerOf } from './controller-ref.js';

/** The read side of an informer: what a sync may look at. Indexes when it keeps them (an Informer does). */
export interface Cache<T> {
  get(key: string): Readonly<T> | undefined;
  list(): readonly Readonly<T>[];
  addIndex?(name: string, fn: IndexFunc<T>): void;
  byIndex?(name: string, value: string): readonly Readonly<T>[];
  indexCount?(name: string, value: string): number;
}

/** Upstream's PodControllerUIDIndex: a pod under its controller's uid, or, with none, under its namespace's orphan key. */
export const CONTROLLER_UID_INDEX = 'pods/controller-uid';
/** A pod under its namespace (`default`) and under each of its labels (`default/app=web`). */
export const NAMESPACE_LABEL_INDEX = 'pods/namespace-label';

/** Upstream's OrphanPodIndexKeyForNamespace: `^` cannot start a uid, so no controller collides with it. */
export const orphanKey = (ns: string | undefined) => `^orphan/${ns ?? ''}`;
const labelKey = (ns: string | undefined, key: string, value: string) => `${ns ?? ''}/${key}=${value}`;

export const byControllerUid: IndexFunc<Pod> = (pod) => [controllerOf(pod)?.uid ?? orphanKey(pod.metadata?.namespace)];

// A namespace holds no '/', and a label key no '=': neither kind of value can be taken for the other.
export const byNamespaceAndLabel: IndexFunc<Pod> = (pod) => {
  const ns = pod.metadata?.namespace;
  return [ns ?? '', ...Object.entries(pod.metadata?.labels ?? {}).map(([k, v]) => labelKey(ns, k, v))];
};

/**
 * The pods a ReplicaSet sync needs, from the pod cache's indexes, so a sync costs what the
 * ReplicaSet owns and could adopt rather than every pod of the namespace. A cache without indexes
 * (a test's Map) is scanned instead, with the same answers in the same (list) order.
 *
 *   pods: a (app=web, controlled by u1), b (app=web, no controller), c (app=db, controlled by u2)
 *   lookup.controlledBy('u1')                    = [a]
 *   lookup.orphans('default')                    = [b]
 *   lookup.matching('default', app=web selector) = [a, b]   (controller or not, as upstream's lister)
 */
export class PodLookup {
  private readonly indexed: boolean;

  constructor(private readonly cache: Cache<Pod>) {
    this.indexed = Boolean(cache.addIndex && cache.byIndex && cache.indexCount);
    if (this.indexed) {
      cache.addIndex!(CONTROLLER_UID_INDEX, byControllerUid);
      cache.addIndex!(NAMESPACE_LABEL_INDEX, byNamespaceAndLabel);
    }
  }

  /** Pods whose controller reference carries `uid`, of any kind: claiming compares only the uid. */
  controlledBy(uid: string): readonly Readonly<Pod>[] {
    return this.lookup(CONTROLLER_UID_INDEX, byControllerUid, uid);
  }

  /** Pods of `ns` without a controller. */
  orphans(ns: string | undefined): readonly Readonly<Pod>[] {
    return this.lookup(CONTROLLER_UID_INDEX, byControllerUid, orphanKey(ns));
  }

  /**
   * Pods of `ns` the selector matches. Only the pods carrying one of the values an `=` or `in`
   * requirement asks for can match, so the smallest such set is filtered; a selector without one
   * (only `exists`, `!=`, `notin`, or none) filters the namespace.
   */
  matching(ns: string | undefined, selector: Selector): readonly Readonly<Pod>[] {
    let best: { values: string[]; size: number } | undefined;
    for (const r of selector.requirements) {
      if (r.operator !== '=' && r.operator !== '==' && r.operator !== 'in') continue;
      const values = [...new Set(r.values)].map((v) => labelKey(ns, r.key, v));
      const size = values.reduce((n, v) => n + this.count(NAMESPACE_LABEL_INDEX, byNamespaceAndLabel, v), 0);
      if (!best || size < best.size) best = { values, size };
    }
    const candidates = best ? best.values.flatMap((v) => this.lookup(NAMESPACE_LABEL_INDEX, byNamespaceAndLabel, v)) : this.lookup(NAMESPACE_LABEL_INDEX, byNamespaceAndLabel, ns ?? '');
    return candidates.filter((p) => selector.matches(p.metadata?.labels));
  }

  private lookup(name: string, fn: IndexFunc<Pod>, value: string): readonly Readonly<Pod>[] {
    if (this.indexed) return this.cache.byIndex!(name, value);
    return this.cache.list().filter((p) => fn(p).includes(value));
  }

  private count(name: string, fn: IndexFunc<Pod>, value: string): number {
    if (this.indexed) return this.cache.indexCount!(name, value);
    return this.lookup(name, fn, value).length;
  }
}
