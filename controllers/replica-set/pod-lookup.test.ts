import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyOf } from '../../api/informer.js';
import { selectorFromLabelSelector, type LabelSelector } from '../../api/labels.js';
import { ObjectIndex, type IndexFunc } from '../../api/object-index.js';
import type { Pod } from '../../api/schemas/pod.js';
import { pod, replicaSet } from './_test-pods.js';
import { PodLookup, type Cache } from './pod-lookup.js';

/** A cache as an Informer keeps one: a Map in put order, with its indexes written alongside. */
class IndexedCache implements Cache<Pod> {
  private readonly items = new Map<string, Readonly<Pod>>();
  private readonly indexes = new Map<string, ObjectIndex<Pod>>();
  get = (key: string) => this.items.get(key);
  list = () => [...this.items.values()];
  addIndex(name: string, fn: IndexFunc<Pod>) {
    const index = new ObjectIndex(fn);
    for (const [k, p] of this.items) index.put(k, p);
    this.indexes.set(name, index);
  }
  byIndex = (name: string, value: string) => this.indexes.get(name)!.get(value);
  indexCount = (name: string, value: string) => this.indexes.get(name)!.count(value);
  put(p: Pod) {
    this.items.set(keyOf(p), p);
    for (const index of this.indexes.values()) index.put(keyOf(p), p);
  }
  delete(key: string) {
    this.items.delete(key);
    for (const index of this.indexes.values()) index.delete(key);
  }
}

const web = replicaSet('web', 1);
const db = replicaSet('db', 1);
const inNs = (p: Pod, ns: string): Pod => ({ ...p, metadata: { ...p.metadata, namespace: ns } });
const byKey = (ps: readonly Readonly<Pod>[]) => ps.map(keyOf).sort();

describe('PodLookup', () => {
  it('finds a ReplicaSet\'s pods, the orphans and what a selector matches (the doc example)', () => {
    const cache = new IndexedCache();
    const lookup = new PodLookup(cache);
    const a = pod({ name: 'a', labels: { app: 'web' }, owner: web });
    const b = pod({ name: 'b', labels: { app: 'web' } });
    const c = pod({ name: 'c', labels: { app: 'db' }, owner: db });
    for (const p of [a, b, c]) cache.put(p);
    expect(lookup.controlledBy('uid-web')).toEqual([a]);
    expect(lookup.orphans('default')).toEqual([b]);
    expect(byKey(lookup.matching('default', selectorFromLabelSelector({ matchLabels: { app: 'web' } })))).toEqual(['default/a', 'default/b']);
    expect(lookup.orphans('other')).toEqual([]);
  });

  it('after any changes to the cache, answers as a scan of the list does, indexed or not', () => {
    const labels = fc.dictionary(fc.constantFrom('app', 'tier', 'pod-template-hash'), fc.constantFrom('web', 'db', 'x'), { maxKeys: 3 });
    const shape = fc.record({
      name: fc.constantFrom('p0', 'p1', 'p2', 'p3', 'p4', 'p5'),
      ns: fc.constantFrom('default', 'other'),
      labels,
      owner: fc.constantFrom(undefined, web, db, 'other' as const),
    });
    const op = fc.oneof(fc.record({ put: shape }), fc.record({ del: shape }));
    const selectors: LabelSelector[] = [
      {},
      { matchLabels: { app: 'web' } },
      { matchLabels: { app: 'web', tier: 'db' } },
      { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'x', 'web'] }] },
      { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['db'] }] },
      { matchExpressions: [{ key: 'pod-template-hash', operator: 'Exists' }], matchLabels: { app: 'db' } },
    ];
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), fc.boolean(), (ops, indexBeforeFilling) => {
        const indexed = new IndexedCache();
        // The same cache seen without its indexes, as a test's Map offers it.
        const plain: Cache<Pod> = { get: (k) => indexed.get(k), list: () => indexed.list() };
        const lookups = [new PodLookup(plain)];
        if (indexBeforeFilling) lookups.push(new PodLookup(indexed));
        for (const o of ops) {
          if ('put' in o) indexed.put(inNs(pod({ name: o.put.name, labels: o.put.labels, owner: o.put.owner }), o.put.ns));
          else indexed.delete(`${o.del.ns}/${o.del.name}`);
        }
        if (!indexBeforeFilling) lookups.push(new PodLookup(indexed));
        const list = indexed.list();
        for (const lookup of lookups) {
          for (const uid of ['uid-web', 'uid-db', 'uid-other']) {
            expect(lookup.controlledBy(uid)).toEqual(list.filter((p) => p.metadata?.ownerReferences?.find((r) => r.controller)?.uid === uid));
          }
          for (const ns of ['default', 'other']) {
            expect(lookup.orphans(ns)).toEqual(list.filter((p) => p.metadata?.namespace === ns && !p.metadata?.ownerReferences?.some((r) => r.controller)));
            for (const ls of selectors) {
              const sel = selectorFromLabelSelector(ls);
              const want = list.filter((p) => p.metadata?.namespace === ns && sel.matches(p.metadata?.labels));
              expect(byKey(lookup.matching(ns, sel))).toEqual(byKey(want));
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
