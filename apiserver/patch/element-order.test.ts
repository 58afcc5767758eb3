import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { orderElements } from './element-order.js';

const self = (v: string) => v;

describe('orderElements', () => {
  it('orders as upstream does (the doc examples)', () => {
    // A new element goes first.
    expect(orderElements(['a', 'b', 'x'], ['x'], ['a', 'b'], self)).toEqual(['x', 'a', 'b']);
    // The patch reorders its own elements; `b`, which the patch does not name, stays before `c`.
    expect(orderElements(['a', 'b', 'c'], ['c', 'a'], ['a', 'b', 'c'], self)).toEqual(['b', 'c', 'a']);
  });

  it('orders by merge key, and puts elements without one after the others', () => {
    const el = (name?: string) => (name === undefined ? {} : { name });
    const keyOf = (e: { name?: string }) => e.name;
    const [a, b, c, none] = [el('a'), el('b'), el('c'), el()];
    expect(orderElements([a, none, b, c], ['b', 'a'], ['a', undefined, 'b', 'c'], keyOf)).toEqual([b, a, c, none]);
  });

  it('keeps the original order when the patch names every element in it', () => {
    expect(orderElements(['a', 'b', 'c'], ['a', 'b', 'c'], ['a', 'b', 'c'], self)).toEqual(['a', 'b', 'c']);
  });

  const distinct = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { maxLength: 6 });
  test.prop([distinct, distinct])('keeps every element once, the patch order among patch elements, the server order among the rest', (server, patch) => {
    const items = [...new Set([...server, ...patch])];
    const out = orderElements(items, patch, server, self);
    expect([...out].sort()).toEqual([...items].sort());
    expect(out.filter((v) => patch.includes(v))).toEqual(patch);
    expect(out.filter((v) => !patch.includes(v))).toEqual(server.filter((v) => !patch.includes(v)));
  });
});
