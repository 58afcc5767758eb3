import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient, type KubeObject } from '../api/client.js';
import { resolveResource } from '../api/resources.js';
import type { Node } from '../api/schemas/cluster.js';
import type { Pod } from '../api/schemas/pod.js';
import { startCluster, startComponent, type Cluster, type MinikProcess } from './support/cluster.js';
import { MINIK_BIN } from './support/store-process.js';

const podsR = resolveResource('pods')!;
const nodesR = resolveResource('nodes')!;

const NODES_FILE = `
nodes:
  - name: big-1
    cpu: "16"
    memory: 64Gi
    labels: { node.kubernetes.io/instance-type: large, topology.kubernetes.io/zone: zone-a }
  - namePrefix: gpu-
    count: 2
    cpu: "2"
    pods: 20
    labels: { node.kubernetes.io/instance-type: gpu }
    taints: [{ key: dedicated, value: gpu, effect: NoSchedule }]
`;

const pod = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '100m', memory: '64Mi' } } }], ...extra },
});

describe('minik kubelet-sim --nodes-file', () => {
  let cluster: Cluster;
  let client: ApiClient;
  let dir: string;
  const components: MinikProcess[] = [];

  beforeAll(async () => {
    cluster = await startCluster();
    client = new ApiClient({ server: cluster.apiserver.url });
    dir = mkdtempSync(join(tmpdir(), 'minik-nodes-file-'));
  });

  afterAll(async () => {
    for (const c of components) await c.kill('SIGKILL');
    client?.close();
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('registers each node as the file says, and the scheduler keeps untolerating pods off the tainted ones', async () => {
    writeFileSync(join(dir, 'nodes.yaml'), NODES_FILE);
    const sim = await startComponent('kubelet-sim', cluster.apiserver.url, ['--nodes-file', join(dir, 'nodes.yaml'), '--memory', '4Gi', '--speed', '50']);
    components.push(sim, await startComponent('scheduler', cluster.apiserver.url, ['--seed', '3']));

    const nodes = (await client.list<Node>(nodesR)).items;
    expect(nodes.map((n) => n.metadata?.name).sort()).toEqual(['big-1', 'gpu-1', 'gpu-2']);
    const byName = new Map(nodes.map((n) => [n.metadata!.name!, n]));
    expect(byName.get('big-1')!.status?.capacity).toEqual({ cpu: '16', memory: '64Gi', pods: '110' });
    expect(byName.get('big-1')!.metadata?.labels).toEqual({
      'node.kubernetes.io/instance-type': 'large',
      'topology.kubernetes.io/zone': 'zone-a',
      'kubernetes.io/hostname': 'big-1',
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
    });
    expect(byName.get('big-1')!.spec?.taints).toBeUndefined();
    expect(byName.get('gpu-2')!.status?.capacity).toEqual({ cpu: '2', memory: '4Gi', pods: '20' });
    expect(byName.get('gpu-2')!.spec?.taints).toEqual([{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
    // Where the API server finds the node's kubelet, whatever the node stages wrote since.
    await vi.waitFor(async () => {
      const n = await client.get<Node>(nodesR, undefined, 'gpu-2');
      expect(n.status?.daemonEndpoints).toEqual({ kubeletEndpoint: { Port: sim.port } });
      expect(n.status?.addresses).toEqual([{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: 'gpu-2' }]);
    }, { timeout: 10_000, interval: 100 });

    const plain = ['web-1', 'web-2', 'web-3', 'web-4'];
    await Promise.all(plain.map((n) => client.create(podsR, 'default', pod(n))));
    await client.create(podsR, 'default', pod('trainer', {
      nodeSelector: { 'node.kubernetes.io/instance-type': 'gpu' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }],
    }));
    await vi.waitFor(async () => {
      for (const n of [...plain, 'trainer']) expect((await client.get<Pod>(podsR, 'default', n)).status?.phase).toBe('Running');
    }, { timeout: 20_000, interval: 100 });
    for (const n of plain) expect((await client.get<Pod>(podsR, 'default', n)).spec?.nodeName).toBe('big-1');
    const trainer = await client.get<Pod>(podsR, 'default', 'trainer');
    expect(trainer.spec?.nodeName).toMatch(/^gpu-[12]$/);
    // Pod CIDRs follow the file's order: gpu-1 is the second node, gpu-2 the third.
    expect(trainer.status?.podIP).toMatch(new RegExp(`^10\\.244\\.${trainer.spec?.nodeName === 'gpu-1' ? 2 : 3}\\.\\d+$`));
  });

  it('refuses a bad file, or a file with --nodes, in one line naming the problem, with no stack trace', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'nodes:\n  - name: big-1\n    cpu: lots\n');
    const run = (...args: string[]) => spawnSync(process.execPath, [MINIK_BIN, 'kubelet-sim', '--server', cluster.apiserver.url, '--port', '0', ...args], { encoding: 'utf8', timeout: 15_000 });
    const r1 = run('--nodes-file', bad);
    expect(r1.status).toBe(1);
    expect(r1.stderr).toMatch(new RegExp(`^minik: ${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: nodes\\[0\\]\\.cpu: invalid quantity "lots"[^\\n]*\\n$`));
    const r2 = run('--nodes-file', bad, '--nodes', '2');
    expect(r2.status).toBe(1);
    expect(r2.stderr).toBe('minik: give either --nodes or --nodes-file (MINIK_NODES or MINIK_NODES_FILE), not both: the file names every node\n');
  });
});
