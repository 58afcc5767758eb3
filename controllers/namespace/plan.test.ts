import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/client.js';
import type { Namespace } from '../../api/schemas/cluster.js';
import { NAMESPACE_CONDITION_TYPES, nextConditions } from './conditions.js';
import { FINALIZER_ESTIMATE_SECONDS, planContentDeletion, planNamespace, type NamespacePlan, type ResourceContent } from './plan.js';

const NOW = '2026-11-21T10:00:00Z';
const LATER = '2026-11-21T10:00:20Z';

const terminating = (extra: Partial<Namespace> = {}): Namespace => ({
  metadata: { name: 'demo', deletionTimestamp: '2026-11-21T09:59:59Z', resourceVersion: '5' },
  spec: { finalizers: ['kubernetes'] },
  status: { phase: 'Terminating' },
  ...extra,
});
const obj = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({ metadata: { name, namespace: 'demo', ...extra } });
const pod = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({ ...obj(name, extra), spec: { terminationGracePeriodSeconds: 30 }, status: { phase: 'Running' } });
const content = (resource: string, items: KubeObject[], group = ''): ResourceContent => ({ resource, group, items });

const condition = (plan: NamespacePlan, type: string) => {
  const status = plan.actions.find((a) => a.type === 'updateStatus')?.namespace.status;
  return status?.conditions?.find((c) => c.type === type);
};

describe('planContentDeletion', () => {
  it('deletes every object that is not already being deleted (the doc example)', () => {
    const found = [content('configmaps', [obj('app')]), content('pods', [pod('web-1', { deletionTimestamp: NOW }), pod('web-2')])];
    expect(planContentDeletion(found)).toEqual([
      { resource: 'configmaps', name: 'app' },
      { resource: 'pods', name: 'web-2' },
    ]);
  });
});

