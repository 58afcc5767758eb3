import { execFile, spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient, type KubeObject } from '../api/client.js';
import { resolveResource } from '../api/resources.js';
import type { Pod } from '../api/schemas/pod.js';
import { startCluster, startComponent, type Cluster, type MinikProcess } from './support/cluster.js';
import { kubectlOnPath } from './support/kubectl.js';

// The point is the real client, so a missing kubectl must never pass silently in CI.
const KUBECTL_MISSING =
  'kubectl is not on the PATH: install the Debian package `kubernetes-client` (apt-get install kubernetes-client) to run test/pod-logs.test.ts';
const hasKubectl = kubectlOnPath();
const inCI = process.env.CI === 'true';
if (!hasKubectl && !inCI) console.warn(`\n!!! SKIPPING test/pod-logs.test.ts: ${KUBECTL_MISSING}\n`);
if (!hasKubectl && inCI) {
  describe('kubectl', () => {
    it('is installed', () => {
      throw new Error(KUBECTL_MISSING);
    });
  });
}

const podsR = resolveResource('pods')!;
const LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z minik: container (\S+) (started \(image \S+\)|is running \(\d+s\))$/;

const pod = (name: string, containers: string[], extra: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name },
  spec: { containers: containers.map((c) => ({ name: c, image: `registry.example/${c}:1.0` })), ...extra },
});

