import { describe, expect, it } from 'vitest';
import { crashSeconds } from './pod-crash.js';

describe('crashSeconds', () => {
  it('is 0 by default (crash as soon as Ready) and takes whole or fractional seconds', () => {
    expect(crashSeconds(undefined)).toBe('0');
    expect(crashSeconds('30')).toBe('30');
    expect(crashSeconds('2.5')).toBe('2.5');
  });

  it('refuses what the simulator would ignore', () => {
    expect(() => crashSeconds('-1')).toThrow('invalid --after "-1"');
    expect(() => crashSeconds('soon')).toThrow('invalid --after "soon"');
    expect(() => crashSeconds('')).toThrow('invalid --after ""');
  });
});
