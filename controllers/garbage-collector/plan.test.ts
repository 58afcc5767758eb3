import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/client.js';
import type { OwnerReference } from '../../api/schemas/meta.js';
import { OwnerGraph } from './owner-graph.js';
import { changesGarbagePlan, planGarbage, type GcAction, type PropagationPolicy } from './plan.js';

type Obj = KubeObject & { metadata: { uid: string; name: string; deletionTimestamp?: string; finalizers?: string[]; ownerReferences?: OwnerReference[] } };

const ref = (uid: string, block = false): OwnerReference => ({ apiVersion: 'v1', kind: 'ConfigMap', name: uid, uid, ...(block ? { blockOwnerDeletion: true } : {}) });
const obj = (uid: string, refs: OwnerReference[] = [], extra: Partial<Obj['metadata']> = {}): Obj => ({
  metadata: { uid, name: uid, ...(refs.length ? { ownerReferences: refs } : {}), ...extra },
});
const T = '2026-01-01T00:00:00Z';

/** The API server's side of deletion, as apiserver/registry.ts does it (no graceful pods here). */
class World {
  readonly objects = new Map<string, Obj>();
  changed: string[] = [];

  constructor(objs: Obj[]) {
    for (const o of objs) this.objects.set(o.metadata.uid, o);
  }

  delete(uid: string, policy: PropagationPolicy): void {
    const o = this.objects.get(uid);
    if (!o) return;
    const fins = new Set(o.metadata.finalizers ?? []);
    if (policy === 'Foreground') fins.add('foregroundDeletion');
    if (policy === 'Orphan') fins.add('orphan');
    if (fins.size === 0) return this.remove(uid);
    this.put({ ...o, metadata: { ...o.metadata, deletionTimestamp: o.metadata.deletionTimestamp ?? T, finalizers: [...fins] } });
  }

  put(o: Obj): void {
    const m = o.metadata;
    if (m.deletionTimestamp && (m.finalizers ?? []).length === 0) return this.remove(m.uid);
    const old = this.objects.get(m.uid);
    this.objects.set(m.uid, o);
    // As the handlers do, an update that changes nothing the plan reads queues nothing.
    if (old && !changesGarbagePlan(old, o)) return;
    // The handlers enqueue the owners of the old object too: one it stopped naming may wait for that.
    if (old) this.touched(old);
    this.touched(o);
  }

  private remove(uid: string): void {
    const o = this.objects.get(uid)!;
    this.objects.delete(uid);
    this.touched(o);
  }

  /** What the informer handlers enqueue: the object and its owners. */
  private touched(o: Obj): void {
    this.changed.push(o.metadata.uid, ...(o.metadata.ownerReferences ?? []).map((r) => r.uid));
  }

  graph(): OwnerGraph {
    return OwnerGraph.build([...this.objects.values()].map((object) => ({ resource: 'configmaps', object })));
  }

  plan(uid: string): GcAction[] {
    const g = this.graph();
    const item = g.get(uid)?.object;
    const owners = new Map((item?.metadata?.ownerReferences ?? []).map((r) => [r.uid, this.objects.get(r.uid) ?? null] as const));
    return planGarbage({ uid, item, dependents: g.dependentsOf(uid).map((e) => e.object), owners });
  }
}

const solidOwners = (w: World, o: Obj) =>
  (o.metadata.ownerReferences ?? []).filter((r) => {
    const owner = w.objects.get(r.uid);
    return owner && !(owner.metadata.deletionTimestamp && owner.metadata.finalizers?.includes('foregroundDeletion'));
  });

/** Applies one plan's actions as the executor would, checking the safety rules as each happens. */
function apply(w: World, actions: GcAction[], queue: string[]): void {
  for (const a of actions) {
    const o = w.objects.get(a.uid);
    if (a.type === 'check') queue.push(a.uid);
    if (!o) continue;
    if (a.type === 'delete') {
      // Never collect an object that one of its owners still holds.
      expect(solidOwners(w, o)).toEqual([]);
      w.delete(a.uid, a.policy);
    } else if (a.type === 'removeOwnerRefs') {
      const refs = (o.metadata.ownerReferences ?? []).filter((r) => !a.owners.includes(r.uid));
      w.put({ ...o, metadata: { ...o.metadata, ownerReferences: refs } });
    } else if (a.type === 'removeFinalizers') {
      if (a.finalizers.includes('foregroundDeletion')) {
        // The owner goes only once nothing that blocks it is left.
        const blocking = [...w.objects.values()].filter((d) => d.metadata.ownerReferences?.some((r) => r.uid === a.uid && r.blockOwnerDeletion));
        expect(blocking.map((d) => d.metadata.uid)).toEqual([]);
      }
      w.put({ ...o, metadata: { ...o.metadata, finalizers: (o.metadata.finalizers ?? []).filter((f) => !a.finalizers.includes(f)) } });
    }
  }
}

