import { resolve } from 'node:path';
import { ApiClient, type KubeObject } from '../api/client.js';
import { resolveResource } from '../api/resources.js';
import type { Pod } from '../api/schemas/pod.js';
import type { Deployment } from '../api/schemas/workloads.js';
import { processCpuMs } from './_machine.js';
import { rssMb, startMinikApiServer, startMinikComponent, startMinikStore, type ServerProcess } from './_processes.js';
import { nowMs } from './_stats.js';
import { renderTable } from './_table.js';
import { pool, watchCount } from './_watch-count.js';

/**
 * `npm run bench -- rollout [--nodes 1000] [--replicas 10000] [--cpu-prof=DIR]`: the whole control plane as real
 * processes, the node simulator's pods with no simulated delays (`--instant-pods`). A Deployment scaled
 * from 0 to N replicas until every pod is Running and Ready; then a rolling update of all N. The
 * reference, in the same run: N pods created straight through the API at concurrency 64, the
 * floor for any controller that creates them one request each.
 */

const TARGET_READY_S = 30; // KWOK's CI gives 10,000 pods 60 s with its scheduler off.
const TARGET_RSS_MB = 1024;
const pods = resolveResource('pods')!;
const deployments = resolveResource('deployments')!;
const namespaces = resolveResource('namespaces')!;

