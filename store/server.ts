import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { realClock, type Clock, type Timer } from '../api/clock.js';
import type { Logger } from '../api/log.js';
import { silentLogger } from '../api/log.js';
import { Code, Errors, StoreError } from './errors.js';
import { JsonSplitter } from './json-stream.js';
import { KvSocketServer } from './kv-socket-server.js';
import type { Watch } from './kv.js';
import { StoreMetrics } from './metrics.js';
import type { Mvcc } from './mvcc.js';
import * as req from './protocol-requests.js';
import * as resp from './protocol-responses.js';
import type { WatchCreateRequest } from './types.js';
import { isEmptyWatchRange } from './watch-hub.js';

export interface StoreAppDeps {
  store: Mvcc;
  logger?: Logger;
  clock?: Clock;
  metrics?: StoreMetrics;
  /** etcd's --max-request-bytes: the largest request, counted in decoded bytes. */
  maxRequestBytes?: number;
  /** etcd's --experimental-watch-progress-notify-interval. */
  progressNotifyIntervalMs?: number;
}

export interface StoreApp {
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** For the HTTP server's `upgrade` event: minik's own KV socket (kv-socket-frames.ts). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  readonly metrics: StoreMetrics;
  /** Marks the store not ready, ends every watch stream and closes each KV socket once it is answered. */
  close(): void;
}

export const DEFAULT_MAX_REQUEST_BYTES = 1.5 * 1024 * 1024;
const DEFAULT_PROGRESS_NOTIFY_MS = 10 * 60 * 1000;
/** A watch stream whose reader falls this far behind is closed; its client resumes from its revision. */
const MAX_WATCH_BACKLOG = 64 * 1024 * 1024;
const VERSION = { etcdserver: '3.4.0', etcdcluster: '3.4.0' };

type Handler = (body: unknown) => Promise<unknown>;

const GET_PATHS = new Set(['/version', '/health', '/healthz', '/livez', '/readyz', '/metrics']);

