import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

export interface HealthDeps {
  /** Whether the component can do its work yet (its caches filled, its nodes registered...). */
  ready: () => boolean;
  /** What /readyz says while not ready. */
  notReady: string;
  registry: Registry;
}

/** `/healthz`, `/readyz` and `/metrics`: the whole HTTP face of a component that serves no API, as a value to serve. */
export function createHealthApp(deps: HealthDeps): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    const text = (code: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(code, { 'content-type': type });
      res.end(body);
    };
    if (path === '/healthz' || path === '/livez') return text(200, 'ok');
    if (path === '/readyz') return deps.ready() ? text(200, 'ok') : text(503, deps.notReady);
    if (path === '/metrics') {
      deps.registry.metrics().then(
        (body) => text(200, body, deps.registry.contentType),
        (err: Error) => text(500, err.message),
      );
      return;
    }
    text(404, `${path} not found`);
  };
}
