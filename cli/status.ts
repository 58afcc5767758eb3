import type { ClusterState } from './cluster-state.js';
import { requireCluster } from './component-control.js';

/**
 * What `minik status` prints for a cluster's recorded state:
 *
 *   COMPONENT            STATUS     PID      ADDRESS
 *   store                running    4243     http://127.0.0.1:2379
 *   scheduler            stopped    -        http://127.0.0.1:10259
 *
 *   dashboard            http://127.0.0.1:6443/ui/
 *   kubeconfig           /home/ada/.minik/config
 *   supervisor           pid 4242 (minik up), data in /home/ada/project/.minik
 */
export function formatStatus(state: ClusterState): string {
  const row = (a: string, b: string, c: string, d: string) => `${a.padEnd(20)} ${b.padEnd(10)} ${c.padEnd(8)} ${d}`.trimEnd();
  return [
    row('COMPONENT', 'STATUS', 'PID', 'ADDRESS'),
    ...state.components.map((c) => row(c.name, c.status, c.pid === undefined ? '-' : String(c.pid), c.address)),
    '',
    `${'dashboard'.padEnd(20)} ${state.dashboard}`,
    `${'kubeconfig'.padEnd(20)} ${state.kubeconfig}`,
    `${'supervisor'.padEnd(20)} pid ${state.supervisorPid} (minik up), data in ${state.dataDir}`,
    '',
  ].join('\n');
}

/** `minik status`: the table above; NoClusterError (exit 1) when no cluster runs from the data dir. */
export function runStatus(dataDir: string): string {
  return formatStatus(requireCluster(dataDir));
}
