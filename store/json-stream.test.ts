import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { JsonSplitter } from './json-stream.js';

describe('JsonSplitter', () => {
  it('splits the doc example across chunks', () => {
    const split = new JsonSplitter();
    expect(split.push('{"a":1}{"b"')).toEqual(['{"a":1}']);
    expect(split.pending).toBe(true);
    expect(split.push(':"}"}')).toEqual(['{"b":"}"}']);
    expect(split.pending).toBe(false);
  });

  it('refuses text outside an object', () => {
    expect(() => new JsonSplitter().push('nope')).toThrow(/outside/);
    expect(() => new JsonSplitter().push('}')).toThrow();
  });

  test.prop([
    fc.array(fc.dictionary(fc.string(), fc.jsonValue()), { minLength: 1, maxLength: 5 }),
    fc.array(fc.nat(), { maxLength: 8 }),
  ])('any cut of concatenated objects gives the objects back', (objects, cuts) => {
    const text = objects.map((o) => JSON.stringify(o)).join('\n');
    const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
    const split = new JsonSplitter();
    const got: unknown[] = [];
    let from = 0;
    for (const p of [...points, text.length]) {
      got.push(...split.push(text.slice(from, p)).map((s) => JSON.parse(s)));
      from = p;
    }
    expect(got).toEqual(objects.map((o) => JSON.parse(JSON.stringify(o))));
  });
});