/** Reconciles keys in the order `picks` chooses until no key is left. */
function runUntilQuiet(w: World, start: string[], picks: number[]): void {
  const queue = [...start];
  for (let step = 0; queue.length > 0; step++) {
    expect(step).toBeLessThan(5000);
    const [uid] = queue.splice((picks[step % picks.length] ?? 0) % queue.length, 1);
    apply(w, w.plan(uid!), queue);
    queue.push(...w.changed.splice(0));
  }
}

const forest = fc
  .integer({ min: 1, max: 10 })
  .chain((n) =>
    fc.record({
      owners: fc.tuple(
        ...Array.from({ length: n }, (_, i) =>
          fc.uniqueArray(fc.record({ to: fc.integer({ min: -2, max: Math.max(-1, i - 1) }), block: fc.boolean() }), { maxLength: 3, selector: (r) => r.to }),
        ),
      ),
      deletes: fc.array(fc.record({ at: fc.nat(n - 1), policy: fc.constantFrom<PropagationPolicy>('Background', 'Foreground', 'Orphan') }), { maxLength: n }),
      picks: fc.array(fc.nat(), { minLength: 1, maxLength: 50 }),
    }),
  )
  .map(({ owners, deletes, picks }) => {
    // Owners are earlier objects (a forest, as owner references form in practice) or, for a
    // negative index, an owner that never existed.
    const objs = owners.map((refs, i) => obj(`o${i}`, refs.map((r) => ref(r.to < 0 ? `ghost${-r.to}` : `o${r.to}`, r.block))));
    return { objs, deletes, picks };
  });

