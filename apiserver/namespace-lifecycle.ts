import type { ResourceType } from '../api/resources.js';
import type { KubeObject } from './watch-cache.js';

/**
 * How a namespace is deleted, as kube-apiserver's namespace storage does it. The first DELETE
 * only marks it: a deletionTimestamp and phase Terminating, so that nothing new can be created
 * inside while the namespace controller deletes what is there. The namespace itself goes once
 * its spec.finalizers (`kubernetes`, the namespace controller's) and metadata.finalizers are all
 * gone: the controller removes `kubernetes` when the namespace is empty, and that write deletes it.
 *
 *   DELETE ns/demo                         -> kept: deletionTimestamp set, status.phase Terminating
 *   PUT ns/demo with spec.finalizers []    -> deleted (nothing else holds it)
 */
export function namespaceFinalizers(obj: KubeObject): string[] {
  return (obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [];
}

/** Whether a namespace that is being deleted must stay for now (upstream's ShouldDeleteNamespaceDuringUpdate, negated). */
export function heldByNamespaceFinalizers(r: ResourceType, obj: KubeObject): boolean {
  return r.kind === 'Namespace' && namespaceFinalizers(obj).length > 0;
}

/** What a DELETE of a namespace that is not yet going does to it, in place. */
export function markNamespaceTerminating(obj: KubeObject): void {
  obj.status = { ...((obj.status as Record<string, unknown> | undefined) ?? {}), phase: 'Terminating' };
}
