import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { patchObject } from '../patch-object.js';
import { fieldsOf, formatPath, fromFieldsV1, isNode, SEP, toFieldsV1, valueAt } from './field-set.js';
import { afterUpdate, clientSideApplied, conflictMessage, planApply, removeFields, requestedManagedFields, type ManagedFieldsEntry, type Writer } from './managed-fields.js';

type Obj = Record<string, unknown>;

const writer = (manager: string, subresource?: 'status' | 'scale'): Writer => ({ manager, apiVersion: 'apps/v1', time: '2026-11-21T10:00:00Z', ...(subresource ? { subresource } : {}) });

/** One server-side apply as the registry runs it: conflicts, removals, the merge, the new entries. */
function apply(live: Obj, entries: ManagedFieldsEntry[], config: Obj, manager: string, force = false): { object: Obj; entries: ManagedFieldsEntry[] } | { conflicts: string[] } {
  const current = structuredClone(live);
  const plan = planApply('Deployment', current, config, entries, writer(manager), force);
  if (plan.conflicts.length > 0) return { conflicts: plan.conflicts.map((c) => `${c.entry.manager}:${formatPath(c.path)}`) };
  removeFields(current, plan.remove, plan.owned);
  return { object: patchObject('apply', current as never, config, 'Deployment') as Obj, entries: plan.entries };
}

const applied = (r: ReturnType<typeof apply>) => {
  if ('conflicts' in r) throw new Error(`unexpected conflicts: ${r.conflicts.join(', ')}`);
  return r;
};

