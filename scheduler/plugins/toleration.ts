import type { Taint } from '../../api/schemas/cluster.js';
import type { Toleration } from '../../api/schemas/pod.js';

/**
 * Upstream's ToleratesTaint: an empty effect or key in the toleration matches any; `Exists`
 * ignores the value, `Equal` (the default) needs it equal.
 *
 *   toleratesTaint({ key: 'gpu', operator: 'Exists' }, { key: 'gpu', value: 'a', effect: 'NoSchedule' }) = true
 *   toleratesTaint({ key: 'gpu', value: 'b' },         { key: 'gpu', value: 'a', effect: 'NoSchedule' }) = false
 */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
}

export function tolerated(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}
