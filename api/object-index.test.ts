import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ObjectIndex } from './object-index.js';

interface Obj {
  app?: string;
  tiers: string[];
}

/** Filed under its app and under each tier, as a label index and a multi-valued one would be. */
const fileUnder = (o: Readonly<Obj>) => [...(o.app === undefined ? [] : [`app=${o.app}`]), ...o.tiers.map((t) => `tier=${t}`)];

describe('ObjectIndex', () => {
  it('files, moves and drops objects (the doc example)', () => {
    const byApp = new ObjectIndex<{ app: string }>((p) => [p.app]);
    const a = { app: 'web' };
    const b = { app: 'db' };
    const c = { app: 'web' };
    byApp.put('default/a', a);
    byApp.put('default/b', b);
    byApp.put('default/c', c);
    expect(byApp.get('web')).toEqual([a, c]);
    const a2 = { app: 'db' };
    byApp.put('default/a', a2);
    expect(byApp.get('db')).toEqual([a2, b]);
    expect(byApp.get('web')).toEqual([c]);
    byApp.delete('default/b');
    expect(byApp.get('db')).toEqual([a2]);
    expect(byApp.count('db')).toBe(1);
    expect(byApp.get('nothing')).toEqual([]);
  });

  it('after any puts and deletes, equals filtering the Map they describe, in its order', () => {
    const key = fc.constantFrom('k0', 'k1', 'k2', 'k3', 'k4', 'k5');
    const value = fc.constantFrom('a', 'b', 'c');
    const obj = fc.record({ app: fc.option(value, { nil: undefined }), tiers: fc.array(value, { maxLength: 3 }) });
    const op = fc.oneof(fc.record({ put: key, obj }), fc.record({ del: key }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const index = new ObjectIndex<Obj>(fileUnder);
        const all = new Map<string, Obj>();
        for (const o of ops) {
          if ('put' in o) {
            index.put(o.put, o.obj);
            all.set(o.put, o.obj);
          } else {
            index.delete(o.del);
            all.delete(o.del);
          }
        }
        for (const v of ['app=a', 'app=b', 'app=c', 'tier=a', 'tier=b', 'tier=c']) {
          const want = [...all.values()].filter((x) => fileUnder(x).includes(v));
          expect(index.get(v)).toEqual(want);
          expect(index.count(v)).toBe(want.length);
        }
      }),
      { numRuns: 500 },
    );
  });
});
