// What a pod looks like on the board: one of a few states (a colour) and the word kubectl would print.

/** The states a chip can be in, in the order the legend shows them. */
export const POD_STATES = /** @type {const} */ ([
  'Pending',
  'ContainerCreating',
  'Running',
  'Ready',
  'Terminating',
  'Failed',
  'CrashLoopBackOff',
  'Error',
  'Completed',
]);

/** Waiting reasons that mean something is wrong, not merely slow. */
const WAITING_ERRORS = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'PreStartHookError',
]);

/**
 * @typedef {{ state: typeof POD_STATES[number], label: string, restarts: number }} PodLook
 */

/**
 * A pod's state and label, following kubectl's STATUS column (printPod upstream): a deleted pod is
 * Terminating whatever else it says; a waiting or failed container's reason wins over the phase.
 *
 *   pod without spec.nodeName                                  -> Pending / "Pending"
 *   bound, container waiting ContainerCreating                 -> ContainerCreating / "ContainerCreating"
 *   phase Running, condition Ready False                       -> Running / "Running"
 *   phase Running, condition Ready True                        -> Ready / "Running"
 *   a container waiting CrashLoopBackOff                       -> CrashLoopBackOff / "CrashLoopBackOff"
 *   a container waiting ImagePullBackOff                       -> Error / "ImagePullBackOff"
 *   metadata.deletionTimestamp set                             -> Terminating / "Terminating"
 *
 * @param {any} pod
 * @returns {PodLook}
 */
export function podLook(pod) {
  const status = pod?.status ?? {};
  const phase = status.phase ?? 'Pending';
  const containers = /** @type {any[]} */ (status.containerStatuses ?? []);
  const inits = /** @type {any[]} */ (status.initContainerStatuses ?? []);
  const restarts = containers.reduce((n, c) => n + (c.restartCount ?? 0), 0);
  const look = (/** @type {PodLook['state']} */ state, /** @type {string} */ label) => ({ state, label, restarts });

  if (pod?.metadata?.deletionTimestamp) {
    return look('Terminating', status.reason === 'NodeLost' ? 'Unknown' : 'Terminating');
  }
  if (phase === 'Failed') return look('Failed', status.reason ?? 'Failed');
  if (phase === 'Succeeded') return look('Completed', 'Completed');

  for (const c of [...inits, ...containers]) {
    const reason = c.state?.waiting?.reason;
    if (reason === 'CrashLoopBackOff') return look('CrashLoopBackOff', reason);
    if (reason && WAITING_ERRORS.has(reason)) return look('Error', reason);
  }
  if (!pod?.spec?.nodeName) return look('Pending', status.reason ?? 'Pending');

  // Init containers still to finish: kubectl prints Init:N/M.
  const initDone = inits.filter((c) => c.state?.terminated?.exitCode === 0).length;
  if (inits.length > 0 && initDone < inits.length) {
    const failing = inits.find((c) => c.state?.terminated && c.state.terminated.exitCode !== 0);
    if (failing) return look('Error', `Init:${failing.state.terminated.reason ?? 'Error'}`);
    return look('ContainerCreating', `Init:${initDone}/${inits.length}`);
  }
  if (phase === 'Pending') {
    const waiting = containers.find((c) => c.state?.waiting?.reason)?.state.waiting.reason;
    return look('ContainerCreating', waiting ?? 'ContainerCreating');
  }
  const terminated = containers.find((c) => c.state?.terminated)?.state.terminated;
  if (terminated && terminated.exitCode !== 0) return look('Error', terminated.reason ?? 'Error');
  const ready = (status.conditions ?? []).some((/** @type {any} */ c) => c.type === 'Ready' && c.status === 'True');
  return look(ready ? 'Ready' : 'Running', 'Running');
}

/**
 * The short name a chip shows: the random suffix a ReplicaSet gives its pods ("web-7d4b9c-x2x7q"
 * -> "x2x7q"), or the whole name of a pod made by hand.
 * @param {string} name
 * @param {any[] | undefined} ownerReferences
 */
export function chipName(name, ownerReferences) {
  if (!ownerReferences?.some((o) => o.controller)) return name;
  const i = name.lastIndexOf('-');
  return i > 0 ? name.slice(i + 1) : name;
}
