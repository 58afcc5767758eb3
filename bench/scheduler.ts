import { ApiClient, type KubeObject } from '../api/client.js';
import { resolveResource } from '../api/resources.js';
import { rssMb, startMinikApiServer, startMinikComponent, startMinikStore, type ServerProcess } from './_processes.js';
import { nowMs } from './_stats.js';
import { renderTable } from './_table.js';
import { pool, watchCount } from './_watch-count.js';

/**
 * `npm run bench -- scheduler [--nodes 5000] [--pods 10000]`: kube-scheduler's "SchedulingBasic
 * 5000 nodes" case through the real processes. N Ready nodes and M pending pods (100m CPU, 128Mi)
 * are put in the store while no scheduler runs; then the scheduler starts, and the time from its
 * first bind to its last gives pods/s. Reference, in the same run: the same number of bindings
 * posted straight to the API server at concurrency 32, round robin over the nodes (what any
 * scheduler's binds cost, with no decisions made).
 */

const TARGET_PODS_PER_S = 1000; // kube-scheduler's own threshold for this case is 680.
const nodes = resolveResource('nodes')!;
const pods = resolveResource('pods')!;
type Pod = KubeObject & { spec?: { nodeName?: string } };

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} wants a positive whole number`);
  return v;
}

async function readyNodes(client: ApiClient, n: number): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const capacity = { cpu: '32', memory: '128Gi', pods: '110' };
  await pool(n, 64, async (i) => {
    const name = `node-${i + 1}`;
    const created = await client.create(nodes, undefined, {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name } },
      status: { capacity, allocatable: capacity },
    });
    const conditions = [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: now, lastTransitionTime: now }];
    await client.updateStatus(nodes, undefined, { ...created, status: { capacity, allocatable: capacity, conditions } } as KubeObject);
  });
}

async function pendingPods(client: ApiClient, ns: string, m: number): Promise<void> {
  await pool(m, 64, (i) =>
    client.create(pods, ns, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `pod-${i}`, labels: { app: 'bench' } },
      spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
    }),
  );
}

async function ensureNamespace(client: ApiClient, name: string): Promise<void> {
  await client.create(resolveResource('namespaces')!, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

export async function run(args: string[]): Promise<void> {
  const n = flag(args, 'nodes', 5000);
  const m = flag(args, 'pods', 10000);
  const store = await startMinikStore();
  const api = await startMinikApiServer(store.endpoint);
  const client = new ApiClient({ server: api.endpoint });
  let scheduler: ServerProcess | undefined;
  try {
    const t0 = nowMs();
    await readyNodes(client, n);
    await ensureNamespace(client, 'bench');
    await ensureNamespace(client, 'direct');
    await pendingPods(client, 'bench', m);
    const setupS = (nowMs() - t0) / 1000;

    const bound = await watchCount<Pod>(client, pods, 'bench', (p) => Boolean(p.spec?.nodeName));
    scheduler = await startMinikComponent('scheduler', api.endpoint, ['--no-leader-elect']);
    const { firstMs, lastMs } = await bound.until(m, 600_000);
    bound.stop();
    const schedulerPerS = m / ((lastMs - firstMs) / 1000);
    const schedulerRss = rssMb(scheduler.pid);
    await scheduler.stop();
    scheduler = undefined;

    // Created only now: a running scheduler would have bound them.
    await pendingPods(client, 'direct', m);
    const t1 = nowMs();
    await pool(m, 32, (i) => client.bind('direct', `pod-${i}`, `node-${(i % n) + 1}`));
    const directPerS = m / ((nowMs() - t1) / 1000);

    const ok = schedulerPerS >= TARGET_PODS_PER_S ? 'met' : 'NOT met';
    const lines = renderTable(
      ['figure', 'scheduler', 'binds straight to the API', 'ratio', 'target'],
      [
        [`pods bound/s (${m} pods, ${n} nodes)`, schedulerPerS.toFixed(0), directPerS.toFixed(0), (schedulerPerS / directPerS).toFixed(2), `>= ${TARGET_PODS_PER_S}: ${ok}`],
        ['scheduler RSS', `${schedulerRss.toFixed(0)} MB`, '', '', ''],
        ['API server RSS', `${rssMb(api.pid).toFixed(0)} MB`, '', '', ''],
      ],
    );
    process.stdout.write([`bench scheduler: set-up (nodes and pending pods) took ${setupS.toFixed(0)} s`, ...lines, ''].join('\n'));
  } finally {
    client.close();
    await scheduler?.stop();
    await api.stop();
    await store.stop();
  }
}
