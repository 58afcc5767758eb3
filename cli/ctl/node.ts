import { HEARTBEATS, patchAnnotation } from './fault.js';
import type { Session } from './session.js';

/**
 * `minikctl node stop NODE`: the node's heartbeats stop (no Lease renewal, no status), and after
 * the grace period the node lifecycle controller marks it NotReady and later evicts its pods.
 * `minikctl node start NODE` brings the heartbeats back.
 */
export async function runNodeFault(s: Session, verb: 'stop' | 'start', node: string): Promise<number> {
  const changed = await patchAnnotation(s, `/api/v1/nodes/${encodeURIComponent(node)}`, HEARTBEATS, verb === 'stop' ? 'stopped' : undefined);
  const what = verb === 'stop' ? 'heartbeats stopped' : 'heartbeats started';
  s.out(`node/${node} ${changed ? what : `already ${verb === 'stop' ? 'stopped' : 'started'}`}\n`);
  return 0;
}

