import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeListenPort } from '../test/support/minik-up.js';
import { startMinikStore } from './_processes.js';
import { nowMs } from './_stats.js';
import { renderTable } from './_table.js';

/**
 * `npm run bench -- up [--runs 5] [--nodes 3]`: how long `minik up` takes, as a class runs it, from
 * the command to "minik is up" (every component answering /readyz), to every simulated node Ready,
 * and how long SIGTERM takes to stop it all. Reference, in the same run: one `minik store` process
 * from spawn to /readyz, the floor for any one component of the cluster starting.
 */

const TARGET_UP_S = 3;
const MINIK_BIN = fileURLToPath(new URL('../cli/minik.js', import.meta.url));

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} wants a positive whole number`);
  return v;
}

interface UpRun {
  upMs: number;
  nodesReadyMs: number;
  downMs: number;
}

async function readyNodes(api: string): Promise<number> {
  try {
    const list = (await (await fetch(`${api}/api/v1/nodes`)).json()) as { items?: Array<{ status?: { conditions?: Array<{ type: string; status: string }> } }> };
    return (list.items ?? []).filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
  } catch {
    return 0;
  }
}

/** One `minik up` in a fresh temp dir on free ports: what a class does on a fresh checkout. */
async function upOnce(nodes: number): Promise<UpRun> {
  const dir = mkdtempSync(join(tmpdir(), 'minik-bench-up-'));
  const ports = await Promise.all([1, 2, 3, 4, 5].map(() => freeListenPort()));
  const flags = ['--store-port', '--apiserver-port', '--controller-manager-port', '--scheduler-port', '--kubelet-port'].flatMap((f, i) => [f, String(ports[i])]);
  const api = `http://127.0.0.1:${ports[1]}`;
  const t0 = nowMs();
  const up = spawn(process.execPath, [MINIK_BIN, 'up', '--data-dir', join(dir, 'data'), '--kubeconfig', join(dir, 'config'), '--nodes', String(nodes), ...flags], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MINIK_LOG_LEVEL: 'warn' },
  });
  const exited = new Promise<void>((r) => up.once('exit', () => r()));
  let out = '';
  let upAt: number | undefined;
  const seen = new Promise<void>((resolve) => {
    const read = (d: Buffer) => {
      out = (out + d.toString()).slice(-8000);
      if (upAt === undefined && out.includes('minik is up')) {
        upAt = nowMs();
        resolve();
      }
    };
    up.stdout!.on('data', read);
    up.stderr!.on('data', read);
    void exited.then(() => resolve());
  });
  try {
    await Promise.race([seen, new Promise((r) => setTimeout(r, 60_000))]);
    if (upAt === undefined) throw new Error(`minik up did not come up:\n${out}`);
    let readyAt: number | undefined;
    for (const stop = nowMs() + 60_000; readyAt === undefined && nowMs() < stop; ) {
      if ((await readyNodes(api)) >= nodes) readyAt = nowMs();
      else await new Promise((r) => setTimeout(r, 10));
    }
    if (readyAt === undefined) throw new Error(`${nodes} nodes were not Ready within 60 s`);
    const t1 = nowMs();
    up.kill('SIGTERM');
    await exited;
    return { upMs: upAt - t0, nodesReadyMs: readyAt - t0, downMs: nowMs() - t1 };
  } finally {
    if (up.exitCode === null && up.signalCode === null) {
      up.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The reference: one component process, the store, from spawn to /readyz. */
async function storeOnce(): Promise<number> {
  const t0 = nowMs();
  const store = await startMinikStore();
  const ms = nowMs() - t0;
  await store.stop();
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const max = (xs: number[]) => Math.max(...xs);
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export async function run(args: string[]): Promise<void> {
  if (!existsSync(MINIK_BIN)) throw new Error(`${MINIK_BIN} is missing: run \`npm run build\` first`);
  const runs = flag(args, 'runs', 5);
  const nodes = flag(args, 'nodes', 3);
  const ups: UpRun[] = [];
  const stores: number[] = [];
  // Interleaved, so that whatever else the machine does falls on both alike.
  for (let i = 0; i < runs; i++) {
    stores.push(await storeOnce());
    ups.push(await upOnce(nodes));
  }
  const upMs = ups.map((r) => r.upMs);
  const storeMedian = median(stores);
  const verdict = median(upMs) / 1000 < TARGET_UP_S ? 'met' : 'NOT met';
  const lines = renderTable(
    ['figure', 'median', 'max', 'one store process (median)', 'ratio', 'target'],
    [
      ['minik up: every component ready', s(median(upMs)), s(max(upMs)), s(storeMedian), (median(upMs) / storeMedian).toFixed(2), `< ${TARGET_UP_S} s: ${verdict}`],
      [`... and ${nodes} nodes Ready`, s(median(ups.map((r) => r.nodesReadyMs))), s(max(ups.map((r) => r.nodesReadyMs))), '', '', ''],
      ['SIGTERM to every process gone', s(median(ups.map((r) => r.downMs))), s(max(ups.map((r) => r.downMs))), '', '', ''],
    ],
  );
  process.stdout.write([`bench up: minik up in a fresh temp dir on free ports, ${runs} runs, ${nodes} nodes`, ...lines, ''].join('\n'));
}
