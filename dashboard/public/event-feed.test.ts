import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { eventLine, eventTime, feed } from './event-feed.js';

const ev = (reason: string, lastTimestamp: string, rv: number) => ({ reason, lastTimestamp, metadata: { resourceVersion: String(rv) } });

describe('feed', () => {
  it('puts the newest first, and a repeat within the same second above the older one', () => {
    const scheduled = ev('Scheduled', '2026-11-21T10:00:01Z', 5);
    const pulled = ev('Pulled', '2026-11-21T10:00:01Z', 7);
    const created = ev('SuccessfulCreate', '2026-11-21T10:00:00Z', 9);
    expect(feed([scheduled, created, pulled], 10).map((e) => e.reason)).toEqual(['Pulled', 'Scheduled', 'SuccessfulCreate']);
    expect(feed([scheduled, created, pulled], 1).map((e) => e.reason)).toEqual(['Pulled']);
  });

  test.prop([fc.array(fc.record({ t: fc.integer({ min: 0, max: 1e6 }), rv: fc.nat() }), { maxLength: 60 }), fc.nat({ max: 80 })])(
    'is the newest `limit` events, newest first',
    (raw, limit) => {
      const events = raw.map((r, i) => ({ reason: String(i), lastTimestamp: new Date(r.t * 1000).toISOString(), metadata: { resourceVersion: String(r.rv) } }));
      const out = feed(events, limit);
      expect(out.length).toBe(Math.min(limit, events.length));
      for (let i = 1; i < out.length; i++) expect(eventTime(out[i - 1])).toBeGreaterThanOrEqual(eventTime(out[i]));
      const cutoff = out.length > 0 ? eventTime(out[out.length - 1]) : Infinity;
      const left = events.filter((e) => !out.includes(e));
      if (out.length === limit) for (const e of left) expect(eventTime(e)).toBeLessThanOrEqual(cutoff);
    },
  );

  test.prop([fc.array(fc.record({ t: fc.integer({ min: 0, max: 20 }), rv: fc.integer({ min: 0, max: 5 }) }), { maxLength: 80 }), fc.nat({ max: 30 })])(
    'picks exactly what sorting them all would, ties kept in the order they came',
    (raw, limit) => {
      const events = raw.map((r, i) => ({ reason: String(i), lastTimestamp: new Date(r.t * 1000).toISOString(), metadata: { resourceVersion: String(r.rv) } }));
      const sorted = [...events].sort((a, b) => eventTime(b) - eventTime(a) || Number(b.metadata.resourceVersion) - Number(a.metadata.resourceVersion));
      expect(feed(events, limit)).toEqual(sorted.slice(0, limit));
    },
  );
});

describe('eventLine', () => {
  it('names the object and counts repeats', () => {
    const line = eventLine({
      type: 'Warning',
      reason: 'BackOff',
      count: 3,
      involvedObject: { kind: 'Pod', name: 'web-1' },
      message: 'Back-off restarting failed container web',
    });
    expect(line).toEqual({ warning: true, reason: 'BackOff', object: 'pod/web-1', message: 'Back-off restarting failed container web', count: '(x3)' });
  });

  it('falls back to eventTime and the creation time', () => {
    expect(eventTime({ eventTime: '2026-11-21T10:00:00.500000Z' })).toBe(Date.parse('2026-11-21T10:00:00.500Z'));
    expect(eventTime({ metadata: { creationTimestamp: '2026-11-21T10:00:00Z' } })).toBe(Date.parse('2026-11-21T10:00:00Z'));
  });
});
