import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReplicaSet } from '../api/schemas/workloads.js';
import { OwnWrites } from './own-writes.js';

const rs = (name: string, rv: number, uid = `uid-${name}`, namespace = 'default'): ReplicaSet =>
  ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace, uid, resourceVersion: String(rv) } }) as ReplicaSet;

describe('OwnWrites', () => {
  it('waits until the cache holds what the controller wrote', () => {
    const own = new OwnWrites();
    own.wrote(rs('web-a', 97), 0);
    expect(own.lagging('default', [rs('web-a', 95)], 1)).toBe('default/web-a');
    expect(own.lagging('default', [], 1)).toBe('default/web-a');
    expect(own.lagging('default', [rs('web-a', 97)], 2)).toBeUndefined();
    // Seen once is enough: a later stale view is another writer's business, not ours.
    expect(own.lagging('default', [rs('web-a', 95)], 3)).toBeUndefined();
  });

  it('looks at the namespace asked for only', () => {
    const own = new OwnWrites();
    own.wrote(rs('web-a', 5, 'u', 'other'), 0);
    expect(own.lagging('default', [], 1)).toBeUndefined();
    expect(own.lagging('other', [], 1)).toBe('other/web-a');
  });

  it('stops waiting for a ReplicaSet deleted, replaced, or never seen for the timeout', () => {
    const own = new OwnWrites(1_000);
    own.wrote(rs('a', 10), 0);
    own.forget(rs('a', 11));
    expect(own.lagging('default', [], 1)).toBeUndefined();
    own.wrote(rs('b', 10), 0);
    expect(own.lagging('default', [rs('b', 3, 'another-uid')], 1)).toBeUndefined();
    own.wrote(rs('c', 10), 0);
    expect(own.lagging('default', [], 1_000)).toBe('default/c');
    expect(own.lagging('default', [], 1_001)).toBeUndefined();
  });

  it('never calls a cache that holds every write at or past its version lagging', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: 1, max: 100 }))), (writes) => {
        const written = () => {
          const own = new OwnWrites();
          for (const [name, rv] of writes) own.wrote(rs(name, rv), 0);
          return own;
        };
        const latest = new Map(writes);
        expect(written().lagging('default', [...latest].map(([name, rv]) => rs(name, rv)), 1)).toBeUndefined();
        if (latest.size > 0) expect(written().lagging('default', [...latest].map(([name, rv]) => rs(name, rv - 1)), 1)).toBeDefined();
      }),
    );
  });

  it('waits after a delete until the cache no longer holds the object, or holds another of its name', () => {
    const own = new OwnWrites();
    own.deleted(rs('web-x', 40), 0);
    expect(own.lagging('default', [rs('web-x', 40)], 1)).toBe('default/web-x');
    expect(own.lagging('default', [rs('web-x', 41, 'a-new-uid')], 1)).toBeUndefined();
    own.deleted(rs('web-y', 40), 0);
    expect(own.lagging('default', [], 1)).toBeUndefined();
  });
});
