import { fc, test } from '@fast-check/vitest';
import { describe, expect, it, vi } from 'vitest';
import { backoffDelay, ListWatch, watchUrl } from './list-watch.js';

/** A WebSocket the test drives: opens, delivers messages, closes when told. */
class FakeSocket {
  static all: FakeSocket[] = [];
  onopen?: () => void;
  onmessage?: (m: { data: string }) => void;
  onclose?: () => void;
  onerror?: () => void;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  open() {
    this.onopen?.();
  }
  deliver(ev: object) {
    this.onmessage?.({ data: JSON.stringify(ev) });
  }
  close() {
    this.onclose?.();
  }
}

const list = (rv: string, names: string[]) =>
  new Response(JSON.stringify({ metadata: { resourceVersion: rv }, items: names.map((name) => ({ metadata: { name } })) }));

describe('backoffDelay', () => {
  it('doubles from 250 ms to at most 8 s', () => {
    expect([0, 1, 2, 5, 9].map((a) => backoffDelay(a))).toEqual([250, 500, 1000, 8000, 8000]);
  });

  test.prop([fc.nat({ max: 1000 })])('never shrinks and never passes its cap', (a) => {
    expect(backoffDelay(a + 1)).toBeGreaterThanOrEqual(backoffDelay(a));
    expect(backoffDelay(a)).toBeLessThanOrEqual(8000);
  });
});

describe('watchUrl', () => {
  it('watches over ws: from the list resourceVersion', () => {
    expect(watchUrl('http://127.0.0.1:6443', '/api/v1/pods', '42')).toBe(
      'ws://127.0.0.1:6443/api/v1/pods?watch=true&resourceVersion=42&allowWatchBookmarks=true',
    );
    expect(watchUrl('https://x', '/api/v1/pods', '1', { fieldSelector: 'metadata.name=a' })).toMatch(/^wss:\/\/x\/api\/v1\/pods\?fieldSelector=/);
  });
});

describe('ListWatch', () => {
  it('lists, watches from the list, and lists again when the watch breaks, saying "reconnecting" meanwhile', async () => {
    vi.useFakeTimers();
    try {
      FakeSocket.all = [];
      const lists = [list('10', ['a', 'b']), list('20', ['b'])];
      const fetchFn = vi.fn(async () => lists.shift() ?? new Response('{}', { status: 503 }));
      const resets: string[][] = [];
      const events: string[] = [];
      const states: string[] = [];
      const lw = new ListWatch({
        origin: 'http://127.0.0.1:6443',
        path: '/api/v1/pods',
        fetch: fetchFn as unknown as typeof fetch,
        WebSocket: FakeSocket as unknown as typeof WebSocket,
        onReset: (items) => resets.push(items.map((i) => i.metadata.name)),
        onEvent: (type, obj) => events.push(`${type} ${obj.metadata.name}`),
        onState: (s) => states.push(s),
      }).start();

      await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(1));
      expect(FakeSocket.all[0]!.url).toContain('resourceVersion=10');
      FakeSocket.all[0]!.open();
      FakeSocket.all[0]!.deliver({ type: 'ADDED', object: { metadata: { name: 'c' } } });
      FakeSocket.all[0]!.deliver({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '15' } } });
      // The API server goes away.
      FakeSocket.all[0]!.close();
      await vi.waitFor(() => expect(states.at(-1)).toBe('reconnecting'));
      await vi.advanceTimersByTimeAsync(backoffDelay(0));
      await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(2));
      expect(FakeSocket.all[1]!.url).toContain('resourceVersion=20');
      FakeSocket.all[1]!.open();
      // History expired: an ERROR ends the watch and the next round lists again.
      FakeSocket.all[1]!.deliver({ type: 'ERROR', object: { kind: 'Status', code: 410 } });
      await vi.advanceTimersByTimeAsync(backoffDelay(0));
      expect(fetchFn).toHaveBeenCalledTimes(3);
      lw.stop();

      expect(resets).toEqual([['a', 'b'], ['b']]);
      expect(events).toEqual(['ADDED c']);
      expect(states.slice(0, 3)).toEqual(['connecting', 'live', 'reconnecting']);
    } finally {
      vi.useRealTimers();
    }
  });
});
