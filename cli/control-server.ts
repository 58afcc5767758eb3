import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Supervisor } from './supervisor.js';

export interface ControlDeps {
  supervisor: Pick<Supervisor, 'has' | 'start' | 'stop' | 'components'>;
  /** Only a caller that read the state file (mode 0600) in the data dir knows it. */
  token: string;
  /** `minik down`: called after the answer is sent. */
  down: () => void;
}

/**
 * The supervisor's control endpoint on loopback, as a value to serve. Every answer is JSON with a
 * one-line `message`:
 *
 *   POST /components/scheduler/stop   200 { message: 'scheduler stopped' }
 *   POST /components/scheduler/start  200 { message: 'scheduler started' }   (once it is ready)
 *   POST /components/nope/stop        404 { message: 'no component named nope: ...' }
 *   POST /down                        202 { message: 'stopping the cluster' }
 *   GET  /components                  200 { components: [...] }
 */
export function createControlApp(deps: ControlDeps): RequestListener {
  let down = false;
  return (req: IncomingMessage, res: ServerResponse) => {
    const send = (code: number, body: object) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${deps.token}`) return send(401, { message: 'not authorized: the token is in cluster.json in the data dir' });
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method === 'GET' && path === '/components') return send(200, { components: deps.supervisor.components() });
    if (down) return send(503, { message: 'the cluster is stopping' });
    if (req.method === 'POST' && path === '/down') {
      down = true;
      res.once('finish', deps.down);
      return send(202, { message: 'stopping the cluster' });
    }
    const m = /^\/components\/([^/]+)\/(start|stop)$/.exec(path);
    if (req.method !== 'POST' || !m) return send(404, { message: `${req.method} ${path}: no such control action` });
    const [, name, verb] = m as unknown as [string, string, 'start' | 'stop'];
    if (!deps.supervisor.has(name)) {
      const known = deps.supervisor.components().map((c) => c.name).join(', ');
      return send(404, { message: `no component named ${name}: this cluster runs ${known}` });
    }
    const before = deps.supervisor.components().find((c) => c.name === name)!.status;
    const action = verb === 'stop' ? deps.supervisor.stop(name) : deps.supervisor.start(name);
    action.then(
      () => {
        const already = verb === 'stop' ? before === 'stopped' : before === 'running';
        send(200, { message: already ? `${name} was already ${verb === 'stop' ? 'stopped' : 'running'}` : `${name} ${verb === 'stop' ? 'stopped' : 'started'}` });
      },
      (err: Error) => send(500, { message: err.message }),
    );
  };
}
