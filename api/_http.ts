import { request, type Agent, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { urlToHttpOptions } from 'node:url';

/**
 * The two ways minik's client talks HTTP: a whole answer, read to the end, or a stream of lines.
 *
 *   await send({ server: origin('http://127.0.0.1:6443'), path: '/version', method: 'GET', agent, timeoutMs: 5000 })
 *     = { status: 200, body: '{"major":"1","minor":"32",...}' }
 */
export interface SendOptions {
  server: Origin;
  /** From the server's root: `/api/v1/pods?limit=5`. */
  path: string;
  method: string;
  agent: Agent | false;
  timeoutMs: number;
  body?: string;
  contentType?: string;
  /** Who is asking: Kubernetes names a writer's fields after it (`minik-scheduler/v1.32.0` is minik-scheduler). */
  userAgent?: string;
}

/** A server's URL parsed once, not again for each of the many requests a component makes. */
export interface Origin {
  readonly url: string;
  readonly options: Readonly<RequestOptions>;
  /** The URL's own path, which every request's path follows (empty for a server at the root). */
  readonly base: string;
}

export function origin(server: string): Origin {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new Error(`the API server's address is not a URL: ${JSON.stringify(server)} (for example http://127.0.0.1:6443)`);
  }
  if (url.protocol !== 'http:') throw new Error(`the API server's address must be http://, not ${url.protocol}// (${server})`);
  const { protocol, hostname, port, auth } = urlToHttpOptions(url);
  return {
    url: server.replace(/\/+$/, ''),
    options: { protocol, hostname, port, ...(auth ? { auth } : {}) },
    base: url.pathname.replace(/\/+$/, ''),
  };
}

export interface Answer {
  status: number;
  body: string;
}

export function send(opts: SendOptions): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = open(opts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    // A hung server must not hang its caller: the timeout covers the whole exchange.
    req.setTimeout(opts.timeoutMs, () => req.destroy(new Error(`${opts.method} ${opts.server.url}${opts.path}: no answer within ${opts.timeoutMs}ms`)));
    req.end(opts.body);
  });
}

/**
 * A response read line by line as its chunks arrive. `onAnswer` sees a non-2xx answer whole instead.
 * `done` settles when the stream ends, the caller aborts (resolved), or the connection fails (rejected).
 */
export function streamLines(
  opts: Omit<SendOptions, 'timeoutMs' | 'body'>,
  onLine: (line: string) => void,
  onAnswer: (a: Answer) => Error,
): { abort(): void; done: Promise<void> } {
  let aborted = false;
  let req: ClientRequest | undefined;
  const done = new Promise<void>((resolve, reject) => {
    req = open(opts, (res) => {
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        if (status < 200 || status >= 300) return void chunks.push(Buffer.from(c));
        buf += c;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line && !aborted) onLine(line);
        }
      });
      res.on('end', () => {
        if (status < 200 || status >= 300) return reject(onAnswer({ status, body: Buffer.concat(chunks).toString('utf8') }));
        if (buf.trim() && !aborted) onLine(buf.trim());
        resolve();
      });
      // The server dropping the connection ends the stream as surely as a clean end does.
      res.on('error', () => resolve());
      res.on('close', () => resolve());
    });
    req.on('error', (err) => (aborted ? resolve() : reject(err)));
    req.end();
  });
  return {
    abort() {
      aborted = true;
      req?.destroy();
    },
    done,
  };
}

function open(opts: Omit<SendOptions, 'timeoutMs'>, onResponse: (res: IncomingMessage) => void): ClientRequest {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.userAgent) headers['User-Agent'] = opts.userAgent;
  if (opts.body !== undefined) {
    headers['Content-Type'] = opts.contentType ?? 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(opts.body));
  }
  return request({ ...opts.server.options, path: opts.server.base + opts.path, method: opts.method, agent: opts.agent, headers }, onResponse);
}
