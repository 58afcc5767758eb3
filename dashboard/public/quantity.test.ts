import { describe, expect, it } from 'vitest';
import { formatBytes, formatCpu, parseQuantity } from './quantity.js';

describe('parseQuantity', () => {
  it('reads every suffix the API writes', () => {
    expect(parseQuantity('250m')).toBe(0.25);
    expect(parseQuantity('64Mi')).toBe(64 * 2 ** 20);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity('1.5')).toBe(1.5);
    expect(parseQuantity('12e3')).toBe(12000);
    expect(parseQuantity(2)).toBe(2);
  });

  it('reads nonsense as zero rather than breaking a bar', () => {
    expect(parseQuantity('lots')).toBe(0);
    expect(parseQuantity(undefined)).toBe(0);
  });

  it('prints quantities back for people', () => {
    expect(formatBytes(3 * 2 ** 30)).toBe('3Gi');
    expect(formatBytes(768 * 2 ** 20)).toBe('768Mi');
    expect(formatCpu(0.25)).toBe('250m');
    expect(formatCpu(2)).toBe('2');
  });
});