describe.skipIf(!hasKubectl)('kubectl logs against minik, through the API server to the node simulator', () => {
  let cluster: Cluster;
  let client: ApiClient;
  let sim: MinikProcess;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    cluster = await startCluster();
    client = new ApiClient({ server: cluster.apiserver.url });
    dir = mkdtempSync(join(tmpdir(), 'minik-logs-'));
    env = { ...process.env, KUBECONFIG: cluster.kubeconfig, KUBECACHEDIR: join(dir, 'cache') };
    // Speed 20: a container writes a line every 500 ms (10 s of simulated time).
    sim = await startComponent('kubelet-sim', cluster.apiserver.url, ['--nodes', '1', '--speed', '20']);
    await client.create(podsR, 'default', pod('web-1', ['web'], { nodeName: 'node-1' }));
    await client.create(podsR, 'default', pod('duo', ['a', 'b'], { nodeName: 'node-1' }));
    // No scheduler runs: a pod without a node stays unscheduled.
    await client.create(podsR, 'default', pod('unscheduled', ['web']));
    await client.create(podsR, 'default', pod('no-config', ['web'], { nodeName: 'node-1', volumes: [{ name: 'cfg', configMap: { name: 'missing' } }] }));
    await vi.waitFor(async () => {
      for (const n of ['web-1', 'duo']) expect((await client.get<Pod>(podsR, 'default', n)).status?.phase).toBe('Running');
      expect((await client.get<Pod>(podsR, 'default', 'no-config')).status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('CreateContainerConfigError');
    }, { timeout: 20_000, interval: 100 });
  });

  afterAll(async () => {
    await sim?.kill('SIGKILL');
    client?.close();
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const kubectl = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile('kubectl', args, { env, timeout: 20_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0, stdout, stderr });
      });
    });

  it('kubectl logs shows what the container wrote, and --tail=1 the last line of it', async () => {
    const all = await vi.waitFor(async () => {
      const r = await kubectl('logs', 'web-1');
      expect(r.code).toBe(0);
      expect(r.stdout.trim().split('\n').length).toBeGreaterThanOrEqual(3);
      return r.stdout.trim().split('\n');
    }, { timeout: 10_000, interval: 200 });
    expect(all[0]).toMatch(/ minik: container web started \(image registry\.example\/web:1\.0\)$/);
    expect(all[1]).toMatch(/ minik: container web is running \(10s\)$/);
    for (const l of all) expect(l).toMatch(LINE);
    const tail = await kubectl('logs', 'web-1', '--tail=1');
    expect(tail.code).toBe(0);
    expect(tail.stdout.trim().split('\n')).toHaveLength(1);
    expect(tail.stdout.trim()).toMatch(/ minik: container web is running \(\d+s\)$/);
  });

  it('-c picks a container of a pod with several', async () => {
    const b = await kubectl('logs', 'duo', '-c', 'b');
    expect(b.code).toBe(0);
    expect(b.stdout.split('\n')[0]).toMatch(/ minik: container b started \(image registry\.example\/b:1\.0\)$/);
    expect(b.stdout).not.toContain('container a ');
  });

  it('says why there are no logs, in the server\'s words', async () => {
    // kubectl reads the pod before its log; the log endpoint itself answers the same 404.
    expect(await kubectl('logs', 'nope')).toMatchObject({ code: 1, stderr: 'error: error from server (NotFound): pods "nope" not found in namespace "default"\n' });
    expect(await kubectl('get', '--raw', '/api/v1/namespaces/default/pods/nope/log')).toMatchObject({ code: 1, stderr: 'Error from server (NotFound): pods "nope" not found\n' });
    expect(await kubectl('logs', 'unscheduled')).toMatchObject({
      code: 1,
      stderr: 'Error from server (BadRequest): container "web" in pod "unscheduled" is waiting to start: the pod is not scheduled to a node yet\n',
    });
    expect(await kubectl('logs', 'no-config')).toMatchObject({
      code: 1,
      stderr: 'Error from server (BadRequest): container "web" in pod "no-config" is waiting to start: CreateContainerConfigError\n',
    });
    // kubectl picks or checks the container itself; other clients get the server's answer.
    expect(await kubectl('get', '--raw', '/api/v1/namespaces/default/pods/duo/log?container=c')).toMatchObject({
      code: 1,
      stderr: 'Error from server (BadRequest): container c is not valid for pod duo\n',
    });
    expect(await kubectl('get', '--raw', '/api/v1/namespaces/default/pods/duo/log')).toMatchObject({
      code: 1,
      stderr: 'Error from server (BadRequest): a container name must be specified for pod duo, choose one of: [a b]\n',
    });
  });

  it("@kubernetes/client-node's Log API follows the same stream", async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(cluster.kubeconfig);
    const sink = new PassThrough();
    let out = '';
    sink.setEncoding('utf8').on('data', (d: string) => (out += d));
    const asked = Date.now();
    const req = await new k8s.Log(kc).log('default', 'web-1', 'web', sink, { follow: true, tailLines: 1, timestamps: true });
    try {
      // The tail line, then at least one written after: a busy machine may deliver several at once.
      await vi.waitFor(() => expect(out.trim().split('\n').length).toBeGreaterThanOrEqual(2), { timeout: 10_000, interval: 50 });
      const lines = out.trim().split('\n');
      for (const l of lines) expect(l).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z \S+ minik: container web is running \(\d+s\)$/);
      // tailLines=1: one line from before the request at most.
      const before = lines.filter((l) => Date.parse(l.slice(0, 23) + 'Z') < asked - 1000);
      expect(before.length).toBeLessThanOrEqual(1);
    } finally {
      req.abort();
    }
  });

  it('kubectl logs -f streams each new line as it is written', async () => {
    const child = spawn('kubectl', ['logs', '-f', '--tail=1', 'web-1'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    try {
      // Under load, lines may arrive several in one chunk: wait for at least two, then compare the first two.
      await vi.waitFor(() => expect(out.trim().split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(2), { timeout: 20_000, interval: 50 });
      // --tail=1 gave the first; only a line written after the command started can make the second.
      const [first = '', second] = out.trim().split('\n');
      expect(second).toMatch(/ minik: container web is running \(\d+s\)$/);
      const seconds = (l: string) => Number(/\((\d+)s\)$/.exec(l)![1]);
      expect(seconds(second!)).toBe(seconds(first) + 10);
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill('SIGTERM');
    }
  });
});