describe('planGarbage', () => {
  const web = obj('u-web', [ref('u-app')]);
  const app = obj('u-app', [], { deletionTimestamp: T, finalizers: ['orphan'] });

  it('deletes a dependent whose only owner is confirmed gone (the doc example)', () => {
    expect(planGarbage({ uid: 'u-web', item: web, dependents: [], owners: new Map([['u-app', null]]) })).toEqual([
      { type: 'delete', uid: 'u-web', policy: 'Background' },
    ]);
  });

  it('keeps a dependent with a live owner and drops its reference to the gone one', () => {
    const web2 = obj('u-web', [ref('u-app'), ref('u-rs')]);
    expect(planGarbage({ uid: 'u-web', item: web2, dependents: [], owners: new Map([['u-app', null], ['u-rs', obj('u-rs')]]) })).toEqual([
      { type: 'removeOwnerRefs', uid: 'u-web', owners: ['u-app'] },
    ]);
  });

  it('takes an owner of another uid under the same name for a gone owner', () => {
    expect(planGarbage({ uid: 'u-web', item: web, dependents: [], owners: new Map([['u-app', obj('u-app-2')]]) })).toEqual([
      { type: 'delete', uid: 'u-web', policy: 'Background' },
    ]);
  });

  it('orphans the dependents of an owner deleted with Orphan, then lets it go', () => {
    expect(planGarbage({ uid: 'u-app', item: app, dependents: [web], owners: new Map() })).toEqual([
      { type: 'removeOwnerRefs', uid: 'u-web', owners: ['u-app'] },
      { type: 'removeFinalizers', uid: 'u-app', finalizers: ['orphan'] },
    ]);
  });

  it('holds a foreground owner while a blocking dependent exists, and lets it go when only non-blocking ones are left', () => {
    const owner = obj('u-app', [], { deletionTimestamp: T, finalizers: ['foregroundDeletion'] });
    const blocking = obj('u-b', [ref('u-app', true)]);
    const loose = obj('u-l', [ref('u-app', false)]);
    expect(planGarbage({ uid: 'u-app', item: owner, dependents: [blocking, loose], owners: new Map() })).toEqual([
      { type: 'check', uid: 'u-b' },
      { type: 'check', uid: 'u-l' },
    ]);
    const goingAway = { ...blocking, metadata: { ...blocking.metadata, deletionTimestamp: T } };
    expect(planGarbage({ uid: 'u-app', item: owner, dependents: [goingAway, loose], owners: new Map() })).toEqual([{ type: 'check', uid: 'u-l' }]);
    expect(planGarbage({ uid: 'u-app', item: owner, dependents: [loose], owners: new Map() })).toEqual([
      { type: 'check', uid: 'u-l' },
      { type: 'removeFinalizers', uid: 'u-app', finalizers: ['foregroundDeletion'] },
    ]);
  });

  it('deletes a dependent of a foreground owner in foreground when it has dependents of its own', () => {
    const owner = obj('u-d', [], { deletionTimestamp: T, finalizers: ['foregroundDeletion'] });
    const rs = obj('u-rs', [ref('u-d', true)]);
    const pod = obj('u-pod', [ref('u-rs', true)]);
    expect(planGarbage({ uid: 'u-rs', item: rs, dependents: [pod], owners: new Map([['u-d', owner]]) })).toEqual([
      { type: 'delete', uid: 'u-rs', policy: 'Foreground' },
    ]);
    expect(planGarbage({ uid: 'u-rs', item: rs, dependents: [], owners: new Map([['u-d', owner]]) })).toEqual([
      { type: 'delete', uid: 'u-rs', policy: 'Background' },
    ]);
  });

  it('leaves alone an object that is being deleted without a collector finalizer', () => {
    const going = obj('u-web', [ref('u-app')], { deletionTimestamp: T });
    expect(planGarbage({ uid: 'u-web', item: going, dependents: [], owners: new Map([['u-app', null]]) })).toEqual([]);
  });

  test.prop([forest])('after deletes with any policy, collecting until quiet leaves no reference to a gone owner and nothing to do', ({ objs, deletes, picks }) => {
    const w = new World(objs);
    for (const d of deletes) w.delete(`o${d.at}`, d.policy);
    runUntilQuiet(w, [...objs.map((o) => o.metadata.uid), ...w.changed.splice(0)], picks);

    for (const o of w.objects.values()) {
      for (const r of o.metadata.ownerReferences ?? []) expect(w.objects.has(r.uid), `${o.metadata.uid} -> ${r.uid}`).toBe(true);
      expect(o.metadata.deletionTimestamp).toBeUndefined();
    }
    // Anything nobody deleted and nobody owned is still there.
    const deleted = new Set(deletes.map((d) => `o${d.at}`));
    for (const o of objs) if (!deleted.has(o.metadata.uid) && !o.metadata.ownerReferences) expect(w.objects.has(o.metadata.uid)).toBe(true);
    // A converged state plans nothing.
    for (const uid of [...objs.map((o) => o.metadata.uid), 'ghost1', 'ghost2']) expect(w.plan(uid)).toEqual([]);
  });

  test.prop([forest, fc.dictionary(fc.string({ maxLength: 3 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), fc.nat()])(
    'an update outside owner references, deletion and finalizers changes no plan, so the handlers may leave it unqueued',
    ({ objs, deletes }, status, at) => {
      const w = new World(objs);
      for (const d of deletes) w.delete(`o${d.at}`, d.policy);
      const uids = [...objs.map((o) => o.metadata.uid), 'ghost1', 'ghost2'];
      const before = uids.map((u) => w.plan(u));
      const target = [...w.objects.values()][at % Math.max(1, w.objects.size)];
      if (!target) return;
      const updated: Obj = { ...target, status, spec: { replicas: at }, metadata: { ...target.metadata, labels: { rev: String(at) }, resourceVersion: String(at) } };
      expect(changesGarbagePlan(target, updated)).toBe(false);
      w.changed = [];
      w.put(updated);
      expect(w.changed).toEqual([]);
      expect(uids.map((u) => w.plan(u))).toEqual(before);
    },
  );

  it('sees a change to owner references, deletion or finalizers, key order and absent members aside', () => {
    const pod = obj('u-web', [ref('u-rs')]);
    expect(changesGarbagePlan(pod, { ...pod, metadata: { ...pod.metadata, ownerReferences: [] } })).toBe(true);
    expect(changesGarbagePlan(pod, { ...pod, metadata: { ...pod.metadata, ownerReferences: [ref('u-rs', true)] } })).toBe(true);
    expect(changesGarbagePlan(pod, { ...pod, metadata: { ...pod.metadata, deletionTimestamp: T } })).toBe(true);
    expect(changesGarbagePlan(pod, { ...pod, metadata: { ...pod.metadata, finalizers: ['orphan'] } })).toBe(true);
    const reordered = { ...pod, metadata: { ...pod.metadata, ownerReferences: [{ uid: 'u-rs', name: 'u-rs', kind: 'ConfigMap', apiVersion: 'v1' }], finalizers: undefined } };
    expect(changesGarbagePlan(pod, reordered)).toBe(false);
  });

  test.prop([forest])('an owner deleted with Orphan leaves its sole dependents in place, without a reference to it', ({ objs, picks }) => {
    const w = new World(objs);
    const owner = objs[0]!.metadata.uid;
    w.delete(owner, 'Orphan');
    runUntilQuiet(w, [...objs.map((o) => o.metadata.uid), ...w.changed.splice(0)], picks);
    expect(w.objects.has(owner)).toBe(false);
    for (const o of objs) {
      const refs = o.metadata.ownerReferences ?? [];
      if (refs.length > 0 && refs.every((r) => r.uid === owner)) {
        expect(w.objects.get(o.metadata.uid)?.metadata.ownerReferences ?? []).toEqual([]);
      }
    }
  });

  test.prop([forest])('an owner deleted in foreground outlives every dependent that blocks it', ({ objs, picks }) => {
    const w = new World(objs);
    const owner = objs[0]!.metadata.uid;
    w.delete(owner, 'Foreground');
    // apply() asserts, at the moment the finalizer goes, that no blocking dependent is left.
    runUntilQuiet(w, [...objs.map((o) => o.metadata.uid), ...w.changed.splice(0)], picks);
    expect(w.objects.has(owner)).toBe(false);
    const descends = (o: Obj): boolean => (o.metadata.ownerReferences ?? []).some((r) => r.uid === owner);
    for (const o of objs) if (descends(o) && o.metadata.ownerReferences!.length === 1) expect(w.objects.has(o.metadata.uid)).toBe(false);
  });
});
