import { describe, expect, it } from 'vitest';
import { eventHeader, eventRow, sortEvents } from './events.js';

const now = Date.parse('2026-11-21T10:01:00Z');
const ev = (reason: string, at: string, extra: Record<string, unknown> = {}) => ({
  metadata: { namespace: 'default', creationTimestamp: at },
  type: 'Normal',
  reason,
  involvedObject: { kind: 'Pod', name: 'web-1' },
  message: ` ${reason} happened \n`,
  firstTimestamp: at,
  lastTimestamp: at,
  count: 1,
  ...extra,
});

describe('eventRow', () => {
  it("prints kubectl events' columns, the object as Kind/name", () => {
    expect(eventHeader(false)).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    expect(eventRow(ev('Scheduled', '2026-11-21T10:00:55Z'), now, false)).toEqual(['5s', 'Normal', 'Scheduled', 'Pod/web-1', 'Scheduled happened']);
    expect(eventRow(ev('Scheduled', '2026-11-21T10:00:55Z'), now, true)[0]).toBe('default');
  });

  it('shows a repeated event as (xN over AGE)', () => {
    const repeated = ev('BackOff', '2026-11-21T10:00:00Z', { count: 4, lastTimestamp: '2026-11-21T10:00:50Z' });
    expect(eventRow(repeated, now, false)[0]).toBe('10s (x4 over 60s)');
    const series = ev('BackOff', '2026-11-21T10:00:00Z', { eventTime: '2026-11-21T10:00:00.000000Z', series: { count: 3, lastObservedTime: '2026-11-21T10:00:58.000000Z' } });
    expect(eventRow(series, now, false)[0]).toBe('2s (x3 over 60s)');
  });
});

describe('sortEvents', () => {
  it('puts the oldest first, by when each was last seen', () => {
    const sorted = sortEvents([ev('c', '2026-11-21T10:00:30Z'), ev('a', '2026-11-21T10:00:00Z', { lastTimestamp: '2026-11-21T10:00:40Z', count: 2 }), ev('b', '2026-11-21T10:00:10Z')]);
    expect(sorted.map((e) => e.reason)).toEqual(['b', 'c', 'a']);
  });
});
