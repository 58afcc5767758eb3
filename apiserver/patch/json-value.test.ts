import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { cloneJson, getOwn, jsonEqual, setOwn, type JsonObject, type JsonValue } from './json-value.js';

describe('json values', () => {
  it('treats __proto__ and inherited names as ordinary keys (the doc example)', () => {
    const obj: JsonObject = {};
    setOwn(obj, '__proto__', 1);
    expect(getOwn(obj, '__proto__')).toBe(1);
    expect(Object.getPrototypeOf(obj)).toBe(Object.prototype);
    expect(getOwn({}, 'toString')).toBeUndefined();
    expect(JSON.stringify(obj)).toBe('{"__proto__":1}');
  });

  it('clones deeply', () => {
    const doc = JSON.parse('{"a":[{"b":1}],"__proto__":{"c":2}}') as JsonObject;
    const copy = cloneJson(doc) as JsonObject;
    expect(copy).toEqual(doc);
    ((copy['a'] as JsonObject[])[0]!)['b'] = 9;
    expect(JSON.stringify(doc)).toBe('{"a":[{"b":1}],"__proto__":{"c":2}}');
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
  });

  it('compares structurally: key order does not matter, array order does', () => {
    expect(jsonEqual({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual({ a: null }, {})).toBe(false);
    expect(jsonEqual('10', 10)).toBe(false);
  });

  test.prop([fc.jsonValue()])('a clone equals its source and shares nothing with it', (value) => {
    const copy = cloneJson(value as JsonValue);
    expect(jsonEqual(copy, value as JsonValue)).toBe(true);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(value));
  });
});
