import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './support/ports.js';
import { MINIK_BIN } from './support/store-process.js';

describe('minik up', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minik-up-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts every component, says where each is, runs a pod, and stops cleanly', async () => {
    const [storePort, apiPort, cmPort, schedulerPort, kubeletPort] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
    const ports = ['--store-port', storePort, '--apiserver-port', apiPort, '--controller-manager-port', cmPort, '--scheduler-port', schedulerPort, '--kubelet-port', kubeletPort].map(String);
    const up = spawn(process.execPath, [MINIK_BIN, 'up', '--data-dir', dir, ...ports, '--nodes', '2', '--speed', '20'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    up.stdout.on('data', (d: Buffer) => (out += d.toString()));
    up.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => up.once('exit', (code) => r(code)));
    const deadline = Date.now() + 20_000;
    while (!out.includes('minik is up') && Date.now() < deadline && up.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    expect(out).toContain('minik is up');
    expect(out).toMatch(new RegExp(`store\\s+http://127\\.0\\.0\\.1:${storePort}\\s+pid \\d+`));
    expect(out).toMatch(new RegExp(`apiserver\\s+http://127\\.0\\.0\\.1:${apiPort}\\s+pid \\d+`));
    expect(out).toMatch(new RegExp(`controller-manager\\s+http://127\\.0\\.0\\.1:${cmPort}\\s+pid \\d+`));
    expect(out).toMatch(new RegExp(`scheduler\\s+http://127\\.0\\.0\\.1:${schedulerPort}\\s+pid \\d+`));
    expect(out).toMatch(new RegExp(`kubelet-sim\\s+http://127\\.0\\.0\\.1:${kubeletPort}\\s+pid \\d+`));
    const pids = [...out.matchAll(/pid (\d+)/g)].map((m) => Number(m[1]));

    const ns = (await (await fetch(`http://127.0.0.1:${apiPort}/api/v1/namespaces`)).json()) as { items: Array<{ metadata: { name: string } }> };
    expect(ns.items.map((n) => n.metadata.name)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);

    // The whole path a pod takes: created, scheduled onto a simulated node, running.
    const created = await fetch(`http://127.0.0.1:${apiPort}/api/v1/namespaces/default/pods`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ metadata: { name: 'web' }, spec: { containers: [{ name: 'web', image: 'nginx' }] } }),
    });
    expect(created.status).toBe(201);
    let phase = '';
    for (const stop = Date.now() + 15_000; phase !== 'Running' && Date.now() < stop; ) {
      await new Promise((r) => setTimeout(r, 100));
      phase = ((await (await fetch(`http://127.0.0.1:${apiPort}/api/v1/namespaces/default/pods/web`)).json()) as { status?: { phase?: string } }).status?.phase ?? '';
    }
    expect(phase).toBe('Running');

    up.kill('SIGTERM');
    expect(await exited).toBe(0);
    // Nothing is left behind.
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });

  it('says in one line why it cannot start when a port is taken, and leaves nothing running', async () => {
    const storePort = await freePort();
    const blocker = spawn(process.execPath, [MINIK_BIN, 'store', '--port', String(storePort), '--data-dir', join(dir, 'other')], { stdio: 'ignore' });
    try {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        try {
          if ((await fetch(`http://127.0.0.1:${storePort}/readyz`)).ok) break;
        } catch {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      const up = spawn(process.execPath, [MINIK_BIN, 'up', '--data-dir', join(dir, 'second'), '--store-port', String(storePort), '--apiserver-port', String(await freePort()), '--controller-manager-port', String(await freePort()), '--scheduler-port', String(await freePort()), '--kubelet-port', String(await freePort())], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      up.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const code = await new Promise<number | null>((r) => up.once('exit', (c) => r(c)));
      expect(code).not.toBe(0);
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(err).toMatch(/the store stopped: .*port \d+ on 127\.0\.0\.1 is already in use/);
    } finally {
      blocker.kill('SIGTERM');
    }
  });
});
