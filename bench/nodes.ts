import { ApiClient, type KubeObject } from '../api/client.js';
import { resolveResource } from '../api/resources.js';
import { rssMb, startMinikApiServer, startMinikComponent, startMinikStore, type ServerProcess } from './_processes.js';
import { nowMs } from './_stats.js';
import { renderTable } from './_table.js';
import { pool, watchCount } from './_watch-count.js';

/**
 * `npm run bench -- nodes [--nodes 5000] [--settle-seconds 30] [--heartbeat-seconds 20]`: the node
 * simulator registers N nodes through the real API server until every one is Ready; then, once they
 * have settled, the load their heartbeats put on the API server. Reference, in the same run: the same number of Node objects created Ready
 * straight through the API at concurrency 64, one write each, the floor for any simulator going through it.
 */

const TARGET_READY_S = 10; // KWOK's CI allows 60 s for the same count.
const nodes = resolveResource('nodes')!;
type Node = KubeObject & { status?: { conditions?: Array<{ type: string; status: string; [k: string]: string }>; [k: string]: unknown } };
const ready = (n: Node) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} wants a positive number`);
  return v;
}

async function requestsServed(api: ServerProcess): Promise<number> {
  const text = await (await fetch(`${api.endpoint}/metrics`)).text();
  let sum = 0;
  for (const m of text.matchAll(/^apiserver_request_total\{[^}]*\} (\d+(?:\.\d+)?)$/gm)) sum += Number(m[1]);
  return sum;
}

/**
 * The reference: N Node objects created Ready, in one write each (as a kubelet registers: its status
 * set before the create), straight through the API at concurrency 64.
 */
async function direct(client: ApiClient, n: number): Promise<number> {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const t0 = nowMs();
  await pool(n, 64, async (i) => {
    await client.create<Node>(nodes, undefined, {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: `direct-${i + 1}`, labels: { 'kubernetes.io/hostname': `direct-${i + 1}` } },
      status: {
        capacity: { cpu: '4', memory: '8Gi', pods: '110' },
        allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: now, lastTransitionTime: now }],
      },
    } as Node);
  });
  return nowMs() - t0;
}

export async function run(args: string[]): Promise<void> {
  const n = flag(args, 'nodes', 5000);
  const heartbeatSeconds = flag(args, 'heartbeat-seconds', 20);
  const settleSeconds = flag(args, 'settle-seconds', 30);
  const store = await startMinikStore();
  const api = await startMinikApiServer(store.endpoint);
  const client = new ApiClient({ server: api.endpoint });
  let sim: ServerProcess | undefined;
  try {
    const seen = await watchCount<Node>(client, nodes, undefined, (node) => ready(node) && !node.metadata?.name?.startsWith('direct-'));
    const t0 = nowMs();
    // Past 255 nodes the default pod network (10.244.0.0/16) is full: a /11 holds 8,191.
    sim = await startMinikComponent('kubelet-sim', api.endpoint, ['--nodes', String(n), ...(n > 255 ? ['--cluster-cidr', '10.128.0.0/11'] : [])], { ready: 'healthz' });
    const { lastMs } = await seen.until(n, 120_000);
    seen.stop();
    const simMs = lastMs - t0;

    // The last nodes to turn Ready are still posting their first statuses: the steady load comes after.
    await new Promise((r) => setTimeout(r, settleSeconds * 1000));
    const before = await requestsServed(api);
    const t1 = nowMs();
    await new Promise((r) => setTimeout(r, heartbeatSeconds * 1000));
    const heartbeatRate = ((await requestsServed(api)) - before) / ((nowMs() - t1) / 1000);
    const simRss = rssMb(sim.pid);
    const apiRss = rssMb(api.pid);
    await sim.stop();
    sim = undefined;

    const directMs = await direct(client, n);
    const ok = simMs / 1000 < TARGET_READY_S ? 'met' : 'NOT met';
    const lines = renderTable(
      ['figure', 'node simulator', 'straight through the API', 'ratio', 'target'],
      [
        [`${n} nodes registered and Ready`, `${(simMs / 1000).toFixed(1)} s`, `${(directMs / 1000).toFixed(1)} s`, (simMs / directMs).toFixed(2), `< ${TARGET_READY_S} s: ${ok}`],
        ['API requests/s while they heartbeat', heartbeatRate.toFixed(0), '', '', ''],
        ['per node per minute', ((heartbeatRate * 60) / n).toFixed(1), '', '', 'kubelet: 6 lease + a status every 5 min'],
        ['node simulator RSS', `${simRss.toFixed(0)} MB`, '', '', ''],
        ['API server RSS', `${apiRss.toFixed(0)} MB`, '', '', ''],
      ],
    );
    process.stdout.write([`bench nodes: ${n} simulated nodes through the real processes`, ...lines, ''].join('\n'));
  } finally {
    client.close();
    await sim?.stop();
    await api.stop();
    await store.stop();
  }
}
