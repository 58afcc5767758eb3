import type { Node, Taint } from '../../api/schemas/cluster.js';

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/** Upstream's nodeConditionToTaintKeyStatusMap: which condition status puts which taint key on a node. */
const CONDITION_TAINTS: ReadonlyArray<{ condition: string; status: string; key: string }> = [
  { condition: 'Ready', status: 'False', key: TAINT_NOT_READY },
  { condition: 'Ready', status: 'Unknown', key: TAINT_UNREACHABLE },
  { condition: 'MemoryPressure', status: 'True', key: 'node.kubernetes.io/memory-pressure' },
  { condition: 'DiskPressure', status: 'True', key: 'node.kubernetes.io/disk-pressure' },
  { condition: 'PIDPressure', status: 'True', key: 'node.kubernetes.io/pid-pressure' },
  { condition: 'NetworkUnavailable', status: 'True', key: 'node.kubernetes.io/network-unavailable' },
];

/** The taints this controller owns: it adds and removes these and leaves every other taint alone. */
const MANAGED = new Set([
  ...CONDITION_TAINTS.map((c) => `${c.key}:NoSchedule`),
  `${TAINT_UNSCHEDULABLE}:NoSchedule`,
  `${TAINT_NOT_READY}:NoExecute`,
  `${TAINT_UNREACHABLE}:NoExecute`,
]);

const id = (t: { key: string; effect: string }) => `${t.key}:${t.effect}`;

export type TaintId = { key: string; effect: Taint['effect'] };

/**
 * The taints a node's conditions call for, as upstream's TaintNodesByCondition (NoSchedule, one
 * per condition in a bad state, and `unschedulable` for a cordoned node) and its NoExecute tainting
 * pass (not-ready for Ready=False, unreachable for Ready=Unknown) put them:
 *
 *   conditionTaints({ status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } })
 *     // [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
 *     //  { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }]
 *   conditionTaints({ status: { conditions: [{ type: 'Ready', status: 'True' }] } })   // []
 */
export function conditionTaints(node: Readonly<Node>): TaintId[] {
  const conditions = node.status?.conditions ?? [];
  const status = (type: string) => conditions.find((c) => c.type === type)?.status;
  const out: TaintId[] = [];
  for (const c of CONDITION_TAINTS) if (status(c.condition) === c.status) out.push({ key: c.key, effect: 'NoSchedule' });
  if (node.spec?.unschedulable) out.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
  const ready = status('Ready');
  if (ready === 'False') out.push({ key: TAINT_NOT_READY, effect: 'NoExecute' });
  if (ready === 'Unknown') out.push({ key: TAINT_UNREACHABLE, effect: 'NoExecute' });
  return out;
}

/**
 * The node's taints with the managed ones replaced by `wanted`: others' taints are kept as they
 * are, a wanted taint already there keeps its timeAdded, and a new NoExecute taint gets `now`
 * (the API writes timeAdded for NoExecute taints only). Undefined when nothing changes.
 */
export function withTaints(current: readonly Readonly<Taint>[], wanted: readonly TaintId[], now: string): Taint[] | undefined {
  const want = new Set(wanted.map(id));
  const kept = current.filter((t) => !MANAGED.has(id(t)) || want.has(id(t)));
  const have = new Set(kept.map(id));
  const added = wanted.filter((t) => !have.has(id(t))).map((t): Taint => ({ ...t, ...(t.effect === 'NoExecute' ? { timeAdded: now } : {}) }));
  if (added.length === 0 && kept.length === current.length) return undefined;
  return [...kept.map((t) => ({ ...t })), ...added];
}
