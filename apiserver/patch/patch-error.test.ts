import { describe, expect, it } from 'vitest';
import { PatchError } from './patch-error.js';

describe('PatchError', () => {
  it('says whether the patch itself is at fault (the doc example)', () => {
    const missing = new PatchError('doc is missing path: /spec/x');
    expect(missing).toBeInstanceOf(Error);
    expect(missing.name).toBe('PatchError');
    expect(missing.malformed).toBe(false);
    expect(new PatchError('unknown op "frob"', { malformed: true }).malformed).toBe(true);
  });
});
