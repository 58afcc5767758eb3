import { WebSocket } from 'ws';
import { Code, StoreError } from './errors.js';
import { frame, KV_SOCKET_BATCH_BYTES, KV_SOCKET_MAX_FRAME_BYTES, KV_SOCKET_PATH, parseFrame, type AnswerFrame } from './kv-socket-frames.js';

/** The endpoint refused the upgrade: it is a real etcd (or an older store); speak HTTP to it. */
export class KvSocketUnsupported extends Error {
  constructor(readonly status: number) {
    super(`the endpoint has no KV socket (upgrade answered ${status})`);
  }
}

interface Pending {
  resolve(body: Record<string, unknown>): void;
  reject(err: Error): void;
  /** The socket closed before the call left. */
  unsent(): void;
  deadline: number;
}

/**
 * The client's end of the KV socket (kv-socket-frames.ts) to one endpoint. Connects on the first
 * call and again after the socket closes. Calls made in one turn of the event loop leave as one
 * frame. Errors carry the codes the HTTP transport's do, so the store client treats both alike:
 * a refused connection (ECONNREFUSED) or upgrade (`neverArrived`) surely never delivered a call; a
 * socket lost with calls in flight (ECONNRESET) may have delivered them; a call unanswered for
 * `timeoutMs` is ETIMEDOUT.
 */
export class KvSocket {
  private ws: WebSocket | undefined;
  private opened: Promise<void> | undefined;
  private readonly pending = new Map<number, Pending>();
  private queue: string[] = [];
  private queuedIds: number[] = [];
  private queuedBytes = 0;
  private scheduled = false;
  private nextId = 1;
  private sweeper: NodeJS.Timeout | undefined;
  private unsupported: KvSocketUnsupported | undefined;
  private closed = false;

  constructor(
    private readonly endpoint: URL,
    private readonly timeoutMs: number,
  ) {}

  /** Known to have no KV socket: the caller should use HTTP. */
  get refused(): boolean {
    return this.unsupported !== undefined;
  }

  /**
   * One call. A call still queued when its socket closes never left, so it is sent once more on
   * a new socket (the HTTP transport resends on a stale pooled connection for the same reason).
   */
  async call(path: string, data: string, resent = false): Promise<Record<string, unknown>> {
    if (this.unsupported) throw this.unsupported;
    if (this.closed) throw new StoreError(Code.Unavailable, 'store client closed');
    await this.connect();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const unsent = resent
        ? () => reject(Object.assign(new Error('store connection closed before the call was sent'), { neverArrived: true }))
        : () => this.call(path, data, true).then(resolve, reject);
      this.pending.set(id, { resolve, reject, unsent, deadline: Date.now() + this.timeoutMs });
      const entry = `[${id},${JSON.stringify(path)},${data}]`;
      this.queue.push(entry);
      this.queuedIds.push(id);
      this.queuedBytes += entry.length;
      if (this.queuedBytes >= KV_SOCKET_BATCH_BYTES) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  close(): void {
    this.closed = true;
    this.ws?.terminate();
    this.lost(new StoreError(Code.Unavailable, 'store client closed'));
  }

  private connect(): Promise<void> {
    return (this.opened ??= new Promise<void>((resolve, reject) => {
      const url = new URL(KV_SOCKET_PATH, this.endpoint);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      const ws = new WebSocket(url, {
        perMessageDeflate: false,
        maxPayload: KV_SOCKET_MAX_FRAME_BYTES,
        handshakeTimeout: this.timeoutMs,
        // Masking guards browsers' proxies from forged frames; between two processes of the
        // cluster it only costs a pass over every byte, and a zero mask lets both ends skip it.
        generateMask: (mask: Buffer) => void mask.fill(0),
      });
      this.ws = ws;
      ws.on('unexpected-response', (req, res) => {
        res.resume();
        req.destroy();
        this.opened = undefined;
        // A store that is stopping answers 503 for now; any other answer (etcd's 404, a plain
        // HTTP server's 405) means the endpoint has no KV socket at all.
        const status = res.statusCode ?? 0;
        if (status === 503) reject(Object.assign(new Error(`KV socket upgrade answered ${status}`), { neverArrived: true }));
        else reject((this.unsupported = new KvSocketUnsupported(status)));
      });
      ws.on('open', () => {
        this.sweeper ??= setInterval(() => this.sweep(), Math.min(1_000, this.timeoutMs)).unref();
        resolve();
      });
      ws.on('message', (data: Buffer) => this.answered(data.toString('utf8')));
      ws.on('error', (err) => {
        if (ws.readyState !== WebSocket.OPEN) reject(err);
        this.dropped(ws, err);
      });
      ws.on('close', () => this.dropped(ws, Object.assign(new Error('store connection closed'), { code: 'ECONNRESET' })));
    }));
  }

  private flush(): void {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    const ws = this.ws;
    // Left queued: the socket's close (on its way, or past) hands each call its unsent().
    if (ws?.readyState !== WebSocket.OPEN) return;
    ws.send(frame(this.queue));
    this.queue = [];
    this.queuedIds = [];
    this.queuedBytes = 0;
  }

  private answered(text: string): void {
    const answers = parseFrame<AnswerFrame>(text, 'number');
    if (!answers) {
      this.ws?.terminate();
      return;
    }
    for (const [id, status, body] of answers) {
      const p = this.pending.get(id);
      if (!p) continue; // timed out meanwhile
      this.pending.delete(id);
      const b = (body ?? {}) as Record<string, unknown>;
      if (status === 200) p.resolve(b);
      else p.reject(new StoreError(Number(b.code ?? Code.Unknown), String(b.message ?? b.error ?? `store answered ${status}`)));
    }
  }

  /** The socket is gone: calls in flight may or may not have arrived; the next call reconnects. */
  private dropped(ws: WebSocket, err: Error): void {
    if (this.ws !== ws) return;
    this.ws = undefined;
    this.opened = undefined;
    this.lost(err);
  }

  private lost(err: Error): void {
    const unsent = new Set(this.queuedIds);
    this.queue = [];
    this.queuedIds = [];
    this.queuedBytes = 0;
    const pending = [...this.pending];
    this.pending.clear();
    for (const [id, p] of pending) {
      if (unsent.has(id) && !this.closed) p.unsent();
      else p.reject(err);
    }
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, p] of this.pending) {
      if (p.deadline > now) continue;
      this.pending.delete(id);
      p.reject(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' }));
    }
  }
}
