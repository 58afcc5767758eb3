import { execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMinikUp, type MinikUp } from './support/minik-up.js';

// The workload commands of minikctl against a whole cluster of real processes: the store, the API
// server, the controller manager, the scheduler and three simulated nodes, all at speed 20, so a
// node goes NotReady about two seconds after its heartbeats stop.

const MINIKCTL = join(import.meta.dirname, '..', 'dist', 'cli', 'minikctl.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
type Json = Record<string, any>;

describe('minikctl workload commands against a running cluster', () => {
  // The cluster a class gets: `minik up`, its five processes and its kubeconfig.
  let cluster: MinikUp;
  let dir: string;

  beforeAll(async () => {
    cluster = await startMinikUp(['--nodes', '3', '--speed', '20']);
    dir = mkdtempSync(join(tmpdir(), 'minikctl-workloads-'));
  });

  afterAll(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function minikctlEnv(env: NodeJS.ProcessEnv, ...args: string[]): Promise<Run> {
    return new Promise((resolve) => {
      execFile(process.execPath, [MINIKCTL, '--kubeconfig', cluster.kubeconfig, ...args], { env: { ...process.env, ...env }, timeout: 20_000 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }
  const minikctl = (...args: string[]) => minikctlEnv({}, ...args);

  async function ok(...args: string[]): Promise<string> {
    const r = await minikctl(...args);
    expect(r, `minikctl ${args.join(' ')}\n${r.stderr}`).toMatchObject({ code: 0 });
    return r.stdout;
  }
  const json = async (...args: string[]): Promise<Json> => JSON.parse(await ok('get', ...args, '-o', 'json'));

  async function eventually<T>(what: string, f: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await f();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  function file(name: string, text: string): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  }

  const deployment = (name: string, image: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, labels: {app: ${name}}}
spec:
  replicas: 3
  ${extra}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: nginx
        image: ${image}
        ports: [{containerPort: 80}]
        resources: {requests: {cpu: 100m, memory: 64Mi}}
`;

  const webPods = async () => ((await json('pods', '-l', 'app=web')).items as Json[]).filter((p) => !p.metadata.deletionTimestamp);

  it('rolls a Deployment out and reports it, then shows requests with top', async () => {
    await ok('apply', '-f', file('web.yaml', deployment('web', 'nginx:1.25')));
    const status = await ok('rollout', 'status', 'deploy/web', '--timeout', '20');
    expect(status).toMatch(/deployment "web" successfully rolled out\n$/);
    expect(status.split('\n').filter(Boolean).every((l) => /^Waiting for deployment|^deployment "web" successfully rolled out$/.test(l))).toBe(true);

    const [nodes, pods, help] = await Promise.all([ok('top', 'nodes'), ok('top', 'pods'), ok('top', 'nodes', '--help')]);
    const rows = nodes.trim().split('\n');
    expect(rows[0]).toMatch(/^NAME +CPU\(cores\) +CPU% +MEMORY\(bytes\) +MEMORY%$/);
    expect(rows.slice(1).map((r) => r.split(/ +/)[0])).toEqual(['node-1', 'node-2', 'node-3']);
    // Three pods of 100m and 64Mi are all that is requested, wherever they landed.
    const cells = rows.slice(1).map((r) => r.split(/ +/));
    expect(cells.reduce((a, c) => a + parseInt(c[1]!, 10), 0)).toBe(300);
    expect(cells.reduce((a, c) => a + parseInt(c[3]!, 10), 0)).toBe(192);
    cells.forEach((c) => expect(c[2]).toMatch(/^\d+%$/));
    expect(pods).toMatch(/^NAME +CPU\(cores\) +MEMORY\(bytes\)\n(web-\S+ +100m +64Mi\n){3}$/);
    expect(help.replace(/\s+/g, ' ')).toContain('minik has no metrics server: top shows what pods request');
  });

  it('sets an image, keeps the history, undoes, pauses, resumes and restarts', async () => {
    expect(await ok('set', 'image', 'deploy/web', 'nginx=nginx:1.26')).toBe('deployment.apps/web image updated\n');
    expect(await ok('rollout', 'status', 'deploy/web', '--timeout', '20')).toMatch(/deployment "web" successfully rolled out\n$/);
    const [history, first] = await Promise.all([ok('rollout', 'history', 'deploy/web'), ok('rollout', 'history', 'deploy/web', '--revision', '1')]);
    expect(history).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');
    expect(first).toMatch(/^deployment\.apps\/web with revision #1\nPod Template:\n/);
    expect(first).toMatch(/Image:\tnginx:1\.25\n/);

    expect(await ok('rollout', 'undo', 'deploy/web')).toBe('deployment.apps/web rolled back\n');
    const image = async () => (await json('deploy', 'web')).spec.template.spec.containers[0].image;
    expect(await image()).toBe('nginx:1.25');
    // Revision 1 comes back as revision 3, as upstream renumbers a rollback.
    const renumbered = 'deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n';
    await eventually('revision 3', async () => ((await ok('rollout', 'history', 'deploy/web')) === renumbered ? true : undefined));
    expect(await ok('rollout', 'undo', 'deploy/web', '--to-revision', '3')).toBe('deployment.apps/web skipped rollback (current template already matches revision 3)\n');

    expect(await ok('rollout', 'pause', 'deploy/web')).toBe('deployment.apps/web paused\n');
    const [again, restartPaused, undoPaused] = await Promise.all([
      minikctl('rollout', 'pause', 'deploy/web'),
      minikctl('rollout', 'restart', 'deploy/web'),
      minikctl('rollout', 'undo', 'deploy/web', '--to-revision', '2'),
    ]);
    expect(again).toMatchObject({ code: 1, stderr: 'error: deployments.apps "web" is already paused\n' });
    expect(restartPaused).toMatchObject({ code: 1, stderr: `error: deployments.apps "web" can't restart paused deployment (run rollout resume first)\n` });
    expect(undoPaused).toMatchObject({ code: 1, stderr: "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/web' and try again\n" });
    expect((await json('deploy', 'web')).spec.paused).toBe(true);
    expect(await ok('rollout', 'resume', 'deploy/web')).toBe('deployment.apps/web resumed\n');
    expect(await ok('rollout', 'restart', 'deploy/web')).toBe('deployment.apps/web restarted\n');
    const restarted = (await json('deploy', 'web')).spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'];
    expect(restarted).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // The stamped template is a new revision: a new ReplicaSet whose pods carry the stamp.
    await eventually('a ReplicaSet for the restart', async () => {
      const sets = (await json('rs', '-l', 'app=web')).items as Json[];
      return sets.some((rs) => rs.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'] === restarted && rs.metadata.annotations['deployment.kubernetes.io/revision'] === '4')
        ? true
        : undefined;
    });
  });

  it('fails rollout status once the progress deadline has passed', async () => {
    await ok('apply', '-f', file('stuck.yaml', deployment('stuck', 'registry.invalid/web', 'progressDeadlineSeconds: 1')));
    const r = await minikctl('rollout', 'status', 'deploy/stuck', '--timeout', '20');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: deployment "stuck" exceeded its progress deadline\n');
    await ok('delete', 'deploy', 'stuck', '--wait=false');
  });

  it('runs a pod, exposes the Deployment, reads logs (following them) and events', async () => {
    expect(await ok('run', 'solo', '--image=nginx:1.25', '--port=80', '--env=MODE=fast')).toBe('pod/solo created\n');
    const solo = await json('pod', 'solo');
    expect(solo.metadata.labels).toEqual({ run: 'solo' });
    expect(solo.spec.containers[0]).toMatchObject({ name: 'solo', image: 'nginx:1.25', ports: [{ containerPort: 80 }], env: [{ name: 'MODE', value: 'fast' }] });

    expect(await ok('expose', 'deploy/web', '--port=80', '--target-port=8080', '--type=NodePort')).toBe('service/web exposed\n');
    const svc = await json('svc', 'web');
    expect(svc.spec).toMatchObject({ type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] });
    expect(svc.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);

    await eventually('solo to run', async () => ((await json('pod', 'solo')).status.phase === 'Running' ? true : undefined));
    expect(await ok('logs', 'solo')).toMatch(/^\S+ minik: container solo started \(image nginx:1\.25\)\n/);
    const fromDeploy = await minikctl('logs', 'deploy/web', '--tail=1');
    expect(fromDeploy.code).toBe(0);
    expect(fromDeploy.stdout).toMatch(/^\S+ minik: container nginx (started|is running)/);
    expect(fromDeploy.stdout.trim().split('\n')).toHaveLength(1);
    expect(fromDeploy.stderr).toMatch(/^Found \d+ pods, using pod\/web-/);
    // Every pod a selector picks, one after the other, each line named with --prefix.
    const selected = await ok('logs', '-l', 'app=web', '--tail=1', '--prefix');
    const pods = (await json('pods', '-l', 'app=web')).items.map((p: Json) => p.metadata.name).filter((n: string) => n);
    expect(selected.trim().split('\n').map((l) => /^\[pod\/(\S+)\/nginx\] \S+ minik: container nginx/.exec(l)?.[1])).toEqual(pods);

    const follow = spawn(process.execPath, [MINIKCTL, '--kubeconfig', cluster.kubeconfig, 'logs', '-f', '--tail=0', 'solo'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let streamed = '';
    follow.stdout.on('data', (d: Buffer) => (streamed += d.toString()));
    try {
      // Nothing was asked of the past: a line here was written while the command followed.
      await eventually('a streamed log line', async () => (/minik: container solo is running \(\d+s\)\n/.test(streamed) ? true : undefined));
    } finally {
      follow.kill('SIGTERM');
    }

    const events = await ok('events');
    expect(events).toMatch(/^LAST SEEN +TYPE +REASON +OBJECT +MESSAGE\n/);
    expect(events).toMatch(/\n\S+ +Normal +ScalingReplicaSet +Deployment\/web +Scaled up replica set web-\S+ from 0 to 3\n/);
    const forSolo = await ok('events', '--for', 'pod/solo');
    const rows = forSolo.trim().split('\n').slice(1);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.includes(' Pod/solo '))).toBe(true);
    expect(forSolo).toMatch(/Scheduled +Pod\/solo +Successfully assigned default\/solo to node-\d/);
  });

  it('cordons, uncordons and drains a node: its pods are evicted and their ReplicaSet puts them elsewhere', async () => {
    expect(await ok('cordon', 'node-1')).toBe('node/node-1 cordoned\n');
    const [again, cordoned] = await Promise.all([ok('cordon', 'node-1'), json('node', 'node-1')]);
    expect(again).toBe('node/node-1 already cordoned\n');
    expect(cordoned.spec.unschedulable).toBe(true);
    expect(await ok('uncordon', 'node-1')).toBe('node/node-1 uncordoned\n');

    const node: string = (await json('pod', 'solo')).spec.nodeName;
    const refused = await minikctl('drain', node);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe(`node/${node} cordoned\n`);
    expect(refused.stderr).toContain('cannot delete Pods that declare no controller (use --force to override): default/solo');

    const before = (await webPods()).filter((p) => p.spec.nodeName === node).map((p) => p.metadata.name as string);
    const drained = await ok('drain', node, '--force', '--ignore-daemonsets');
    const lines = drained.trim().split('\n');
    expect(lines[0]).toBe(`node/${node} already cordoned`);
    expect(lines.at(-1)).toBe(`node/${node} drained`);
    for (const name of ['solo', ...before]) {
      expect(lines).toContain(`evicting pod default/${name}`);
      expect(lines).toContain(`pod/${name} evicted`);
    }
    await eventually('three web pods ready elsewhere', async () => {
      const pods = await webPods();
      const ready = pods.filter((p) => p.status?.conditions?.some((c: Json) => c.type === 'Ready' && c.status === 'True'));
      return ready.length === 3 && pods.every((p) => p.spec.nodeName !== node) ? true : undefined;
    });
    expect(await ok('uncordon', node)).toBe(`node/${node} uncordoned\n`);
  });

  it('edits in $EDITOR: a change is saved, no change is cancelled, an invalid one keeps a copy', async () => {
    await ok('apply', '-f', file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: slow}\n'));
    const editor = file('edit.sh', '#!/bin/sh\nsed -i "s/mode: slow/mode: fast/; s/^  replicas: [0-9]*/  replicas: -1/" "$1"\n');
    chmodSync(editor, 0o755);
    expect(await minikctlEnv({ EDITOR: editor }, 'edit', 'cm', 'settings')).toMatchObject({ code: 0, stdout: 'configmap/settings edited\n' });
    expect((await json('cm', 'settings')).data).toEqual({ mode: 'fast' });
    expect(await minikctlEnv({ KUBE_EDITOR: 'true', EDITOR: editor }, 'edit', 'cm/settings')).toMatchObject({ code: 0, stdout: 'Edit cancelled, no changes made.\n' });

    const bad = await minikctlEnv({ EDITOR: editor }, 'edit', 'deploy', 'web');
    expect(bad.code).toBe(1);
    const [serverError, copy, cancelled] = bad.stderr.trim().split('\n');
    expect(serverError).toBe('The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    const kept = /^A copy of your changes has been stored to "(.+)"$/.exec(copy ?? '')?.[1];
    expect(kept && existsSync(kept) && readFileSync(kept, 'utf8')).toMatch(/\n {2}replicas: -1\n/);
    expect(cancelled).toBe('error: Edit cancelled, no valid changes were saved.');
    expect((await json('deploy', 'web')).spec.replicas).toBe(3);
  });

  it("stops and starts a node's heartbeats, and crashes a pod", async () => {
    const nodeFault = async () => {
      expect(await ok('node', 'stop', 'node-3')).toBe('node/node-3 heartbeats stopped\n');
      const ready = async () => (await json('node', 'node-3')).status.conditions.find((c: Json) => c.type === 'Ready').status as string;
      await eventually('node-3 NotReady', async () => ((await ready()) === 'Unknown' ? true : undefined));
      expect(await ok('node', 'start', 'node-3')).toBe('node/node-3 heartbeats started\n');
      await eventually('node-3 Ready again', async () => ((await ready()) === 'True' ? true : undefined));
    };
    // On a node that keeps its heartbeats, so that the crash is the only thing happening to it.
    await ok('apply', '-f', file('crashy.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: crashy}\nspec:\n  nodeName: node-1\n  containers: [{name: main, image: busybox}]\n'));
    await Promise.all([
      nodeFault(),
      (async () => {
        await eventually('crashy to run', async () => ((await json('pod', 'crashy')).status.phase === 'Running' ? true : undefined));
        expect(await ok('pod', 'crash', 'crashy')).toBe('pod/crashy crash set: its containers exit 0s after it is Ready\n');
        expect((await json('pod', 'crashy')).metadata.annotations['minik.dev/crash']).toBe('0');
        await eventually('crashy to restart', async () => (((await json('pod', 'crashy')).status.containerStatuses?.[0]?.restartCount ?? 0) >= 1 ? true : undefined));
        expect(await ok('pod', 'crash', 'crashy', '--stop')).toBe('pod/crashy crash stopped\n');
        expect((await json('pod', 'crashy')).metadata.annotations?.['minik.dev/crash']).toBeUndefined();
      })(),
    ]);
    expect(await minikctl('pod', 'crash', 'nope')).toMatchObject({ code: 1, stderr: 'Error from server (NotFound): pods "nope" not found\n' });
  });
});
