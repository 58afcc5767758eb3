import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { secondsTimestamp } from './timestamp.js';

describe('secondsTimestamp', () => {
  it('gives the example of its doc comment', () => {
    expect(secondsTimestamp(Date.UTC(2026, 10, 21, 10, 0, 0, 999))).toBe('2026-11-21T10:00:00Z');
  });

  test.prop([fc.array(fc.integer({ min: -1e12, max: 4e12 }), { minLength: 1, maxLength: 20 })])(
    'is the ISO time with its milliseconds cut, whatever times came before',
    (times) => {
      for (const ms of times) expect(secondsTimestamp(ms)).toBe(new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    },
  );
});
