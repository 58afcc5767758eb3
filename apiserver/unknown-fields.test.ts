import { describe, expect, it } from 'vitest';
import { unknownFields } from './unknown-fields.js';

describe('unknownFields', () => {
  it('names what the schema dropped, with the example of its doc comment', () => {
    expect(unknownFields({ spec: { replcas: 2, replicas: 1 } }, { spec: { replicas: 1 } })).toEqual(['spec.replcas']);
  });

  it('walks arrays by index and in the order the fields were sent', () => {
    const sent = { b: 1, spec: { containers: [{ name: 'a', tty2: true }, { name: 'b' }] }, a: 2 };
    const kept = { spec: { containers: [{ name: 'a' }, { name: 'b' }] } };
    expect(unknownFields(sent, kept)).toEqual(['b', 'spec.containers[0].tty2', 'a']);
  });

  it('names a field called like a member every object inherits', () => {
    const sent = JSON.parse('{"metadata":{"name":"a","constructor":1,"__proto__":{"x":1},"toString":"s"}}') as unknown;
    expect(unknownFields(sent, { metadata: { name: 'a' } })).toEqual(['metadata.constructor', 'metadata.__proto__', 'metadata.toString']);
  });
});
