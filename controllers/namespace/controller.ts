import { isNotFound, type KubeObject } from '../../api/client.js';
import { keyOf } from '../../api/informer.js';
import { type ReconcileResult } from '../../api/reconcile-loop.js';
import { RESOURCES, resolveResource, type ResourceType } from '../../api/resources.js';
import type { Namespace } from '../../api/schemas/cluster.js';
import type { Pod } from '../../api/schemas/pod.js';
import { controllerLoop, type Controller, type ControllerContext } from '../controller.js';
import { awaitsFinalizing, planContentDeletion, planNamespace, type NamespaceAction, type ResourceContent } from './plan.js';
import { secondsTimestamp } from '../../api/timestamp.js';

const namespacesType = resolveResource('namespaces')!;

/**
 * The namespace controller (kube-controller-manager's `namespace`): empties a namespace that is
 * being deleted, then lets it go. The API server marks a deleted namespace Terminating and keeps it
 * while spec.finalizers holds `kubernetes`; this controller deletes every namespaced object in it
 * (pods gracefully, objects with finalizers left to their owners), reports what remains in the
 * namespace's conditions, looks again until nothing is left, and then removes `kubernetes`.
 *
 *   kubectl delete namespace demo     (demo holds configmap app, pod web-1 on node-1)
 *   -> configmap app deleted; pod web-1 deleted gracefully; demo Terminating with
 *      NamespaceContentRemaining True "Some resources are remaining: pods. has 1 resource instances"
 *   -> node-1 stops web-1, it goes; the next pass finds demo empty, removes `kubernetes`; demo is gone
 */
export function namespaceController(ctx: ControllerContext): Controller {
  const namespaces = ctx.informers.for<Namespace>('namespaces');
  const pods = ctx.informers.for<Pod>('pods');
  const contentTypes = RESOURCES.filter((r) => r.namespaced);

  const loop = controllerLoop(ctx, 'namespace', (key) => reconcile(key), 1);

  const deleting = (ns: Readonly<Namespace> | undefined) => Boolean(ns?.metadata?.deletionTimestamp);
  namespaces.on({
    add: (ns) => deleting(ns) && loop.enqueue(keyOf(ns)),
    update: (_, ns) => deleting(ns) && loop.enqueue(keyOf(ns)),
  });
  // A pod's going is usually what a terminating namespace waits for: look again at once rather than at the estimate.
  pods.on({
    delete: (p) => {
      const ns = p.metadata?.namespace;
      if (ns && deleting(namespaces.get(ns))) loop.enqueue(ns);
    },
  });

  async function reconcile(name: string): Promise<ReconcileResult | void> {
    // The cache may lag behind a finalize this controller just did: read the namespace itself.
    let namespace: Namespace;
    try {
      namespace = await ctx.client.get<Namespace>(namespacesType, undefined, name);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (!awaitsFinalizing(namespace)) return;

    const found = await listContents(name);
    const deletions = planContentDeletion(found);
    const failed = new Map<string, string>();
    for (const d of deletions) {
      const r = contentTypes.find((t) => t.resource === d.resource)!;
      try {
        await ctx.client.delete(r, name, d.name, { propagationPolicy: 'Background' });
      } catch (err) {
        if (!isNotFound(err)) failed.set(d.resource, `failed to delete ${d.resource} ${name}/${d.name}: ${(err as Error).message}`);
      }
    }
    const remaining = deletions.length > 0 ? await listContents(name) : found;
    for (const c of remaining) if (!c.error && failed.has(c.resource)) c.error = failed.get(c.resource)!;

    const plan = planNamespace(namespace, remaining, now());
    for (const a of plan.actions) namespace = await execute(a, namespace);
    if (plan.errors.length > 0) throw new Error(`Cannot finish deleting namespace ${name}: ${plan.errors.join('; ')}`);
    if (plan.remainingEstimateSeconds !== undefined) return { requeueAfterMs: ((plan.remainingEstimateSeconds / 2 + 1) * 1000) / ctx.speed };
  }

  async function listContents(ns: string): Promise<ResourceContent[]> {
    return Promise.all(
      contentTypes.map(async (r: ResourceType): Promise<ResourceContent> => {
        try {
          const { items } = await ctx.client.list<KubeObject>(r, ns);
          return { resource: r.resource, group: r.group, items };
        } catch (err) {
          return { resource: r.resource, group: r.group, items: [], error: `failed to list ${r.resource}: ${(err as Error).message}` };
        }
      }),
    );
  }

  /** Carries the resourceVersion of one write into the next, so each is conditional on the one before. */
  async function execute(a: NamespaceAction, latest: Namespace): Promise<Namespace> {
    const body = { ...a.namespace, metadata: { ...a.namespace.metadata, resourceVersion: latest.metadata?.resourceVersion } };
    if (a.type === 'updateStatus') return ctx.client.updateStatus<Namespace>(namespacesType, undefined, body);
    // The API client has no call for the namespaces/{name}/finalize subresource; a PUT of the
    // namespace with the finalizer removed is what that subresource does here.
    try {
      return await ctx.client.update<Namespace>(namespacesType, undefined, body);
    } catch (err) {
      if (isNotFound(err)) return latest;
      throw err;
    }
  }

  function now(): string {
    return secondsTimestamp(ctx.clock.now());
  }

  return {
    name: 'namespace',
    start: () => loop.start(),
    stop: () => loop.stop(),
  };
}
