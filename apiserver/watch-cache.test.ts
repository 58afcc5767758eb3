import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode, encodeObject, serializedJson, textWithRevision, type KubeObject } from './watch-cache.js';

/** What the store hands back over the network: the same bytes, not the Buffer the writer made. */
const overTheWire = (value: Buffer) => Buffer.from(value);

const text = fc.string({ unit: fc.constantFrom('a', '"', '\\', '{', '}', ':', ',', 'é', '\u2028', 'metadata', 'resourceVersion') });
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(text, tie('v'), { maxKeys: 3 })),
})).v;
const object = fc.record({
  apiVersion: text,
  kind: text,
  metadata: fc.dictionary(text.filter((k) => k !== 'resourceVersion'), value, { maxKeys: 4 }),
  spec: fc.dictionary(text, value, { maxKeys: 3 }),
});

describe('stored objects', () => {
  it('answer with the stored text and the revision spliced in, the same JSON as the object they decode to', () => {
    fc.assert(
      fc.property(object, fc.integer({ min: 1, max: 2 ** 40 }), (obj, rev) => {
        const entry = decode('/registry/things/ns/a', overTheWire(encodeObject(obj as KubeObject)), rev);
        expect(entry.object).toEqual({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(rev) } });
        expect(JSON.parse(entry.json)).toEqual(entry.object);
        expect(serializedJson(entry.object)).toBe(entry.json);
      }),
      { numRuns: 500 },
    );
  });

  it('lead with apiVersion, kind and metadata however the object was built, and carry no resourceVersion', () => {
    const value = encodeObject({ spec: { a: 1 }, metadata: { resourceVersion: '7', name: 'a' }, kind: 'Pod', apiVersion: 'v1' });
    expect(value.toString()).toBe('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"},"spec":{"a":1}}');
    expect(textWithRevision(value.toString(), 9)).toBe('{"apiVersion":"v1","kind":"Pod","metadata":{"resourceVersion":"9","name":"a"},"spec":{"a":1}}');
    expect(textWithRevision('{"apiVersion":"v1","kind":"Pod","metadata":{}}', 3)).toBe('{"apiVersion":"v1","kind":"Pod","metadata":{"resourceVersion":"3"}}');
  });

  it('written in another order (by another writer) are serialized from the object instead', () => {
    const stored = Buffer.from('{"metadata":{"name":"a"},"kind":"Pod","apiVersion":"v1","spec":{"x":"\\"metadata\\":{"}}');
    expect(textWithRevision(stored.toString(), 4)).toBeUndefined();
    const entry = decode('/registry/pods/ns/a', stored, 4);
    expect(JSON.parse(entry.json)).toEqual({ metadata: { name: 'a', resourceVersion: '4' }, kind: 'Pod', apiVersion: 'v1', spec: { x: '"metadata":{' } });
  });
});
