import { request as httpRequest, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ApiError, connectionError } from './errors.js';

/**
 * A GET whose answer is text, not JSON, passed on chunk by chunk as it arrives (pods/log with
 * `follow=true` ends only when the container does). A non-2xx answer rejects with its ApiError,
 * an unreachable server with kubectl's connection error.
 *
 *   await rawStream('http://127.0.0.1:6443', '/api/v1/namespaces/default/pods/web/log', { follow: 'true' }, (t) => process.stdout.write(t)).done
 */
export function rawStream(
  server: string,
  path: string,
  query: Record<string, string | undefined>,
  onText: (text: string) => void,
): { stop(): void; done: Promise<void> } {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, v);
  const url = new URL(server.replace(/\/+$/, '') + path + (q.size > 0 ? `?${q}` : ''));
  let req: ClientRequest | undefined;
  let stopped = false;
  const done = new Promise<void>((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    req = send(url, { method: 'GET', headers: { Accept: '*/*', 'User-Agent': 'minikctl' } }, (res) => {
      const status = res.statusCode ?? 0;
      res.setEncoding('utf8');
      let body = '';
      res.on('data', (chunk: string) => {
        if (status >= 200 && status < 300) onText(chunk);
        else body += chunk;
      });
      res.on('end', () => (status >= 200 && status < 300 ? resolve() : reject(ApiError.fromAnswer(status, body))));
      res.on('error', (err) => (stopped ? resolve() : reject(err)));
      res.on('close', () => stopped && resolve());
    });
    req.on('error', (err: NodeJS.ErrnoException) => (stopped ? resolve() : reject(connectionError(server, err))));
    req.end();
  });
  return {
    stop: () => {
      stopped = true;
      req?.destroy();
    },
    done,
  };
}
