import type { KubeObject } from '../api/client.js';

/** One line a container wrote, and when. */
export interface LogLine {
  /** Milliseconds since the epoch. */
  time: number;
  text: string;
}

/** One run of a container: from its start to its exit, or still going. */
export interface ContainerRun {
  container: string;
  image: string;
  /** The runtime's id; with startedAt it tells one run from the next. */
  id: string;
  startedAt: number;
  finishedAt?: number;
  exitCode?: number;
  reason?: string;
}

/** How often a running container writes its periodic line: every `simSeconds` of simulated time, `everyMs` of real time. */
export interface LogCadence {
  everyMs: number;
  simSeconds: number;
}

/** A simulated container writes a line every 10 s of simulated time: 10 s of real time at speed 1, 200 ms at speed 50. */
export function cadenceFor(speed: number, simSeconds = 10): LogCadence {
  return { everyMs: (simSeconds * 1000) / speed, simSeconds };
}

/** Why there is no log to read: the kubelet's own answer, 404 for what is not there, 400 for what has not run. */
export interface NoLog {
  code: 400 | 404;
  message: string;
}

type State = {
  waiting?: { reason?: string };
  running?: { startedAt?: string };
  terminated?: { startedAt?: string; finishedAt?: string; exitCode?: number; reason?: string; containerID?: string };
};
type ContainerStatus = { name: string; image?: string; containerID?: string; state?: State; lastState?: State };
type PodShape = {
  metadata?: { name?: string };
  spec?: { containers?: { name: string; image?: string }[]; initContainers?: { name: string; image?: string }[] };
  status?: { containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[] };
};

/**
 * Which run of a container a log request reads, as the kubelet's validateContainerLogStatus picks
 * it: the running one, else the one that ended; with `previous` the one before the current.
 *
 *   findRun(pod, 'web', false)   // { container: 'web', image: 'nginx:1.25', id: 'minik://<uid>/web', startedAt: <ms> }
 *   findRun(pendingPod, 'web', false)
 *   // { code: 400, message: 'container "web" in pod "web-1" is waiting to start: ContainerCreating' }
 *   findRun(pod, 'db', false)    // { code: 404, message: 'container "db" not found in pod "web-1"' }
 */
export function findRun(obj: Readonly<KubeObject>, container: string, previous: boolean): ContainerRun | NoLog {
  const pod = obj as PodShape;
  const name = pod.metadata?.name ?? '';
  const specs = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  const spec = specs.find((c) => c.name === container);
  if (!spec) return { code: 404, message: `container "${container}" not found in pod "${name}"` };
  const status = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find((s) => s.name === container);
  const waiting = (reason: string) => ({ code: 400 as const, message: `container "${container}" in pod "${name}" is waiting to start: ${reason}` });
  // Bound but not yet reported on: the node is still creating it.
  if (!status) return waiting('ContainerCreating');
  const image = status.image ?? spec.image ?? '';
  const last = status.lastState?.terminated;
  // The simulator may reuse one container id across restarts, so an earlier run is known by its times too.
  const lastId = last && (last.containerID || status.containerID);
  const ended = (t: NonNullable<State['terminated']>, id: string) => run(container, image, id, t.startedAt, t);
  const { state } = status;
  if (previous) {
    if (!last || !lastId) return { code: 400, message: `previous terminated container "${container}" in pod "${name}" not found` };
    return ended(last, lastId) ?? waiting('no logs yet');
  }
  if (state?.running) return run(container, image, status.containerID ?? '', state.running.startedAt) ?? waiting('no logs yet');
  if (state?.terminated) {
    const id = state.terminated.containerID || status.containerID;
    if (id) return ended(state.terminated, id) ?? waiting('no logs yet');
    if (last && lastId) return ended(last, lastId) ?? waiting('no logs yet');
    return { code: 400, message: `container "${container}" in pod "${name}" is terminated` };
  }
  if (last && lastId) return ended(last, lastId) ?? waiting('no logs yet');
  const reason = state?.waiting?.reason;
  if (reason === 'ErrImagePull') return waiting("image can't be pulled");
  if (reason === 'ImagePullBackOff') return waiting('trying and failing to pull image');
  if (reason) return waiting(reason);
  return { code: 400, message: `container "${container}" in pod "${name}" is waiting to start - no logs yet` };
}

function run(container: string, image: string, id: string, startedAt: string | undefined, end?: NonNullable<State['terminated']>): ContainerRun | undefined {
  const start = Date.parse(startedAt ?? '');
  if (Number.isNaN(start)) return undefined;
  const out: ContainerRun = { container, image, id, startedAt: start };
  const finish = Date.parse(end?.finishedAt ?? '');
  if (end && !Number.isNaN(finish)) {
    out.finishedAt = Math.max(start, finish);
    out.exitCode = end.exitCode ?? 0;
    if (end.reason) out.reason = end.reason;
  }
  return out;
}

export const isNoLog = (r: ContainerRun | NoLog): r is NoLog => 'code' in r;

/**
 * Everything a run has written by `until`: a line when it started, one every cadence while it ran,
 * and one when it exited. The same run and time always give the same lines.
 *
 *   runLines({ container: 'web', image: 'nginx:1.25', id, startedAt: Date.parse('2026-11-21T10:00:00Z') },
 *            Date.parse('2026-11-21T10:00:25Z'), { everyMs: 10_000, simSeconds: 10 })
 *   // 2026-11-21T10:00:00.000Z minik: container web started (image nginx:1.25)
 *   // 2026-11-21T10:00:10.000Z minik: container web is running (10s)
 *   // 2026-11-21T10:00:20.000Z minik: container web is running (20s)
 */
export function runLines(r: ContainerRun, until: number, cadence: LogCadence): LogLine[] {
  const end = Math.min(until, r.finishedAt ?? Infinity);
  if (end < r.startedAt) return [];
  const line = (time: number, what: string) => ({ time, text: `${new Date(time).toISOString()} minik: container ${r.container} ${what}` });
  const out = [line(r.startedAt, `started (image ${r.image})`)];
  for (let k = 1; ; k++) {
    const t = r.startedAt + k * cadence.everyMs;
    if (t > end || (r.finishedAt !== undefined && t >= r.finishedAt)) break;
    out.push(line(t, `is running (${formatSeconds(k * cadence.simSeconds)})`));
  }
  if (r.finishedAt !== undefined && r.finishedAt <= until) {
    out.push(line(r.finishedAt, `exited with code ${r.exitCode ?? 0}${r.reason ? ` (${r.reason})` : ''}`));
  }
  return out;
}

/** When the run writes its next line after `after`; undefined once it has written its last. */
export function nextLineAt(r: ContainerRun, after: number, cadence: LogCadence): number | undefined {
  if (after < r.startedAt) return r.startedAt;
  const next = r.startedAt + (Math.floor((after - r.startedAt) / cadence.everyMs) + 1) * cadence.everyMs;
  if (r.finishedAt === undefined) return next;
  if (after >= r.finishedAt) return undefined;
  return Math.min(next, r.finishedAt);
}

function formatSeconds(s: number): string {
  return Number.isInteger(s) ? `${s}s` : `${s.toFixed(1)}s`;
}
