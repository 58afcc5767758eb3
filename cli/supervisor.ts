import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, createWriteStream, openSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { ComponentState } from './cluster-state.js';
import type { ComponentName, ComponentSpec } from './up-config.js';

export interface SupervisorOptions {
  specs: ComponentSpec[];
  logDir: string;
  /** The program each component's args are given to: `[node, dist/cli/minik.js]`. */
  command: string[];
  /** A component that runs and then exits without being asked to: what `minik up` does about it. */
  onUnexpectedExit: (name: ComponentName, reason: string) => void;
  /** Any component changed state (for the state file). */
  onChange?: () => void;
  readyTimeoutMs?: number;
  /** How long a component has to stop after SIGTERM before it is killed. */
  stopTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

interface Running {
  spec: ComponentSpec;
  status: ComponentState['status'];
  child?: ChildProcess;
  log: string;
  exited?: Promise<void>;
}

/**
 * Runs each component as a child process and knows, for every exit, whether it was asked for.
 * A `stop` is never a failure; an exit nobody asked for goes to `onUnexpectedExit` with the
 * component's last line on stderr (`port 2379 on 127.0.0.1 is already in use: ...`).
 *
 *   const s = new Supervisor({ specs, logDir, command: [process.execPath, MINIK], onUnexpectedExit });
 *   await s.startAll();        // all at once: each waits for what it needs; rejects with the first failure
 *   await s.stop('scheduler'); // components() shows it stopped; nothing else happens
 *   await s.start('scheduler');
 *   await s.stopAll();         // the clients, then the API server, then the store
 */
export class Supervisor {
  private readonly byName = new Map<ComponentName, Running>();

  constructor(private readonly opts: SupervisorOptions) {
    for (const spec of opts.specs) this.byName.set(spec.name, { spec, status: 'stopped', log: join(opts.logDir, `${spec.name}.log`) });
  }

  has(name: string): name is ComponentName {
    return this.byName.has(name as ComponentName);
  }

  components(): ComponentState[] {
    return [...this.byName.values()].map((r) => ({
      name: r.spec.name,
      status: r.status,
      ...(r.child?.pid !== undefined && r.status !== 'stopped' ? { pid: r.child.pid } : {}),
      address: r.spec.address,
      args: r.spec.args,
      log: r.log,
    }));
  }

  /** Starts every component at once (they wait for one another) and resolves when all are ready. */
  async startAll(): Promise<void> {
    await Promise.all(this.opts.specs.map((s) => this.start(s.name)));
  }

  /**
   * Starts one component and resolves once its /readyz answers; rejects with a one-line reason
   * if it exits first or is not ready in time (it is then not left running).
   */
  async start(name: ComponentName): Promise<void> {
    const r = this.get(name);
    if (r.status === 'running' || r.status === 'starting') return;
    if (r.status === 'stopping') await r.exited;
    const [program, ...prefix] = this.opts.command;
    // Logs go straight to the file; stderr also passes through here, to quote why a component stopped.
    const out = openSync(r.log, 'a');
    const child = spawn(program!, [...prefix, ...r.spec.args], { stdio: ['ignore', out, 'pipe'], env: this.opts.env ?? process.env });
    closeSync(out);
    const log: WriteStream = createWriteStream(r.log, { flags: 'a' });
    let lastErr = '';
    child.stderr!.on('data', (d: Buffer) => {
      log.write(d);
      const lines = d.toString().split('\n').map((l) => l.trim()).filter(Boolean);
      if (lines.length > 0) lastErr = lines[lines.length - 1]!;
    });
    r.child = child;
    r.status = 'starting';
    this.changed();
    r.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        // Let the last stderr chunk arrive before it is quoted.
        setImmediate(() => {
          log.end();
          const asked = r.status === 'stopping';
          const wasRunning = r.status === 'running';
          r.status = 'stopped';
          this.changed();
          if (wasRunning && !asked) this.opts.onUnexpectedExit(name, reasonOf(lastErr, code, signal, r.log));
          resolve();
        });
      });
    });
    try {
      await this.waitReady(r, child);
      // Its /readyz may have answered after a stop began: that copy is on its way out, not running.
      if (r.status !== 'starting') throw new Error('stopped while it was starting');
    } catch (err) {
      // Not ready in time: it goes. (Asked to stop meanwhile: stop() is already seeing to it.)
      if (r.status === 'starting' && child.exitCode === null && child.signalCode === null) {
        r.status = 'stopping';
        child.kill('SIGKILL');
      }
      await r.exited;
      throw new Error(`the ${name} did not start: ${(err as Error).message === 'exited' ? reasonOf(lastErr, child.exitCode, child.signalCode, r.log) : (err as Error).message}`);
    }
    r.status = 'running';
    this.changed();
  }

  /** Stops one component (SIGTERM, then SIGKILL after the stop timeout); its exit is no failure. */
  async stop(name: ComponentName, graceMs = this.opts.stopTimeoutMs ?? 10_000): Promise<void> {
    const r = this.get(name);
    if (!r.child || r.status === 'stopped') return;
    if (r.status !== 'stopping') {
      r.status = 'stopping';
      this.changed();
      r.child.kill('SIGTERM');
      const child = r.child;
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      void r.exited!.then(() => clearTimeout(timer));
    }
    await r.exited;
  }

  /**
   * Stops everything in the reverse order of need: the clients first, the store last. After a
   * failed start a short grace will do: a client waiting for a dead API server has nothing to save.
   */
  async stopAll(graceMs?: number): Promise<void> {
    const tiers: ComponentName[][] = [['controller-manager', 'scheduler', 'kubelet-sim'], ['apiserver'], ['store']];
    for (const tier of tiers) await Promise.all(tier.filter((n) => this.byName.has(n)).map((n) => this.stop(n, graceMs)));
  }

  private async waitReady(r: Running, child: ChildProcess): Promise<void> {
    // Generous: five Node processes booting at once on a busy laptop can take a while.
    const timeout = this.opts.readyTimeoutMs ?? 60_000;
    const deadline = Date.now() + timeout;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null || r.status !== 'starting') throw new Error('exited');
      try {
        const res = await fetch(r.spec.readyUrl, { signal: AbortSignal.timeout(1000) });
        if (res.ok) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((res) => setTimeout(res, 25));
    }
    throw new Error(`not ready within ${timeout / 1000} s; see ${r.log}`);
  }

  private get(name: ComponentName): Running {
    const r = this.byName.get(name);
    if (!r) throw new Error(`no component named ${name}`);
    return r;
  }

  private changed(): void {
    this.opts.onChange?.();
  }
}

/** The component's own last word on stderr (without its `minik: ` prefix), else how it exited. */
export function reasonOf(lastErr: string, code: number | null, signal: NodeJS.Signals | null, log: string): string {
  if (lastErr) return lastErr.replace(/^minik: /, '');
  return `${signal ? `killed by ${signal}` : `exited with code ${code}`}; see ${log}`;
}
