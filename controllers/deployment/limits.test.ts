import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { maxSurge, maxUnavailable, resolveFenceposts, scaledValue } from './limits.js';

describe('scaledValue', () => {
  it('rounds percentages up or down and takes numbers as they are', () => {
    expect(scaledValue('25%', 10, true)).toBe(3);
    expect(scaledValue('25%', 10, false)).toBe(2);
    expect(scaledValue(4, 10, false)).toBe(4);
    expect(scaledValue('0%', 10, true)).toBe(0);
    expect(() => scaledValue('x', 10, true)).toThrow(/not a number or a percentage/);
  });
});

describe('resolveFenceposts', () => {
  it('matches the doc comment', () => {
    expect(resolveFenceposts('25%', '25%', 10)).toEqual({ surge: 3, unavailable: 2 });
    expect(resolveFenceposts('25%', '25%', 1)).toEqual({ surge: 1, unavailable: 0 });
    expect(resolveFenceposts(0, '10%', 5)).toEqual({ surge: 0, unavailable: 1 });
    expect(resolveFenceposts('25%', '25%', 0)).toEqual({ surge: 0, unavailable: 1 });
  });

  test.prop([fc.nat(100), fc.nat(100), fc.nat(200)])('never leaves both at zero, so a rollout can always move', (s, u, desired) => {
    const { surge, unavailable } = resolveFenceposts(`${s}%`, `${u}%`, desired);
    expect(surge + unavailable).toBeGreaterThan(0);
    expect(surge).toBe(Math.ceil((s * desired) / 100));
  });
});

describe('maxSurge and maxUnavailable of a Deployment', () => {
  const d = (spec: object) => ({ spec: { selector: {}, template: {}, ...spec } });
  it('use 25% when unset, cap unavailable at replicas, and are 0 for Recreate', () => {
    expect(maxSurge(d({ replicas: 10 }))).toBe(3);
    expect(maxUnavailable(d({ replicas: 10 }))).toBe(2);
    expect(maxUnavailable(d({ replicas: 3, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 5, maxSurge: 0 } } }))).toBe(3);
    expect(maxUnavailable(d({ replicas: 0 }))).toBe(0);
    expect(maxSurge(d({ replicas: 10, strategy: { type: 'Recreate' } }))).toBe(0);
    expect(maxUnavailable(d({ replicas: 10, strategy: { type: 'Recreate' } }))).toBe(0);
  });
});
