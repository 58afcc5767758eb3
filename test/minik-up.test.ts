import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { portInUse } from '../cli/preflight.js';
import { freeListenPort } from './support/minik-up.js';
import { MINIK_BIN } from './support/store-process.js';
import { kubectlOnPath } from './support/kubectl.js';

// The kubeconfig must work with the real kubectl; a missing kubectl must never pass silently in CI.
const hasKubectl = kubectlOnPath();
const KUBECTL_MISSING = 'kubectl is not on the PATH: install the Debian package `kubernetes-client` to run the kubectl checks of test/minik-up.test.ts';
if (!hasKubectl && process.env.CI !== 'true') console.warn(`\n!!! SKIPPING the kubectl checks of test/minik-up.test.ts: ${KUBECTL_MISSING}\n`);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, timeout: 40_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
const minik = (...args: string[]) => run(process.execPath, [MINIK_BIN, ...args]);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  let v = await get();
  for (const stop = Date.now() + timeoutMs; !ok(v) && Date.now() < stop; v = await get()) await new Promise((r) => setTimeout(r, 100));
  if (!ok(v)) throw new Error(`${what}: still ${JSON.stringify(v)} after ${timeoutMs} ms`);
  return v;
}

interface Up {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  ports: Record<'store' | 'apiserver' | 'controllerManager' | 'scheduler' | 'kubelet', number>;
  portArgs: string[];
}

