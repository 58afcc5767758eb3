import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pool } from './pool.js';

describe('pool', () => {
  it('runs every task once, never more than the limit at a time', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(40), fc.integer({ min: 1, max: 8 }), async (n, limit) => {
        const ran: number[] = [];
        let inFlight = 0;
        let most = 0;
        await pool(n, limit, async (i) => {
          most = Math.max(most, ++inFlight);
          await new Promise((r) => setTimeout(r, i % 3));
          ran.push(i);
          inFlight--;
        });
        expect(ran.sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(most).toBeLessThanOrEqual(limit);
      }),
      { numRuns: 30 },
    );
  });

  it('rejects with the first failure, and starts nothing after it', async () => {
    const started: number[] = [];
    const failure = await pool(10, 2, async (i) => {
      started.push(i);
      if (i === 3) throw new Error('task 3 failed');
      await new Promise((r) => setTimeout(r, 1));
    }).catch((e: Error) => e.message);
    expect(failure).toBe('task 3 failed');
    expect(Math.max(...started)).toBeLessThanOrEqual(4);
  });
});
