import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { crashBackoffMs, goDuration, MAX_BACKOFF_MS } from './backoff.js';
import { stageDelayMs } from './engine.js';
import { parseStage } from './stage.js';

const restartStage = parseStage({
  name: 'restart',
  resource: 'pod',
  selector: {},
  delay: { durationMs: 0, backoffFrom: '.status.containerStatuses[0].restartCount' },
  next: { event: { type: 'Normal', reason: 'Started', message: 'm' } },
});
const podWith = (restartCount: number) => ({ kind: 'Pod', status: { containerStatuses: [{ restartCount }] } });

describe('crash back-off', () => {
  it('follows the worked example', () => {
    expect([crashBackoffMs(1), crashBackoffMs(3), crashBackoffMs(99), goDuration(160_000)]).toEqual([10_000, 40_000, 300_000, '2m40s']);
  });

  it('reads as the kubelet prints it, 10s to 5m0s', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => goDuration(crashBackoffMs(n)))).toEqual(['10s', '20s', '40s', '1m20s', '2m40s', '5m0s', '5m0s']);
  });

  test.prop([fc.integer({ min: 1, max: 1000 })])('doubles from 10 s with each restart, capped at 300 s', (n) => {
    expect(crashBackoffMs(n + 1)).toBe(Math.min(2 * crashBackoffMs(n), MAX_BACKOFF_MS));
    expect(crashBackoffMs(n)).toBeGreaterThanOrEqual(10_000);
    expect(crashBackoffMs(n)).toBeLessThanOrEqual(MAX_BACKOFF_MS);
  });

  test.prop([fc.oneof(fc.integer({ min: -5, max: 1000 }), fc.double()), fc.double({ min: 0.01, max: 1000, noNaN: true })])(
    'as a stage delay: the back-off divided by the speed, never negative',
    (restarts, speed) => {
      const ms = stageDelayMs(restartStage, speed, () => 0, podWith(restarts));
      expect(ms).toBeGreaterThan(0);
      expect(ms * speed).toBeCloseTo(crashBackoffMs(Number.isFinite(restarts) && restarts > 0 ? restarts : 0), 6);
    },
  );
});
