import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ComponentName } from './up-config.js';

/** A component as `minik status` shows it. `external`: a store given with `--store`, not run by minik. */
export interface ComponentState {
  name: ComponentName;
  status: 'starting' | 'running' | 'stopping' | 'stopped' | 'external';
  pid?: number;
  address: string;
  args: string[];
  log?: string;
}

/**
 * What a running `minik up` records in its data dir (`cluster.json`), so that `minik status`,
 * `stop`, `start` and `down` from another shell find it: the supervisor's pid, its control
 * endpoint (loopback HTTP, with a token only readers of the data dir know), and each component.
 *
 *   { "supervisorPid": 4242, "control": { "url": "http://127.0.0.1:40123", "token": "9f..." },
 *     "kubeconfig": "/home/ada/.minik/config", "dashboard": "http://127.0.0.1:6443/ui/",
 *     "components": [{ "name": "store", "status": "running", "pid": 4243, "address": "http://127.0.0.1:2379", ... }] }
 */
export interface ClusterState {
  supervisorPid: number;
  control: { url: string; token: string };
  dataDir: string;
  kubeconfig: string;
  dashboard: string;
  components: ComponentState[];
}

export function statePath(dataDir: string): string {
  return join(dataDir, 'cluster.json');
}

/** Written whole and renamed into place, so a reader never sees half a file. */
export function writeClusterState(dataDir: string, state: ClusterState): void {
  const path = statePath(dataDir);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}

export function removeClusterState(dataDir: string): void {
  rmSync(statePath(dataDir), { force: true });
}

/** The recorded state, or undefined if there is none or it cannot be read. */
export function readClusterState(dataDir: string): ClusterState | undefined {
  try {
    const state = JSON.parse(readFileSync(statePath(dataDir), 'utf8')) as ClusterState;
    return typeof state.supervisorPid === 'number' && Array.isArray(state.components) ? state : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The state of the cluster running from `dataDir`, or undefined when none runs: a file left by a
 * supervisor that was killed names a dead pid and does not count.
 */
export function liveClusterState(dataDir: string, alive: (pid: number) => boolean = isAlive): ClusterState | undefined {
  const state = readClusterState(dataDir);
  return state && alive(state.supervisorPid) ? state : undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
