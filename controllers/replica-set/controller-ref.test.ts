import { describe, expect, it } from 'vitest';
import { selectorFromLabelSelector } from '../../api/labels.js';
import { pod, replicaSet } from './_test-pods.js';
import { adoptPatch, claimObjects, releasePatch } from './controller-ref.js';
import { ownerOf } from './plan.js';

const web = replicaSet('web', 3);
const sel = selectorFromLabelSelector({ matchLabels: { app: 'web' } });
const names = (xs: readonly { metadata?: { name?: string } }[]) => xs.map((x) => x.metadata?.name);

describe('claimObjects', () => {
  const a = pod({ name: 'a', labels: { app: 'web' } });
  const b = pod({ name: 'b', labels: { app: 'web' }, owner: web });
  const c = pod({ name: 'c', labels: { app: 'db' }, owner: web });
  const d = pod({ name: 'd', labels: { app: 'web' }, owner: 'other' });
  const e = pod({ name: 'e', labels: { app: 'web' }, deleting: true });

  it('adopts matching orphans, keeps its own, releases the relabelled, leaves others alone (the doc example)', () => {
    const out = claimObjects(ownerOf(web), sel, [a, b, c, d, e]);
    expect({ claimed: names(out.claimed), adopt: names(out.adopt), release: names(out.release) }).toEqual({ claimed: ['a', 'b'], adopt: ['a'], release: ['c'] });
  });

  it('an owner being deleted neither adopts nor releases', () => {
    const going = replicaSet('web', 3, { deletionTimestamp: '2026-01-01T00:00:00Z' });
    const out = claimObjects(ownerOf(going), sel, [a, b, c]);
    expect({ claimed: names(out.claimed), adopt: out.adopt, release: out.release }).toEqual({ claimed: ['b'], adopt: [], release: [] });
  });

  it('writes the controller reference, guarded by the pod uid and resourceVersion', () => {
    expect(adoptPatch(ownerOf(web), a)).toEqual({
      metadata: {
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'uid-web', controller: true, blockOwnerDeletion: true }],
        uid: 'uid-a',
        resourceVersion: '1',
      },
    });
    expect(releasePatch(ownerOf(web), c)).toEqual({ metadata: { ownerReferences: [{ $patch: 'delete', uid: 'uid-web' }], uid: 'uid-c', resourceVersion: '1' } });
  });
});
