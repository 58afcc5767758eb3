import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyOf, type Handlers } from '../../api/informer.js';
import type { KubeObject } from '../../api/client.js';
import type { OwnerReference } from '../../api/schemas/meta.js';
import { IncrementalOwnerGraph } from './incremental-owner-graph.js';
import { OwnerGraph, type GraphEntry } from './owner-graph.js';

const ref = (uid: string): OwnerReference => ({ apiVersion: 'v1', kind: 'ConfigMap', name: uid, uid });
const obj = (name: string, uid: string | undefined, owners: string[] = [], rv = '1'): KubeObject => ({
  metadata: { name, namespace: 'default', resourceVersion: rv, ...(uid ? { uid } : {}), ...(owners.length ? { ownerReferences: owners.map(ref) } : {}) },
});
const names = (entries: readonly GraphEntry[]) => entries.map((e) => e.object.metadata?.name);

describe('IncrementalOwnerGraph', () => {
  // The doc comment's example.
  it('finds owners by uid and dependents by owner uid, cached or not', () => {
    const g = new IncrementalOwnerGraph(['configmaps', 'pods']);
    const app = obj('app', 'u-app');
    const web = obj('web', 'u-web', ['u-app']);
    g.handlersFor('configmaps').add!(app);
    g.handlersFor('pods').add!(web);
    g.handlersFor('pods').add!(obj('old', 'u-old', ['u-gone']));
    expect(g.get('u-app')?.resource).toBe('configmaps');
    expect(names(g.dependentsOf('u-app'))).toEqual(['web']);
    expect(names(g.dependentsOf('u-gone'))).toEqual(['old']);
    g.handlersFor('pods').update!(web, obj('web', 'u-web', [], '2'));
    expect(g.dependentsOf('u-app')).toEqual([]);
  });

  it('lists dependents in cache order: resource order first, then when the key was first cached', () => {
    const g = new IncrementalOwnerGraph(['configmaps', 'pods']);
    const pods = g.handlersFor('pods');
    pods.add!(obj('p1', 'u-p1', ['o']));
    pods.add!(obj('p2', 'u-p2'));
    g.handlersFor('configmaps').add!(obj('c1', 'u-c1', ['o']));
    // p2 keeps its place in the cache when it starts naming o; p1 deleted and added again goes last.
    pods.update!(obj('p2', 'u-p2'), obj('p2', 'u-p2', ['o'], '2'));
    pods.delete!(obj('p1', 'u-p1', ['o']));
    pods.add!(obj('p1', 'u-p1b', ['o']));
    expect(names(g.dependentsOf('o'))).toEqual(['c1', 'p2', 'p1']);
    expect(names(g.dependentsOf('o', 1))).toEqual(['c1']);
    expect(g.get('u-p1')).toBeUndefined();
  });

  it('answers as a rebuild from the final caches does, after any sequence of informer events', () => {
    const resources = ['configmaps', 'pods'] as const;
    const keys = ['a', 'b', 'c'];
    // Uids are unique per object: a key recreated gets a new generation, as the API server gives it a new uid.
    const uidOf = (r: string, k: string, gen: number) => `${r}/${k}#${gen}`;
    const pool = [...resources.flatMap((r) => keys.flatMap((k) => [0, 1].map((g) => uidOf(r, k, g)))), 'ghost'];
    const event = fc.record({
      op: fc.constantFrom('set', 'set', 'set', 'delete', 'resync'),
      resource: fc.constantFrom(...resources),
      key: fc.constantFrom(...keys),
      gen: fc.constantFrom(0, 1),
      noUid: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      owners: fc.array(fc.constantFrom(...pool), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        const g = new IncrementalOwnerGraph(resources);
        // Each resource's cache as the informer keeps it: a Map, so order is first insertion of the key.
        const caches = new Map(resources.map((r) => [r, new Map<string, Readonly<KubeObject>>()]));
        const handlers = new Map(resources.map((r): [string, Handlers<KubeObject>] => [r, g.handlersFor(r)]));
        let rv = 0;
        for (const e of events) {
          const cache = caches.get(e.resource)!;
          const h = handlers.get(e.resource)!;
          const old = cache.get(`default/${e.key}`);
          if (e.op === 'delete') {
            if (!old) continue;
            cache.delete(keyOf(old));
            h.delete!(old);
          } else if (e.op === 'resync') {
            for (const o of cache.values()) h.update!(o, o);
          } else {
            const o = obj(e.key, e.noUid ? undefined : uidOf(e.resource, e.key, e.gen), e.owners, String(++rv));
            cache.set(keyOf(o), o);
            if (old) h.update!(old, o);
            else h.add!(o);
          }
        }
        const rebuilt = OwnerGraph.build(resources.flatMap((resource) => [...caches.get(resource)!.values()].map((object) => ({ resource, object }))));
        for (const uid of pool) {
          expect(g.get(uid)).toEqual(rebuilt.get(uid));
          expect(g.get(uid)?.object).toBe(rebuilt.get(uid)?.object);
          const want = rebuilt.dependentsOf(uid);
          expect(g.dependentsOf(uid).map((d) => [d.resource, d.object])).toEqual(want.map((d) => [d.resource, d.object]));
          expect(g.dependentsOf(uid).every((d, i) => d.object === want[i]!.object)).toBe(true);
          expect(g.dependentsOf(uid, 1).map((d) => d.object)).toEqual(want.slice(0, 1).map((d) => d.object));
        }
      }),
      { numRuns: 500 },
    );
  });
});
