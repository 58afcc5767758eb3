import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../api/client.js';
import type { Namespace } from '../../api/schemas/cluster.js';
import { nextConditions, type Failing } from './conditions.js';

/** The namespace controller's token in spec.finalizers (upstream's v1.FinalizerKubernetes). */
export const NAMESPACE_FINALIZER = 'kubernetes';
/** How long to wait for objects held by finalizers before looking again (upstream's finalizerEstimateSeconds). */
export const FINALIZER_ESTIMATE_SECONDS = 15;

/** The objects of one resource found in the namespace, or why they could not be listed. */
export interface ResourceContent {
  /** The plural, `pods`. */
  resource: string;
  /** The API group, '' for core. */
  group: string;
  items: readonly Readonly<KubeObject>[];
  /** A list (or delete) of this resource failed: the message. */
  error?: string;
}

export interface ContentDeletion {
  resource: string;
  name: string;
}

/**
 * The deletions that empty a namespace: every object not already being deleted. Objects with a
 * deletionTimestamp are left to finish (a pod to be stopped by its node, finalizers to be removed).
 *
 *   contents: configmaps [app], pods [web-1 (deleting), web-2]
 *   -> [{ resource: 'configmaps', name: 'app' }, { resource: 'pods', name: 'web-2' }]
 */
export function planContentDeletion(contents: readonly ResourceContent[]): ContentDeletion[] {
  return contents.flatMap((c) => c.items.filter((o) => !o.metadata?.deletionTimestamp).map((o) => ({ resource: c.resource, name: o.metadata?.name ?? '' })));
}

/** Whether the namespace is being deleted and still waits for this controller (its `kubernetes` finalizer). */
export function awaitsFinalizing(namespace: Readonly<Namespace>): boolean {
  return Boolean(namespace.metadata?.deletionTimestamp) && (namespace.spec?.finalizers ?? []).includes(NAMESPACE_FINALIZER);
}

export type NamespaceAction =
  | { type: 'updateStatus'; namespace: Namespace }
  /** Removes `kubernetes` from spec.finalizers: the last step, after which the namespace goes. */
  | { type: 'finalize'; namespace: Namespace };

export interface NamespacePlan {
  actions: NamespaceAction[];
  /** Content is left (pods stopping, finalizers pending): look again after this many seconds. */
  remainingEstimateSeconds?: number;
  /** What failed, for the retry with back-off; empty when nothing did. */
  errors: string[];
}

/**
 * What to do for a namespace being deleted, given what is left in it after this pass's deletions
 * (upstream's namespacedResourcesDeleter.Delete and deleteAllContent). The status says what remains
 * in upstream's conditions; when nothing is left and nothing failed, the `kubernetes` finalizer is
 * removed.
 *
 *   namespace demo (Terminating), left: pods [web-1 (grace 30 s)], configmaps []
 *   -> actions: [updateStatus: NamespaceContentRemaining True "Some resources are remaining: pods. has 1 resource instances", ...]
 *      remainingEstimateSeconds: 30
 *   namespace demo, nothing left
 *   -> actions: [updateStatus: every condition False, finalize: spec.finalizers []]
 */
export function planNamespace(namespace: Readonly<Namespace>, remaining: readonly ResourceContent[], now: string): NamespacePlan {
  if (!awaitsFinalizing(namespace)) return { actions: [], errors: [] };
  const errors = remaining.filter((c) => c.error).map((c) => c.error!);
  let estimate = 0;
  const counts: string[] = [];
  const byFinalizer = new Map<string, number>();
  for (const c of remaining) {
    if (c.items.length === 0) continue;
    counts.push(`${c.resource}.${c.group} has ${c.items.length} resource instances`);
    let finalizers = 0;
    for (const o of c.items) {
      for (const f of o.metadata?.finalizers ?? []) {
        byFinalizer.set(f, (byFinalizer.get(f) ?? 0) + 1);
        finalizers++;
      }
    }
    const grace = c.resource === 'pods' && c.group === '' ? podsGraceEstimate(c.items) : 0;
    if (grace > 0) estimate = Math.max(estimate, grace);
    else if (finalizers > 0) estimate = Math.max(estimate, FINALIZER_ESTIMATE_SECONDS);
    else errors.push(`unexpected items still remain in namespace: ${namespace.metadata?.name ?? ''} for gvr: ${c.group}/v1, Resource=${c.resource}`);
  }

  const failing: Failing = {};
  if (errors.length > 0) {
    failing.NamespaceDeletionContentFailure = { reason: 'ContentDeletionFailed', message: `Failed to delete all resource types, ${errors.length} remaining: ${aggregate(errors)}` };
  }
  if (counts.length > 0) failing.NamespaceContentRemaining = { reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${counts.sort().join(', ')}` };
  if (byFinalizer.size > 0) {
    const held = [...byFinalizer].map(([f, n]) => `${f} in ${n} resource instances`).sort();
    failing.NamespaceFinalizersRemaining = { reason: 'SomeFinalizersRemain', message: `Some content in the namespace has finalizers remaining: ${held.join(', ')}` };
  }

  const actions: NamespaceAction[] = [];
  const status = { ...namespace.status, phase: 'Terminating' as const, conditions: nextConditions(namespace.status?.conditions ?? [], failing, now) };
  if (!isDeepStrictEqual(status, namespace.status)) actions.push({ type: 'updateStatus', namespace: { ...structuredClone(namespace) as Namespace, status } });
  const empty = counts.length === 0 && errors.length === 0;
  if (empty) {
    const finalizers = [...new Set((namespace.spec?.finalizers ?? []).filter((f) => f !== NAMESPACE_FINALIZER))].sort();
    actions.push({ type: 'finalize', namespace: { ...structuredClone(namespace) as Namespace, status, spec: { ...namespace.spec, finalizers } } });
  }
  return { actions, errors, ...(empty || errors.length > 0 ? {} : { remainingEstimateSeconds: estimate }) };
}

/** Upstream's estimateGracefulTerminationForPods: the longest grace period of the pods still running. */
function podsGraceEstimate(pods: readonly Readonly<KubeObject>[]): number {
  let estimate = 0;
  for (const p of pods) {
    const phase = (p.status as { phase?: string } | undefined)?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const grace = (p.spec as { terminationGracePeriodSeconds?: number } | undefined)?.terminationGracePeriodSeconds;
    if (grace !== undefined && grace > estimate) estimate = grace;
  }
  return estimate;
}

/** utilerrors.NewAggregate's text: one error alone, several in brackets. */
function aggregate(errors: readonly string[]): string {
  return errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`;
}
