import { describe, expect, it } from 'vitest';
import { withoutNulls } from './without-nulls.js';

describe('withoutNulls', () => {
  it('leaves out the nulls and undefineds of objects, keeps those of arrays, with the example of its doc comment', () => {
    const body = { metadata: { labels: null, name: 'web', uid: undefined }, args: [null] };
    expect(withoutNulls(body)).toStrictEqual({ metadata: { name: 'web' }, args: [null] });
    expect(body.metadata).toHaveProperty('labels', null);
  });
});
