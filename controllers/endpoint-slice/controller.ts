import { ApiClientError, isNotFound } from '../../api/client.js';
import { keyOf } from '../../api/informer.js';
import { resolveResource } from '../../api/resources.js';
import type { EndpointSlice } from '../../api/schemas/discovery.js';
import type { Pod } from '../../api/schemas/pod.js';
import type { Service } from '../../api/schemas/service.js';
import { controllerLoop, type Controller, type ControllerContext } from '../controller.js';
import { enqueueServicesAndTheirPods } from '../endpoints/service-pods.js';
import { OwnWrites } from '../own-writes.js';
import { CONTROLLER_NAME, isManagedSliceOf, MANAGED_BY_LABEL, planSlices, SERVICE_NAME_LABEL, type SliceAction } from './plan.js';

const slicesType = resolveResource('endpointslices')!;
/** How soon a service waiting for its cache to see its own slice writes looks again without an event. */
const LAGGING_RECHECK_MS = 1_000;

/**
 * The EndpointSlice controller (kube-controller-manager's `endpointslice`): keeps, for every
 * Service with a selector, EndpointSlices labelled `kubernetes.io/service-name` listing the
 * selected pods, at most 100 to a slice, each with its ready, serving and terminating conditions.
 * kube-proxy and `kubectl describe service` (since 1.31) read these, not Endpoints.
 *
 *   service web (selector app=web, port 80 -> 8080); pods web-1 (Ready), web-2 (starting)
 *   -> EndpointSlice web-x7k2p: endpoints [web-1 ready, web-2 not ready], ports [8080]
 *
 * Keys are services. Slices are created with a generated name, so a plan made before the cache
 * holds the last one created would create another: a service is not planned while its
 * namespace's slices in the cache lag this controller's own writes. A deleted Service's slices
 * go with it through their owner reference (the garbage collector).
 */
export function endpointSliceController(ctx: ControllerContext): Controller {
  const services = ctx.informers.for<Service>('services');
  const pods = ctx.informers.for<Pod>('pods');
  const slices = ctx.informers.for<EndpointSlice>('endpointslices');
  const own = new OwnWrites();

  const loop = controllerLoop(ctx, 'endpointslice', (key) => reconcile(key), 2);

  const serviceOfSlice = (s: Readonly<EndpointSlice>) => {
    const labels = s.metadata?.labels ?? {};
    return labels[MANAGED_BY_LABEL] === CONTROLLER_NAME && labels[SERVICE_NAME_LABEL] ? `${s.metadata?.namespace}/${labels[SERVICE_NAME_LABEL]}` : undefined;
  };
  enqueueServicesAndTheirPods(services, pods, (k) => loop.enqueue(k));
  // A slice someone else changed or deleted is put back.
  const onSlice = (s: Readonly<EndpointSlice>) => {
    const key = serviceOfSlice(s);
    if (key) loop.enqueue(key);
  };
  slices.on({
    add: onSlice,
    update: (_, s) => onSlice(s),
    delete: (s) => {
      own.forget(s);
      onSlice(s);
    },
  });

  async function reconcile(key: string): Promise<{ requeueAfterMs: number } | void> {
    const [namespace = '', name = ''] = key.split('/');
    const service = services.get(key);
    if (!service || service.spec?.type === 'ExternalName') {
      // Slices of a service that is gone go with it through their owner reference; an ExternalName
      // service has no endpoints, so any slices it had are removed here.
      if (service) for (const s of slices.list().filter((x) => isManagedSliceOf(x, namespace, name))) await execute({ type: 'delete', namespace, name: s.metadata?.name ?? '' }, s);
      return;
    }
    const inNamespace = slices.list().filter((s) => s.metadata?.namespace === namespace);
    if (own.lagging(namespace, inNamespace, ctx.clock.now())) return { requeueAfterMs: LAGGING_RECHECK_MS };
    const actions = planSlices({
      service,
      pods: pods.list().filter((p) => p.metadata?.namespace === namespace),
      slices: inNamespace.filter((s) => isManagedSliceOf(s, namespace, name)),
    });
    for (const a of actions) await execute(a, a.type === 'delete' ? inNamespace.find((s) => s.metadata?.name === a.name) : undefined);
  }

  async function execute(a: SliceAction, before: Readonly<EndpointSlice> | undefined): Promise<void> {
    try {
      if (a.type === 'delete') {
        await ctx.client.delete(slicesType, a.namespace, a.name);
        if (before) own.deleted(before, ctx.clock.now());
        return;
      }
      const ns = a.slice.metadata!.namespace!;
      const written = a.type === 'create' ? await ctx.client.create<EndpointSlice>(slicesType, ns, a.slice) : await ctx.client.update<EndpointSlice>(slicesType, ns, a.slice);
      own.wrote(written, ctx.clock.now());
    } catch (err) {
      if (a.type === 'delete' && isNotFound(err)) return;
      // A namespace being deleted refuses new objects; the service goes with it, so there is nothing to retry.
      if (a.type === 'create' && isNamespaceTerminating(err)) return;
      throw err;
    }
  }

  return {
    name: 'endpointslice',
    start: () => loop.start(),
    stop: () => loop.stop(),
  };
}

function isNamespaceTerminating(err: unknown): boolean {
  return err instanceof ApiClientError && err.code === 403 && /being terminated/.test(err.message);
}
