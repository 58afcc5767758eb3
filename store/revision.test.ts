import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { compareRevisions, decodeRevision, encodeRevision, isTombstone } from './revision.js';

const revision = fc.record({
  main: fc.maxSafeNat(),
  sub: fc.nat({ max: 1_000_000 }),
});

describe('revision encoding', () => {
  it('lays out the doc example', () => {
    expect(encodeRevision({ main: 5, sub: 1 }).toString('hex')).toBe('0000000000000005' + '5f' + '0000000000000001');
    expect(encodeRevision({ main: 5, sub: 1 }, true).toString('hex')).toMatch(/74$/);
  });

  test.prop([revision, fc.boolean()])('round-trips and keeps the tombstone mark', (rev, tomb) => {
    const b = encodeRevision(rev, tomb);
    expect(decodeRevision(b)).toEqual(rev);
    expect(isTombstone(b)).toBe(tomb);
  });

  test.prop([revision, revision])('byte order is revision order', (a, b) => {
    const bytes = Math.sign(Buffer.compare(encodeRevision(a), encodeRevision(b)));
    expect(bytes).toBe(Math.sign(compareRevisions(a, b)));
  });
});
