import { describe, expect, it } from 'vitest';
import { parseSpeed } from './speed.js';

describe('parseSpeed', () => {
  it('follows the worked example', () => {
    expect(parseSpeed(undefined)).toBe(1);
    expect(parseSpeed('0.2')).toBe(0.2);
    expect(() => parseSpeed('fast')).toThrow('MINIK_SPEED must be a positive number, got "fast"');
  });

  it('rejects zero, negatives and infinity', () => {
    for (const bad of ['0', '-1', 'Infinity']) expect(() => parseSpeed(bad)).toThrow(RangeError);
    expect(parseSpeed(' ')).toBe(1);
  });
});
