import type { RequestListener, ServerResponse } from 'node:http';
import type { KubeObject } from '../api/client.js';
import type { Clock, Timer } from '../api/clock.js';
import { findRun, isNoLog, nextLineAt, runLines, type ContainerRun, type LogCadence } from './container-logs.js';
import { ByteBudget, parseLogQuery, renderLines, selectLines, type LogQuery } from './log-query.js';

export interface LogServerOptions {
  /** One of the simulator's pods, from its cache. */
  pod(namespace: string, name: string): Readonly<KubeObject> | undefined;
  clock: Clock;
  cadence: LogCadence;
  /** Every other path: health, readiness, metrics. */
  fallback: RequestListener;
  /** How often a follower looks, between two lines, whether its container stopped. */
  pollMs?: number;
}

const PATH = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/;

/**
 * The simulator's HTTP face as a kubelet's: `GET /containerLogs/{namespace}/{pod}/{container}` with
 * the kubelet's query (tailLines, sinceSeconds, sinceTime, limitBytes, timestamps, previous,
 * follow), and everything else to `fallback`. The content is made up from the container's status,
 * so it is the same every time it is read; `follow` writes each new line as its time comes and ends
 * when the container stops or the client goes away.
 *
 *   GET /containerLogs/default/web-1/web?tailLines=1
 *   200 2026-11-21T10:00:20.000Z minik: container web is running (20s)
 *   GET /containerLogs/default/web-1/db
 *   404 container "db" not found in pod "web-1"
 */
export function createLogServer(opts: LogServerOptions): RequestListener {
  const pollMs = opts.pollMs ?? 1000;
  return (req, res) => {
    const m = PATH.exec((req.url ?? '/').split('?')[0]!);
    if (!m) return opts.fallback(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(res, 405, `${req.method} is not allowed on container logs`);
    let ns: string, name: string, container: string;
    try {
      [ns, name, container] = m.slice(1).map(decodeURIComponent) as [string, string, string];
    } catch {
      return text(res, 400, `malformed escape in the path: ${req.url}`);
    }
    const now = opts.clock.now();
    const query = parseLogQuery(new URL(req.url ?? '/', 'http://kubelet').searchParams, now);
    if (typeof query === 'string') return text(res, 400, query);
    const pod = opts.pod(ns, name);
    if (!pod) return text(res, 404, `pod "${name}" in namespace "${ns}" does not exist on this node`);
    const run = findRun(pod, container, query.previous);
    if (isNoLog(run)) return text(res, run.code, run.message);

    const budget = new ByteBudget(query.limitBytes);
    const lines = runLines(run, now, opts.cadence);
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    const first = budget.take(renderLines(selectLines(lines, query), query.timestamps));
    if (!query.follow || req.method === 'HEAD' || budget.spent || run.finishedAt !== undefined) return void res.end(first);
    // Headers now, even with nothing to show yet, so the client knows the stream is open.
    res.flushHeaders();
    if (first.length > 0) res.write(first);
    follow(res, { ns, name, run, query, budget, lastTime: now });
  };

  function follow(res: ServerResponse, s: { ns: string; name: string; run: ContainerRun; query: LogQuery; budget: ByteBudget; lastTime: number }): void {
    let timer: Timer | undefined;
    const end = () => {
      timer?.cancel();
      res.end();
    };
    res.on('close', () => timer?.cancel());
    const schedule = () => {
      const now = opts.clock.now();
      const next = nextLineAt(s.run, now, opts.cadence) ?? now;
      timer = opts.clock.setTimeout(tick, Math.max(0, Math.min(next - now, pollMs)));
    };
    const tick = () => {
      if (res.destroyed) return;
      const pod = opts.pod(s.ns, s.name);
      const run = pod && findRun(pod, s.run.container, s.query.previous);
      // Deleted, or restarted as another run: this one's log is over.
      if (!run || isNoLog(run) || run.id !== s.run.id || run.startedAt !== s.run.startedAt) return end();
      s.run = run;
      const now = opts.clock.now();
      const lines = runLines(run, now, opts.cadence);
      const fresh = lines.filter((l) => l.time > s.lastTime);
      // Status times are whole seconds, so the exit line can carry a time already passed.
      if (run.finishedAt !== undefined && fresh.length === 0 && lines.length > 0) fresh.push(lines.at(-1)!);
      s.lastTime = Math.max(s.lastTime, now);
      if (fresh.length > 0) res.write(s.budget.take(renderLines(fresh, s.query.timestamps)));
      if (s.budget.spent || run.finishedAt !== undefined) return end();
      schedule();
    };
    schedule();
  }
}

function text(res: ServerResponse, code: number, body: string): void {
  res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
}
