import { describe, expect, it } from 'vitest';
import { slowStartBatch } from './slow-start.js';

/** Records the size of each batch: the calls started before any of them settles. */
function recorder(failFrom = Infinity) {
  const batches: number[] = [];
  let calls = 0;
  let inBatch = 0;
  const fn = async () => {
    const n = ++calls;
    if (inBatch++ === 0) queueMicrotask(() => (batches.push(inBatch), (inBatch = 0)));
    if (n >= failFrom) throw new Error(`call ${n} refused`);
  };
  return { fn, batches, calls: () => calls };
}

describe('slowStartBatch', () => {
  it('runs batches of 1, 2, 4 and the rest (the doc example)', async () => {
    const r = recorder();
    expect(await slowStartBatch(10, r.fn)).toEqual({ successes: 10 });
    expect(r.batches).toEqual([1, 2, 4, 3]);
  });

  it('stops after the first batch with a failure and reports the first error', async () => {
    const r = recorder(4);
    const out = await slowStartBatch(10, r.fn);
    expect(out.successes).toBe(3);
    expect((out.error as Error).message).toBe('call 4 refused');
    expect(r.batches).toEqual([1, 2, 4]);
    expect(r.calls()).toBe(7);
  });

  it('sends one request when the very first fails, and none for a count of 0', async () => {
    const r = recorder(1);
    expect((await slowStartBatch(500, r.fn)).successes).toBe(0);
    expect(r.calls()).toBe(1);
    expect(await slowStartBatch(0, r.fn)).toEqual({ successes: 0 });
  });
});
