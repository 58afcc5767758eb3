import { ApiClientError, isNotFound } from '../../api/client.js';
import { keyOf } from '../../api/informer.js';
import { resolveResource } from '../../api/resources.js';
import type { Pod } from '../../api/schemas/pod.js';
import type { Endpoints, Service } from '../../api/schemas/service.js';
import type { ReconcileResult } from '../../api/reconcile-loop.js';
import { controllerLoop, type Controller, type ControllerContext } from '../controller.js';
import { OwnWrites } from '../own-writes.js';
import { planEndpoints, selects, type EndpointsAction } from './plan.js';
import { enqueueServicesAndTheirPods } from './service-pods.js';
import { nextTriggerTime, type TriggerState } from './trigger-time.js';

const endpointsType = resolveResource('endpoints')!;
/** How soon a service waiting for the cache to see its own Endpoints write looks again. */
const LAGGING_RECHECK_MS = 1_000;
/** Endpoints that carry it are leader-election locks of old components, not a service's. */
const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';

/**
 * The endpoints controller (kube-controller-manager's `endpoint`): keeps, for every Service with a
 * selector, an Endpoints of the same name listing the selected pods' IPs and ports, ready ones in
 * `addresses` and the others in `notReadyAddresses`.
 *
 *   service web (selector app=web, port 80 -> 8080); pods web-1 (Ready, 10.244.1.5), web-2 (starting)
 *   -> Endpoints web: subsets [{ addresses: [10.244.1.5 web-1], notReadyAddresses: [web-2's IP], ports: [8080] }]
 *   web-2 turns Ready -> it moves to addresses; web-1 deleted -> it leaves; service deleted -> Endpoints deleted
 *
 * Keys are services. A pod change enqueues every service of its namespace whose selector matches
 * its old or new labels; a deleted Endpoints enqueues its service, so it comes back.
 */
export function endpointsController(ctx: ControllerContext): Controller {
  const services = ctx.informers.for<Service>('services');
  const pods = ctx.informers.for<Pod>('pods');
  const endpoints = ctx.informers.for<Endpoints>('endpoints');
  const triggers = new Map<string, TriggerState>();

  const own = new OwnWrites();

  const loop = controllerLoop(ctx, 'endpoints', (key) => reconcile(key), 2);

  enqueueServicesAndTheirPods(services, pods, (k) => loop.enqueue(k));
  endpoints.on({
    delete: (e) => {
      own.forget(e);
      loop.enqueue(keyOf(e));
    },
  });

  async function reconcile(key: string): Promise<ReconcileResult> {
    const [namespace = '', name = ''] = key.split('/');
    // A cache that has not yet seen the Endpoints this controller just wrote would have it create
    // them again (AlreadyExists, and a Warning event a class would puzzle over) or undo an update.
    const inNamespace = endpoints.list().filter((e) => e.metadata?.namespace === namespace);
    if (own.lagging(namespace, inNamespace, ctx.clock.now())) return { requeueAfterMs: LAGGING_RECHECK_MS };
    const service = services.get(key);
    let triggerTime: string | undefined;
    if (!service) triggers.delete(key);
    else {
      const selected = pods.list().filter((p) => selects(service, p));
      const next = nextTriggerTime(triggers.get(key), service, selected);
      triggers.set(key, next.state);
      triggerTime = next.time;
    }
    const podsOfNamespace = service ? pods.list().filter((p) => p.metadata?.namespace === namespace) : [];
    const actions = planEndpoints({ namespace, name, service, pods: podsOfNamespace, current: endpoints.get(key), triggerTime });
    for (const a of actions) await execute(a);
    return {};
  }

  async function execute(a: EndpointsAction): Promise<void> {
    if (a.type === 'delete') {
      try {
        await ctx.client.delete(endpointsType, a.namespace, a.name);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      return;
    }
    const ns = a.endpoints.metadata!.namespace!;
    const name = a.endpoints.metadata!.name!;
    try {
      const written = a.type === 'create' ? await ctx.client.create(endpointsType, ns, a.endpoints) : await ctx.client.update(endpointsType, ns, a.endpoints);
      own.wrote(written, ctx.clock.now());
    } catch (err) {
      // A namespace being deleted refuses new objects; the service goes with it, so there is nothing to retry.
      if (a.type === 'create' && isNamespaceTerminating(err)) return;
      const message =
        a.type === 'create'
          ? `Failed to create endpoint for service ${ns}/${name}: ${(err as Error).message}`
          : `Failed to update endpoint ${ns}/${name}: ${(err as Error).message}`;
      await ctx.events.record(a.endpoints, 'Warning', a.type === 'create' ? 'FailedToCreateEndpoint' : 'FailedToUpdateEndpoint', message).catch(() => {});
      throw err;
    }
  }

  return {
    name: 'endpoints',
    start() {
      loop.start();
      // Upstream's checkLeftoverEndpoints: Endpoints whose service went while no controller ran.
      for (const e of endpoints.list()) {
        if (!services.get(keyOf(e)) && !e.metadata?.annotations?.[LEADER_ANNOTATION]) loop.enqueue(keyOf(e));
      }
    },
    stop: () => loop.stop(),
  };
}

function isNamespaceTerminating(err: unknown): boolean {
  return err instanceof ApiClientError && err.code === 403 && /being terminated/.test(err.message);
}