/** `minik up` on free ports, the data dir and the kubeconfig in the test's temp dir. */
async function startUp(dataDir: string, kubeconfig: string, waitFor = 'minik is up'): Promise<Up> {
  const ports = { store: await freeListenPort(), apiserver: await freeListenPort(), controllerManager: await freeListenPort(), scheduler: await freeListenPort(), kubelet: await freeListenPort() };
  const portArgs = ['--store-port', ports.store, '--apiserver-port', ports.apiserver, '--controller-manager-port', ports.controllerManager, '--scheduler-port', ports.scheduler, '--kubelet-port', ports.kubelet].map(String);
  const child = spawn(process.execPath, [MINIK_BIN, 'up', '--data-dir', dataDir, '--kubeconfig', kubeconfig, ...portArgs, '--nodes', '2', '--speed', '20'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const deadline = Date.now() + 40_000;
  while (!out.includes(waitFor) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
  return { child, output: () => out, exited, ports, portArgs };
}

describe('minik up, status, stop, start and down', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minik-up-'));
  const dataDir = join(dir, 'data');
  const kubeconfig = join(dir, 'kube', 'config');
  const started: ChildProcess[] = [];
  afterAll(async () => {
    // SIGTERM, not SIGKILL: minik up then stops its children instead of orphaning them.
    await Promise.all(started.filter((c) => c.exitCode === null && c.signalCode === null).map((c) => new Promise((r) => (c.once('exit', r), c.kill('SIGTERM')))));
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts every component, writes a kubeconfig, and is controlled from another shell; the data survives down', { timeout: 120_000 }, async () => {
    if (!hasKubectl && process.env.CI === 'true') throw new Error(KUBECTL_MISSING);
    const up = await startUp(dataDir, kubeconfig);
    started.push(up.child);
    const out = up.output();
    expect(out).toContain('minik is up');
    const { ports } = up;
    for (const [name, port] of [['store', ports.store], ['apiserver', ports.apiserver], ['controller-manager', ports.controllerManager], ['scheduler', ports.scheduler], ['kubelet-sim', ports.kubelet]] as const) {
      expect(out).toMatch(new RegExp(`^${name}\\s+http://127\\.0\\.0\\.1:${port}\\s+pid \\d+`, 'm'));
    }
    expect(out).toMatch(new RegExp(`^dashboard\\s+http://127\\.0\\.0\\.1:${ports.apiserver}/ui/$`, 'm'));
    expect(out).toContain(`kubeconfig           ${kubeconfig} (context minik)`);
    const pids = [...out.matchAll(/pid (\d+)/g)].map((m) => Number(m[1]));
    expect(pids).toHaveLength(5);

    const api = `http://127.0.0.1:${ports.apiserver}`;
    expect(parse(readFileSync(kubeconfig, 'utf8'))).toMatchObject({ 'current-context': 'minik', clusters: [{ name: 'minik', cluster: { server: api } }] });
    if (hasKubectl) {
      const env = { ...process.env, KUBECACHEDIR: join(dir, 'kube-cache') };
      const nodes = await until('kubectl get nodes', () => run('kubectl', ['--kubeconfig', kubeconfig, 'get', 'nodes', '-o', 'name'], env), (r) => r.stdout.trim().split('\n').length === 2);
      expect(nodes.stdout.trim().split('\n').sort()).toEqual(['node/node-1', 'node/node-2']);
    }

    const status = await minik('status', '--data-dir', dataDir);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^scheduler\\s+running\\s+${pids[3]}\\s+http://127\\.0\\.0\\.1:${ports.scheduler}$`, 'm'));
    expect(status.stdout).toMatch(new RegExp(`^store\\s+running\\s+${pids[0]}\\s+http://127\\.0\\.0\\.1:${ports.store}$`, 'm'));

    // A second cluster on the same data dir is refused, in one line, and the first is untouched.
    const second = await minik('up', '--data-dir', dataDir, '--kubeconfig', kubeconfig, ...(await Promise.all([1, 2, 3, 4, 5].map(() => freeListenPort()))).flatMap((p, i) => [['--store-port', '--apiserver-port', '--controller-manager-port', '--scheduler-port', '--kubelet-port'][i]!, String(p)]));
    expect(second.code).toBe(1);
    expect(second.stderr.trim().split('\n')).toEqual([`minik: a cluster already runs from ${dataDir} (minik up, pid ${up.child.pid}): stop it with \`minik down --data-dir ${dataDir}\` or choose another --data-dir`]);

    // The lesson: stop the scheduler and new pods stay Pending; start it and they run.
    expect(await minik('stop', 'scheduler', '--data-dir', dataDir)).toMatchObject({ code: 0, stdout: 'scheduler stopped\n' });
    expect(alive(pids[3]!)).toBe(false);
    expect((await minik('status', '--data-dir', dataDir)).stdout).toMatch(/^scheduler\s+stopped\s+-\s+/m);
    const created = await fetch(`${api}/api/v1/namespaces/default/pods`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ metadata: { name: 'web' }, spec: { containers: [{ name: 'web', image: 'nginx' }] } }),
    });
    expect(created.status).toBe(201);
    type PodView = { spec: { nodeName?: string }; status?: { phase?: string } };
    const pod = async () => (await (await fetch(`${api}/api/v1/namespaces/default/pods/web`)).json()) as PodView;
    await new Promise((r) => setTimeout(r, 1500));
    expect(await pod()).toMatchObject({ status: { phase: 'Pending' } });
    expect((await pod()).spec.nodeName).toBeUndefined();
    expect(up.child.exitCode).toBeNull(); // a stop is not a failure

    expect(await minik('start', 'scheduler', '--data-dir', dataDir)).toMatchObject({ code: 0, stdout: 'scheduler started\n' });
    await until('the pod runs once the scheduler is back', async () => (await pod()).status?.phase, (p) => p === 'Running');
    expect((await minik('status', '--data-dir', dataDir)).stdout).toMatch(/^scheduler\s+running\s+\d+\s+/m);

    const down = await minik('down', '--data-dir', dataDir);
    expect(down).toMatchObject({ code: 0 });
    expect(down.stdout).toContain(`its data stays in ${dataDir}`);
    expect(await up.exited).toBe(0);
    for (const pid of pids) expect(alive(pid)).toBe(false);
    expect(existsSync(join(dataDir, 'store'))).toBe(true);
    const none = await minik('status', '--data-dir', dataDir);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(`minik: no cluster is running from ${dataDir}: start one with \`minik up --data-dir ${dataDir}\`\n`);

    // Up again on the same data: the pod is still there. Then down --purge removes it all.
    const again = await startUp(dataDir, kubeconfig);
    started.push(again.child);
    expect(again.output()).toContain('minik is up');
    const kept = (await (await fetch(`http://127.0.0.1:${again.ports.apiserver}/api/v1/namespaces/default/pods/web`)).json()) as { metadata: { name: string } };
    expect(kept.metadata.name).toBe('web');
    const purge = await minik('down', '--purge', '--data-dir', dataDir);
    expect(purge).toMatchObject({ code: 0 });
    expect(await again.exited).toBe(0);
    expect(existsSync(dataDir)).toBe(false);
    expect((parse(readFileSync(kubeconfig, 'utf8')) as { contexts: unknown[] }).contexts).toEqual([]);
  });

  it('refuses in one line when a port is taken, naming the flag, and starts nothing', { timeout: 60_000 }, async () => {
    const storePort = await freeListenPort();
    const blocker = spawn(process.execPath, [MINIK_BIN, 'store', '--port', String(storePort), '--data-dir', join(dir, 'blocker')], { stdio: 'ignore' });
    started.push(blocker);
    try {
      await until('the blocking store', async () => portInUse(storePort), (v) => v);
      const other = join(dir, 'second');
      const ports = await Promise.all([1, 2, 3, 4].map(() => freeListenPort()));
      const r = await minik('up', '--data-dir', other, '--kubeconfig', join(dir, 'kube2'), '--store-port', String(storePort), '--apiserver-port', String(ports[0]), '--controller-manager-port', String(ports[1]), '--scheduler-port', String(ports[2]), '--kubelet-port', String(ports[3]));
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`minik: port ${storePort} on 127.0.0.1 (the store) is already in use: stop what holds it or choose another --store-port\n`);
      for (const p of ports) expect(await portInUse(p)).toBe(false);
      expect(existsSync(join(dir, 'kube2'))).toBe(false);
    } finally {
      blocker.kill('SIGTERM');
    }
  });

  it('refuses in one line when another store holds the data dir, and leaves nothing running', { timeout: 60_000 }, async () => {
    const held = join(dir, 'held');
    const storePort = await freeListenPort();
    const lone = spawn(process.execPath, [MINIK_BIN, 'store', '--port', String(storePort), '--data-dir', join(held, 'store')], { stdio: 'ignore' });
    started.push(lone);
    try {
      await until('the lone store', async () => portInUse(storePort), (v) => v);
      const up = await startUp(held, join(dir, 'kube3'), 'minik:');
      expect(await up.exited).toBe(1);
      const lines = up.output().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^minik: the store did not start: Cannot open the store's data in ${join(held, 'store')}: another store process holds it .*Stop that process or choose another --data-dir\\.$`));
      for (const p of Object.values(up.ports)) expect(await portInUse(p)).toBe(false);
      expect(existsSync(join(held, 'cluster.json'))).toBe(false);
    } finally {
      lone.kill('SIGTERM');
    }
  });
});
