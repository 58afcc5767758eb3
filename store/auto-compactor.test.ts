import { describe, expect, it } from 'vitest';
import { FakeClock } from '../api/clock.js';
import { silentLogger } from '../api/log.js';
import { startAutoCompactor } from './auto-compactor.js';
import { Backend } from './backend.js';
import { Mvcc } from './mvcc.js';

describe('auto-compaction', () => {
  it('keeps the newest `retention` revisions and compacts the rest on each tick', async () => {
    const store = await Mvcc.open({ backend: await Backend.open() });
    const clock = new FakeClock();
    const timer = startAutoCompactor({ store, retention: 5, intervalMs: 1000, clock, logger: silentLogger() });
    for (let i = 0; i < 12; i++) await store.put({ key: Buffer.from('k'), value: Buffer.from(String(i)) });
    expect(store.revision).toBe(13);
    clock.advance(999);
    await new Promise((r) => setTimeout(r, 10));
    expect(store.compactedRevision).toBe(0);
    clock.advance(1);
    await new Promise((r) => setTimeout(r, 10));
    expect(store.compactedRevision).toBe(8);
    await expect(store.range({ key: Buffer.from('k'), revision: 7 })).rejects.toThrow(/compacted/);
    expect((await store.range({ key: Buffer.from('k'), revision: 8 })).kvs[0]?.value.toString()).toBe('6');
    // Nothing new: nothing to do.
    clock.advance(1000);
    await new Promise((r) => setTimeout(r, 10));
    expect(store.compactedRevision).toBe(8);
    timer.cancel();
    await store.close();
  });
});
