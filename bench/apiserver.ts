import { request } from 'node:http';
import { resolve } from 'node:path';
import { connections, origin, send } from '../api/_http.js';
import { StoreClient } from '../store/client.js';
import { putLoad } from './_load.js';
import { processCpuMs } from './_machine.js';
import { rssMb, startFloor, startMinikApiServer, startMinikStore } from './_processes.js';
import { nowMs, summarise, type Summary } from './_stats.js';
import { renderTable } from './_table.js';

/**
 * `npm run bench -- apiserver`: the API server through its real process over the store's process.
 * Writes (pod creates) at concurrency 32 beside the same load sent straight to the store, and beside
 * the floor: a Node HTTP server that turns each create into one put to the same store and does none
 * of an API server's work (`_floor.ts`), the most any API server on Node's HTTP reaches here. Then,
 * on a fresh store and API server holding 10,000 pods: a LIST of them, the API server's memory, and
 * watch delivery to 100 watchers.
 */

const TARGETS = { writesPerSec: 2000, writeP99Ms: 50, list10kMs: 150, watchP99Ms: 20, rssMb: 300 };

interface Http {
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: string }>;
  close(): void;
}

/** The load generator's client: minik's own request path (`api/_http.ts`), its connections kept. */
function http(base: string): Http {
  const server = origin(base);
  const pool = connections(server, 256);
  return {
    call: (method, path, body) => send({ server, path, method, pool, timeoutMs: 60_000, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
    close: () => void pool.destroy(),
  };
}

const pod = (name: string, annotations: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { app: 'bench', tier: 'web' }, annotations },
  spec: {
    containers: [
      {
        name: 'web',
        image: 'nginx:1.27',
        ports: [{ containerPort: 80 }],
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
        env: [{ name: 'MODE', value: 'benchmark' }],
      },
    ],
  },
});

/** Closed loops of creates, as putLoad does for the store. */
async function createLoad(api: Http, ns: string, concurrency: number, seconds: number, prefix: string): Promise<{ count: number; perSec: number; latency: Summary }> {
  const samples: number[] = [];
  let next = 0;
  const until = nowMs() + seconds * 1000;
  const start = nowMs();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (nowMs() < until) {
        const t = nowMs();
        const r = await api.call('POST', `/api/v1/namespaces/${ns}/pods`, pod(`${prefix}-${next++}`));
        if (r.status !== 201) throw new Error(`create answered ${r.status}: ${r.body.slice(0, 200)}`);
        samples.push(nowMs() - t);
      }
    }),
  );
  const elapsed = (nowMs() - start) / 1000;
  return { count: samples.length, perSec: samples.length / elapsed, latency: summarise(samples) };
}

async function fill(api: Http, ns: string, n: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < n) {
        const i = next++;
        const r = await api.call('POST', `/api/v1/namespaces/${ns}/pods`, pod(`p-${i}`));
        if (r.status !== 201) throw new Error(`create answered ${r.status}: ${r.body.slice(0, 200)}`);
      }
    }),
  );
}

/** 100 watch streams; creates at a steady pace carry their send time; a sample is one delivery. */
async function watchDelivery(base: string, api: Http, ns: string, watchers: number, events: number, perSec: number): Promise<Summary> {
  const samples: number[] = [];
  const streams = await Promise.all(
    Array.from({ length: watchers }, () => new Promise<() => void>((resolve, reject) => {
      const req = request(`${base}/api/v1/namespaces/${ns}/pods?watch=true&resourceVersion=0`, { agent: false }, (res) => {
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          buf += c;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            const sent = /"sent":"(\d+(?:\.\d+)?)"/.exec(line);
            if (sent && line.startsWith('{"type":"ADDED"')) samples.push(nowMs() - Number(sent[1]));
          }
        });
        resolve(() => req.destroy());
      });
      req.on('error', reject);
      req.end();
    })),
  );
  await new Promise((r) => setTimeout(r, 500));
  for (let i = 0; i < events; i++) {
    const t = nowMs();
    void api.call('POST', `/api/v1/namespaces/${ns}/pods`, pod(`e-${i}`, { sent: String(t) }));
    await new Promise((r) => setTimeout(r, 1000 / perSec));
  }
  const deadline = nowMs() + 10_000;
  while (samples.length < events * watchers && nowMs() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const stop of streams) stop();
  if (samples.length < events * watchers) throw new Error(`only ${samples.length} of ${events * watchers} deliveries arrived`);
  return summarise(samples);
}

