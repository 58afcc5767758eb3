import type { CpuUse } from './_machine.js';
import type { Summary } from './_stats.js';
import { renderTable } from './_table.js';

export interface LevelResult {
  concurrency: number;
  ops: number;
  putsPerSec: number;
  latencyMs: Summary;
  cpu: CpuUse;
}

export interface TargetResult {
  name: string;
  /** What the server reports on /version (minik's store reports the etcd API version it speaks). */
  version: string;
  levels: LevelResult[];
  watch: { expected: number; delivered: number; latencyMs: Summary };
}

export interface StoreReport {
  date: string;
  machine: { cpus: number; node: string; busyBeforePct: number | undefined };
  valueBytes: number;
  durationMs: number;
  watchers: number;
  minik: TargetResult;
  etcd: TargetResult;
  /** A Node HTTP server that answers every put and stores nothing, measured in the same slices. */
  floor: LevelResult[];
  /** `ceiling`: the floor's puts/s relative to etcd's, the most any ratio could be here. */
  targets: Array<{ concurrency: number; wanted: number; ratio: number; ceiling: number; met: boolean }>;
}

export function printStoreJson(r: StoreReport): void {
  process.stdout.write(JSON.stringify(r, null, 2) + '\n');
}

export function printStoreTable(r: StoreReport): void {
  const { minik, etcd } = r;
  const rows: string[][] = [];
  const row = (what: string, m: number, e: number, digits: number, higherIsBetter: boolean) => {
    const ratio = m / e;
    const better = ratio === 1 ? '=' : ratio > 1 === higherIsBetter ? 'minik' : 'etcd';
    rows.push([what, fmt(m, digits), fmt(e, digits), `${fmt(ratio, 2)}x`, `${better} (${higherIsBetter ? 'higher' : 'lower'} is better)`]);
  };
  minik.levels.forEach((m, i) => {
    const e = etcd.levels[i]!;
    const c = `c=${m.concurrency}`;
    row(`puts/s       ${c}`, m.putsPerSec, e.putsPerSec, 0, true);
    row(`put p50 ms   ${c}`, m.latencyMs.p50, e.latencyMs.p50, 2, false);
    row(`put p99 ms   ${c}`, m.latencyMs.p99, e.latencyMs.p99, 2, false);
  });
  const floorRows = r.floor.map((f, i) => {
    const e = etcd.levels[i]!;
    return [`c=${f.concurrency}`, fmt(f.putsPerSec, 0), `${fmt(f.putsPerSec / e.putsPerSec, 2)}x`, pct(f.cpu.serverPct), pct(f.cpu.clientPct)];
  });
  row(`watch p50 ms (${r.watchers} watchers)`, minik.watch.latencyMs.p50, etcd.watch.latencyMs.p50, 2, false);
  row(`watch p99 ms (${r.watchers} watchers)`, minik.watch.latencyMs.p99, etcd.watch.latencyMs.p99, 2, false);

  const out: string[] = [];
  out.push(
    `store: minik vs etcd ${etcd.version}, puts of ${r.valueBytes} B values through StoreClient (HTTP/JSON) on 127.0.0.1,`,
    `${r.durationMs / 1000} s per concurrency level and server, taking turns; ${r.machine.cpus} cores, Node ${r.machine.node}, ${r.date}` +
      (r.machine.busyBeforePct === undefined ? '' : `; ${Math.round(r.machine.busyBeforePct)}% of a core busy before the start`),
    '',
    ...renderTable(['', 'minik', 'etcd', 'minik/etcd', 'better'], rows),
    '',
    `CPU during the puts, % of one core (${r.machine.cpus} cores: ${r.machine.cpus * 100} in all)`,
    ...renderTable(
      ['', 'server', 'load generator', '(its event loop busy)', 'rest of the machine'],
      byLevel(minik, etcd).map(([t, l]) => [
        `${t.name.padEnd(5)} c=${l.concurrency}`,
        pct(l.cpu.serverPct),
        pct(l.cpu.clientPct),
        `(${pct(l.cpu.clientLoopPct)})`,
        pct(l.cpu.restPct),
      ]),
    ),
  );
  const saturated = byLevel(minik, etcd).filter(([, l]) => l.cpu.clientLoopPct > 90);
  if (saturated.length > 0) {
    const where = saturated.map(([t, l]) => `${t.name} c=${l.concurrency}`).join(', ');
    out.push('', `note: the load generator's event loop was over 90% busy at ${where}: there it, not the server, may bound the figures`);
  }
  for (const t of [minik, etcd]) {
    if (t.watch.delivered !== t.watch.expected) {
      out.push('', `WARNING: ${t.name} delivered ${t.watch.delivered} of ${t.watch.expected} watch events`);
    }
  }
  out.push(
    '',
    'the floor: a Node HTTP server that answers every put at once and stores nothing, the same load generator',
    ...renderTable(['', 'puts/s', 'floor/etcd', 'server CPU %', 'load generator CPU %'], floorRows),
  );
  out.push('', "targets: minik puts/s relative to etcd (the ceiling: the floor's ratio, the most a server on Node's HTTP reaches with this load generator)");
  out.push(
    ...renderTable(
      ['', 'wanted', 'measured', 'ceiling', ''],
      r.targets.map((t) => [
        `c=${t.concurrency}`,
        `>= ${t.wanted}x`,
        `${fmt(t.ratio, 2)}x`,
        `${fmt(t.ceiling, 2)}x`,
        t.met ? 'met' : t.ceiling < t.wanted ? 'NOT MET (above the ceiling)' : 'NOT MET',
      ]),
    ),
  );
  process.stdout.write(out.join('\n') + '\n');
}

/** Both targets' results at each level, side by side. */
function byLevel(minik: TargetResult, etcd: TargetResult): Array<[TargetResult, LevelResult]> {
  return minik.levels.flatMap((m, i) => [[minik, m], [etcd, etcd.levels[i]!]] as Array<[TargetResult, LevelResult]>);
}

function pct(x: number | undefined): string {
  return x === undefined ? '?' : String(Math.round(x));
}

function fmt(n: number, digits: number): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '-';
}
