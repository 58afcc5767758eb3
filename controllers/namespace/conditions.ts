import type { Condition } from '../../api/schemas/meta.js';

/** The conditions the namespace controller keeps on a namespace being deleted, in upstream's order. */
export const NAMESPACE_CONDITION_TYPES = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;
export type NamespaceConditionType = (typeof NAMESPACE_CONDITION_TYPES)[number];

/** What each condition says when nothing is wrong (status False): upstream's okReasons and okMessages. */
const OK: Record<NamespaceConditionType, { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  NamespaceDeletionGroupVersionParsingFailure: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  NamespaceDeletionContentFailure: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
};

/** A condition that is True: something is wrong or still there. */
export type Failing = Partial<Record<NamespaceConditionType, { reason: string; message: string }>>;

/**
 * Upstream's updateConditions (pkg/controller/namespace/deletion/status_condition_utils.go): every
 * type is present; a failing one is True with its reason, the others False with the "ok" text; a
 * condition's lastTransitionTime moves only when its status flips.
 *
 *   nextConditions([], { NamespaceContentRemaining: { reason: 'SomeResourcesRemain', message: 'Some resources are remaining: pods. has 1 resource instances' } }, now)
 *   = five conditions, NamespaceContentRemaining True, the four others False, all with lastTransitionTime now
 */
export function nextConditions(current: readonly Readonly<Condition>[], failing: Failing, now: string): Condition[] {
  const next = new Map<string, Condition>();
  for (const type of NAMESPACE_CONDITION_TYPES) {
    const fail = failing[type];
    const status = fail ? 'True' : 'False';
    const old = current.find((c) => c.type === type);
    const lastTransitionTime = old?.status === status && old.lastTransitionTime ? old.lastTransitionTime : now;
    next.set(type, { ...old, type, status, ...(fail ?? OK[type]), lastTransitionTime });
  }
  // Conditions already there keep their place (others' too); new ones are appended, as upstream does.
  const out = current.map((c) => next.get(c.type) ?? { ...c });
  for (const [type, c] of next) if (!current.some((x) => x.type === type)) out.push(c);
  return out;
}
