import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { cidrRange, inRange, intToIpv4, ipv4ToInt, pickFree, portRange, type IntRange } from './service-ranges.js';

describe('service ranges', () => {
  it('matches the doc example', () => {
    const ports = portRange('30000-30002');
    expect(ports).toEqual({ first: 30000, last: 30002, reserved: 0, text: '30000-30002' });
    expect(pickFree(ports, new Set([30000, 30002]), Math.random)).toBe(30001);
    expect(cidrRange('10.96.0.0/12').first).toBe(ipv4ToInt('10.96.0.1'));
  });

  it('hands out neither the network nor the broadcast address, and keeps Kubernetes’ low bands', () => {
    const ips = cidrRange('10.96.0.0/12', true);
    expect([intToIpv4(ips.first), intToIpv4(ips.last), ips.reserved, ips.text]).toEqual(['10.96.0.1', '10.111.255.254', 256, '10.96.0.0/12']);
    // A CIDR written with host bits names its network.
    expect(cidrRange('172.18.3.4/16').text).toBe('172.18.0.0/16');
    expect(portRange('30000-32767').reserved).toBe(86);
  });

  it('refuses ranges it cannot use', () => {
    expect(() => cidrRange('10.96.0.0')).toThrow(/invalid IPv4 CIDR/);
    expect(() => cidrRange('10.96.0.0/31')).toThrow(/at most 30/);
    expect(() => cidrRange('300.0.0.0/8')).toThrow();
    expect(() => portRange('32767-30000')).toThrow(/invalid port range/);
  });

  it('parses only dotted-quad IPv4', () => {
    expect(ipv4ToInt('255.255.255.255')).toBe(2 ** 32 - 1);
    for (const bad of ['256.0.0.1', '1.2.3', '::1', 'a.b.c.d', '1.2.3.4 ']) expect(ipv4ToInt(bad)).toBeUndefined();
  });

  it('picks from the reserved low band only once the rest is full', () => {
    const r: IntRange = { first: 1, last: 10, reserved: 3, text: '1-10' };
    const above = new Set([4, 5, 6, 7, 8, 9, 10]);
    expect(pickFree(r, new Set(), () => 0)).toBe(4);
    expect([1, 2, 3]).toContain(pickFree(r, above, Math.random));
  });

  const range = fc
    .tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }))
    .map(([first, size, reserved]): IntRange => ({ first, last: first + size, reserved: Math.min(reserved, size + 1), text: '' }));

  test.prop([range, fc.array(fc.integer({ min: 0, max: 1500 })), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })])(
    'never returns a taken value, always one in range, and undefined only when the range is full',
    (r, takenList, x) => {
      const taken = new Set(takenList);
      const got = pickFree(r, taken, () => x);
      const free = Array.from({ length: r.last - r.first + 1 }, (_, i) => r.first + i).filter((v) => !taken.has(v));
      if (got === undefined) expect(free).toEqual([]);
      else {
        expect(inRange(r, got)).toBe(true);
        expect(taken.has(got)).toBe(false);
      }
    },
  );

  test.prop([range, fc.nat(), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })])('finds the last free value when only one remains', (r, k, x) => {
    const last = r.first + (k % (r.last - r.first + 1));
    const taken = new Set(Array.from({ length: r.last - r.first + 1 }, (_, i) => r.first + i).filter((v) => v !== last));
    expect(pickFree(r, taken, () => x)).toBe(last);
  });
});
