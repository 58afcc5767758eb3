import { describe, expect, it } from 'vitest';
import { withoutNulls } from './without-nulls.js';

describe('withoutNulls', () => {
  it('leaves out the nulls and undefineds of objects, keeps those of arrays, with the example of its doc comment', () => {
    const body = { metadata: { labels: null, name: 'web', uid: undefined }, args: [null] };
    expect(withoutNulls(body)).toStrictEqual({ metadata: { name: 'web' }, args: [null] });
    expect(body.metadata).toHaveProperty('labels', null);
  });

  it('keeps a __proto__ key as a member of the copy, not its prototype', () => {
    const out = withoutNulls(JSON.parse('{"data":{"__proto__":{"labels":{"x":"y"}},"k":null}}')) as { data: Record<string, unknown> };
    expect(Object.getPrototypeOf(out.data)).toBe(Object.prototype);
    expect(Object.keys(out.data)).toEqual(['__proto__']);
    expect(JSON.stringify(out)).toBe('{"data":{"__proto__":{"labels":{"x":"y"}}}}');
  });
});
