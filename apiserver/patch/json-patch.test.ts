import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { applyJsonPatch } from './json-patch.js';
import { formatJsonPointer } from './json-pointer.js';
import { PatchError } from './patch-error.js';

/** Frozen, so that any attempt to modify an input throws. */
function frozen<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) frozen(v);
    Object.freeze(value);
  }
  return value;
}

function rejection(doc: unknown, ops: unknown): PatchError {
  try {
    applyJsonPatch(doc, ops);
  } catch (err) {
    expect(err).toBeInstanceOf(PatchError);
    return err as PatchError;
  }
  throw new Error('the patch applied');
}

describe('applyJsonPatch', () => {
  it('applies the doc example', () => {
    const doc = frozen({ metadata: { name: 'web' }, spec: { replicas: 1 } });
    const ops = frozen([
      { op: 'test', path: '/metadata/name', value: 'web' },
      { op: 'replace', path: '/spec/replicas', value: 3 },
    ]);
    expect(applyJsonPatch(doc, ops)).toEqual({ metadata: { name: 'web' }, spec: { replicas: 3 } });
    expect(rejection({ spec: {} }, [{ op: 'remove', path: '/spec/x' }]).message).toBe('doc is missing path: /spec/x');
  });

  // RFC 6902 appendix A, one case each.
  it.each([
    ['A.1 add an object member', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }], { baz: 'qux', foo: 'bar' }],
    ['A.2 add an array element', { foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }], { foo: ['bar', 'qux', 'baz'] }],
    ['A.3 remove an object member', { baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }], { foo: 'bar' }],
    ['A.4 remove an array element', { foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }], { foo: ['bar', 'baz'] }],
    ['A.5 replace a value', { baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }], { baz: 'boo', foo: 'bar' }],
    [
      'A.6 move a value',
      { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
      [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
      { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
    ],
    [
      'A.7 move an array element',
      { foo: ['all', 'grass', 'cows', 'eat'] },
      [{ op: 'move', from: '/foo/1', path: '/foo/3' }],
      { foo: ['all', 'cows', 'eat', 'grass'] },
    ],
    [
      'A.8 test a value: success',
      { baz: 'qux', foo: ['a', 2, 'c'] },
      [
        { op: 'test', path: '/baz', value: 'qux' },
        { op: 'test', path: '/foo/1', value: 2 },
      ],
      { baz: 'qux', foo: ['a', 2, 'c'] },
    ],
    ['A.10 add a nested member object', { foo: 'bar' }, [{ op: 'add', path: '/child', value: { grandchild: {} } }], { foo: 'bar', child: { grandchild: {} } }],
    ['A.11 ignore unrecognized elements', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }], { foo: 'bar', baz: 'qux' }],
    ['A.14 ~ escape ordering', { '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: 10 }], { '/': 9, '~1': 10 }],
    ['A.16 add an array value', { foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }], { foo: ['bar', ['abc', 'def']] }],
  ])('RFC 6902 %s', (_name, doc, ops, want) => {
    expect(applyJsonPatch(frozen(doc), frozen(ops))).toEqual(want);
  });

  it.each([
    ['A.9 test a value: error', { baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }], 'testing value /baz failed'],
    ['A.12 add to a nonexistent target', { foo: 'bar' }, [{ op: 'add', path: '/baz/bat', value: 'qux' }], 'doc is missing path: /baz/bat'],
    ['A.15 comparing strings and numbers', { '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: '10' }], 'testing value /~01 failed'],
  ])('RFC 6902 %s', (_name, doc, ops, message) => {
    expect(rejection(frozen(doc), frozen(ops)).message).toBe(message);
  });

  it('applies what kubectl rollout undo sends', () => {
    const deployment = frozen({
      metadata: { name: 'web', annotations: { 'deployment.kubernetes.io/revision': '2' } },
      spec: { replicas: 2, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } },
    });
    const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } };
    const ops = frozen([
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '1' } },
    ]);
    expect(applyJsonPatch(deployment, ops)).toEqual({
      metadata: { name: 'web', annotations: { 'deployment.kubernetes.io/revision': '1' } },
      spec: { replicas: 2, template },
    });
  });

  it('applies what @kubernetes/client-node sends, escapes included', () => {
    const pod = frozen({ metadata: { name: 'p', labels: { 'app.kubernetes.io/name': 'x' } }, spec: {} });
    const ops = [
      { op: 'add', path: '/metadata/labels/app.kubernetes.io~1version', value: '1' },
      { op: 'remove', path: '/metadata/labels/app.kubernetes.io~1name' },
      { op: 'add', path: '/spec/nodeName', value: 'node-1' },
    ];
    expect(applyJsonPatch(pod, ops)).toEqual({
      metadata: { name: 'p', labels: { 'app.kubernetes.io/version': '1' } },
      spec: { nodeName: 'node-1' },
    });
  });

  it('replaces or tests the whole document at the empty pointer, and copies', () => {
    expect(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: [1] }])).toEqual([1]);
    expect(applyJsonPatch({ a: 1 }, [{ op: 'add', path: '', value: 'x' }])).toBe('x');
    expect(applyJsonPatch({ a: 1 }, [{ op: 'test', path: '', value: { a: 1 } }])).toEqual({ a: 1 });
    expect(applyJsonPatch({ a: { b: [1] } }, [{ op: 'copy', from: '/a', path: '/c' }])).toEqual({ a: { b: [1] }, c: { b: [1] } });
    expect(applyJsonPatch({ a: 1 }, [{ op: 'move', from: '/a', path: '/a' }])).toEqual({ a: 1 });
  });

  it('keeps inserted values apart from the patch and from each other', () => {
    const value = { x: 1 };
    const out = applyJsonPatch({}, [
      { op: 'add', path: '/a', value },
      { op: 'add', path: '/b', value },
      { op: 'add', path: '/a/y', value: 2 },
    ]);
    expect(out).toEqual({ a: { x: 1, y: 2 }, b: { x: 1 } });
    expect(value).toEqual({ x: 1 });
  });

  it('adds __proto__ as an ordinary key', () => {
    const out = applyJsonPatch({}, [{ op: 'add', path: '/__proto__', value: { polluted: true } }]) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it.each([
    [{ a: [1] }, { op: 'add', path: '/a/2', value: 0 }, 'doc is missing path: /a/2'],
    [{ a: [1] }, { op: 'add', path: '/a/01', value: 0 }, 'doc is missing path: /a/01'],
    [{ a: [1] }, { op: 'remove', path: '/a/-' }, 'doc is missing path: /a/-'],
    [{ a: [1] }, { op: 'replace', path: '/a/1', value: 0 }, 'doc is missing path: /a/1'],
    [{ a: 'x' }, { op: 'add', path: '/a/b', value: 0 }, 'doc is missing path: /a/b'],
    [{ a: 1 }, { op: 'replace', path: '/b', value: 0 }, 'doc is missing path: /b'],
    [{ a: 1 }, { op: 'move', from: '/b', path: '/c' }, 'doc is missing path: /b'],
    [{ a: 1 }, { op: 'copy', from: '/b', path: '/c' }, 'doc is missing path: /b'],
    [{ a: { b: 1 } }, { op: 'move', from: '/a', path: '/a/b/c' }, 'cannot move /a into its own child /a/b/c'],
    [{ a: 1 }, { op: 'remove', path: '' }, 'cannot remove the whole document'],
    [{}, { op: 'test', path: '/metadata/name', value: null }, 'testing value /metadata/name failed'],
  ])('refuses an operation that does not fit: %j %j', (doc, op, message) => {
    const err = rejection(frozen(doc), [op]);
    expect(err.message).toBe(message);
    expect(err.malformed).toBe(false);
  });

  it.each([
    [{ op: 'add', path: '/a' }, 'operation 0 (add) needs a "value"'],
    [{ op: 'move', path: '/a' }, 'operation 0 (move) needs a string "from"'],
    [{ op: 'remove' }, 'operation 0 (remove) needs a string "path"'],
    [{ op: 'frob', path: '/a' }, 'operation 0 has an unknown op "frob"'],
    [{ path: '/a' }, 'operation 0 has an unknown op null'],
    [{ op: 'remove', path: 'a' }, 'invalid JSON pointer "a": it must be empty or start with "/"'],
    ['remove', 'operation 0 must be an object'],
  ])('refuses a malformed operation: %j', (op, message) => {
    const err = rejection({ a: 1 }, [op]);
    expect(err.message).toBe(message);
    expect(err.malformed).toBe(true);
  });

  it('refuses a patch that is not a list, and checks every operation before applying any', () => {
    expect(rejection({}, { op: 'add', path: '/a', value: 1 }).message).toBe('a JSON patch must be a list of operations');
    expect(rejection({}, [{ op: 'add', path: '/a', value: 1 }, { op: 'nope', path: '/a' }]).message).toMatch(/operation 1/);
  });

  describe('properties', () => {
    const token = fc.constantFrom('a', 'b', 'c', '0', '1', '-');
    const pointer = fc.array(token, { maxLength: 3 }).map(formatJsonPointer);
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.integer({ min: 0, max: 3 }), fc.constant(null), tie('object'), tie('array')),
      object: fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('value'), { maxKeys: 3 }),
      array: fc.array(tie('value'), { maxLength: 3 }),
    }));
    const json = value.map((v) => JSON.parse(JSON.stringify(v)) as unknown);
    const doc = fc.dictionary(fc.constantFrom('a', 'b', 'c'), json, { maxKeys: 3 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
    const operation = fc.oneof(
      fc.record({ op: fc.constantFrom('add', 'replace', 'test'), path: pointer, value: json }),
      fc.record({ op: fc.constant('remove'), path: pointer }),
      fc.record({ op: fc.constantFrom('move', 'copy'), from: pointer, path: pointer }),
    );
    const ops = fc.array(operation, { maxLength: 6 });

    function outcome(d: unknown, o: unknown): { ok: unknown } | { error: string } {
      try {
        return { ok: applyJsonPatch(d, o) };
      } catch (err) {
        if (!(err instanceof PatchError)) throw err;
        return { error: err.message };
      }
    }

    test.prop([doc, ops])('never modifies its inputs, and fails only with a PatchError', (d, o) => {
      outcome(frozen(d), frozen(o));
    });

    test.prop([doc, ops])('a failed operation leaves nothing behind: the document is as it was', (d, o) => {
      const before = JSON.stringify(d);
      const failing = [...o, { op: 'test', path: '/never', value: 'there' }];
      expect('error' in outcome(d, failing)).toBe(true);
      expect(JSON.stringify(d)).toBe(before);
    });

    test.prop([doc, ops])('applying a patch is applying its operations one after another', (d, o) => {
      let step: ReturnType<typeof outcome> = { ok: d };
      for (const op of o) {
        if ('error' in step) break;
        step = outcome(step.ok, [op]);
      }
      expect(outcome(d, o)).toEqual(step);
    });

    test.prop([fc.jsonValue(), fc.jsonValue()])('any JSON at all is applied or refused with a PatchError', (d, o) => {
      outcome(d, o);
      outcome(d, [o]);
    });
  });
});
