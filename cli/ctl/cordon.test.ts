import { describe, expect, it } from 'vitest';
import { cordonPatch } from './cordon.js';

describe('cordonPatch', () => {
  it('sets and clears spec.unschedulable, and plans nothing when the node already is so', () => {
    expect(cordonPatch({ spec: {} }, true)).toEqual({ spec: { unschedulable: true } });
    expect(cordonPatch({ spec: { unschedulable: true } }, true)).toBeUndefined();
    expect(cordonPatch({ spec: { unschedulable: true } }, false)).toEqual({ spec: { unschedulable: null } });
    expect(cordonPatch({}, false)).toBeUndefined();
  });
});