// Small key spaces, so that configurations overlap and managers meet on the same fields.
const key = fc.constantFrom('a', 'b', 'c');
const value = fc.constantFrom('1', '2', '3');
const env = fc.uniqueArray(fc.record({ name: key, value }), { selector: (e) => e.name, maxLength: 3 });
const container = fc.record({ name: fc.constantFrom('web', 'side'), image: fc.constantFrom('nginx:1.25', 'nginx:1.27'), env }, { requiredKeys: ['name'] });
const config = fc.record(
  {
    metadata: fc.record({ labels: fc.dictionary(key, value, { minKeys: 1 }), finalizers: fc.uniqueArray(fc.constantFrom('x/one', 'x/two'), { minLength: 1 }) }, { requiredKeys: [] }),
    spec: fc.record(
      {
        replicas: fc.nat(5),
        paused: fc.boolean(),
        template: fc.record({ spec: fc.record({ containers: fc.uniqueArray(container, { selector: (c) => c.name, minLength: 1, maxLength: 2 }) }) }),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
).map((c) => ({ apiVersion: 'apps/v1', kind: 'Deployment', ...c, metadata: { name: 'x', ...c.metadata } }) as Obj);
const fresh = (): Obj => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' } });

const leaves = (o: Obj) => [...fieldsOf('Deployment', o, 'main')].filter((p) => !isNode(p));

describe('field ownership (managedFields)', () => {
  test.prop([config])('FieldsV1 holds exactly the set it was made from', (c) => {
    const set = fieldsOf('Deployment', c, 'main');
    expect(fromFieldsV1(JSON.parse(JSON.stringify(toFieldsV1(set))))).toEqual(set);
  });

  it('counts fields as Kubernetes spells them: keyed items, set members, and each item itself', () => {
    const c = { metadata: { name: 'web', labels: { app: 'web' }, finalizers: ['x/one'] }, spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'nginx' }] } } }, status: { replicas: 2 } };
    expect(toFieldsV1(fieldsOf('Deployment', c, 'main'))).toEqual({
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} }, 'f:finalizers': { '.': {}, 'v:"x/one"': {} } },
      'f:spec': {
        '.': {},
        'f:replicas': {},
        'f:template': { '.': {}, 'f:spec': { '.': {}, 'f:containers': { '.': {}, 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } },
      },
    });
    expect(toFieldsV1(fieldsOf('Deployment', c, 'status'))).toEqual({ 'f:status': { '.': {}, 'f:replicas': {} } });
  });

  test.prop([config, config])('an apply sets every field it names, and applying it again changes nothing', (live, c) => {
    const first = applied(apply(live, [], c, 'me'));
    for (const p of leaves(c)) expect(valueAt(first.object, p), formatPath(p)).toEqual(valueAt(c, p));
    const again = applied(apply(first.object, first.entries, c, 'me'));
    expect(again.object).toEqual(first.object);
    expect(again.entries).toEqual(first.entries);
  });

  test.prop([config, config])('a field the manager stops applying is removed, when no other manager owns it', (c1, c2) => {
    const first = applied(apply(fresh(), [], c1, 'me'));
    const second = applied(apply(first.object, first.entries, c2, 'me'));
    const now = new Set(leaves(c2));
    for (const p of leaves(c1)) if (!now.has(p)) expect(valueAt(second.object, p), formatPath(p)).toBeUndefined();
    // Nothing else is left behind: the object is exactly the second configuration.
    expect(second.object).toEqual(applied(apply(fresh(), [], c2, 'me')).object);
  });

  test.prop([config, config])("another manager's change makes an apply that would undo it a conflict, until forced", (c, other) => {
    const mine = applied(apply(fresh(), [], c, 'me'));
    // Someone else changes the object to `other` (a plain update: it never conflicts).
    const changed = patchObject('apply', structuredClone(mine.object) as never, other, 'Deployment') as Obj;
    const entries = afterUpdate('Deployment', mine.object, changed, mine.entries, writer('editor'));
    const contested = leaves(c).filter((p) => !isDeepEqual(valueAt(changed, p), valueAt(c, p)));

    const refused = apply(changed, entries, c, 'me');
    if (contested.length === 0) expect('conflicts' in refused).toBe(false);
    else expect((refused as { conflicts: string[] }).conflicts.sort()).toEqual(contested.map((p) => `editor:${formatPath(p)}`).sort());

    const forced = applied(apply(changed, entries, c, 'me', true));
    for (const p of leaves(c)) expect(valueAt(forced.object, p)).toEqual(valueAt(c, p));
    const editor = forced.entries.find((e) => e.manager === 'editor');
    for (const p of contested) expect(editor ? fromFieldsV1(editor.fieldsV1).has(p) : false).toBe(false);
  });

  it('keeps a field another manager still owns when the applier drops it, and prunes what empties', () => {
    const c = { metadata: { labels: { app: 'web', team: 'blue' } }, spec: { template: { spec: { containers: [{ name: 'web', env: [{ name: 'a', value: '1' }] }] } } } };
    const first = applied(apply({}, [], c, 'me'));
    const labelled = structuredClone(first.object) as { metadata: { labels: Record<string, string> } };
    labelled.metadata.labels.extra = 'yes';
    const entries = afterUpdate('Deployment', first.object, labelled, first.entries, writer('kubectl-label'));
    const second = applied(apply(labelled, entries, { metadata: { labels: { app: 'web' } }, spec: { template: { spec: { containers: [{ name: 'web' }] } } } }, 'me'));
    expect(second.object).toEqual({ metadata: { labels: { app: 'web', extra: 'yes' } }, spec: { template: { spec: { containers: [{ name: 'web' }] } } } });
  });

  it('leaves the entries alone for an update that changes nothing, and moves a time only with its fields', () => {
    const o = { spec: { replicas: 1 } };
    const entries = afterUpdate('Deployment', undefined, o, [], writer('kubectl-create'));
    expect(afterUpdate('Deployment', o, structuredClone(o), entries, { ...writer('kubectl-create'), time: 'later' })).toBe(entries);
    const bumped = afterUpdate('Deployment', o, { spec: { replicas: 2 } }, entries, { ...writer('kubectl-create'), time: 'later' });
    expect(bumped).toEqual(entries);
  });

  it('names what client-side apply set and still holds, for kubectl to take over', () => {
    const last = { spec: { replicas: 2, paused: false }, metadata: { labels: { app: 'a' } } };
    const live = { metadata: { labels: { app: 'a' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(last) } }, spec: { replicas: 5, paused: false } };
    const taken = clientSideApplied('Deployment', live, 'main')!;
    expect(taken.has(`f:spec${SEP}f:paused`)).toBe(true);
    expect(taken.has(`f:metadata${SEP}f:labels${SEP}f:app`)).toBe(true);
    // Scaled since: no longer what client-side apply set.
    expect(taken.has(`f:spec${SEP}f:replicas`)).toBe(false);
    expect(clientSideApplied('Deployment', { metadata: {} }, 'main')).toBeUndefined();
    expect(clientSideApplied('Deployment', { metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{not json' } } }, 'main')).toBeUndefined();
  });

  it('takes managedFields a write carries only when every entry reads as one', () => {
    const entry = { manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: {} };
    expect(requestedManagedFields({ metadata: { managedFields: [entry] } })).toEqual([entry]);
    expect(requestedManagedFields({ metadata: { managedFields: [] } })).toBeUndefined();
    expect(requestedManagedFields({ metadata: { managedFields: [entry, { ...entry, operation: 'Delete' }] } })).toBeUndefined();
    expect(requestedManagedFields({ metadata: {} })).toBeUndefined();
    // Steps this code could not follow make the whole list unread, never an error later.
    for (const fieldsV1 of [{ 'k:notjson': {} }, { 'k:"a string"': {} }, { 'x:field': {} }, { 'f:spec': 'leaf' }]) {
      expect(requestedManagedFields({ metadata: { managedFields: [{ ...entry, fieldsV1 }] } })).toBeUndefined();
    }
  });

  const step = fc.constantFrom('.', 'f:spec', 'f:metadata', 'f:finalizers', 'f:labels', 'f:replicas', 'f:template', 'f:containers', 'k:{"name":"web"}', 'k:{"name":1}', 'v:"x/one"', 'k:bad', 'v:', 'f:', 'k:[]');
  const tree: fc.Arbitrary<unknown> = fc.letrec<{ t: unknown }>((tie) => ({ t: fc.dictionary(step, fc.oneof({ depthSize: 'small' }, fc.constant({}), tie('t')), { maxKeys: 4 }) })).t;

  const who = fc.constantFrom({ manager: 'other', operation: 'Update' }, { manager: 'me', operation: 'Apply' });
  // The live object's own fields with some steps spoiled: paths that lead somewhere, then break.
  const spoiled = (live: Obj, picks: number[], bad: string) => {
    const paths = leaves(live);
    const out = new Set(fieldsOf('Deployment', live, 'main'));
    for (const i of picks) {
      if (paths.length === 0) break;
      const st = paths[i % paths.length]!.split(SEP);
      st[st.length - 1] = bad;
      out.add(st.join(SEP));
    }
    return toFieldsV1(out);
  };
  test.prop([config, fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), fc.constantFrom('k:bad', 'v:', 'k:[]', 'x:y'), fc.oneof(tree, fc.jsonValue()), who, config])(
    'an apply over any managedFields a client sent either plans or refuses, never throws',
    (live, picks, bad, random, w, c) => {
      for (const fieldsV1 of [spoiled(live, picks, bad), random]) {
        const entries = requestedManagedFields({ metadata: { managedFields: [{ ...w, apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1 }] } }) ?? [];
        expect(() => apply(live, entries, c, 'me')).not.toThrow();
      }
    },
  );

  it("words conflicts as Kubernetes does, one or many, naming each manager's operation", () => {
    const update: ManagedFieldsEntry = { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: {} };
    const applier: ManagedFieldsEntry = { manager: 'helm', operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: {} };
    const scale: ManagedFieldsEntry = { manager: 'kubectl', operation: 'Update', apiVersion: 'apps/v1', subresource: 'scale', fieldsType: 'FieldsV1', fieldsV1: {} };
    expect(conflictMessage([{ path: `f:spec${SEP}f:selector`, entry: update }])).toBe('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .spec.selector');
    expect(conflictMessage([{ path: `f:spec${SEP}f:replicas`, entry: scale }])).toBe('Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas');
    expect(
      conflictMessage([
        { path: `f:metadata${SEP}f:annotations${SEP}f:example.com/version`, entry: applier },
        { path: `f:spec${SEP}f:template${SEP}f:spec${SEP}f:containers${SEP}k:{"name":"web"}${SEP}f:image`, entry: applier },
      ]),
    ).toBe('Apply failed with 2 conflicts: conflicts with "helm":\n- .metadata.annotations.example.com/version\n- .spec.template.spec.containers[name="web"].image');
  });
});

function isDeepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
