import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { jsonEqual } from '../../api/json-equal.js';
import { applyMergePatch } from '../../apiserver/patch/merge-patch.js';
import { editorCommand, mergePatch, readEdited } from './edit.js';

describe('editorCommand', () => {
  it('prefers KUBE_EDITOR, then EDITOR, then vi', () => {
    expect(editorCommand({ KUBE_EDITOR: 'nano', EDITOR: 'emacs' })).toBe('nano');
    expect(editorCommand({ EDITOR: 'emacs' })).toBe('emacs');
    expect(editorCommand({})).toBe('vi');
  });
});

describe('mergePatch', () => {
  it('sets what changed, nulls what went, replaces lists whole', () => {
    expect(mergePatch({ spec: { replicas: 1, paused: true, ports: [1, 2] } }, { spec: { replicas: 2, ports: [1] }, extra: 'x' })).toEqual({
      spec: { replicas: 2, paused: null, ports: [1] },
      extra: 'x',
    });
  });

  it('is undefined when nothing changed', () => {
    expect(mergePatch({ a: { b: [1, { c: 2 }] } }, { a: { b: [1, { c: 2 }] } })).toBeUndefined();
  });

  it('takes keys named like inherited members for keys', () => {
    const before = JSON.parse('{"data":{"constructor":"a","k":"v"}}') as unknown;
    const after = JSON.parse('{"data":{"__proto__":"b","k":"v"}}') as unknown;
    expect(JSON.stringify(mergePatch(before, after))).toBe('{"data":{"constructor":null,"__proto__":"b"}}');
  });

  // Keys include names every object inherits; values hold no null, which a merge patch cannot set.
  const key = fc.constantFrom('a', 'b', 'data', '__proto__', 'constructor', 'toString');
  const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: 'small' }, fc.string({ maxLength: 3 }), fc.integer(), fc.boolean(), fc.array(fc.integer(), { maxLength: 2 }), tie('o')),
    o: fc.array(fc.tuple(key, tie('v')), { maxLength: 3 }).map(ownObject),
  })).v;
  const object = fc.array(fc.tuple(key, value), { maxLength: 4 }).map(ownObject);

  test.prop([object, object])('gives a patch that makes the object edited of the object read, as the API server applies it', (before, after) => {
    const patch = mergePatch(before, after);
    const applied = patch === undefined ? before : applyMergePatch(before, patch);
    expect(jsonEqual(applied, after), `${JSON.stringify(applied)} after the patch, ${JSON.stringify(after)} edited`).toBe(true);
  });
});

/** An object with these own keys, `__proto__` among them, as JSON.parse makes one. */
function ownObject(entries: Array<[string, unknown]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

describe('readEdited', () => {
  it('drops comment lines and reads the YAML', () => {
    expect(readEdited('# Please edit\n#\napiVersion: v1\nkind: ConfigMap\ndata:\n  a: "1"\n')).toEqual({ empty: false, object: { apiVersion: 'v1', kind: 'ConfigMap', data: { a: '1' } } });
  });

  it('is empty when only comments are left, and refuses what is not an object', () => {
    expect(readEdited('# nothing\n\n')).toEqual({ empty: true });
    expect(() => readEdited('- a\n- b\n')).toThrow('the edited file is not a YAML object');
  });
});
