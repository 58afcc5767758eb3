import type { KubeObject } from '../../api/client.js';
import { jsonEqual } from '../../api/json-equal.js';
import type { OwnerReference } from '../../api/schemas/meta.js';

export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

/**
 * What an owner reference points at, as upstream's classifyReferences sorts them:
 * `solid` an owner that exists and is not deleting its dependents first; `dangling` an owner
 * confirmed absent (or replaced by another object of that name); `waiting` an owner in foreground
 * deletion, which waits for its dependents to go.
 */
export type OwnerState = 'solid' | 'dangling' | 'waiting';

/** One thing the collector does; objects are named by uid, the executor finds them in the graph. */
export type GcAction =
  | { type: 'delete'; uid: string; policy: PropagationPolicy }
  | { type: 'removeOwnerRefs'; uid: string; owners: string[] }
  | { type: 'removeFinalizers'; uid: string; finalizers: string[] }
  /** Look at this object again: an owner of it went or is deleting in foreground. */
  | { type: 'check'; uid: string };

export interface GcInput {
  uid: string;
  /** The object with that uid as the caches hold it; undefined when no cache holds it (any more). */
  item: Readonly<KubeObject> | undefined;
  /**
   * Every cached object whose ownerReferences name `uid`. For an item not being deleted only
   * whether there are any is read, so a caller may pass just the first.
   */
  dependents: readonly Readonly<KubeObject>[];
  /**
   * The owner each of the item's references points at, by the reference's uid: the object found
   * (cached, or read live when no cache held it) or null when the API server confirmed it absent.
   * Only needed for an item that is not being deleted.
   */
  owners: ReadonlyMap<string, Readonly<KubeObject> | null>;
}

const refTo = (obj: Readonly<KubeObject>, uid: string): Readonly<OwnerReference> | undefined =>
  obj.metadata?.ownerReferences?.find((r) => r.uid === uid);

const isDeleting = (obj: Readonly<KubeObject> | null | undefined): boolean => Boolean(obj?.metadata?.deletionTimestamp);

const hasFinalizer = (obj: Readonly<KubeObject>, f: string): boolean => (obj.metadata?.finalizers ?? []).includes(f);

export function ownerState(ref: Readonly<OwnerReference>, found: Readonly<KubeObject> | null | undefined): OwnerState {
  if (!found || found.metadata?.uid !== ref.uid) return 'dangling';
  if (isDeleting(found) && hasFinalizer(found, FOREGROUND_FINALIZER)) return 'waiting';
  return 'solid';
}

/**
 * Whether an update changed anything `planGarbage` reads of an object: its owner references, its
 * deletion, its finalizers (its uid cannot change). Upstream's graph builder likewise acts on an
 * update only when the references change or a deletion begins; a status or spec write, most of what
 * a cluster writes, gives the collector nothing to do.
 *
 *   changesGarbagePlan(pod, { ...pod, status: { phase: 'Running' } })                       // false
 *   changesGarbagePlan(pod, { ...pod, metadata: { ...pod.metadata, ownerReferences: [] } })  // true
 */
export function changesGarbagePlan(old: Readonly<KubeObject>, obj: Readonly<KubeObject>): boolean {
  const a = old.metadata;
  const b = obj.metadata;
  return a?.deletionTimestamp !== b?.deletionTimestamp || !jsonEqual(a?.finalizers, b?.finalizers) || !jsonEqual(a?.ownerReferences, b?.ownerReferences);
}

