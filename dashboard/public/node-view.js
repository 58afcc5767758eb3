// What a node box shows: how full it is by requests, and whether it is ready, cordoned or stopped.
import { parseQuantity } from './quantity.js';

/** The annotation that makes the node simulator stop a node's heartbeats. */
export const HEARTBEATS = 'minik.dev/heartbeats';

/**
 * A pod's requests as the scheduler counts them: the sum over its containers, or the largest init
 * container if that is more (init containers run one at a time), plus the pod overhead.
 * @param {any} pod
 * @returns {{ cpu: number, memory: number }}
 */
export function podRequests(pod) {
  const sum = { cpu: 0, memory: 0 };
  for (const c of pod?.spec?.containers ?? []) {
    sum.cpu += parseQuantity(c.resources?.requests?.cpu);
    sum.memory += parseQuantity(c.resources?.requests?.memory);
  }
  for (const c of pod?.spec?.initContainers ?? []) {
    sum.cpu = Math.max(sum.cpu, parseQuantity(c.resources?.requests?.cpu));
    sum.memory = Math.max(sum.memory, parseQuantity(c.resources?.requests?.memory));
  }
  sum.cpu += parseQuantity(pod?.spec?.overhead?.cpu);
  sum.memory += parseQuantity(pod?.spec?.overhead?.memory);
  return sum;
}

/** A finished pod holds no resources, as the scheduler sees it. */
const holdsResources = (/** @type {any} */ pod) => pod?.status?.phase !== 'Succeeded' && pod?.status?.phase !== 'Failed';

/**
 * @typedef {{ used: number, total: number, percent: number }} Fill
 * @typedef {{ cpu: Fill, memory: Fill, pods: Fill }} NodeFill
 */

/**
 * How full a node is: its pods' requests against its allocatable. A node with 2 CPUs and pods
 * requesting 500m and 1 is `cpu: { used: 1.5, total: 2, percent: 75 }`. Percentages are rounded
 * and capped at 100 so a bar never overflows its box (an over-committed node still reads as full).
 * @param {any} node
 * @param {Iterable<any>} pods the pods bound to this node
 * @returns {NodeFill}
 */
export function nodeFill(node, pods) {
  const alloc = node?.status?.allocatable ?? node?.status?.capacity ?? {};
  let cpu = 0;
  let memory = 0;
  let count = 0;
  for (const pod of pods) {
    if (!holdsResources(pod)) continue;
    const r = podRequests(pod);
    cpu += r.cpu;
    memory += r.memory;
    count++;
  }
  return {
    cpu: fill(cpu, parseQuantity(alloc.cpu)),
    memory: fill(memory, parseQuantity(alloc.memory)),
    pods: fill(count, parseQuantity(alloc.pods)),
  };
}

/**
 * @param {number} used
 * @param {number} total
 * @returns {Fill}
 */
function fill(used, total) {
  const percent = total > 0 ? Math.min(100, Math.round((used / total) * 100)) : used > 0 ? 100 : 0;
  return { used, total, percent };
}

/**
 * @typedef {{ ready: 'True' | 'False' | 'Unknown', notReady: boolean, cordoned: boolean, stopped: boolean, noExecute: boolean }} NodeMarks
 */

/**
 * What is wrong with a node, each a mark the box wears: NotReady when its Ready condition is not
 * True (Unknown once the node lifecycle controller stops hearing from it), cordoned when
 * `spec.unschedulable`, stopped when its heartbeats are switched off (before it goes NotReady),
 * noExecute when its pods are being evicted.
 * @param {any} node
 * @returns {NodeMarks}
 */
export function nodeMarks(node) {
  const cond = (node?.status?.conditions ?? []).find((/** @type {any} */ c) => c.type === 'Ready');
  const ready = cond?.status === 'True' || cond?.status === 'False' ? cond.status : 'Unknown';
  return {
    ready,
    notReady: ready !== 'True',
    cordoned: node?.spec?.unschedulable === true,
    stopped: node?.metadata?.annotations?.[HEARTBEATS] === 'stopped',
    noExecute: (node?.spec?.taints ?? []).some((/** @type {any} */ t) => t.effect === 'NoExecute'),
  };
}

/**
 * Names in the order people count: node-2 before node-10.
 * @param {string} a
 * @param {string} b
 */
export function compareNames(a, b) {
  return a.localeCompare(b, 'en', { numeric: true });
}
