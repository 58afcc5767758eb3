import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Code, StoreError } from './errors.js';
import { KvSocket, KvSocketUnsupported } from './kv-socket.js';
import type { KV, Watch } from './kv.js';
import * as req from './protocol-requests.js';
import * as resp from './protocol-responses.js';
import type {
  CompactionRequest,
  CompactionResponse,
  DeleteRangeRequest,
  DeleteRangeResponse,
  KeyValue,
  PutRequest,
  PutResponse,
  RangeRequest,
  RangeResponse,
  TxnRequest,
  TxnResponse,
  WatchCreateRequest,
  WatchResponse,
} from './types.js';

export interface StoreClientOptions {
  /** Base URLs, e.g. `http://127.0.0.1:2379`: minik's store or the members of an etcd cluster. */
  endpoints: string[];
  /** Per request; a watch is exempt. */
  timeoutMs?: number;
  /** Longest pause between watch reconnection attempts. */
  maxBackoffMs?: number;
  /**
   * `socket` (the default): KV calls go over minik's KV socket where the endpoint has one
   * (kv-socket-frames.ts), else over HTTP as to etcd. `http`: always HTTP. Watches are HTTP streams either way.
   */
  transport?: 'socket' | 'http';
}

/**
 * The store client: etcd v3's JSON API, for minik's store and for a real etcd alike. KV calls to
 * minik's store travel batched over its KV socket; to an etcd, each is an HTTP request. A request that cannot reach an endpoint moves on to the next one; a write is retried elsewhere
 * only when it surely never arrived (connection refused), since it might otherwise apply twice.
 */
