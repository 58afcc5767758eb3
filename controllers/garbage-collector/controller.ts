import { isConflict, isNotFound, type KubeObject, type DeleteOptions } from '../../api/client.js';
import type { Informer } from '../../api/informer.js';
import { TerminalError } from '../../api/reconcile-loop.js';
import { resolveResource, resourceForKind, type ResourceType } from '../../api/resources.js';
import type { OwnerReference } from '../../api/schemas/meta.js';
import { controllerLoop, type Controller, type ControllerContext } from '../controller.js';
import { IncrementalOwnerGraph } from './incremental-owner-graph.js';
import type { GraphEntry } from './owner-graph.js';
import { changesGarbagePlan, planGarbage, type GcAction } from './plan.js';

/** The namespaced resources whose objects carry ownerReferences in minik (upstream watches every deletable one). */
export const COLLECTED_RESOURCES = ['pods', 'replicasets', 'deployments', 'configmaps', 'secrets', 'services', 'endpoints', 'endpointslices'] as const;

/**
 * The garbage collector (kube-controller-manager's `garbagecollector`): deletes objects whose
 * owners are gone, and carries out Foreground and Orphan deletion for owners deleted that way.
 *
 * Its work items are uids rather than `namespace/name`: it looks after objects of many kinds at
 * once, and a uid names one object among all of them (and never the object recreated under the
 * same name). An object created, deleted, or changed in what the plan reads of it (owner references,
 * deletion, finalizers) queues the object and its owners; an object gone from the caches queues its
 * uid, whose reconcile then looks at its dependents.
 *
 *   kubectl delete configmap app                                   -> pods owned by app are deleted
 *   kubectl delete configmap app --cascade=foreground              -> app goes after its blocking dependents
 *   kubectl delete configmap app --cascade=orphan                  -> its dependents lose the reference and stay
 *
 * Before deleting a dependent it asks the API server for any owner the caches do not hold, as
 * upstream does: a cache that has not seen an owner yet must never cost the dependent its life.
 */
