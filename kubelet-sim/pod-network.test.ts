import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseClusterCidr } from './pod-network.js';

describe('parseClusterCidr', () => {
  it('cuts the network into one /24 per node (the doc examples)', () => {
    const net = parseClusterCidr('10.244.0.0/16');
    expect(net.maxNodes).toBe(255);
    expect(net.podCidrOf(3)).toBe('10.244.3.0/24');
    expect(parseClusterCidr('10.128.0.0/11').podCidrOf(300)).toBe('10.129.44.0/24');
    expect(parseClusterCidr('10.128.0.0/11').maxNodes).toBe(8191);
  });

  it('gives every node its own /24 inside the network', () => {
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 23 }), fc.nat(), fc.nat(), (prefix, a, b) => {
        const net = parseClusterCidr(`10.0.0.0/${prefix}`);
        const i = (a % net.maxNodes) + 1;
        const j = (b % net.maxNodes) + 1;
        expect(net.podCidrOf(i) === net.podCidrOf(j)).toBe(i === j);
        const second = Number(net.podCidrOf(i).split('.')[1]);
        expect(second).toBeLessThan(2 ** Math.max(0, 16 - prefix));
      }),
    );
  });

  it('refuses what is not a network it can cut, saying why', () => {
    expect(() => parseClusterCidr('10.244.0.0/25')).toThrow('is not an IPv4 network from /8 to /23');
    expect(() => parseClusterCidr('10.244.1.0/16')).toThrow('has host bits set; did you mean 10.244.0.0/16?');
    expect(() => parseClusterCidr('300.0.0.0/16')).toThrow('is not an IPv4 network');
    expect(() => parseClusterCidr('10.244.0.0/16').podCidrOf(256)).toThrow('node 256 is outside 10.244.0.0/16, which holds 255 nodes');
  });
});
