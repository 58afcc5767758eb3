import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../api/log.js';
import type { StoreMetrics } from './metrics.js';
import { frame, KV_SOCKET_BATCH_BYTES, KV_SOCKET_MAX_FRAME_BYTES, KV_SOCKET_PATH, parseFrame, type CallFrame } from './kv-socket-frames.js';

/** One call answered as the HTTP face answers it: a status and a JSON body. Never rejects. */
export type Answer = (path: string, body: unknown) => Promise<[status: number, body: unknown]>;

/**
 * The store's end of the KV socket (kv-socket-frames.ts). Calls run as they arrive, each on its
 * own, as concurrent HTTP requests would; answers finished in one turn of the event loop leave
 * as one frame. When the store stops, each socket finishes the calls it took, then closes, and
 * any call that arrives meanwhile is answered by `refuse`.
 */
export class KvSocketServer {
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: KV_SOCKET_MAX_FRAME_BYTES });
  private readonly open = new Set<{ ws: WebSocket; idle(): boolean }>();
  private closing = false;

  constructor(
    private readonly answer: Answer,
    private readonly refuse: Answer,
    private readonly log: Logger,
    private readonly metrics: StoreMetrics,
  ) {}

  /** For the HTTP server's `upgrade` event: takes the KV socket path, refuses any other. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== KV_SOCKET_PATH || this.closing) {
      const status = this.closing ? '503 Service Unavailable' : '404 Not Found';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.serve(ws));
  }

  /** Stops taking sockets; each open one closes once its calls are answered. */
  close(): void {
    this.closing = true;
    for (const c of this.open) if (c.idle()) c.ws.close(1001, 'store stopping');
  }

  private serve(ws: WebSocket): void {
    let inFlight = 0;
    let out: string[] = [];
    let outBytes = 0;
    let scheduled = false;
    const conn = { ws, idle: () => inFlight === 0 && out.length === 0 };
    this.open.add(conn);
    this.metrics.kvSockets.inc();

    const flush = () => {
      scheduled = false;
      if (out.length > 0 && ws.readyState === ws.OPEN) {
        ws.send(frame(out));
        this.metrics.kvSocketFrames.inc({ direction: 'out' });
      }
      out = [];
      outBytes = 0;
      if (this.closing && inFlight === 0) ws.close(1001, 'store stopping');
    };
    const reply = (id: number, [status, body]: [number, unknown]) => {
      inFlight--;
      const entry = `[${id},${status},${JSON.stringify(body)}]`;
      out.push(entry);
      outBytes += entry.length;
      if (outBytes >= KV_SOCKET_BATCH_BYTES) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    };

    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const calls = isBinary ? undefined : parseFrame<CallFrame>(data.toString('utf8'), 'string');
      if (!calls) {
        this.log.warn({ bytes: data.length }, 'closing a KV socket that sent something other than a frame of calls');
        ws.close(1007, 'expected a frame of calls');
        return;
      }
      this.metrics.kvSocketFrames.inc({ direction: 'in' });
      for (const [id, path, body] of calls) {
        inFlight++;
        void (this.closing ? this.refuse : this.answer)(path, body).then((a) => reply(id, a));
      }
    });
    ws.on('error', (err) => this.log.warn({ err }, 'KV socket error'));
    ws.on('close', () => {
      this.open.delete(conn);
      this.metrics.kvSockets.dec();
    });
  }
}