interface CpuNow {
  apiserver: number | undefined;
  store: number | undefined;
  client: number;
}

/** CPU used so far by the two servers and this process, in ms: what a write costs each of them. */
async function cpuNow(apiserverPid: number, storePid: number): Promise<CpuNow> {
  const c = process.cpuUsage();
  return { apiserver: await processCpuMs(apiserverPid), store: await processCpuMs(storePid), client: (c.user + c.system) / 1000 };
}

function perWrite(a: CpuNow, b: CpuNow, writes: number): CpuNow {
  const each = (x: number | undefined, y: number | undefined) => (x === undefined || y === undefined ? undefined : (y - x) / writes);
  return { apiserver: each(a.apiserver, b.apiserver), store: each(a.store, b.store), client: (b.client - a.client) / writes };
}

const us = (ms: number | undefined) => (ms === undefined ? 'n/a' : `${(ms * 1000).toFixed(0)} µs`);
const ok = (met: boolean) => (met ? 'met' : 'NOT met');
const ms = (n: number) => `${n.toFixed(1)} ms`;

/** The same creates against the floor over the same store: what is left when the API does nothing. */
async function floorLoad(store: string, seconds: number): Promise<{ count: number; perSec: number; latency: Summary }> {
  const floor = await startFloor('proxy', store);
  const api = http(floor.endpoint);
  try {
    await createLoad(api, 'writes', 32, 1, 'floor-warm');
    return await createLoad(api, 'writes', 32, seconds, 'floor');
  } finally {
    api.close();
    await floor.stop();
  }
}