export class StoreClient implements KV {
  private readonly endpoints: URL[];
  /** Per endpoint, its KV socket; none when the transport is HTTP. */
  private readonly sockets: Array<KvSocket | undefined>;
  // Every connection a burst opens is kept for the next one (Node keeps 256 and closes the rest).
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 512, maxFreeSockets: 512 });
  private readonly timeoutMs: number;
  private readonly maxBackoffMs: number;
  private current = 0;
  private closed = false;

  constructor(opts: StoreClientOptions) {
    if (opts.endpoints.length === 0) throw new Error('StoreClient needs at least one endpoint');
    this.endpoints = opts.endpoints.map((e) => new URL(e));
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 2_000;
    this.sockets = this.endpoints.map((e) => (opts.transport === 'http' ? undefined : new KvSocket(e, this.timeoutMs)));
  }

  /** `http://a:2379,http://b:2379` as DESIGN.md's `--store` takes it. */
  static fromList(list: string, opts: Omit<StoreClientOptions, 'endpoints'> = {}): StoreClient {
    return new StoreClient({ ...opts, endpoints: list.split(',').map((s) => s.trim()).filter(Boolean) });
  }

  async range(r: RangeRequest): Promise<RangeResponse> {
    return resp.decodeRangeResponse(await this.call('/v3/kv/range', req.encodeRangeRequest(r), true));
  }

  /** The value of one key now, or undefined. */
  async get(key: string | Buffer): Promise<KeyValue | undefined> {
    return (await this.range({ key: toBuffer(key) })).kvs[0];
  }

  async put(r: PutRequest): Promise<PutResponse> {
    return resp.decodePutResponse(await this.call('/v3/kv/put', req.encodePutRequest(r), false));
  }

  async deleteRange(r: DeleteRangeRequest): Promise<DeleteRangeResponse> {
    return resp.decodeDeleteRangeResponse(await this.call('/v3/kv/deleterange', req.encodeDeleteRangeRequest(r), false));
  }

  async txn(r: TxnRequest): Promise<TxnResponse> {
    return resp.decodeTxnResponse(await this.call('/v3/kv/txn', req.encodeTxnRequest(r), isReadOnly(r)));
  }

  async compact(r: CompactionRequest): Promise<CompactionResponse> {
    return resp.decodeCompactionResponse(await this.call('/v3/kv/compaction', req.encodeCompactionRequest(r), true));
  }

  /**
   * Watches with automatic resumption: when a stream breaks, it reconnects (to the next endpoint if
   * need be) from the revision after the last one it delivered, so the caller sees one unbroken
   * stream. Only the first `created` response is passed on. If history was compacted meanwhile, the
   * caller gets the canceled response with `compactRevision` and must relist.
   */
  watch(r: WatchCreateRequest, onResponse: (resp: WatchResponse) => void): Watch {
    let nextRev = r.startRevision ?? 0;
    let createdSent = false;
    let canceled = false;
    let active: { destroy(): void } | undefined;
    let backoff = 100;

    const connect = () => {
      if (canceled || this.closed) return;
      const body = req.encodeWatchCreateRequest({ ...r, startRevision: nextRev });
      const endpoint = this.endpoints[this.current]!;
      let buf = '';
      const retry = () => {
        active = undefined;
        if (canceled || this.closed) return;
        this.current = (this.current + 1) % this.endpoints.length;
        setTimeout(connect, backoff).unref();
        backoff = Math.min(backoff * 2, this.maxBackoffMs);
      };
      const creq = httpRequest(
        new URL('/v3/watch', endpoint),
        { method: 'POST', agent: false, headers: { 'Content-Type': 'application/json' } },
        (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            return retry();
          }
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buf += chunk;
            let nl: number;
            while ((nl = buf.indexOf('\n')) >= 0) {
              const line = buf.slice(0, nl).trim();
              buf = buf.slice(nl + 1);
              if (line) handle(JSON.parse(line));
            }
          });
          res.on('end', retry);
          res.on('error', retry);
        },
      );
      active = creq;
      creq.on('error', retry);
      creq.end(JSON.stringify(body));
    };

    const handle = (msg: { result?: Record<string, unknown>; error?: unknown }) => {
      if (canceled || !msg.result) return;
      const w = resp.decodeWatchResponse(msg.result);
      backoff = 100;
      if (w.created && !w.canceled) {
        if (nextRev === 0) nextRev = w.header.revision + 1;
        if (createdSent) return;
        createdSent = true;
      } else if (w.events.length > 0) {
        nextRev = w.events[w.events.length - 1]!.kv.modRevision + 1;
      } else if (!w.canceled && w.header.revision > 0) {
        nextRev = Math.max(nextRev, w.header.revision + 1);
      }
      if (w.canceled) {
        canceled = true;
        active?.destroy();
      }
      onResponse(w);
    };

    connect();
    return {
      cancel: () => {
        canceled = true;
        active?.destroy();
      },
    };
  }

  close(): void {
    this.closed = true;
    this.agent.destroy();
    for (const s of this.sockets) s?.close();
  }

  private async call(path: string, body: unknown, idempotent: boolean): Promise<Record<string, unknown>> {
    const data = JSON.stringify(body);
    const failures: string[] = [];
    for (let attempt = 0; attempt < this.endpoints.length; attempt++) {
      const endpoint = this.endpoints[this.current]!;
      const socket = this.sockets[this.current];
      try {
        if (socket && !socket.refused) {
          try {
            return await socket.call(path, data);
          } catch (err) {
            if (!(err instanceof KvSocketUnsupported)) throw err;
          }
        }
        return await this.sendOnce(new URL(path, endpoint), data);
      } catch (err) {
        if (err instanceof StoreError) throw err;
        const code = (err as NodeJS.ErrnoException).code ?? '';
        failures.push(`${endpoint.host}: ${(err as Error).message}`);
        const neverArrived =
          code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || (err as { neverArrived?: boolean }).neverArrived === true;
        this.current = (this.current + 1) % this.endpoints.length;
        if (!idempotent && !neverArrived) break;
      }
    }
    throw new StoreError(Code.Unavailable, `store unreachable: ${failures.join('; ')}`);
  }

  /**
   * One request; resent once when a pooled connection turns out to have been closed by the server
   * while idle (reset before any answer): the request never reached it, so even a write is safe.
   */
  private async sendOnce(url: URL, data: string): Promise<Record<string, unknown>> {
    try {
      return await this.send(url, data);
    } catch (err) {
      if ((err as { staleSocket?: boolean }).staleSocket) return this.send(url, data);
      throw err;
    }
  }

  private send(url: URL, data: string): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const creq = httpRequest(
        url,
        {
          method: 'POST',
          agent: this.agent,
          headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) },
          timeout: this.timeoutMs,
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: Record<string, unknown>;
            try {
              parsed = JSON.parse(text);
            } catch {
              return reject(new StoreError(Code.Unknown, `store answered ${res.statusCode}: ${text.slice(0, 200)}`));
            }
            if (res.statusCode === 200) return resolve(parsed);
            const message = String(parsed.message ?? parsed.error ?? text);
            reject(new StoreError(Number(parsed.code ?? Code.Unknown), message));
          });
        },
      );
      creq.on('timeout', () => creq.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
      let answered = false;
      creq.on('response', () => (answered = true));
      creq.on('error', (err: NodeJS.ErrnoException) => {
        const stale = creq.reusedSocket && !answered && err.code === 'ECONNRESET';
        reject(stale ? Object.assign(err, { staleSocket: true }) : err);
      });
      creq.end(data);
    });
  }
}

function isReadOnly(t: TxnRequest): boolean {
  return [...(t.success ?? []), ...(t.failure ?? [])].every(
    (op) => 'requestRange' in op || ('requestTxn' in op && isReadOnly(op.requestTxn)),
  );
}

function toBuffer(k: string | Buffer): Buffer {
  return typeof k === 'string' ? Buffer.from(k) : k;
}