describe('planNamespace', () => {
  it('reports pods still stopping and waits about their grace period (the doc example)', () => {
    const plan = planNamespace(terminating(), [content('pods', [pod('web-1', { deletionTimestamp: NOW })]), content('configmaps', [])], NOW);
    expect(plan.actions.map((a) => a.type)).toEqual(['updateStatus']);
    expect(plan.remainingEstimateSeconds).toBe(30);
    expect(plan.errors).toEqual([]);
    expect(condition(plan, 'NamespaceContentRemaining')).toEqual({
      type: 'NamespaceContentRemaining',
      status: 'True',
      reason: 'SomeResourcesRemain',
      message: 'Some resources are remaining: pods. has 1 resource instances',
      lastTransitionTime: NOW,
    });
    expect(condition(plan, 'NamespaceDeletionContentFailure')).toMatchObject({ status: 'False', reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' });
    expect(condition(plan, 'NamespaceDeletionDiscoveryFailure')).toMatchObject({ status: 'False', reason: 'ResourcesDiscovered' });
  });

  it('names the finalizers that hold content, and waits the finalizer estimate for them', () => {
    const held = [obj('a', { deletionTimestamp: NOW, finalizers: ['example.com/hold'] }), obj('b', { deletionTimestamp: NOW, finalizers: ['example.com/hold', 'other.io/x'] })];
    const plan = planNamespace(terminating(), [content('configmaps', held), content('replicasets', [obj('rs', { deletionTimestamp: NOW, finalizers: ['foregroundDeletion'] })], 'apps')], NOW);
    expect(condition(plan, 'NamespaceContentRemaining')?.message).toBe('Some resources are remaining: configmaps. has 2 resource instances, replicasets.apps has 1 resource instances');
    expect(condition(plan, 'NamespaceFinalizersRemaining')).toMatchObject({
      status: 'True',
      reason: 'SomeFinalizersRemain',
      message: 'Some content in the namespace has finalizers remaining: example.com/hold in 2 resource instances, foregroundDeletion in 1 resource instances, other.io/x in 1 resource instances',
    });
    expect(plan.remainingEstimateSeconds).toBe(FINALIZER_ESTIMATE_SECONDS);
  });

  it('reports failures in NamespaceDeletionContentFailure and does not finalize', () => {
    const plan = planNamespace(terminating(), [{ ...content('secrets', []), error: 'failed to list secrets: boom' }], NOW);
    expect(plan.errors).toEqual(['failed to list secrets: boom']);
    expect(plan.actions.map((a) => a.type)).toEqual(['updateStatus']);
    expect(condition(plan, 'NamespaceDeletionContentFailure')).toMatchObject({
      status: 'True',
      reason: 'ContentDeletionFailed',
      message: 'Failed to delete all resource types, 1 remaining: failed to list secrets: boom',
    });
  });

  it('removes only its own finalizer once the namespace is empty', () => {
    const plan = planNamespace(terminating({ spec: { finalizers: ['kubernetes', 'example.com/audit'] } }), [content('pods', [])], NOW);
    const finalize = plan.actions.find((a) => a.type === 'finalize');
    expect(finalize?.namespace.spec?.finalizers).toEqual(['example.com/audit']);
    expect(finalize?.namespace.metadata?.resourceVersion).toBe('5');
    expect(plan.remainingEstimateSeconds).toBeUndefined();
  });

  it('does nothing for a namespace that is active or already finalized', () => {
    expect(planNamespace({ metadata: { name: 'demo' }, spec: { finalizers: ['kubernetes'] } }, [], NOW).actions).toEqual([]);
    expect(planNamespace(terminating({ spec: { finalizers: [] } }), [], NOW).actions).toEqual([]);
  });

  it('keeps lastTransitionTime while a condition keeps its status, and moves it when the status flips', () => {
    const first = nextConditions([], { NamespaceContentRemaining: { reason: 'SomeResourcesRemain', message: 'x' } }, NOW);
    const same = nextConditions(first, { NamespaceContentRemaining: { reason: 'SomeResourcesRemain', message: 'y' } }, LATER);
    expect(same.find((c) => c.type === 'NamespaceContentRemaining')).toMatchObject({ message: 'y', lastTransitionTime: NOW });
    const flipped = nextConditions(same, {}, LATER);
    expect(flipped.find((c) => c.type === 'NamespaceContentRemaining')).toMatchObject({ status: 'False', reason: 'ContentRemoved', lastTransitionTime: LATER });
    expect(flipped.find((c) => c.type === 'NamespaceFinalizersRemaining')?.lastTransitionTime).toBe(NOW);
  });
});

// ---- properties -------------------------------------------------------------------------------

const arbItem = (i: number) =>
  fc.record({ deleting: fc.boolean(), finalizers: fc.subarray(['example.com/a', 'example.com/b']), pod: fc.boolean() }).map(({ deleting, finalizers, pod: isPod }) => ({
    resource: isPod ? 'pods' : 'configmaps',
    item: (isPod ? pod : obj)(`o${i}`, { ...(deleting ? { deletionTimestamp: NOW } : {}), ...(finalizers.length ? { finalizers } : {}) }),
  }));
const arbContents = fc
  .integer({ min: 0, max: 6 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arbItem(i))))
  .map((xs) => ['pods', 'configmaps'].map((r) => content(r, xs.filter((x) => x.resource === r).map((x) => x.item))));
const arbNamespace = fc.record({ extra: fc.subarray(['example.com/audit']), conditions: fc.boolean() }).map(({ extra, conditions }) =>
  terminating({ spec: { finalizers: ['kubernetes', ...extra] }, status: { phase: 'Terminating', ...(conditions ? { conditions: [{ type: 'Other', status: 'True' }] } : {}) } }),
);

describe('namespace planner properties', () => {
  it('deletes exactly the objects not yet being deleted', () => {
    fc.assert(
      fc.property(arbContents, (contents) => {
        const planned = planContentDeletion(contents).map((d) => `${d.resource}/${d.name}`).sort();
        const expected = contents.flatMap((c) => c.items.filter((o) => !o.metadata?.deletionTimestamp).map((o) => `${c.resource}/${o.metadata?.name}`)).sort();
        expect(planned).toEqual(expected);
      }),
    );
  });

  it('finalizes if and only if nothing remains; otherwise asks to look again; the five conditions are always there once', () => {
    fc.assert(
      fc.property(arbNamespace, arbContents, (ns, contents) => {
        const plan = planNamespace(ns, contents, NOW);
        const empty = contents.every((c) => c.items.length === 0);
        expect(plan.actions.some((a) => a.type === 'finalize')).toBe(empty);
        // What remains must be waiting on something (a pod's grace period, a finalizer); anything else is an error, retried with back-off.
        const waiting = (c: ResourceContent) => c.items.length > 0 && (c.resource === 'pods' || c.items.some((o) => o.metadata?.finalizers?.length));
        const stuck = contents.filter((c) => c.items.length > 0 && !waiting(c));
        expect(plan.errors.length).toBe(stuck.length);
        if (stuck.length > 0) expect(condition(plan, 'NamespaceDeletionContentFailure')?.status).toBe('True');
        expect(plan.remainingEstimateSeconds === undefined).toBe(empty || stuck.length > 0);
        if (!empty && stuck.length === 0) expect(plan.remainingEstimateSeconds).toBeGreaterThan(0);
        const conditions = plan.actions[0]!.namespace.status!.conditions!;
        for (const t of NAMESPACE_CONDITION_TYPES) expect(conditions.filter((c) => c.type === t)).toHaveLength(1);
        expect(conditions.some((c) => c.type === 'Other')).toBe(Boolean(ns.status?.conditions));
      }),
    );
  });

  it('writes the status once: the namespace as planned plans no status write for the same content', () => {
    fc.assert(
      fc.property(arbNamespace, arbContents, (ns, contents) => {
        const first = planNamespace(ns, contents, NOW);
        const written = first.actions.find((a) => a.type === 'updateStatus')!.namespace;
        const again = planNamespace(written, contents, LATER);
        expect(again.actions.filter((a) => a.type === 'updateStatus')).toEqual([]);
      }),
    );
  });
});