export async function run(args: string[]): Promise<void> {
  const seconds = Number(args.find((a) => a.startsWith('--seconds='))?.split('=')[1] ?? 5);
  const profDir = args.find((a) => a.startsWith('--cpu-prof='))?.split('=')[1];
  // Both servers write a profile each (named by their pid) on a clean exit.
  const nodeArgs = profDir ? ['--cpu-prof', '--cpu-prof-dir', resolve(profDir)] : [];
  const { writes, cpu, sw, floor } = await writeFigures(seconds, nodeArgs);
  // A fresh pair for the figures named by a pod count: the write loads leave as many pods as the
  // machine managed to create, so memory read after them would measure the machine's speed.
  const store = await startMinikStore({ nodeArgs });
  const apiserver = await startMinikApiServer(store.endpoint, { nodeArgs });
  const api = http(apiserver.endpoint);
  try {
    await namespaces(api, ['list', 'watch']);
    await fill(api, 'list', 10_000);
    const listSamples: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = nowMs();
      const r = await api.call('GET', '/api/v1/namespaces/list/pods');
      listSamples.push(nowMs() - t);
      const items = (JSON.parse(r.body) as { items: unknown[] }).items.length;
      if (items !== 10_000) throw new Error(`LIST returned ${items} pods`);
    }
    const list = summarise(listSamples);
    const rss = rssMb(apiserver.pid);
    const watch = await watchDelivery(apiserver.endpoint, api, 'watch', 100, 100, 100);

    const lines = renderTable(
      ['figure', 'API server', 'straight to the store', 'ratio', 'target'],
      [
        ['writes/s, concurrency 32', writes.perSec.toFixed(0), sw.perSec.toFixed(0), (writes.perSec / sw.perSec).toFixed(2), `>= ${TARGETS.writesPerSec}: ${ok(writes.perSec >= TARGETS.writesPerSec)}`],
        ['write p50', ms(writes.latency.p50), ms(sw.latency.p50), (writes.latency.p50 / sw.latency.p50).toFixed(2), ''],
        ['write p99', ms(writes.latency.p99), ms(sw.latency.p99), (writes.latency.p99 / sw.latency.p99).toFixed(2), `< ${TARGETS.writeP99Ms} ms: ${ok(writes.latency.p99 < TARGETS.writeP99Ms)}`],
        ['the floor: writes/s, no API work', floor.perSec.toFixed(0), sw.perSec.toFixed(0), (floor.perSec / sw.perSec).toFixed(2), `>= ${TARGETS.writesPerSec}: ${floor.perSec >= TARGETS.writesPerSec ? 'within reach' : 'above the floor'}`],
        ['the floor: write p99', ms(floor.latency.p99), ms(sw.latency.p99), (floor.latency.p99 / sw.latency.p99).toFixed(2), ''],
        ['LIST 10,000 pods (p50 of 5)', ms(list.p50), '', '', `< ${TARGETS.list10kMs} ms: ${ok(list.p50 < TARGETS.list10kMs)}`],
        ['watch delivery p99, 100 watchers', ms(watch.p99), '', '', `< ${TARGETS.watchP99Ms} ms: ${ok(watch.p99 < TARGETS.watchP99Ms)}`],
        ['API server RSS with 10,000 pods', `${rss.toFixed(0)} MB`, '', '', `< ${TARGETS.rssMb} MB: ${ok(rss < TARGETS.rssMb)}`],
      ],
    );
    process.stdout.write(`minik API server benchmark (${new Date().toISOString().slice(0, 10)}, ${seconds} s per load)\n${lines.join('\n')}\n`);
    process.stdout.write(`CPU per create: API server ${us(cpu.apiserver)}, store ${us(cpu.store)}, load generator ${us(cpu.client)}\n`);
    process.stdout.write(`watch delivery: p50 ${ms(watch.p50)}, max ${ms(watch.max)}; LIST max ${ms(list.max)}\n`);
  } finally {
    api.close();
    await apiserver.stop();
    await store.stop();
  }
}

/** Creates through the API server, beside the same writes straight to the store and the floor. */
async function writeFigures(seconds: number, nodeArgs: string[]) {
  const store = await startMinikStore({ nodeArgs });
  const apiserver = await startMinikApiServer(store.endpoint, { nodeArgs });
  const api = http(apiserver.endpoint);
  const direct = new StoreClient({ endpoints: [store.endpoint] });
  try {
    await namespaces(api, ['writes']);
    await createLoad(api, 'writes', 32, 1, 'warm');
    const cpu0 = await cpuNow(apiserver.pid, store.pid);
    const writes = await createLoad(api, 'writes', 32, seconds, 'w');
    const cpu = perWrite(cpu0, await cpuNow(apiserver.pid, store.pid), writes.count);
    const valueBytes = Buffer.byteLength(JSON.stringify(pod('w-00000')));
    const raw = await putLoad(direct, { concurrency: 32, durationMs: seconds * 1000, valueBytes, prefix: '/bench/direct/', keySpace: 1_000_000 });
    const sw = { perSec: raw.ops / (raw.elapsedMs / 1000), latency: summarise(raw.latenciesMs) };
    const floor = await floorLoad(store.endpoint, seconds);
    return { writes, cpu, sw, floor };
  } finally {
    api.close();
    direct.close();
    await apiserver.stop();
    await store.stop();
  }
}

async function namespaces(api: Http, names: string[]): Promise<void> {
  for (const name of names) {
    const r = await api.call('POST', '/api/v1/namespaces', { metadata: { name } });
    if (r.status !== 201) throw new Error(`cannot create namespace ${name}: ${r.body}`);
  }
}
