import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAlive, liveClusterState, readClusterState, removeClusterState, statePath, writeClusterState, type ClusterState } from './cluster-state.js';

const state = (supervisorPid: number): ClusterState => ({
  supervisorPid,
  control: { url: 'http://127.0.0.1:40123', token: '9f00' },
  dataDir: '/d',
  kubeconfig: '/h/.minik/config',
  dashboard: 'http://127.0.0.1:6443/ui/',
  components: [{ name: 'store', status: 'running', pid: 4243, address: 'http://127.0.0.1:2379', args: ['store'] }],
});

describe('the cluster state file', () => {
  let dir: string;
  beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'minik-state-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads back what was written, readable only by its owner (it holds the control token)', () => {
    writeClusterState(dir, state(4242));
    expect(readClusterState(dir)).toEqual(state(4242));
    expect(statSync(statePath(dir)).mode & 0o777).toBe(0o600);
    removeClusterState(dir);
    expect(readClusterState(dir)).toBeUndefined();
  });

  it('counts only a cluster whose supervisor is alive: a file left by a killed minik up does not hold the data dir', () => {
    writeClusterState(dir, state(4242));
    expect(liveClusterState(dir, (pid) => pid === 4242)?.supervisorPid).toBe(4242);
    expect(liveClusterState(dir, () => false)).toBeUndefined();
    writeClusterState(dir, state(process.pid));
    expect(liveClusterState(dir)?.supervisorPid).toBe(process.pid);
  });

  it('reads a missing, truncated or foreign file as no cluster', () => {
    expect(readClusterState(dir)).toBeUndefined();
    writeFileSync(statePath(dir), '{"supervisorPid": 12');
    expect(readClusterState(dir)).toBeUndefined();
    writeFileSync(statePath(dir), '{"hello": "world"}');
    expect(readClusterState(dir)).toBeUndefined();
  });

  it('knows a live process from a dead one', () => {
    expect(isAlive(process.pid)).toBe(true);
    expect(isAlive(2 ** 22 + 1)).toBe(false);
  });
});
