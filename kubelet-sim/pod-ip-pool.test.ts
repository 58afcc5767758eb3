import { describe, expect, it } from 'vitest';
import { PodIpPool } from './pod-ip-pool.js';

describe('PodIpPool', () => {
  it('follows the worked example', () => {
    const pool = new PodIpPool('10.244.1.0/24');
    expect(pool.allocate('uid-a')).toBe('10.244.1.2');
    pool.claim('uid-b', '10.244.1.3');
    expect(pool.allocate('uid-c')).toBe('10.244.1.4');
    pool.release('uid-a');
    expect(pool.allocate('uid-d')).toBe('10.244.1.2');
  });

  it('answers the same address for the same pod, and ignores addresses outside its CIDR', () => {
    const pool = new PodIpPool('10.244.2.0/24');
    expect(pool.allocate('u')).toBe(pool.allocate('u'));
    pool.claim('x', '10.244.9.5');
    expect(pool.size()).toBe(1);
  });

  it('says when it is full, and refuses a CIDR it cannot use', () => {
    const pool = new PodIpPool('10.244.3.0/24');
    for (let i = 0; i < 253; i++) pool.allocate(`u${i}`);
    expect(() => pool.allocate('one-more')).toThrow('every address of 10.244.3.0/24 is taken');
    expect(() => new PodIpPool('10.244.0.0/16')).toThrow('from a /24');
  });
});
