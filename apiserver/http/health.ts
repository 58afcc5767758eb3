import type { Request, Response } from 'express';

/** One named health check: it throws, or rejects, when unhealthy. */
export interface HealthCheck {
  name: string;
  check(): Promise<void> | void;
}

const CHECK_TIMEOUT_MS = 2_000;

/**
 * `/livez`, `/readyz` and `/healthz` as kube-apiserver answers them: `ok`, or with `?verbose` a line
 * per check and "readyz check passed"; a failure is a 503 listing every check, the failed ones as
 * `[-]etcd failed: reason withheld`. `/readyz/etcd` runs one check; `?exclude=etcd` skips one.
 */
export function healthEndpoint(kind: string, checks: HealthCheck[]): (req: Request, res: Response) => Promise<void> {
  return async (req, res) => {
    const only = typeof req.params.check === 'string' ? req.params.check : undefined;
    const q = req.query as Record<string, string | string[] | undefined>;
    const excluded = new Set([q.exclude ?? []].flat());
    const chosen = checks.filter((c) => (only ? c.name === only : !excluded.has(c.name)));
    if (only && chosen.length === 0) return void res.status(404).type('text/plain').send(`no such ${kind} check: ${only}\n`);
    const results = await Promise.all(chosen.map(async (c) => ({ name: c.name, ok: await passes(c) })));
    const lines = results.map((r) => (r.ok ? `[+]${r.name} ok` : `[-]${r.name} failed: reason withheld`));
    const failed = results.some((r) => !r.ok);
    res.type('text/plain');
    if (failed) return void res.status(503).send(`${lines.join('\n')}\n${kind} check failed\n`);
    res.send(q.verbose !== undefined && !only ? `${lines.join('\n')}\n${kind} check passed\n` : 'ok');
  };
}

async function passes(c: HealthCheck): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(() => c.check()),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS))),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
