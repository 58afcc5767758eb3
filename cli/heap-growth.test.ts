import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HEAP_GROWTH_PERCENT, heapGrowthPercent } from './heap-growth.js';

describe('MINIK_HEAP_GROWTH_PERCENT', () => {
  it('defaults to half again, which with the young generation is about doubling, as GOGC=100; takes 0 (V8 decides) up to 1000', () => {
    expect(heapGrowthPercent({})).toBe(DEFAULT_HEAP_GROWTH_PERCENT);
    expect(heapGrowthPercent({ MINIK_HEAP_GROWTH_PERCENT: '' })).toBe(50);
    expect(heapGrowthPercent({ MINIK_HEAP_GROWTH_PERCENT: '100' })).toBe(100);
    expect(heapGrowthPercent({ MINIK_HEAP_GROWTH_PERCENT: '0' })).toBe(0);
    expect(heapGrowthPercent({ MINIK_HEAP_GROWTH_PERCENT: '50' })).toBe(50);
    expect(heapGrowthPercent({ MINIK_HEAP_GROWTH_PERCENT: '1000' })).toBe(1000);
  });

  it.each(['-5', '1.5', 'lots', '1001', '10%'])('refuses %s with a message naming the variable', (v) => {
    expect(() => heapGrowthPercent({ MINIK_HEAP_GROWTH_PERCENT: v })).toThrow(/^MINIK_HEAP_GROWTH_PERCENT=.*: expected a whole number/);
  });

  it('a process given a bad value says so in one line and exits non-zero, before it starts anything', () => {
    const bin = fileURLToPath(new URL('../dist/cli/minik.js', import.meta.url));
    const r = spawnSync(process.execPath, [bin, 'store', '--port', '0'], { env: { ...process.env, MINIK_HEAP_GROWTH_PERCENT: 'lots' }, encoding: 'utf8', timeout: 20_000 });
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual(['minik: MINIK_HEAP_GROWTH_PERCENT=lots: expected a whole number of percent from 0 (V8 decides) to 1000']);
  });
});
