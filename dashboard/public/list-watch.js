// List, then watch over the API's WebSocket watch; on any break, back off and list again.

/**
 * The wait before attempt `attempt` (0-based) after a failure: 250 ms doubling to at most 8 s,
 * so a restarted API server is found again within seconds and a dead one is not hammered.
 *
 *   backoffDelay(0) = 250, backoffDelay(1) = 500, backoffDelay(5) = 8000, backoffDelay(9) = 8000
 *
 * @param {number} attempt
 * @param {{ baseMs?: number, maxMs?: number }} [opts]
 */
export function backoffDelay(attempt, opts = {}) {
  const base = opts.baseMs ?? 250;
  const max = opts.maxMs ?? 8000;
  return Math.min(max, base * 2 ** Math.max(0, Math.min(attempt, 30)));
}

/**
 * The URL of a watch from `resourceVersion`, over WebSocket: same host as the page,
 * `ws:` for `http:` and `wss:` for `https:`.
 *
 *   watchUrl('http://127.0.0.1:6443', '/api/v1/pods', '42') ->
 *     'ws://127.0.0.1:6443/api/v1/pods?watch=true&resourceVersion=42&allowWatchBookmarks=true'
 *
 * @param {string} origin
 * @param {string} path
 * @param {string} resourceVersion
 * @param {Record<string, string>} [params]
 */
export function watchUrl(origin, path, resourceVersion, params = {}) {
  const u = new URL(path, origin);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  u.searchParams.set('watch', 'true');
  u.searchParams.set('resourceVersion', resourceVersion);
  u.searchParams.set('allowWatchBookmarks', 'true');
  return u.toString();
}

/**
 * @typedef {'connecting' | 'live' | 'reconnecting'} WatchState
 * @typedef {{
 *   origin: string,
 *   path: string,
 *   params?: Record<string, string>,
 *   onReset: (items: any[]) => void,
 *   onEvent: (type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: any) => void,
 *   onState?: (state: WatchState, detail?: string) => void,
 *   fetch?: typeof fetch,
 *   WebSocket?: typeof WebSocket,
 * }} ListWatchOptions
 */

/**
 * Keeps one resource current, as an informer does: list (the items replace what was known), then
 * watch from the list's resourceVersion. When the watch ends for any reason (the API server
 * restarts, history expired: an ERROR with 410), it lists again, after a back-off while the server
 * cannot be reached; `onState` says 'reconnecting' until a list succeeds again.
 */
export class ListWatch {
  /** @param {ListWatchOptions} opts */
  constructor(opts) {
    this.opts = opts;
    this.stopped = false;
    /** @type {WatchState | undefined} */
    this.state = undefined;
    /** @type {WebSocket | undefined} */
    this.socket = undefined;
    /** @type {(() => void) | undefined} */
    this.wake = undefined;
  }

  start() {
    void this.run();
    return this;
  }

  stop() {
    this.stopped = true;
    this.socket?.close();
    this.wake?.();
  }

  /**
   * @param {WatchState} s
   * @param {string} [detail]
   */
  setState(s, detail) {
    if (this.state === s) return;
    this.state = s;
    this.opts.onState?.(s, detail);
  }

  async run() {
    const fetchFn = this.opts.fetch ?? fetch;
    let failures = 0;
    this.setState('connecting');
    while (!this.stopped) {
      let rv;
      try {
        const q = new URLSearchParams(this.opts.params ?? {}).toString();
        const res = await fetchFn(new URL(this.opts.path + (q ? `?${q}` : ''), this.opts.origin).toString());
        if (!res.ok) throw new Error(`list ${this.opts.path}: HTTP ${res.status}`);
        const list = await res.json();
        rv = String(list.metadata?.resourceVersion ?? '0');
        if (this.stopped) return;
        this.opts.onReset(list.items ?? []);
      } catch (err) {
        this.setState('reconnecting', String(/** @type {Error} */ (err)?.message ?? err));
        await this.sleep(backoffDelay(failures++));
        continue;
      }
      const opened = await this.watch(rv);
      if (this.stopped) return;
      if (opened) failures = 0;
      this.setState('reconnecting', 'the watch ended');
      await this.sleep(backoffDelay(failures++));
    }
  }

  /**
   * One watch, until it ends. Resolves whether it opened at all.
   * @param {string} rv
   * @returns {Promise<boolean>}
   */
  watch(rv) {
    const WS = this.opts.WebSocket ?? WebSocket;
    return new Promise((resolve) => {
      let opened = false;
      const ws = new WS(watchUrl(this.opts.origin, this.opts.path, rv, this.opts.params));
      this.socket = ws;
      ws.onopen = () => {
        opened = true;
        this.setState('live');
      };
      ws.onmessage = (msg) => {
        let ev;
        try {
          ev = JSON.parse(String(msg.data));
        } catch {
          return;
        }
        // ERROR (410 Expired and anything else): give up this watch and list again.
        if (ev.type === 'ERROR') return ws.close();
        if (ev.type === 'BOOKMARK') return;
        if (ev.type === 'ADDED' || ev.type === 'MODIFIED' || ev.type === 'DELETED') this.opts.onEvent(ev.type, ev.object);
      };
      ws.onclose = () => {
        this.socket = undefined;
        resolve(opened);
      };
      ws.onerror = () => ws.close();
    });
  }

  /** @param {number} ms */
  sleep(ms) {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve(undefined);
      };
    });
  }
}
