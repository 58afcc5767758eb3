import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteBudget, parseLogQuery, renderLines, selectLines } from './log-query.js';

const T0 = Date.parse('2026-11-21T10:00:00Z');
const lines = [0, 10, 20, 30].map((s) => ({ time: T0 + s * 1000, text: `line at ${s}s` }));
const q = (s: string, now = T0 + 30_000) => parseLogQuery(new URLSearchParams(s), now);

describe('parseLogQuery', () => {
  it('reads the kubelet query, sinceSeconds counted back from now', () => {
    expect(q('follow=true&timestamps=1&previous=false&tailLines=2&limitBytes=100&sinceSeconds=15')).toEqual({
      follow: true, previous: false, timestamps: true, tailLines: 2, limitBytes: 100, since: T0 + 15_000,
    });
    expect(q('sinceTime=2026-11-21T10:00:05Z')).toMatchObject({ since: T0 + 5000 });
    expect(q('')).toEqual({ follow: false, previous: false, timestamps: false });
  });

  it.each([
    ['tailLines=-1', 'tailLines: Invalid value: -1: must be greater than or equal to 0'],
    ['limitBytes=0', 'limitBytes: Invalid value: 0: must be greater than or equal to 1'],
    ['sinceSeconds=0', 'sinceSeconds: Invalid value: 0: must be greater than or equal to 1'],
    ['tailLines=two', 'tailLines: Invalid value: "two": must be a whole number'],
    ['follow=yes', 'follow: Invalid value: "yes": must be true or false'],
    ['sinceSeconds=5&sinceTime=2026-11-21T10:00:05Z', 'sinceSeconds: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified'],
    ['sinceTime=yesterday', 'sinceTime: Invalid value: "yesterday": must be an RFC 3339 time'],
  ])('refuses %s', (query, message) => {
    expect(q(query)).toBe(message);
  });
});

describe('selectLines', () => {
  it('keeps the last tailLines lines, then of those the ones since a time', () => {
    expect(selectLines(lines, { tailLines: 2 }).map((l) => l.text)).toEqual(['line at 20s', 'line at 30s']);
    expect(selectLines(lines, { tailLines: 0 })).toEqual([]);
    expect(selectLines(lines, { tailLines: 10 })).toEqual(lines);
    expect(selectLines(lines, { since: T0 + 15_000 }).map((l) => l.text)).toEqual(['line at 20s', 'line at 30s']);
    expect(selectLines(lines, { since: T0 + 10_000 }).map((l) => l.text)).toEqual(['line at 10s', 'line at 20s', 'line at 30s']);
    // tail first: the last 3 are 10s..30s, and since 25s leaves one of them.
    expect(selectLines(lines, { tailLines: 3, since: T0 + 25_000 }).map((l) => l.text)).toEqual(['line at 30s']);
  });

  it('never gives more than tailLines, nothing older than since, and keeps the order', () => {
    fc.assert(
      fc.property(fc.option(fc.nat(6)), fc.option(fc.integer({ min: -5, max: 40 })), (tail, sinceS) => {
        const sel = { ...(tail !== null ? { tailLines: tail } : {}), ...(sinceS !== null ? { since: T0 + sinceS * 1000 } : {}) };
        const out = selectLines(lines, sel);
        if (tail !== null) expect(out.length).toBeLessThanOrEqual(tail);
        if (sinceS !== null) for (const l of out) expect(l.time).toBeGreaterThanOrEqual(T0 + sinceS * 1000);
        const idx = out.map((l) => lines.indexOf(l));
        expect(idx).toEqual([...idx].sort((a, b) => a - b));
        // What is kept is a suffix of the log: nothing newer is ever dropped in favour of something older.
        if (idx.length > 0) expect(idx.at(-1)).toBe(lines.length - 1);
      }),
    );
  });
});

describe('renderLines and ByteBudget', () => {
  it('prefixes RFC 3339 times with nanoseconds when asked', () => {
    expect(renderLines(lines.slice(0, 1), true)).toBe('2026-11-21T10:00:00.000000000Z line at 0s\n');
    expect(renderLines(lines.slice(0, 2), false)).toBe('line at 0s\nline at 10s\n');
  });

  it('cuts at limitBytes across writes, mid-line if it must', () => {
    const cap = new ByteBudget(15);
    expect(cap.take('line at 0s\n').toString()).toBe('line at 0s\n');
    expect(cap.spent).toBe(false);
    expect(cap.take('line at 10s\n').toString()).toBe('line');
    expect(cap.spent).toBe(true);
    expect(cap.take('more\n').length).toBe(0);
    expect(new ByteBudget(undefined).take('x'.repeat(10_000)).length).toBe(10_000);
  });

  it('counts bytes, not characters', () => {
    expect(new ByteBudget(3).take('héllo').toString('utf8')).toBe('hé');
  });
});
