import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../api/clock.js';
import { keyOf } from '../../api/informer.js';
import type { Pod } from '../../api/schemas/pod.js';
import type { ReplicaSet } from '../../api/schemas/workloads.js';
import { pod, replicaSet } from './_test-pods.js';
import { ReplicaSetSync, type ReplicaSetClient } from './sync.js';

/** The handlers alone: which keys they enqueue and what they tell the expectations. */
function handlers(sets: ReplicaSet[]) {
  const queued: string[] = [];
  const sync = new ReplicaSetSync({
    client: {} as ReplicaSetClient,
    clock: new FakeClock(),
    pods: { get: () => undefined, list: () => [] },
    replicaSets: { get: (k) => sets.find((s) => keyOf(s) === k), list: () => sets },
    events: { record: async () => {} },
    enqueue: (k) => queued.push(k),
  });
  return { sync, queued };
}

const bump = (p: Pod, change: (p: Pod) => void): Pod => {
  const out = structuredClone(p);
  out.metadata!.resourceVersion = String(Number(out.metadata!.resourceVersion) + 1);
  change(out);
  return out;
};

describe('ReplicaSetSync handlers', () => {
  const web = replicaSet('web', 3);
  const db = replicaSet('db', 1);

  it('sends an owned pod to its ReplicaSet and an orphan to every ReplicaSet that selects it', () => {
    const { sync, queued } = handlers([web, db]);
    sync.podAdded(pod({ name: 'a', labels: { app: 'web' }, owner: web }));
    sync.podAdded(pod({ name: 'b', labels: { app: 'db' } }));
    sync.podAdded(pod({ name: 'c', labels: { app: 'cache' } }));
    // A reference to a ReplicaSet of the same name but another uid resolves to nothing.
    sync.podAdded(pod({ name: 'd', labels: { app: 'web' }, owner: replicaSet('web', 1, { uid: 'gone' }) }));
    expect(queued).toEqual(['default/web', 'default/db']);
  });

  it('counts a pod seen terminating and then gone as one deletion', () => {
    const { sync } = handlers([web]);
    const a = pod({ name: 'a', labels: { app: 'web' }, owner: web });
    const b = pod({ name: 'b', labels: { app: 'web' }, owner: web });
    sync.expectations.expectDeletions('default/web', ['default/a', 'default/b']);
    const terminating = bump(a, (p) => (p.metadata!.deletionTimestamp = '2026-01-01T00:00:00Z'));
    sync.podUpdated(a, terminating);
    sync.podDeleted(terminating);
    expect(sync.expectations.pending('default/web')).toEqual({ adds: 0, dels: 1 });
    sync.podDeleted(b);
    expect(sync.expectations.satisfied('default/web')).toBe(true);
  });

  it('tells both ReplicaSets when a pod changes hands, and ignores resyncs', () => {
    const { sync, queued } = handlers([web, db]);
    const a = pod({ name: 'a', labels: { app: 'web' }, owner: web });
    sync.podUpdated(a, a);
    expect(queued).toEqual([]);
    const released = bump(a, (p) => ((p.metadata!.ownerReferences = []), (p.metadata!.labels = { app: 'db' })));
    sync.podUpdated(a, released);
    expect(queued).toEqual(['default/web', 'default/db']);
  });

  it('forgets the expectations of a ReplicaSet deleted, or re-created under its name', () => {
    const { sync, queued } = handlers([web]);
    sync.expectations.expectCreations('default/web', 3);
    sync.replicaSetChanged(web, replicaSet('web', 3, { uid: 'new' }));
    expect(sync.expectations.satisfied('default/web')).toBe(true);
    sync.expectations.expectCreations('default/web', 3);
    sync.replicaSetDeleted(web);
    expect(sync.expectations.satisfied('default/web')).toBe(true);
    expect(queued).toEqual(['default/web', 'default/web']);
  });
});