/** Requests the API server has answered, by verb and resource (subresources included). */
async function requestCounts(api: ServerProcess): Promise<Map<string, number>> {
  const text = await (await fetch(`${api.endpoint}/metrics`)).text();
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^apiserver_request_total\{([^}]*)\} (\d+(?:\.\d+)?)$/gm)) {
    const labels = Object.fromEntries([...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    const key = `${labels.verb} ${labels.resource}`;
    out.set(key, (out.get(key) ?? 0) + Number(m[2]));
  }
  return out;
}

/** CPU used so far by each process, in ms (0 where /proc has none). */
async function cpuOf(processes: ServerProcess[]): Promise<number[]> {
  return Promise.all(processes.map(async (p) => (await processCpuMs(p.pid)) ?? 0));
}

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} wants a positive whole number`);
  return v;
}

const ready = (p: Pod) => !p.metadata?.deletionTimestamp && (p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false);

const deployment = (replicas: number): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.26', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
    },
  },
});

export async function run(args: string[]): Promise<void> {
  const n = flag(args, 'replicas', 10_000);
  const nodeCount = flag(args, 'nodes', 1000);
  // `--cpu-prof=DIR`: the store and the API server each write a profile there on a clean exit.
  const profDir = args.find((a) => a.startsWith('--cpu-prof='))?.split('=')[1];
  const nodeArgs = profDir ? ['--cpu-prof', '--cpu-prof-dir', resolve(profDir)] : [];
  const store = await startMinikStore({ nodeArgs });
  const api = await startMinikApiServer(store.endpoint, { nodeArgs });
  const client = new ApiClient({ server: api.endpoint });
  const others: ServerProcess[] = [];
  try {
    others.push(
      ...(await Promise.all([
        startMinikComponent('kubelet-sim', api.endpoint, ['--nodes', String(nodeCount), '--instant-pods', '--cluster-cidr', '10.128.0.0/11']),
        startMinikComponent('scheduler', api.endpoint, ['--no-leader-elect']),
        startMinikComponent('controller-manager', api.endpoint, ['--no-leader-elect']),
      ])),
    );
    const everyone = [store, api, ...others];

    // Phase 1: 0 -> n, until every pod is Running and Ready.
    const readyPods = await watchCount<Pod>(client, pods, 'default', ready);
    await client.create(deployments, 'default', deployment(0));
    const before = await requestCounts(api);
    const cpu0 = await cpuOf(everyone);
    const t0 = nowMs();
    await client.patch(deployments, 'default', 'web', 'merge', { spec: { replicas: n } });
    await readyPods.until(n, 600_000);
    const scaleUpS = (nowMs() - t0) / 1000;
    const cpu1 = await cpuOf(everyone);
    readyPods.stop();
    const after = await requestCounts(api);
    const perPod = [...after]
      .map(([k, v]) => [k, (v - (before.get(k) ?? 0)) / n] as const)
      .filter(([, v]) => v >= 0.05)
      .sort((a, b) => b[1] - a[1]);
    const rss = await Promise.all(everyone.map(async (p) => ({ name: p.name, mb: rssMb(p.pid), heap: await heapOf(p) })));

    // Phase 2: a rolling update of all n (maxSurge and maxUnavailable 25%).
    const updated = await watchCount<Pod>(client, pods, 'default', (p) => ready(p) && p.spec?.containers[0]?.image === 'nginx:1.27');
    const t1 = nowMs();
    await client.patch(deployments, 'default', 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } });
    await updated.until(n, 900_000);
    // Complete as `kubectl rollout status` sees it: the old pods gone too.
    for (;;) {
      const d = await client.get<Deployment & KubeObject>(deployments, 'default', 'web');
      const s = d.status ?? {};
      if (s.updatedReplicas === n && s.replicas === n && s.availableReplicas === n) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const rolloutS = (nowMs() - t1) / 1000;
    updated.stop();
    for (const p of others) await p.stop();
    others.length = 0;

    // The reference: n pods created straight through the API.
    await client.create(namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'direct' } });
    const t2 = nowMs();
    await pool(n, 64, (i) =>
      client.create(pods, 'direct', { apiVersion: 'v1', kind: 'Pod', metadata: { name: `pod-${i}` }, spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } }),
    );
    const directS = (nowMs() - t2) / 1000;

    const totalRss = rss.reduce((s, p) => s + p.mb, 0);
    const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
    const lines = renderTable(
      ['figure', 'minik', 'pods created straight through the API', 'ratio', 'target'],
      [
        [`0 -> ${n} replicas, all Ready`, `${scaleUpS.toFixed(1)} s`, `${directS.toFixed(1)} s`, (scaleUpS / directS).toFixed(2), `< ${TARGET_READY_S} s: ${met(scaleUpS < TARGET_READY_S)}`],
        ['  pods/s end to end', (n / scaleUpS).toFixed(0), (n / directS).toFixed(0), '', ''],
        [`rolling update of ${n}`, `${rolloutS.toFixed(1)} s`, '', '', ''],
        ['  pods/s end to end', (n / rolloutS).toFixed(0), '', '', ''],
        [`RSS of every process at ${n} pods`, `${totalRss.toFixed(0)} MB`, '', '', `< ${TARGET_RSS_MB} MB: ${met(totalRss < TARGET_RSS_MB)}`],
        ...rss.map((p) => [`  ${p.name}`, `${p.mb.toFixed(0)} MB  (${p.heap})`, '', '', '']),
      ],
    );
    // Where the scale-up's time went: each process's CPU over it, as a share of one core.
    const cpu = renderTable(
      ['CPU during the scale-up', 'core-seconds', '% of one core'],
      everyone.map((p, i) => {
        const used = (cpu1[i]! - cpu0[i]!) / 1000;
        return [p.name, used.toFixed(1), ((100 * used) / scaleUpS).toFixed(0)];
      }),
    );
    const requests = renderTable(
      ['API requests per pod during the scale-up', 'per pod'],
      [...perPod.map(([k, v]) => [k, v.toFixed(2)]), ['all', perPod.reduce((s, [, v]) => s + v, 0).toFixed(2)]],
    );
    process.stdout.write([`bench rollout: ${nodeCount} simulated nodes, no simulated delays`, ...lines, '', ...cpu, '', ...requests, ''].join('\n'));
  } finally {
    client.close();
    for (const p of others) await p.stop();
    await api.stop();
    await store.stop();
  }
}

/**
 * Where a process's memory is, from its /metrics: the JavaScript heap in use and reserved, and the
 * memory outside it (Buffers). RSS beyond these is code, native libraries and freed memory kept.
 */
async function heapOf(p: ServerProcess): Promise<string> {
  try {
    const text = await (await fetch(`${p.endpoint}/metrics`)).text();
    const mb = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1]) / 1048576;
    const [used, total, external] = ['nodejs_heap_size_used_bytes', 'nodejs_heap_size_total_bytes', 'nodejs_external_memory_bytes'].map(mb);
    return `heap ${used!.toFixed(0)}/${total!.toFixed(0)}, external ${external!.toFixed(0)}`;
  } catch {
    return 'heap n/a';
  }
}
