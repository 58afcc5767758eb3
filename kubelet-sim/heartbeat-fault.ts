import type { KubeObject } from '../api/client.js';

export const HEARTBEATS_ANNOTATION = 'minik.dev/heartbeats';

/**
 * Whether a class has stopped this node's heartbeats through the API (annotation
 * `minik.dev/heartbeats: "stopped"`), to watch what the control plane does with a silent node.
 * The node-heartbeat stage reads the same annotation; this is for the Lease, which no stage renews.
 * The node only goes quiet: the node lifecycle controller notices the silence (no Lease renewal, no
 * status heartbeat for its grace period) and turns the node Unknown and unreachable, as upstream.
 */
export function heartbeatsStopped(node: KubeObject | undefined): boolean {
  return node?.metadata?.annotations?.[HEARTBEATS_ANNOTATION] === 'stopped';
}
