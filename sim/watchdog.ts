import { Worker } from 'node:worker_threads';

/** Trace lines kept for the report, each cut to SLOT_BYTES of UTF-8, after a label of LABEL_BYTES. */
const [SLOTS, SLOT_BYTES, LABEL_BYTES, HEARTBEAT_MS] = [40, 240, 480, 500];
/** Int32 cells: the heartbeat, simulated clusters running, the next slot, the label's length, then one per slot's length. */
const [BEAT, ACTIVE, NEXT, LABEL_LEN] = [0, 1, 2, 3];
const HEADER = 4 + SLOTS;

/**
 * Runs in a thread of its own: the one place left that can act when the main thread is stuck in
 * synchronous code, where no timer fires (vitest's test timeout included).
 */
const WORKER = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const { sab, stuckMs } = workerData;
const cells = new Int32Array(sab, 0, ${HEADER});
const bytes = new Uint8Array(sab, ${HEADER * 4});
const text = (at, len) => new TextDecoder().decode(bytes.slice(at, at + len));
const idle = new Int32Array(new SharedArrayBuffer(4));
let last = Atomics.load(cells, ${BEAT}), since = Date.now();
for (;;) {
  Atomics.wait(idle, 0, 0, ${HEARTBEAT_MS});
  const beat = Atomics.load(cells, ${BEAT});
  if (beat !== last || Atomics.load(cells, ${ACTIVE}) === 0) { last = beat; since = Date.now(); continue; }
  if (Date.now() - since < stuckMs) continue;
  const lines = [];
  const next = Atomics.load(cells, ${NEXT});
  for (let i = 0; i < ${SLOTS}; i++) {
    const slot = (next + i) % ${SLOTS};
    const len = Atomics.load(cells, 4 + slot);
    if (len > 0) lines.push(text(${LABEL_BYTES} + slot * ${SLOT_BYTES}, len));
  }
  const label = text(0, Atomics.load(cells, ${LABEL_LEN}));
  writeSync(2, '\\nThe simulated cluster\\'s thread has run synchronous code for ' + Math.round((Date.now() - since) / 1000) + ' s without a break' +
    ' (a planner or handler in an endless loop?); ending the process.\\n' + (label ? label + '\\n' : '') +
    '--- last lines of the trace ---\\n' + lines.join('\\n') + '\\n');
  process.kill(process.pid, 'SIGKILL');
}
`;

/**
 * Watches the thread simulated clusters run on. A reconcile that loops forever in synchronous code
 * holds that thread for good: no timer fires again, so neither the cluster's livelock checks nor a
 * test timeout can end it, and the run would hang. While a cluster runs, a heartbeat timer on the
 * main thread and a thread of its own that watches it: once the heartbeat has stopped for `stuckMs`,
 * that thread writes the scenario's label (how to replay it) and the last trace lines to stderr, and
 * ends the process, so that the run fails, saying why, instead of hanging.
 *
 *   const dog = Watchdog.get();
 *   dog.label('MINIK_SIM_SEED=7 MINIK_SIM_PATH=41');
 *   dog.started();  dog.line('+1.000 controller-manager create pods default/web-x rv=12');  dog.stopped();
 */
export class Watchdog {
  private static instance: Watchdog | undefined;
  private readonly cells: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly encoder = new TextEncoder();
  private heartbeat: NodeJS.Timeout | undefined;

  private constructor(stuckMs: number) {
    const sab = new SharedArrayBuffer(HEADER * 4 + LABEL_BYTES + SLOTS * SLOT_BYTES);
    this.cells = new Int32Array(sab, 0, HEADER);
    this.bytes = new Uint8Array(sab, HEADER * 4);
    // Its own execArgv: the watcher is CommonJS whatever flags (--input-type=module) this process has.
    const worker = new Worker(WORKER, { eval: true, execArgv: [], workerData: { sab, stuckMs } });
    // A watcher that cannot run must not take the process down with it; the cluster runs unwatched.
    worker.on('error', () => undefined);
    worker.unref();
  }

  /** The process's watchdog; MINIK_SIM_STUCK_MS (60 s unless set) is how long a stuck thread is allowed. */
  static get(): Watchdog {
    return (Watchdog.instance ??= new Watchdog(Number(process.env.MINIK_SIM_STUCK_MS ?? 60_000)));
  }

  /** What identifies the scenario now running, printed first in a report: say how to replay it. */
  label(text: string): void {
    Atomics.store(this.cells, LABEL_LEN, this.encoder.encodeInto(text, this.bytes.subarray(0, LABEL_BYTES)).written);
  }

  /** One more line of the trace; the last few are kept for a report. */
  line(text: string): void {
    const slot = Atomics.load(this.cells, NEXT);
    const at = LABEL_BYTES + slot * SLOT_BYTES;
    Atomics.store(this.cells, 4 + slot, this.encoder.encodeInto(text, this.bytes.subarray(at, at + SLOT_BYTES)).written);
    Atomics.store(this.cells, NEXT, (slot + 1) % SLOTS);
  }

  /** A simulated cluster started: watch until every one has stopped. */
  started(): void {
    Atomics.store(this.cells, NEXT, 0);
    for (let slot = 0; slot < SLOTS; slot++) Atomics.store(this.cells, 4 + slot, 0);
    if (Atomics.add(this.cells, ACTIVE, 1) > 0) return;
    this.heartbeat = setInterval(() => Atomics.add(this.cells, BEAT, 1), HEARTBEAT_MS / 2);
    this.heartbeat.unref();
  }

  stopped(): void {
    if (Atomics.sub(this.cells, ACTIVE, 1) > 1) return;
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}
