import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EndpointAddress } from './repack.js';
import { truncateSubsets } from './truncate.js';

const addrs = (n: number, prefix: string): EndpointAddress[] => Array.from({ length: n }, (_, i) => ({ ip: `${prefix}.${i}` }));
const port = [{ port: 80 }];

describe('truncateSubsets (the doc example)', () => {
  it('cuts ready addresses in proportion when they alone are too many, dropping every not-ready one', () => {
    const out = truncateSubsets([
      { addresses: addrs(600, '10.0.1'), notReadyAddresses: addrs(3, '10.0.9'), ports: port },
      { addresses: addrs(600, '10.0.2'), ports: port },
    ]);
    expect(out?.map((s) => [s.addresses?.length, s.notReadyAddresses?.length])).toEqual([[500, undefined], [500, undefined]]);
  });

  it('cuts only not-ready addresses when the ready ones fit', () => {
    const out = truncateSubsets([{ addresses: addrs(800, '10.0.1'), notReadyAddresses: addrs(400, '10.0.2'), ports: port }]);
    expect(out?.[0]?.addresses).toHaveLength(800);
    expect(out?.[0]?.notReadyAddresses).toHaveLength(200);
  });

  it('leaves subsets within capacity alone', () => {
    expect(truncateSubsets([{ addresses: addrs(10, '10.0.1') }], 10)).toBeUndefined();
  });

  it('never keeps more than the capacity, and keeps every ready address that fits', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(30), fc.nat(30)), { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 60 }), (sizes, max) => {
        const subsets = sizes.map(([r, n], i) => ({ addresses: addrs(r, `10.${i}.0`), notReadyAddresses: addrs(n, `10.${i}.1`) }));
        const out = truncateSubsets(subsets, max) ?? subsets;
        const count = (f: 'addresses' | 'notReadyAddresses') => out.reduce((x, s) => x + (s[f]?.length ?? 0), 0);
        const ready = sizes.reduce((x, [r]) => x + r, 0);
        const total = ready + sizes.reduce((x, [, n]) => x + n, 0);
        expect(count('addresses') + count('notReadyAddresses')).toBe(Math.min(total, max));
        expect(count('addresses')).toBe(Math.min(ready, max));
      }),
    );
  });
});
