import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { age } from './age.js';
import { humanDuration } from './human-duration.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const Y = 365 * D;

/** The least duration a rendering can stand for: "2m30s" is at least 150 s. */
function lowerBound(text: string): number {
  const unit: Record<string, number> = { s: S, m: M, h: H, d: D, y: Y };
  const parts = [...text.matchAll(/(\d+)([smhdy])/g)];
  expect(parts.map((p) => p[0]).join('')).toBe(text);
  return parts.reduce((sum, [, n, u]) => sum + Number(n) * (unit[u as string] as number), 0);
}

describe('humanDuration', () => {
  it('renders the doc examples', () => {
    expect(humanDuration(90_000)).toBe('90s');
    expect(humanDuration(150_000)).toBe('2m30s');
    expect(humanDuration(3 * 3_600_000)).toBe('3h');
    expect(humanDuration(49 * 3_600_000)).toBe('2d1h');
    expect(humanDuration(-1_500)).toBe('0s');
  });

  it.each([
    [0, '0s'],
    [999, '0s'],
    [1 * S, '1s'],
    [70 * S, '70s'],
    [119 * S + 999, '119s'],
    [2 * M, '2m'],
    [190 * S, '3m10s'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M, '10m'],
    [70 * M, '70m'],
    [3 * H - 1, '179m'],
    [3 * H + 30 * M, '3h30m'],
    [7 * H + 59 * M, '7h59m'],
    [8 * H, '8h'],
    [47 * H, '47h'],
    [48 * H, '2d'],
    [49 * H, '2d1h'],
    [7 * D + 23 * H, '7d23h'],
    [8 * D + 2 * H, '8d'],
    [367 * D, '367d'],
    [2 * Y - 1, '729d'],
    [2 * Y, '2y'],
    [2 * Y + 10 * D, '2y10d'],
    [8 * Y - 1, '7y364d'],
    [8 * Y + 10 * D, '8y'],
    [-1 * S, '0s'],
    [-1999, '0s'],
    [-2 * S, '<invalid>'],
  ])('%i ms is %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });

  test.prop([fc.nat({ max: 10 * Y }), fc.nat({ max: 10 * Y })])('never goes down as age grows', (a, b) => {
    const [young, old] = a <= b ? [a, b] : [b, a];
    expect(lowerBound(humanDuration(young))).toBeLessThanOrEqual(lowerBound(humanDuration(old)));
  });

  test.prop([fc.nat({ max: 10 * Y })])('never claims more time than has passed', (ms) => {
    expect(lowerBound(humanDuration(ms))).toBeLessThanOrEqual(ms);
  });

  test.prop([fc.nat({ max: 2 * Y - 1 })])('fits in six characters below two years', (ms) => {
    expect(humanDuration(ms).length).toBeLessThanOrEqual(6);
  });
});

describe('age', () => {
  it('renders the doc examples', () => {
    expect(age('2024-05-01T12:00:00Z', Date.parse('2024-05-01T12:02:30Z'))).toBe('2m30s');
    expect(age(undefined, 0)).toBe('<unknown>');
  });

  it('is "<unknown>" for an empty or unreadable timestamp', () => {
    expect(age('', 0)).toBe('<unknown>');
    expect(age('yesterday', 0)).toBe('<unknown>');
  });

  it('reads microsecond timestamps, as events carry them', () => {
    expect(age('2024-05-01T12:00:00.123456Z', Date.parse('2024-05-01T12:00:05Z'))).toBe('4s');
  });
});
