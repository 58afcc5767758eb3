import type { Container, ContainerStatus, Pod } from '../../api/schemas/pod.js';
import { humanDuration } from './human-duration.js';

export interface PodSummary {
  /** Ready containers of all containers, sidecars included: "1/2". */
  ready: string;
  /** The STATUS column: the phase, or the reason that best explains why the pod is not running. */
  status: string;
  /** The restart count, and when a container last stopped: "3 (5s ago)". */
  restarts: string;
}

/**
 * The READY, STATUS and RESTARTS of a pod, by kube-apiserver's rules: the first init container
 * still at work speaks for the pod ("Init:0/2", "Init:CrashLoopBackOff"); once initialised, the
 * first container that waits or has terminated does ("ContainerCreating", "CrashLoopBackOff",
 * "Completed", "ExitCode:1"); a pod being deleted is "Terminating". Restarts count only the
 * containers that speak for the pod, and name the age of the most recent exit:
 *
 *   podSummary({ spec: { containers: [{ name: 'web' }] }, status: { phase: 'Running',
 *     containerStatuses: [{ name: 'web', ready: false, restartCount: 4, image: 'nginx', imageID: '',
 *       state: { waiting: { reason: 'CrashLoopBackOff' } },
 *       lastState: { terminated: { exitCode: 1, finishedAt: '2024-05-01T12:00:00Z' } } }] } },
 *     Date.parse('2024-05-01T12:00:20Z'))
 *   // { ready: '0/1', status: 'CrashLoopBackOff', restarts: '4 (20s ago)' }
 */
export function podSummary(pod: Pod, now: number): PodSummary {
  const spec = pod.spec;
  const status = pod.status;
  const phase = status?.phase ?? 'Pending'; // the server sets Pending on create
  let reason: string = status?.reason || phase;
  let total = spec?.containers?.length ?? 0;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;

  for (const c of status?.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  const initContainers = new Map<string, Container>();
  for (const c of spec?.initContainers ?? []) {
    initContainers.set(c.name, c);
    if (isSidecar(c)) total++;
  }

  let initializing = false;
  const initStatuses = status?.initContainerStatuses ?? [];
  for (const [i, cs] of initStatuses.entries()) {
    const sidecar = isSidecar(initContainers.get(cs.name));
    restarts += cs.restartCount ?? 0;
    lastRestart = later(lastRestart, lastExit(cs));
    if (sidecar) {
      sidecarRestarts += cs.restartCount ?? 0;
      lastSidecarRestart = later(lastSidecarRestart, lastExit(cs));
    }
    const terminated = cs.state?.terminated;
    const waiting = cs.state?.waiting;
    if (terminated && terminated.exitCode === 0) continue;
    if (sidecar && cs.started === true) {
      if (cs.ready) ready++;
      continue;
    }
    if (terminated) {
      reason = terminated.reason
        ? `Init:${terminated.reason}`
        : terminated.signal
          ? `Init:Signal:${terminated.signal}`
          : `Init:ExitCode:${terminated.exitCode}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${spec?.initContainers?.length ?? 0}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || hasCondition(pod, 'Initialized')) {
    // Once the pod is initialised, finished init containers' restarts are history; sidecars' are not.
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status?.containerStatuses ?? [];
    // Backwards, so that the first container with something to say has the last word.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i] as ContainerStatus;
      restarts += cs.restartCount ?? 0;
      lastRestart = later(lastRestart, lastExit(cs));
      const terminated = cs.state?.terminated;
      const waiting = cs.state?.waiting;
      if (waiting?.reason) {
        reason = waiting.reason;
      } else if (terminated?.reason) {
        reason = terminated.reason;
      } else if (terminated) {
        reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
      } else if (cs.ready && cs.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    // One container done while another still runs: the pod as a whole is still running.
    if (reason === 'Completed' && hasRunning) reason = hasCondition(pod, 'Ready') ? 'Running' : 'NotReady';
  }

  if (pod.metadata?.deletionTimestamp) {
    if (status?.reason === 'NodeLost') reason = 'Unknown';
    else if (phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  }

  const restartText =
    restarts !== 0 && lastRestart !== undefined
      ? `${restarts} (${humanDuration(now - lastRestart)} ago)`
      : String(restarts);
  return { ready: `${ready}/${total}`, status: reason, restarts: restartText };
}

/** A restartable init container: a sidecar that runs beside the main containers. */
function isSidecar(c: Container | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

function lastExit(cs: ContainerStatus): number | undefined {
  const at = Date.parse(cs.lastState?.terminated?.finishedAt ?? '');
  return Number.isNaN(at) ? undefined : at;
}

function later(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}

function hasCondition(pod: Pod, type: string): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}
