import { createServer } from 'node:net';
import { liveClusterState } from './cluster-state.js';
import type { ComponentSpec } from './up-config.js';

/** Whether something already listens on `host:port` (tried by binding it for a moment). */
export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(true));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(false)));
  });
}

/**
 * The one-line reason `minik up` cannot start here, or undefined: a cluster already runs from this
 * data dir, or a port is taken. Checked before anything starts, so a refusal leaves nothing behind.
 *
 *   await preflight('/tmp/c', specs)
 *     // 'port 6443 on 127.0.0.1 (the apiserver) is already in use: stop what holds it or choose another --apiserver-port'
 */
export async function preflight(dataDir: string, specs: ComponentSpec[], inUse: (port: number) => Promise<boolean> = portInUse): Promise<string | undefined> {
  const running = liveClusterState(dataDir);
  if (running) {
    return `a cluster already runs from ${dataDir} (minik up, pid ${running.supervisorPid}): stop it with \`minik down --data-dir ${dataDir}\` or choose another --data-dir`;
  }
  const taken = await Promise.all(specs.map((s) => inUse(s.port)));
  const i = taken.indexOf(true);
  if (i >= 0) {
    const s = specs[i]!;
    return `port ${s.port} on 127.0.0.1 (the ${s.name}) is already in use: stop what holds it or choose another ${s.portFlag}`;
  }
  return undefined;
}
