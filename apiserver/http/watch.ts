import type { ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import { apiVersionOf, type ResourceType } from '../../api/resources.js';
import { ApiError } from '../errors.js';
import type { ListOptions, Registry } from '../registry.js';
import { toTable } from '../table/table.js';
import type { CachedObject } from '../watch-cache.js';

export interface WatchRequest {
  resource: ResourceType;
  namespace: string | undefined;
  list: ListOptions;
  timeoutSeconds?: number;
  bookmarks: boolean;
  table: boolean;
}

/** Where watch events go: a chunked HTTP response (one JSON document a line) or a WebSocket. */
interface Channel {
  send(line: string): void;
  end(): void;
  onClose(fn: () => void): void;
  /** Bytes waiting to be sent: a reader that falls too far behind is dropped. */
  backlog(): number;
}

const MAX_BACKLOG = 32 * 1024 * 1024;

export interface WatchServer {
  http(res: ServerResponse, w: WatchRequest): Promise<void>;
  ws(socket: WebSocket, w: WatchRequest): Promise<void>;
  /** Ends every open watch (graceful shutdown). */
  closeAll(): void;
  readonly count: number;
}

/**
 * Serves watches. Events are written as `{"type": ..., "object": ...}`, one per line or message; a
 * Table watch sends one-row Tables. Expired history is answered the way kube-apiserver does: 200,
 * then an ERROR event carrying a 410 Status, then the end of the stream, so the client relists.
 */
export function createWatchServer(opts: { registry: Registry; now: () => number; cacheRevision: () => number; bookmarkIntervalMs: number }): WatchServer {
  const open = new Set<() => void>();

  /**
   * Bad options (a selector that does not parse, a resourceVersion the cache will not reach) are
   * refused before the stream starts, through `refuse`; only expired history streams an ERROR.
   */
  async function serve(ch: Channel, w: WatchRequest, refuse: (err: ApiError) => boolean): Promise<void> {
    let stopWatch: (() => void) | undefined;
    let ended = false;
    const timers: Array<ReturnType<typeof setTimeout>> = [];
    const finish = () => {
      if (ended) return;
      ended = true;
      stopWatch?.();
      // clearTimeout clears intervals too.
      for (const t of timers) clearTimeout(t);
      open.delete(finish);
      ch.end();
    };
    open.add(finish);
    ch.onClose(finish);

    const write = (type: string, object: string) => {
      if (ended) return;
      ch.send(`{"type":"${type}","object":${object}}\n`);
      if (ch.backlog() > MAX_BACKLOG) finish();
    };
    const render = (o: CachedObject) =>
      w.table
        ? JSON.stringify(
            toTable(w.resource, [o.object], { now: opts.now(), resourceVersion: String(o.rev), includeObject: 'Object' }),
          )
        : o.json;

    try {
      stopWatch = await opts.registry.watch(w.resource, w.namespace, w.list, {
        event: (type, o) => write(type, render(o)),
        close: (reason) => {
          write('ERROR', JSON.stringify(ApiError.gone(reason).status()));
          finish();
        },
      });
    } catch (err) {
      const e = err instanceof ApiError ? err : ApiError.internal((err as Error).message);
      if (e.code !== 410 && refuse(e)) {
        ended = true;
        open.delete(finish);
        return;
      }
      write('ERROR', JSON.stringify(e.status()));
      finish();
      return;
    }
    if (ended) {
      stopWatch();
      return;
    }
    // Bookmarks speak for the watch cache; a watch served by the store (an uncached resource) gets
    // none, as from kube-apiserver, for the cache's revision says nothing of what its stream has sent.
    if (w.bookmarks && opts.registry.cached(w.resource)) {
      const kind = w.resource.kind;
      const apiVersion = apiVersionOf(w.resource);
      timers.push(
        setInterval(() => {
          write('BOOKMARK', JSON.stringify({ kind, apiVersion, metadata: { resourceVersion: String(opts.cacheRevision()) } }));
        }, opts.bookmarkIntervalMs),
      );
    }
    if (w.timeoutSeconds && w.timeoutSeconds > 0) timers.push(setTimeout(finish, w.timeoutSeconds * 1000));
  }

  return {
    get count() {
      return open.size;
    },
    async http(res, w) {
      // Headers go out with the first line or once the watch is set up, whichever is first, so
      // that a watch refused while being set up can still answer with its own status.
      let started = false;
      const start = () => {
        if (started) return;
        started = true;
        res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache' });
        res.flushHeaders();
      };
      // Lines sent in one turn of the event loop leave as one chunk, once the turn's I/O is handled:
      // under load a turn handles many store frames and requests, each with events for this watch,
      // and a write each (a system call each, and a read each for the client) cost more than the
      // events. kube-apiserver likewise flushes a watch only once its queue is empty.
      let pending = '';
      let flushing: NodeJS.Immediate | undefined;
      const flush = () => {
        flushing = undefined;
        // A client gone meanwhile takes nothing more.
        if (pending === '' || res.destroyed || res.writableEnded) return void (pending = '');
        start();
        res.write(pending);
        pending = '';
      };
      await serve(
        {
          send: (line) => {
            pending += line;
            flushing ??= setImmediate(flush);
          },
          end: () => {
            if (flushing) clearImmediate(flushing);
            flush();
            start();
            res.end();
          },
          // Node 20: the request's close fires once its body is read; the response's is the client leaving.
          onClose: (fn) => res.on('close', fn),
          backlog: () => res.writableLength + pending.length,
        },
        w,
        (err) => {
          if (started) return false;
          started = true;
          const body = JSON.stringify(err.status());
          res.writeHead(err.code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
          res.end(body);
          return true;
        },
      );
      start();
    },
    async ws(socket, w) {
      await serve(
        {
          send: (line) => socket.send(line.trimEnd()),
          end: () => socket.close(1000),
          onClose: (fn) => socket.on('close', fn),
          backlog: () => socket.bufferedAmount,
        },
        w,
        // A WebSocket has already said 101: refusals travel as an ERROR message.
        () => false,
      );
    },
    closeAll() {
      for (const f of [...open]) f();
    },
  };
}
