import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { keyOf, Model } from './model.js';

const pod = (name: string, nodeName?: string, rv = 1) => ({
  metadata: { name, namespace: 'default', resourceVersion: String(rv) },
  spec: nodeName ? { nodeName } : {},
});

describe('Model', () => {
  it('collects what changed until the next frame, as the doc comment shows', () => {
    const model = new Model();
    model.apply('pods', 'ADDED', pod('web-1', 'node-1'));
    const d = model.takeDirty();
    expect([...d.pods]).toEqual(['default/web-1']);
    expect([...d.nodes]).toEqual(['node-1']);
    expect([...d.kinds]).toEqual(['pods']);
    const empty = model.takeDirty();
    expect(empty.pods.size + empty.nodes.size + empty.kinds.size).toBe(0);
  });

  it('moves a pod from the waiting lane to its node and marks both sides', () => {
    const model = new Model();
    model.apply('pods', 'ADDED', pod('web-1'));
    model.takeDirty();
    model.apply('pods', 'MODIFIED', pod('web-1', 'node-2', 2));
    expect(model.podsOn('')).toEqual([]);
    expect(model.podsOn('node-2').map(keyOf)).toEqual(['default/web-1']);
    expect([...model.takeDirty().nodes].sort()).toEqual(['', 'node-2']);
  });

  it('forgets on a relist what was deleted while it was not watching', () => {
    const model = new Model();
    model.reset('pods', [pod('a', 'node-1'), pod('b', 'node-1')]);
    model.takeDirty();
    model.reset('pods', [pod('b', 'node-1')]);
    expect([...model.all('pods').keys()]).toEqual(['default/b']);
    expect(model.podsOn('node-1').map(keyOf)).toEqual(['default/b']);
    expect([...model.takeDirty().pods]).toEqual(['default/a']);
  });

  const op = fc.record({
    name: fc.constantFrom('a', 'b', 'c', 'd'),
    node: fc.option(fc.constantFrom('node-1', 'node-2', 'node-3'), { nil: undefined }),
    deleted: fc.boolean(),
  });

  test.prop([fc.array(op, { maxLength: 40 })])(
    'after any events, the node index is exactly the pods by spec.nodeName, and a relist of the same state changes nothing',
    (ops) => {
      const model = new Model();
      let rv = 0;
      for (const o of ops) {
        const p = pod(o.name, o.node, ++rv);
        const exists = model.all('pods').has(keyOf(p));
        model.apply('pods', o.deleted ? 'DELETED' : exists ? 'MODIFIED' : 'ADDED', p);
      }
      const pods = [...model.all('pods').values()];
      const index = new Map<string, string[]>();
      for (const p of pods) index.set(p.spec.nodeName ?? '', [...(index.get(p.spec.nodeName ?? '') ?? []), keyOf(p)].sort());
      for (const node of ['', 'node-1', 'node-2', 'node-3']) {
        expect(model.podsOn(node).map(keyOf).sort()).toEqual(index.get(node) ?? []);
      }
      model.takeDirty();
      model.reset('pods', pods);
      expect(model.takeDirty().pods.size).toBe(0);
    },
  );
});
