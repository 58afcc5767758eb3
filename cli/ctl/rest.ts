import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';
import { ApiError, connectionError } from './errors.js';
import type { RequestLog } from './request-log.js';

/** What `kubectl get` sends to have the server print: a Table, plain JSON if it cannot. */
export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

export interface RequestOptions {
  query?: Record<string, string | undefined>;
  body?: unknown;
  /** A body sent as it is, not as JSON of a value: a patch as the user typed it. */
  rawBody?: string;
  contentType?: string;
  accept?: string;
}

/**
 * The HTTP side of minikctl: JSON in, JSON out, a non-2xx answer thrown as an ApiError and an
 * unreachable server as kubectl's one-line connection error.
 *
 *   const rest = new Rest('http://127.0.0.1:6443');
 *   await rest.request('GET', '/api/v1/namespaces/default/pods', { accept: TABLE_ACCEPT })
 *     // { kind: 'Table', columnDefinitions: [...], rows: [...] }
 *   await rest.request('GET', '/api/v1/namespaces/default/pods/nope')
 *     // throws ApiError { reason: 'NotFound', message: 'pods "nope" not found' }
 */
export class Rest {
  readonly server: string;

  /** `log`: what `-v` prints of each request; nothing unless given. */
  constructor(
    server: string,
    private readonly log?: RequestLog,
  ) {
    this.server = server.replace(/\/+$/, '');
  }

  async request<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    return JSON.parse(await this.requestText(method, path, opts)) as T;
  }

  /** The answer's body as it came, for `get --raw`. */
  async requestText(method: string, path: string, opts: RequestOptions = {}): Promise<string> {
    const started = performance.now();
    const { res, url } = await this.open(method, path, opts);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const status = res.statusCode ?? 0;
    this.log?.answered(method, url, status, res.statusMessage ?? '', Math.round(performance.now() - started), res.headers, text);
    if (status < 200 || status >= 300) throw ApiError.fromAnswer(status, text);
    return text;
  }

  /**
   * A watch: calls `onLine` with each JSON line until the server ends the stream or `stop()`.
   * `done` rejects with the ApiError of a refused watch, or whatever `onLine` threw.
   */
  stream(path: string, opts: RequestOptions, onLine: (value: unknown) => void): { stop(): void; done: Promise<void> } {
    let stopped = false;
    let req: ClientRequest | undefined;
    const done = (async () => {
      const started = performance.now();
      const opened = await this.open('GET', path, opts);
      req = opened.req;
      const { res } = opened;
      const status = res.statusCode ?? 0;
      this.log?.answered('GET', opened.url, status, res.statusMessage ?? '', Math.round(performance.now() - started), res.headers);
      res.setEncoding('utf8');
      let buf = '';
      try {
        for await (const chunk of res) {
          buf += chunk as string;
          if (status < 200 || status >= 300) continue;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            if (line) onLine(JSON.parse(line));
          }
        }
      } catch (err) {
        if (!stopped) throw err;
      }
      if (status < 200 || status >= 300) throw ApiError.fromAnswer(status, buf);
    })();
    return {
      stop: () => {
        stopped = true;
        req?.destroy();
      },
      done,
    };
  }

  private open(method: string, path: string, opts: RequestOptions): Promise<{ req: ClientRequest; res: IncomingMessage; url: string }> {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined && v !== '') q.set(k, v);
    const url = new URL(this.server + path + (q.size > 0 ? `?${q}` : ''));
    const body = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    const headers: Record<string, string> = { Accept: opts.accept ?? 'application/json', 'User-Agent': 'minikctl' };
    if (body !== undefined) {
      headers['Content-Type'] = opts.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    this.log?.sent(method, url.href, headers, body);
    return new Promise((resolve, reject) => {
      const req = send(url, { method, headers }, (res) => resolve({ req, res, url: url.href }));
      req.on('error', (err: NodeJS.ErrnoException) => reject(connectionError(this.server, err)));
      req.end(body);
    });
  }
}
