import type { Pod } from '../api/schemas/pod.js';
import { isTerminal } from './plugins/index.js';

/** A pod waiting for this scheduler: not bound, not on its way out, and addressed to us. */
export function isPending(pod: Pod, schedulerName: string): boolean {
  return (
    !pod.spec?.nodeName &&
    !pod.metadata?.deletionTimestamp &&
    !isTerminal(pod) &&
    (pod.spec?.schedulerName ?? 'default-scheduler') === schedulerName
  );
}