export function garbageCollectorController(ctx: ControllerContext): Controller {
  const informers = COLLECTED_RESOURCES.map((resource) => ({ resource, informer: ctx.informers.for<KubeObject>(resource) }));
  const loop = controllerLoop(ctx, 'garbagecollector', (uid) => reconcile(uid), 2);
  const graph = new IncrementalOwnerGraph(COLLECTED_RESOURCES);

  const enqueueWithOwners = (obj: Readonly<KubeObject>) => {
    const uid = obj.metadata?.uid;
    if (uid) loop.enqueue(uid);
    for (const r of obj.metadata?.ownerReferences ?? []) loop.enqueue(r.uid);
  };
  for (const { resource, informer } of informers) {
    // The graph first, so that it already holds a change when anything set off by that change reads it.
    informer.on(graph.handlersFor(resource));
    // An owner a dependent stopped naming may be waiting for exactly that (foreground deletion).
    const update = (old: Readonly<KubeObject>, obj: Readonly<KubeObject>) => {
      if (changesGarbagePlan(old, obj)) (enqueueWithOwners(old), enqueueWithOwners(obj));
    };
    informer.on({ add: enqueueWithOwners, update, delete: enqueueWithOwners });
  }

  async function reconcile(uid: string): Promise<void> {
    const view = snapshot(uid);
    const item = view.get(uid)?.object;
    const owners = new Map<string, Readonly<KubeObject> | null>();
    if (item && !item.metadata?.deletionTimestamp) {
      for (const ref of item.metadata?.ownerReferences ?? []) owners.set(ref.uid, await findOwner(view, item, ref));
    }
    const actions = planGarbage({ uid, item, dependents: view.dependents.map((e) => e.object), owners });
    for (const a of actions) await execute(view, a);
  }

  /**
   * What one reconcile reads of the graph, taken before its first await: the graph moves on with
   * the caches while the reconcile waits on the API server, and the reconcile must act on one
   * consistent picture (a patch carries the resourceVersion it planned from).
   */
  function snapshot(uid: string): Snapshot {
    const entries = new Map<string, GraphEntry>();
    const own = graph.get(uid);
    if (own) entries.set(uid, own);
    const alive = own && !own.object.metadata?.deletionTimestamp;
    for (const ref of alive ? (own.object.metadata?.ownerReferences ?? []) : []) {
      const owner = graph.get(ref.uid);
      if (owner) entries.set(ref.uid, owner);
    }
    // A live object's plan asks only whether it has dependents; copying every pod of a ReplicaSet
    // to answer that would make each of its reconciles cost as much as its pods.
    const dependents = graph.dependentsOf(uid, alive ? 1 : Infinity);
    for (const d of dependents) entries.set(d.object.metadata!.uid!, d);
    return { get: (u) => entries.get(u), dependents };
  }

  /** The owner a reference names: from the caches, else from the API server (null: it is gone). */
  async function findOwner(g: Snapshot, dependent: Readonly<KubeObject>, ref: Readonly<OwnerReference>): Promise<Readonly<KubeObject> | null> {
    const cached = g.get(ref.uid);
    if (cached) return cached.object;
    const r = resourceForKind(ref.apiVersion, ref.kind);
    if (!r) {
      throw new TerminalError(
        `Cannot check owner ${ref.kind} ${ref.name} (${ref.apiVersion}) of ${describe({ ...dependent, kind: g.get(dependent.metadata?.uid ?? '')?.resource ?? dependent.kind })}: minik serves no such kind, so it cannot tell whether it exists`,
      );
    }
    try {
      return await ctx.client.get(r, r.namespaced ? dependent.metadata?.namespace : undefined, ref.name);
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async function execute(g: Snapshot, a: GcAction): Promise<void> {
    if (a.type === 'check') return loop.enqueue(a.uid);
    const entry = g.get(a.uid);
    if (!entry) return;
    const r = resolveResource(entry.resource) as ResourceType;
    const meta = entry.object.metadata!;
    try {
      if (a.type === 'delete') {
        // The uid precondition: never delete an object recreated under the same name since we looked.
        const opts: DeleteOptions & { preconditions: { uid: string } } = { propagationPolicy: a.policy, preconditions: { uid: a.uid } };
        ctx.logger.info({ object: describe({ ...entry.object, kind: r.kind }), policy: a.policy }, 'deleting object whose owners are gone');
        await ctx.client.delete(r, meta.namespace, meta.name!, opts);
      } else if (a.type === 'removeOwnerRefs') {
        const ownerReferences = (meta.ownerReferences ?? []).filter((ref) => !a.owners.includes(ref.uid));
        // Conditional on what we read, so a reference another writer just added is never lost.
        await ctx.client.patch(r, meta.namespace, meta.name!, 'merge', { metadata: { resourceVersion: meta.resourceVersion, ownerReferences } });
      } else {
        const finalizers = (meta.finalizers ?? []).filter((f) => !a.finalizers.includes(f));
        await ctx.client.patch(r, meta.namespace, meta.name!, 'merge', { metadata: { resourceVersion: meta.resourceVersion, finalizers } });
      }
    } catch (err) {
      // Already gone: what we meant to do is done. A failed uid precondition is an object we must not touch.
      if (isNotFound(err) || (a.type === 'delete' && isConflict(err))) return;
      throw err;
    }
  }

  return {
    name: 'garbagecollector',
    start: () => loop.start(),
    stop: () => loop.stop(),
  };
}

/** The part of the graph one reconcile reads: its object, that object's cached owners, its dependents. */
interface Snapshot {
  get(uid: string): GraphEntry | undefined;
  readonly dependents: readonly GraphEntry[];
}

function describe(obj: Readonly<KubeObject>): string {
  return `${obj.kind ?? 'object'} ${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}
