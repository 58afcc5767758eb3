import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freeListenPort } from './support/minik-up.js';
import { MINIK_BIN } from './support/store-process.js';
import { kubectlOnPath } from './support/kubectl.js';

// Applied as the README tells a class to; with the real kubectl when it is installed (it must be in
// CI), else with minikctl, which takes the same arguments.
const hasKubectl = kubectlOnPath();
const KUBECTL_MISSING = 'kubectl is not on the PATH: install the Debian package `kubernetes-client` to apply the examples with it';
if (!hasKubectl && process.env.CI !== 'true') console.warn(`\n!!! test/examples.test.ts uses minikctl: ${KUBECTL_MISSING}\n`);
const MINIKCTL_BIN = resolve(import.meta.dirname, '../dist/cli/minikctl.js');
const EXAMPLES = resolve(import.meta.dirname, '../examples');


type Pod = {
  metadata: { name: string; labels?: Record<string, string>; deletionTimestamp?: string };
  status?: { phase?: string; conditions?: Array<{ type: string; status: string }> };
};
const ready = (p: Pod) => p.status?.phase === 'Running' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

describe('examples/', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minik-examples-'));
  const kubeconfig = join(dir, 'config');
  let up: ChildProcess | undefined;
  afterAll(async () => {
    // SIGTERM, not SIGKILL: minik up then stops its children instead of orphaning them.
    if (up && up.exitCode === null && up.signalCode === null) await new Promise((r) => (up!.once('exit', r), up!.kill('SIGTERM')));
    rmSync(dir, { recursive: true, force: true });
  });

  function ctl(...args: string[]): Promise<{ code: number; out: string }> {
    const [cmd, pre] = hasKubectl ? ['kubectl', []] : [process.execPath, [MINIKCTL_BIN]];
    return new Promise((r) =>
      execFile(cmd, [...pre, '--kubeconfig', kubeconfig, ...args], { timeout: 30_000, env: { ...process.env, KUBECACHEDIR: join(dir, 'cache') } }, (err, stdout, stderr) =>
        r({ code: err ? 1 : 0, out: stdout + stderr }),
      ),
    );
  }

  it('every example applies and runs: pods Running and Ready, db-init Succeeded; nginx scales 3 -> 10 -> 2', { timeout: 120_000 }, async () => {
    if (!hasKubectl && process.env.CI === 'true') throw new Error(KUBECTL_MISSING);
    const ports = await Promise.all([1, 2, 3, 4, 5].map(() => freeListenPort()));
    const flags = ['--store-port', '--apiserver-port', '--controller-manager-port', '--scheduler-port', '--kubelet-port'].flatMap((f, i) => [f, String(ports[i])]);
    up = spawn(process.execPath, [MINIK_BIN, 'up', '--data-dir', join(dir, 'data'), '--kubeconfig', kubeconfig, ...flags, '--speed', '20'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    up.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    up.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => up!.once('exit', (c) => r(c)));
    for (const stop = Date.now() + 40_000; !out.includes('minik is up') && up.exitCode === null && Date.now() < stop; ) await new Promise((r) => setTimeout(r, 50));
    expect(out).toContain('minik is up');

    for (const example of ['nginx-deployment.yaml', 'env-echo.yaml', 'users-app', 'game-demo.yaml', 'secret-env.yaml']) {
      const r = await ctl('apply', '-f', join(EXAMPLES, example));
      expect(r, `apply -f examples/${example}`).toMatchObject({ code: 0 });
    }

    const api = `http://127.0.0.1:${ports[1]}`;
    const pods = async () => ((await (await fetch(`${api}/api/v1/namespaces/default/pods`)).json()) as { items: Pod[] }).items.filter((p) => !p.metadata.deletionTimestamp);
    const until = async (what: string, ok: (ps: Pod[]) => boolean) => {
      let ps = await pods();
      for (const stop = Date.now() + 30_000; !ok(ps) && Date.now() < stop; ps = await pods()) await new Promise((r) => setTimeout(r, 200));
      expect(ps.map((p) => `${p.metadata.name} ${p.status?.phase}${ready(p) ? ' ready' : ''}`), what).toSatisfy(() => ok(ps));
      return ps;
    };
    const byApp = (ps: Pod[], app: string) => ps.filter((p) => p.metadata.labels?.app === app);

    const all = await until('every example pod runs', (ps) => {
      const init = ps.find((p) => p.metadata.name === 'db-init');
      const rest = ps.filter((p) => p.metadata.name !== 'db-init');
      return init?.status?.phase === 'Succeeded' && rest.length === 3 + 2 + 1 + 2 + 1 + 1 && rest.every(ready);
    });
    expect(byApp(all, 'nginx')).toHaveLength(3);
    expect(byApp(all, 'env-echo')).toHaveLength(2);
    expect(all.map((p) => p.metadata.name)).toEqual(expect.arrayContaining(['configmap-demo-pod', 'secret-env', 'db-init']));

    // The LoadBalancer got an external IP, and the Services' Endpoints list their ready pods.
    const svc = (await (await fetch(`${api}/api/v1/namespaces/default/services/env-echo`)).json()) as { status?: { loadBalancer?: { ingress?: Array<{ ip?: string }> } } };
    expect(svc.status?.loadBalancer?.ingress?.[0]?.ip).toMatch(/^172\.18\./);
    const ep = (await (await fetch(`${api}/api/v1/namespaces/default/endpoints/mysql`)).json()) as { subsets?: Array<{ addresses?: unknown[] }> };
    expect(ep.subsets?.[0]?.addresses).toHaveLength(1);

    expect(await ctl('scale', 'deployment', 'nginx', '--replicas=10')).toMatchObject({ code: 0 });
    await until('nginx at 10 ready replicas', (ps) => byApp(ps, 'nginx').length === 10 && byApp(ps, 'nginx').every(ready));
    expect(await ctl('scale', 'deployment', 'nginx', '--replicas=2')).toMatchObject({ code: 0 });
    await until('nginx at 2 ready replicas', (ps) => byApp(ps, 'nginx').length === 2 && byApp(ps, 'nginx').every(ready));

    up.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