/**
 * What the garbage collector does about one object, named by uid (pkg/controller/garbagecollector:
 * attemptToDeleteItem, processDeletingDependentsItem, orphanDependents). An object plays up to two
 * parts:
 *
 * - As an owner being deleted: with the `orphan` finalizer its dependents lose their reference to
 *   it, then the finalizer goes; with `foregroundDeletion` its dependents are looked at (they go,
 *   unless another owner holds them), and the finalizer goes once no dependent with
 *   blockOwnerDeletion is left. An owner no cache holds has its dependents looked at.
 * - As a dependent (not being deleted itself): kept while one owner is solid (references to gone or
 *   foreground-deleting owners are removed); otherwise deleted, in foreground when an owner waits
 *   for it and it has dependents of its own, else with the policy its own finalizers ask for
 *   (Background when none).
 *
 *   // web (a pod) owned by app (a ConfigMap) that the API server says is gone:
 *   planGarbage({ uid: 'u-web', item: web, dependents: [], owners: new Map([['u-app', null]]) })
 *     // [{ type: 'delete', uid: 'u-web', policy: 'Background' }]
 *   // the same pod with a second owner that is alive:
 *   planGarbage({ uid: 'u-web', item: web2, dependents: [], owners: new Map([['u-app', null], ['u-rs', rs]]) })
 *     // [{ type: 'removeOwnerRefs', uid: 'u-web', owners: ['u-app'] }]
 *   // app deleted with propagationPolicy Orphan (deletionTimestamp, finalizers [orphan]):
 *   planGarbage({ uid: 'u-app', item: app, dependents: [web], owners: new Map() })
 *     // [{ type: 'removeOwnerRefs', uid: 'u-web', owners: ['u-app'] },
 *     //  { type: 'removeFinalizers', uid: 'u-app', finalizers: ['orphan'] }]
 */
export function planGarbage(input: GcInput): GcAction[] {
  const { uid, item, dependents } = input;
  if (!item) return dependents.map((d) => ({ type: 'check', uid: d.metadata!.uid! }));
  if (isDeleting(item)) return planDeletingOwner(uid, item, dependents);
  return planDependent(input, item);
}

function planDeletingOwner(uid: string, item: Readonly<KubeObject>, dependents: readonly Readonly<KubeObject>[]): GcAction[] {
  const actions: GcAction[] = [];
  const done: string[] = [];
  let remaining = dependents;
  if (hasFinalizer(item, ORPHAN_FINALIZER)) {
    for (const d of dependents) actions.push({ type: 'removeOwnerRefs', uid: d.metadata!.uid!, owners: [uid] });
    done.push(ORPHAN_FINALIZER);
    remaining = [];
  }
  if (hasFinalizer(item, FOREGROUND_FINALIZER)) {
    const blocking = remaining.filter((d) => refTo(d, uid)?.blockOwnerDeletion === true);
    if (blocking.length === 0) done.push(FOREGROUND_FINALIZER);
    // A dependent already being deleted needs nothing more from us; the owner waits for it to go.
    for (const d of remaining) if (!isDeleting(d)) actions.push({ type: 'check', uid: d.metadata!.uid! });
  }
  if (done.length > 0) actions.push({ type: 'removeFinalizers', uid, finalizers: done });
  return actions;
}

function planDependent(input: GcInput, item: Readonly<KubeObject>): GcAction[] {
  const refs = item.metadata?.ownerReferences ?? [];
  if (refs.length === 0) return [];
  const states = refs.map((r) => ({ ref: r, state: ownerState(r, input.owners.get(r.uid)) }));
  const solid = states.some((s) => s.state === 'solid');
  const unwanted = [...new Set(states.filter((s) => s.state !== 'solid').map((s) => s.ref.uid))];
  if (solid) return unwanted.length > 0 ? [{ type: 'removeOwnerRefs', uid: input.uid, owners: unwanted }] : [];
  const waitedFor = states.some((s) => s.state === 'waiting');
  // Deleting it in foreground keeps the waiting owner until this object's own dependents are gone too.
  if (waitedFor && input.dependents.length > 0) return [{ type: 'delete', uid: input.uid, policy: 'Foreground' }];
  const policy: PropagationPolicy = hasFinalizer(item, ORPHAN_FINALIZER)
    ? 'Orphan'
    : hasFinalizer(item, FOREGROUND_FINALIZER)
      ? 'Foreground'
      : 'Background';
  return [{ type: 'delete', uid: input.uid, policy }];
}
