import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isAlive, liveClusterState } from './cluster-state.js';
import { controlRequest, NoClusterError } from './component-control.js';
import { removeMinikKubeconfig } from './kubeconfig-file.js';

/**
 * `minik down [--purge]`: asks the running `minik up` to stop every component (the clients, then
 * the API server, then the store) and waits until it has exited. The data stays for the next
 * `minik up`; `--purge` also removes the data dir and minik's context from the kubeconfig.
 * With `--purge` and no cluster running, the data dir is still removed.
 *
 *   await runDown('.minik', { purge: false })   // 'minik is down; its data stays in /home/ada/p/.minik ...'
 */
export async function runDown(dataDirArg: string, opts: { purge: boolean; timeoutMs?: number }): Promise<string> {
  const dataDir = resolve(dataDirArg);
  const state = liveClusterState(dataDir);
  if (!state && !opts.purge) throw new NoClusterError(dataDir);
  if (state) {
    await controlRequest(state, 'POST', '/down');
    const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
    while (isAlive(state.supervisorPid)) {
      if (Date.now() > deadline) throw new Error(`minik up (pid ${state.supervisorPid}) did not stop within ${(opts.timeoutMs ?? 30_000) / 1000} s; see the logs in ${join(dataDir, 'logs')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  if (!opts.purge) return `minik is down; its data stays in ${dataDir} for the next minik up (minik down --purge removes it)`;
  if (!existsSync(dataDir)) return `minik is down; there was no data in ${dataDir}`;
  // Only a directory minik made is removed: a mistyped --data-dir must not cost someone their files.
  if (!['store', 'logs', 'cluster.json'].some((f) => existsSync(join(dataDir, f)))) {
    throw new Error(`${dataDir} does not look like a minik data dir (no store, logs or cluster.json in it): not removing it`);
  }
  rmSync(dataDir, { recursive: true, force: true });
  if (state) removeMinikKubeconfig(state.kubeconfig);
  return `minik is down; removed ${dataDir}${state ? ` and the minik context from ${state.kubeconfig}` : ''}`;
}
