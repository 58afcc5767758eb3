import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { StoreClient } from '../store/client.js';
import { putLoad, watchLoad, type PutLoadResult } from './_load.js';
import { cpuUse, machineBusyPct, startCpuMeter, type CpuSpan } from './_machine.js';
import { requireEtcd, startEtcd, startFloor, startMinikStore, type ServerProcess } from './_processes.js';
import { summarise } from './_stats.js';
import { printStoreJson, printStoreTable, type LevelResult, type StoreReport, type TargetResult } from './_store-report.js';

const USAGE = 'usage: bench store [--json] [--duration SECONDS] [--cpu-prof DIR]';
const LEVELS = [1, 32, 128];
/** minik's puts/s must be at least this many times etcd's, by concurrency. */
const TARGETS: Record<number, number> = { 1: 1, 32: 3, 128: 3 };
const VALUE_BYTES = 1024;
const KEY_SPACE = 10_000;
const WARMUP_MS = 1500;
const WATCHERS = 100;
const WATCH_PUTS = 150;
const WATCH_INTERVAL_MS = 20;
/**
 * Each level runs in short slices, the three servers (minik, etcd, the floor) taking turns in every
 * order: whatever else the machine does meanwhile (two cores, shared) then falls on all alike, and
 * a steady drift cancels out.
 */
const SLICE_ORDER = [0, 1, 2, 2, 1, 0, 1, 2, 0, 0, 2, 1];
const SERVERS = 3;

interface Target {
  server: ServerProcess;
  client: StoreClient;
}

/**
 * minik's store against a real etcd: put throughput and latency, then watch delivery latency. Beside
 * them, the floor: a Node HTTP server that answers every put and stores nothing (`_floor.ts`), the
 * most any server on Node's HTTP could reach here with this load generator.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: 'boolean', default: false },
      duration: { type: 'string', default: '5' },
      // Profiles the store process (written when it stops), to see where its time goes.
      'cpu-prof': { type: 'string' },
    },
  });
  const durationMs = Number(values.duration) * 1000;
  if (!(durationMs > 0)) throw new Error(`--duration wants a number of seconds; ${USAGE}`);
  const profDir = values['cpu-prof'];
  const nodeArgs = profDir ? ['--cpu-prof', '--cpu-prof-dir', resolve(profDir)] : [];
  requireEtcd();

  const busyBeforePct = await machineBusyPct();
  if (busyBeforePct !== undefined && busyBeforePct > 20) {
    note(`something else keeps ${Math.round(busyBeforePct)}% of a core busy before we start: expect noisy figures`);
  }
  const targets: Target[] = [];
  try {
    note('starting minik, etcd and the floor');
    for (const start of [() => startMinikStore({ nodeArgs }), startEtcd, () => startFloor('store')]) {
      const server = await start();
      // Every target over HTTP, etcd's JSON gateway, so that the comparison is of stores, not of
      // transports (minik's own processes reach the store over its KV socket instead).
      targets.push({ server, client: new StoreClient({ endpoints: [server.endpoint], transport: 'http' }) });
    }
    const [minik, etcd, floor] = await measure(targets as [Target, Target, Target], durationMs);
    for (const t of targets) {
      if (t.server.output().trim()) note(`${t.server.name} logged:\n${t.server.output().trim()}`);
    }
    const report: StoreReport = {
      date: new Date().toISOString().slice(0, 10),
      machine: { cpus: cpus().length, node: process.version, busyBeforePct },
      valueBytes: VALUE_BYTES,
      durationMs,
      watchers: WATCHERS,
      minik,
      etcd,
      floor,
      targets: LEVELS.map((c, i) => {
        const ratio = minik.levels[i]!.putsPerSec / etcd.levels[i]!.putsPerSec;
        const ceiling = floor[i]!.putsPerSec / etcd.levels[i]!.putsPerSec;
        const wanted = TARGETS[c] ?? 1;
        return { concurrency: c, wanted, ratio, ceiling, met: ratio >= wanted };
      }),
    };
    if (values.json) printStoreJson(report);
    else printStoreTable(report);
  } finally {
    for (const t of targets) t.client.close();
    await Promise.all(targets.map((t) => t.server.stop()));
  }
  if (profDir) note(`store CPU profile in ${resolve(profDir)}`);
}

async function measure(targets: [Target, Target, Target], durationMs: number): Promise<[TargetResult, TargetResult, LevelResult[]]> {
  for (const t of targets) {
    note(`${t.server.name}: warming up`);
    await putLoad(t.client, { concurrency: 32, durationMs: WARMUP_MS, valueBytes: VALUE_BYTES, prefix: '/bench/warm/', keySpace: KEY_SPACE });
  }
  const levels: LevelResult[][] = [[], [], []];
  for (const concurrency of LEVELS) {
    note(`puts at concurrency ${concurrency}`);
    const runs: PutLoadResult[][] = [[], [], []];
    const spans: CpuSpan[][] = [[], [], []];
    for (const i of SLICE_ORDER) {
      const t = targets[i]!;
      const stopMeter = await startCpuMeter(t.server.pid);
      const sliceMs = durationMs / (SLICE_ORDER.length / SERVERS);
      runs[i]!.push(
        await putLoad(t.client, { concurrency, durationMs: sliceMs, valueBytes: VALUE_BYTES, prefix: '/bench/put/', keySpace: KEY_SPACE }),
      );
      spans[i]!.push(await stopMeter());
    }
    for (const i of [0, 1, 2]) {
      const ops = runs[i]!.reduce((n, r) => n + r.ops, 0);
      const elapsedMs = runs[i]!.reduce((n, r) => n + r.elapsedMs, 0);
      levels[i]!.push({
        concurrency,
        ops,
        putsPerSec: (ops / elapsedMs) * 1000,
        latencyMs: summarise(runs[i]!.flatMap((r) => r.latenciesMs)),
        cpu: cpuUse(spans[i]!),
      });
    }
  }
  const results: TargetResult[] = [];
  for (const [i, t] of targets.slice(0, 2).entries()) {
    note(`${t.server.name}: watch delivery, ${WATCHERS} watchers`);
    const w = await watchLoad(t.client, {
      watchers: WATCHERS,
      puts: WATCH_PUTS,
      intervalMs: WATCH_INTERVAL_MS,
      valueBytes: VALUE_BYTES,
      prefix: '/bench/watch/',
    });
    results.push({
      name: t.server.name,
      version: await serverVersion(t.server),
      levels: levels[i]!,
      watch: { expected: w.expected, delivered: w.delivered, latencyMs: summarise(w.latenciesMs) },
    });
  }
  return [results[0]!, results[1]!, levels[2]!];
}

async function serverVersion(server: ServerProcess): Promise<string> {
  const res = await fetch(`${server.endpoint}/version`);
  const body = (await res.json()) as { etcdserver?: string };
  return body.etcdserver ?? 'unknown';
}

/** Progress on stderr, so that --json leaves stdout to the results. */
function note(msg: string): void {
  process.stderr.write(`bench store: ${msg}\n`);
}