/** The store's HTTP face: etcd v3's JSON gateway paths, plus health, metrics and minik's KV socket. */
export function createStoreApp(deps: StoreAppDeps): StoreApp {
  const { store } = deps;
  const log = deps.logger ?? silentLogger();
  const clock = deps.clock ?? realClock;
  const metrics = deps.metrics ?? new StoreMetrics(store);
  const maxRequestBytes = deps.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  // Base64 makes a body a third larger than what it carries; allow for that and the JSON around it.
  const maxBodyBytes = Math.ceil((maxRequestBytes * 4) / 3) + 64 * 1024;
  const id: resp.ClusterIdentity = { clusterId: store.clusterId, memberId: store.memberId, raftTerm: '1' };
  const streams = new Set<ServerResponse>();
  let closing = false;

  const sized = <T>(decode: (b: unknown) => T) => (body: unknown): T => {
    const r = decode(body);
    if (byteSize(r) > maxRequestBytes) throw Errors.requestTooLarge();
    return r;
  };

  const kvRoutes: Record<string, Handler> = {
    '/v3/kv/range': async (b) => resp.encodeRangeResponse(await store.range(req.decodeRangeRequest(b)), id),
    '/v3/kv/put': async (b) => resp.encodePutResponse(await store.put(sized(req.decodePutRequest)(b)), id),
    '/v3/kv/deleterange': async (b) =>
      resp.encodeDeleteRangeResponse(await store.deleteRange(req.decodeDeleteRangeRequest(b)), id),
    '/v3/kv/txn': async (b) => resp.encodeTxnResponse(await store.txn(sized(req.decodeTxnRequest)(b)), id),
    '/v3/kv/compaction': async (b) =>
      resp.encodeCompactionResponse(await store.compact(req.decodeCompactionRequest(b)), id),
  };

  /** One KV call as both transports answer it: the gateway's status and JSON body. */
  async function answerKv(path: string, body: unknown): Promise<[number, unknown]> {
    const route = kvRoutes[path];
    if (!route) return errorAnswer(new StoreError(Code.NotFound, `no KV call ${path}`));
    try {
      return [200, await route(body)];
    } catch (err) {
      return errorAnswer(err);
    }
  }

  function errorAnswer(err: unknown): [number, unknown] {
    const e = toStoreError(err);
    if (e.httpStatus >= 500) log.error({ err }, 'store request failed');
    return [e.httpStatus, { error: e.message, message: e.message, code: e.code }];
  }

  const measured =
    (answer: (path: string, body: unknown) => Promise<[number, unknown]>) =>
    async (path: string, body: unknown): Promise<[number, unknown]> => {
      const started = process.hrtime.bigint();
      const a = await answer(path, body);
      const endpoint = kvRoutes[path] ? path : 'other';
      metrics.requests.inc({ endpoint, code: a[0] });
      metrics.latency.observe({ endpoint }, Number(process.hrtime.bigint() - started) / 1e9);
      return a;
    };
  const sockets = new KvSocketServer(
    measured(answerKv),
    measured(async () => errorAnswer(Errors.stopped())),
    log,
    metrics,
  );

  const progressTimer: Timer = clock.setInterval(
    () => store.hub.progress(),
    deps.progressNotifyIntervalMs ?? DEFAULT_PROGRESS_NOTIFY_MS,
  );

  function handle(request: IncomingMessage, res: ServerResponse): void {
    const path = (request.url ?? '/').split('?')[0]!;
    const endpoint = kvRoutes[path] || path === '/v3/watch' ? path : 'other';
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      metrics.requests.inc({ endpoint, code: res.statusCode });
      if (path !== '/v3/watch') metrics.latency.observe({ endpoint }, Number(process.hrtime.bigint() - started) / 1e9);
    });

    const route = kvRoutes[path];
    const known = route || path === '/v3/watch' || GET_PATHS.has(path);
    if (!known) return text(res, 404, 'Not Found\n');
    if (route || path === '/v3/watch') {
      if (request.method !== 'POST' && request.method !== 'PUT') return text(res, 405, 'Method Not Allowed\n');
      if (route) return void serveKv(request, res, path);
      if (closing) return fail(res, Errors.stopped());
      return serveWatch(request, res);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(res, 405, 'Method Not Allowed\n');
    switch (path) {
      case '/version':
        return json(res, 200, VERSION);
      case '/health':
        return json(res, closing ? 503 : 200, { health: closing ? 'false' : 'true' });
      case '/healthz':
      case '/livez':
        return text(res, 200, 'ok\n');
      case '/readyz':
        return closing ? text(res, 503, 'shutting down\n') : text(res, 200, 'ok\n');
      case '/metrics':
        return void metrics.registry.metrics().then(
          (body) => text(res, 200, body, metrics.registry.contentType),
          (err) => text(res, 500, String(err)),
        );
    }
  }

  async function serveKv(request: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    let body: unknown;
    try {
      body = await readJson(request, maxBodyBytes);
    } catch (err) {
      return fail(res, err);
    }
    const [status, answer] = await answerKv(path, body);
    json(res, status, answer);
  }

  function serveWatch(request: IncomingMessage, res: ServerResponse): void {
    const watches = new Map<number, Watch>();
    const split = new JsonSplitter();
    let nextId = 0;
    let started = false;
    let received = 0;

    const start = () => {
      if (started) return;
      started = true;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.flushHeaders();
      streams.add(res);
      metrics.watchStreams.inc();
    };
    const send = (msg: unknown) => {
      if (res.writableEnded || res.destroyed) return;
      res.write(JSON.stringify(msg) + '\n');
      if (res.writableLength > MAX_WATCH_BACKLOG) {
        log.warn({ backlog: res.writableLength }, 'closing a watch stream whose reader fell behind');
        res.destroy();
      }
    };
    const stop = () => {
      for (const w of watches.values()) w.cancel();
      watches.clear();
      if (started && streams.delete(res)) metrics.watchStreams.dec();
    };
    // Node 20: the request's close fires once its body is read; the response's close is the client leaving.
    res.on('close', stop);

    const create = (c: WatchCreateRequest) => {
      // Refused before an ID is spent on it, as etcd does.
      if (isEmptyWatchRange(c)) return void store.watch(c, (r) => send(resp.encodeWatchResponse(r, id)));
      let watchId = c.watchId ?? 0;
      if (watchId === 0) {
        while (watches.has(nextId)) nextId++;
        watchId = nextId++;
      } else if (watches.has(watchId)) {
        send(
          resp.encodeWatchResponse(
            {
              header: { revision: store.revision },
              watchId: -1,
              created: true,
              canceled: true,
              cancelReason: 'mvcc: duplicate watch ID provided',
              events: [],
            },
            id,
          ),
        );
        return;
      }
      const w = store.watch({ ...c, watchId }, (r) => {
        send(resp.encodeWatchResponse(r, id));
        if (r.canceled) watches.delete(watchId);
      });
      if (!w) return;
      watches.set(watchId, w);
    };

    const onRequest = (raw: string) => {
      const r = req.decodeWatchRequest(JSON.parse(raw));
      start();
      if ('create' in r) create(r.create);
      else if ('cancel' in r) {
        const w = watches.get(r.cancel.watchId);
        if (w) {
          w.cancel();
          watches.delete(r.cancel.watchId);
          send(resp.encodeWatchResponse({ header: { revision: store.revision }, watchId: r.cancel.watchId, canceled: true, events: [] }, id));
        }
      } else if ('progress' in r) {
        send(resp.encodeWatchResponse({ header: { revision: store.revision }, watchId: -1, events: [] }, id));
      }
    };

    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      received += chunk.length;
      try {
        if (received > maxBodyBytes) throw Errors.requestTooLarge();
        for (const raw of split.push(chunk)) onRequest(raw);
      } catch (err) {
        request.removeAllListeners('data');
        request.resume();
        if (started) {
          const e = toStoreError(err);
          send({ error: { grpc_code: e.code, http_code: e.httpStatus, message: e.message } });
          res.end();
        } else {
          fail(res, err);
        }
        stop();
      }
    });
    request.on('end', () => {
      // Already answered: a bad request refused, or the client gone.
      if (res.headersSent && !started) return;
      if (res.writableEnded || res.destroyed) return;
      if (split.pending) fail(res, Errors.badRequest('unexpected end of JSON input'));
      // An empty body: the stream stays open with no watch, as etcd's does.
      else start();
    });
  }

  function fail(res: ServerResponse, err: unknown): void {
    const [status, body] = errorAnswer(err);
    if (res.headersSent) {
      res.end();
      return;
    }
    json(res, status, body);
  }

  return {
    handle,
    upgrade: (request, socket, head) => sockets.upgrade(request, socket, head),
    metrics,
    close() {
      closing = true;
      sockets.close();
      progressTimer.cancel();
      for (const res of streams) res.end();
      streams.clear();
    },
  };
}

function toStoreError(err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  if (err instanceof SyntaxError) return Errors.badRequest(`invalid JSON: ${err.message}`);
  return new StoreError(13, (err as Error)?.message ?? String(err));
}

function readJson(request: IncomingMessage, limit: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        request.removeAllListeners('data');
        request.resume();
        reject(Errors.requestTooLarge());
        return;
      }
      chunks.push(c);
    });
    request.on('end', () => {
      if (size > limit) return;
      const body = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
      try {
        // etcd's gateway takes an empty body as an empty request.
        resolve(body.trim() === '' ? {} : JSON.parse(body));
      } catch (err) {
        reject(err);
      }
    });
    request.on('error', reject);
  });
}

/** What a request carries, in decoded bytes, for etcd's request size limit. */
function byteSize(v: unknown): number {
  if (Buffer.isBuffer(v)) return v.length;
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + byteSize(x), 0);
  if (v && typeof v === 'object') return Object.values(v).reduce((n: number, x) => n + byteSize(x) + 2, 0);
  return 8;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) });
  res.end(data);
}

function text(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
