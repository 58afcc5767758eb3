import { readFile } from 'node:fs/promises';

/**
 * CPU accounting from /proc (Linux; elsewhere every figure is undefined). On a machine this small,
 * anyone else's work skews every figure, so the benchmark says how much of it there was.
 * Times are in ms; USER_HZ is 100 on every Linux the project runs on.
 */

const MS_PER_TICK = 10;

export interface MachineTicks {
  idle: number;
  total: number;
}

/** All cores' time so far, idle and in total. */
export async function machineTicks(): Promise<MachineTicks | undefined> {
  try {
    const first = (await readFile('/proc/stat', 'utf8')).split('\n', 1)[0] ?? '';
    const f = first.trim().split(/\s+/).slice(1).map(Number);
    // idle and iowait: the fourth and fifth fields.
    return { idle: (f[3] ?? 0) + (f[4] ?? 0), total: f.reduce((s, x) => s + x, 0) };
  } catch {
    return undefined;
  }
}

/** CPU time all cores spent busy between two snapshots. */
export function busyMs(a: MachineTicks | undefined, b: MachineTicks | undefined): number | undefined {
  if (!a || !b) return undefined;
  return (b.total - a.total - (b.idle - a.idle)) * MS_PER_TICK;
}

/** How busy the machine is over `ms`, in % of one core. */
export async function machineBusyPct(ms = 1000): Promise<number | undefined> {
  const a = await machineTicks();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const busy = busyMs(a, await machineTicks());
  return busy === undefined ? undefined : (busy / (performance.now() - t0)) * 100;
}

/** CPU time a process has used so far (all its threads). */
export async function processCpuMs(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may hold spaces; fields are counted after it.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(f[11]) + Number(f[12]);
    return Number.isFinite(ticks) ? ticks * MS_PER_TICK : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time over one measured span, in ms; spans add up. */
export interface CpuSpan {
  ms: number;
  serverMs: number | undefined;
  /** This process: the load generator. */
  clientMs: number;
  /** Time its event loop spent running callbacks rather than waiting for events. */
  clientLoopMs: number;
  /** Everyone else: other processes, and kernel threads (some of them working for the server's disk). */
  restMs: number | undefined;
}

/** Starts measuring; the function returned stops and tells. */
export async function startCpuMeter(serverPid: number): Promise<() => Promise<CpuSpan>> {
  const server0 = await processCpuMs(serverPid);
  const machine0 = await machineTicks();
  const client0 = process.cpuUsage();
  const loop0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  return async () => {
    const server1 = await processCpuMs(serverPid);
    const machine1 = await machineTicks();
    const c = process.cpuUsage(client0);
    const loop = performance.eventLoopUtilization(loop0);
    const serverMs = server0 !== undefined && server1 !== undefined ? server1 - server0 : undefined;
    const clientMs = (c.user + c.system) / 1000;
    const all = busyMs(machine0, machine1);
    return {
      ms: performance.now() - t0,
      serverMs,
      clientMs,
      clientLoopMs: loop.active,
      restMs: all === undefined || serverMs === undefined ? undefined : Math.max(0, all - serverMs - clientMs),
    };
  };
}

/** % of one core, over spans taken together. */
export interface CpuUse {
  serverPct: number | undefined;
  clientPct: number;
  /** Near 100, the load generator is the bottleneck. */
  clientLoopPct: number;
  restPct: number | undefined;
}

export function cpuUse(spans: CpuSpan[]): CpuUse {
  const ms = spans.reduce((n, s) => n + s.ms, 0);
  const sum = (f: (s: CpuSpan) => number | undefined): number | undefined =>
    spans.reduce<number | undefined>((n, s) => (n === undefined || f(s) === undefined ? undefined : n + f(s)!), 0);
  const pct = (x: number | undefined) => (x === undefined ? undefined : (x / ms) * 100);
  return {
    serverPct: pct(sum((s) => s.serverMs)),
    clientPct: pct(sum((s) => s.clientMs))!,
    clientLoopPct: pct(sum((s) => s.clientLoopMs))!,
    restPct: pct(sum((s) => s.restMs)),
  };
}
