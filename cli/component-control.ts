import { resolve } from 'node:path';
import { liveClusterState, type ClusterState } from './cluster-state.js';

/** No cluster runs from the data dir: the one line `minik status|stop|start|down` print. */
export class NoClusterError extends Error {
  constructor(dataDir: string) {
    super(`no cluster is running from ${dataDir}: start one with \`minik up${dataDir === resolve('.minik') ? '' : ` --data-dir ${dataDir}`}\``);
  }
}

/** The live cluster of `dataDir`, or NoClusterError. */
export function requireCluster(dataDir: string): ClusterState {
  const dir = resolve(dataDir);
  const state = liveClusterState(dir);
  if (!state) throw new NoClusterError(dir);
  return state;
}

/** One request to the supervisor's control endpoint; answers its message, or throws it. */
export async function controlRequest(state: ClusterState, method: 'GET' | 'POST', path: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(`${state.control.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${state.control.token}` },
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    throw new Error(`cannot reach minik up (pid ${state.supervisorPid}) at ${state.control.url}: ${(err as Error).message}`);
  }
  const body = (await res.json().catch(() => ({}))) as { message?: string };
  const message = body.message ?? `HTTP ${res.status}`;
  if (!res.ok) throw new Error(message);
  return message;
}

/**
 * `minik stop COMPONENT` / `minik start COMPONENT`: asks the running `minik up` to stop or start
 * one component, and answers once it is done (a start, once the component is ready).
 *
 *   await runComponentCommand('.minik', 'stop', 'scheduler')   // 'scheduler stopped'
 */
export async function runComponentCommand(dataDir: string, verb: 'start' | 'stop', name: string): Promise<string> {
  const state = requireCluster(dataDir);
  const external = state.components.find((c) => c.name === name && c.status === 'external');
  if (external) throw new Error(`the ${name} is external (${external.address}): minik does not run it, so it cannot ${verb} it`);
  return controlRequest(state, 'POST', `/components/${encodeURIComponent(name)}/${verb}`);
}
